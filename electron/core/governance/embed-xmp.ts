import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../catalog/open';
import { tempNameFor } from '../temp-files';
import { XmlDecodeError } from '../xml/decode';
import { XmlError } from '../xml/reader';
import { stmt } from '../catalog/statements';
import { enqueue } from '../catalog/jobs.repository';
import { PRIORITY } from '../catalog/job-kinds';
import { EmbedError, embedJpegXmp, readJpegXmp } from './embed/jpeg-xmp';
import { embedTiffXmp, readTiffXmp } from './embed/tiff-xmp';
import { readFields } from './field-store';
import { FIELDS, isEmptyValue, type FieldValues } from './fields';
import { appendChange, readStamps, writeStamp } from './change-log.repository';
import type { Actor } from './settings';
import { bump } from './stamps';
import { readSidecar, type SidecarData } from './xmp-read';
import { writeEmbeddedXmp } from './xmp-write';

export { EmbedError };

/** Originals above this are left alone: the whole file is rewritten through memory. */
const MAX_BYTES = 1024 * 1024 * 1024;

interface CurrentFile {
  id: number;
  root_path: string;
  root_state: string;
  rel_path: string;
  format: string;
  ext: string;
  size: number;
  mtime_ms: number;
  content_hash: string | null;
}

type Codec = {
  read(buf: Buffer): string | null | Promise<string | null>;
  embed(buf: Buffer, packet: string): Buffer | Promise<Buffer>;
};
const JPEG: Codec = { read: readJpegXmp, embed: embedJpegXmp };
const TIFF: Codec = { read: readTiffXmp, embed: embedTiffXmp };

function codecFor(f: Pick<CurrentFile, 'format' | 'ext'>): Codec | null {
  if (f.format === 'jpeg') return JPEG;
  if (f.format === 'tiff' || (f.format === 'raw' && f.ext.toLowerCase() === 'dng')) return TIFF;
  return null;
}

export type EmbedOutcome = 'embedded' | 'unchanged' | 'not-supported' | 'offline';

/**
 * Writes the asset's governed fields into its original's own XMP (an option, off by default).
 * What the file's XMP already says is kept: other applications' properties, and any standard field
 * nobody has edited here. The image data is copied byte for byte, the file is replaced atomically,
 * and the catalogue takes the new bytes as the same version: an approval of the old bytes carries
 * over (its stamp moves on, so other catalogues follow through the sidecar).
 */
export async function embedIntoOriginal(
  db: Db,
  assetId: number,
  actor: Actor,
  origin: string,
): Promise<EmbedOutcome> {
  const f = stmt(
    db,
    `SELECT f.id, r.path AS root_path, r.state AS root_state, f.rel_path, f.format, f.ext, f.size, f.mtime_ms, f.content_hash
       FROM asset_search s JOIN files f ON f.id = s.file_id JOIN roots r ON r.id = f.root_id WHERE s.asset_id = ?`,
  ).get(assetId) as CurrentFile | undefined;
  if (!f) return 'not-supported';
  const codec = codecFor(f);
  if (!codec) return 'not-supported';
  if (f.root_state !== 'online') return 'offline';
  const abs = path.join(f.root_path, ...f.rel_path.split('/'));
  const before = await fs.promises.stat(abs);
  if (before.size > MAX_BYTES)
    throw new EmbedError(`${abs} is larger than 1 GB; its XMP stays in the sidecar only`);
  // Changed since it was catalogued: the scan re-reads it first, and the next edit embeds.
  if (before.size !== f.size || Math.trunc(before.mtimeMs) !== f.mtime_ms) return 'unchanged';
  const buf = await fs.promises.readFile(abs);
  let existing: string | null;
  let theirs: SidecarData | null = null;
  try {
    existing = await codec.read(buf);
    if (existing !== null) theirs = readSidecar(existing);
  } catch (err) {
    if (err instanceof XmlDecodeError || err instanceof XmlError)
      throw new EmbedError(
        `the XMP inside ${abs} cannot be read (${err.message}); the file is left as it is`,
      );
    throw err;
  }
  const packet = writeEmbeddedXmp(mergedValues(db, assetId, theirs), theirs?.foreign ?? []);
  if (existing !== null && existing.trim() === packet.trim()) return 'unchanged';
  const out = await codec.embed(buf, packet);

  const tmp = path.join(path.dirname(abs), tempNameFor(path.basename(abs)));
  try {
    await fs.promises.writeFile(tmp, out, { flag: 'wx', mode: before.mode & 0o7777 });
    const now = await fs.promises.stat(abs);
    if (now.size !== before.size || now.mtimeMs !== before.mtimeMs || now.ino !== before.ino)
      throw new EmbedError(`${abs} changed while its XMP was being written; left as it is`);
    await fs.promises.rename(tmp, abs);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  const st = await fs.promises.stat(abs);
  const hash = crypto.createHash('sha256').update(out).digest('hex');
  const at = Date.now();
  db.transaction(() => {
    stmt(db, `UPDATE files SET size = ?, mtime_ms = ?, dev = ?, ino = ?, content_hash = ? WHERE id = ?`).run(
      st.size,
      Math.trunc(st.mtimeMs),
      st.dev,
      st.ino,
      hash,
      f.id,
    );
    stmt(db, `UPDATE asset_search SET size = ? WHERE asset_id = ?`).run(st.size, assetId);
    const moved = stmt(
      db,
      `UPDATE approvals SET content_hash = ? WHERE asset_id = ? AND file_id = ? AND content_hash = ?`,
    ).run(hash, assetId, f.id, f.content_hash);
    if (moved.changes > 0) {
      const prev = readStamps(db, assetId).get('approval');
      writeStamp(db, assetId, 'approval', {
        clock: bump(prev?.clock ?? {}, origin),
        at,
        origin,
        actor: prev?.actor ?? actor.user,
        machine: prev?.machine ?? actor.machine,
      });
      enqueue(db, 'sidecar', assetId, { priority: PRIORITY.interactive, now: at });
    }
    appendChange(db, {
      assetId,
      field: 'embeddedXmp',
      oldValue: f.content_hash,
      newValue: hash,
      actor: actor.user,
      machine: actor.machine,
      at,
      source: 'local',
    });
  })();
  return 'embedded';
}

/** Ours where someone edited the field here (it has a stamp) or we hold a value; else what the file says. */
function mergedValues(db: Db, assetId: number, theirs: SidecarData | null): FieldValues {
  const ours = readFields(db, assetId);
  if (!theirs) return ours;
  const stamps = readStamps(db, assetId);
  const merged = { ...ours } as Record<string, unknown>;
  for (const field of FIELDS) {
    const mine = merged[field];
    const their = (theirs.values as Record<string, unknown>)[field];
    if (isEmptyValue(mine) && !stamps.has(field) && their !== undefined) merged[field] = their;
  }
  return merged as unknown as FieldValues;
}
