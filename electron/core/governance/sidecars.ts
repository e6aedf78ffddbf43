import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SidecarNaming } from '../../../shared/governance';
import type { Db } from '../catalog/open';
import { stmt } from '../catalog/statements';
import { tempNameFor } from '../temp-files';
import { assertReplaceable } from './sidecar-file';

/**
 * Where an asset's sidecar lives. Two conventions exist: photo.jpg.xmp (darktable, digiKam: one per
 * file) and photo.xmp (Lightroom, Bridge, Capture One: one per name, which a RAW+JPEG pair shares).
 * Both are read; the configured one is written. A photo.xmp belongs to one file of its name: the RAW
 * of a pair, else the first by name; the others use photo.ext.xmp so that no two assets share one.
 */
export interface SidecarPlace {
  rootId: number;
  rootPath: string;
  online: boolean;
  /** Existing-or-not sidecars to read, root-relative, '/'-separated. */
  candidates: string[];
  /** The one to write. */
  writeRel: string;
}

const XMP = '.xmp';

function splitName(name: string): { stem: string; hasExt: boolean } {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? { stem: name.slice(0, dot), hasExt: true } : { stem: name, hasExt: false };
}

const join = (folder: string, name: string) => (folder ? `${folder}/${name}` : name);

/** The file that owns folder/stem.xmp: a RAW first, then by name. */
function stemOwner(
  db: Db,
  rootId: number,
  folder: string,
  stem: string,
): { fileId: number; assetId: number } | undefined {
  const like = stem.replace(/[\\%_]/g, (c) => '\\' + c) + '.%';
  const rows = stmt(
    db,
    `SELECT f.id AS fileId, f.asset_id AS assetId, f.name, a.type FROM files f JOIN assets a ON a.id = f.asset_id
      WHERE f.root_id = ? AND f.folder = ? AND f.name LIKE ? ESCAPE '\\' AND f.state = 'present'`,
  ).all(rootId, folder, like) as { fileId: number; assetId: number; name: string; type: string }[];
  return rows
    .filter((r) => splitName(r.name).stem === stem)
    .sort(
      (a, b) =>
        Number(b.type === 'raw') - Number(a.type === 'raw') ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    )[0];
}

export function sidecarPlace(db: Db, assetId: number, naming: SidecarNaming): SidecarPlace | null {
  const f = stmt(
    db,
    `SELECT f.id, f.root_id, f.rel_path, f.folder, f.name, r.path AS root_path, r.state AS root_state
       FROM asset_search s JOIN files f ON f.id = s.file_id JOIN roots r ON r.id = f.root_id WHERE s.asset_id = ?`,
  ).get(assetId) as
    | {
        id: number;
        root_id: number;
        rel_path: string;
        folder: string;
        name: string;
        root_path: string;
        root_state: string;
      }
    | undefined;
  if (!f) return null;
  const own = f.rel_path + XMP;
  const { stem, hasExt } = splitName(f.name);
  const shared =
    hasExt && stemOwner(db, f.root_id, f.folder, stem)?.fileId === f.id ? join(f.folder, stem + XMP) : null;
  return {
    rootId: f.root_id,
    rootPath: f.root_path,
    online: f.root_state === 'online',
    candidates: shared ? [shared, own] : [own],
    writeRel: naming === 'photo.xmp' && shared ? shared : own,
  };
}

/** The assets a sidecar describes (photo.jpg.xmp: that file; photo.xmp: the owner of the name). */
export function sidecarOwners(db: Db, rootId: number, sidecarRel: string): number[] {
  const base = sidecarRel.slice(0, -XMP.length);
  const exact = stmt(db, `SELECT asset_id FROM files WHERE root_id = ? AND rel_path = ?`)
    .pluck()
    .get(rootId, base) as number | undefined;
  if (exact != null) return [exact];
  const slash = base.lastIndexOf('/');
  const owner = stemOwner(db, rootId, slash < 0 ? '' : base.slice(0, slash), base.slice(slash + 1));
  return owner ? [owner.assetId] : [];
}

export function absPath(rootPath: string, rel: string): string {
  return path.join(rootPath, ...rel.split('/'));
}

export function contentHash(buf: Buffer | string): string {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

export interface SidecarRecord {
  hash: string | null;
  size: number;
  mtime_ms: number;
  error: string | null;
}

export function knownSidecar(db: Db, rootId: number, rel: string): SidecarRecord | undefined {
  return stmt(
    db,
    `SELECT hash, size, mtime_ms, error FROM sidecar_files WHERE root_id = ? AND rel_path = ?`,
  ).get(rootId, rel) as SidecarRecord | undefined;
}

export function recordSidecar(
  db: Db,
  rootId: number,
  rel: string,
  assetId: number | null,
  r: { hash: string | null; size: number; mtimeMs: number; error: string | null },
): void {
  stmt(
    db,
    `INSERT OR REPLACE INTO sidecar_files (root_id, rel_path, asset_id, hash, size, mtime_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(rootId, rel, assetId, r.hash, r.size, Math.trunc(r.mtimeMs), r.error);
}

/** Written aside under a hidden name, then renamed over: readers see the old sidecar or the new one, never half. */
export async function writeAtomically(file: string, text: string): Promise<fs.Stats> {
  const tmp = path.join(path.dirname(file), tempNameFor(path.basename(file)));
  try {
    await fs.promises.writeFile(tmp, text, { flag: 'wx' });
    // A link or a pipe put there since the sidecar was read is left alone, not replaced.
    await assertReplaceable(file);
    await fs.promises.rename(tmp, file);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  return fs.promises.stat(file);
}
