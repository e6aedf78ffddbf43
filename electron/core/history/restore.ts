import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../catalog/open';
import { stmt } from '../catalog/statements';
import { CoreError, conflict, invalidInput, notFound, refused, unavailable } from '../errors';
import type { CoreContext } from '../context';
import type { Actor } from '../governance/settings';
import { isInside } from '../paths';
import { copyHashed, isHash } from './blob-store';
import { appendContentLog, getBlob, getSnapshot, markGoverned, touchBlob } from './history.repository';
import { formatBytes } from './limit';

interface Current {
  file_id: number;
  asset_id: number;
  root_path: string;
  root_state: 'online' | 'offline';
  root_reason: string | null;
  rel_path: string;
  state: 'present' | 'missing';
  format: string;
  content_hash: string | null;
}

function currentFile(db: Db, assetId: number): Current | undefined {
  return stmt(
    db,
    `SELECT f.id AS file_id, f.asset_id, r.path AS root_path, r.state AS root_state, r.state_reason AS root_reason,
            f.rel_path, f.state, f.format, f.content_hash
       FROM asset_search s JOIN files f ON f.id = s.file_id JOIN roots r ON r.id = f.root_id WHERE s.asset_id = ?`,
  ).get(assetId) as Current | undefined;
}

function sameFile(a: fs.Stats, b: fs.Stats): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

function why(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  return err instanceof Error ? err.message : String(err);
}

/** Refuse before anything is touched when the file or its folder cannot be written. */
async function checkWritable(abs: string): Promise<void> {
  for (const [p, mode] of [
    [abs, fs.constants.W_OK],
    [path.dirname(abs), fs.constants.W_OK | fs.constants.X_OK],
  ] as const) {
    try {
      await fs.promises.access(p, mode);
    } catch (err) {
      throw refused('not-writable', `cannot write ${p}: ${why(err)}; nothing was changed`);
    }
  }
}

/**
 * The kept bytes onto the file, atomically: copied (and checked against their hash) to a hidden temp
 * file in the same folder with the file's mode, flushed, then renamed over the file. The file is
 * either wholly the old content or wholly the restored one.
 */
async function writeBack(blob: string, abs: string, hash: string, before: fs.Stats): Promise<void> {
  const tmp = path.join(
    path.dirname(abs),
    `.${path.basename(abs)}.tessera-restore-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  try {
    const copied = await copyHashed(blob, tmp, before.mode & 0o7777);
    if (copied.hash !== hash)
      throw refused('content-gone', `the kept copy of ${hash.slice(0, 12)} is damaged; nothing was changed`);
    if (process.getuid?.() === 0) await fs.promises.chown(tmp, before.uid, before.gid).catch(() => undefined);
    // Changed since its present content was kept: that content would be lost, so stop here.
    if (!sameFile(before, await fs.promises.lstat(abs)))
      throw conflict(`${abs} changed while it was being restored; nothing was changed, try again`);
    await fs.promises.rename(tmp, abs);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    if (err instanceof CoreError) throw err;
    throw refused('not-writable', `cannot write ${abs}: ${why(err)}; nothing was changed`);
  }
  // The rename itself, on disk (best effort: not every file system lets a folder be opened).
  try {
    const dir = await fs.promises.open(path.dirname(abs), 'r');
    await dir.sync().finally(() => dir.close());
  } catch {
    // Durable enough: the data itself was flushed before the rename.
  }
}

/**
 * Write a kept content back to an asset's file. The present content is kept first (so restoring it
 * undoes this), the change is recorded, and the file goes through ingest again so that the
 * catalogue, the thumbnail and the approval (which compares content hashes) follow.
 */
export async function restoreContent(
  lib: CoreContext,
  assetId: number,
  hash: string,
  who: Actor = lib.governance.actor,
): Promise<{ restored: boolean; hash: string; replaced?: string }> {
  const db = lib.db;
  if (!isHash(hash)) throw invalidInput('expects a SHA-256 in hex');
  const cur = currentFile(db, assetId);
  if (!cur) throw notFound(`no asset ${assetId} in the catalogue`);
  const short = hash.slice(0, 12);
  const snap = getSnapshot(db, assetId, hash);
  if (!snap)
    throw notFound(
      `${short} is not one of the contents kept for asset ${assetId} (dam snapshots ${assetId} lists them)`,
    );
  const blob = getBlob(db, hash);
  if (snap.state !== 'stored' || !blob || !lib.history.store.has(hash, blob.size))
    throw refused(
      'content-gone',
      snap.state === 'evicted' || snap.state === 'stored'
        ? `the content ${short} of asset ${assetId} is no longer in the content history: its bytes were removed to make room`
        : `the content ${short} of asset ${assetId} was never copied into the content history`,
    );
  if (cur.root_state !== 'online')
    throw unavailable(
      `the folder ${cur.root_path} is offline${cur.root_reason ? ` (${cur.root_reason})` : ''}: reconnect it and try again`,
      { reason: 'offline' },
    );
  const abs = path.join(cur.root_path, ...cur.rel_path.split('/'));
  let before: fs.Stats;
  try {
    before = await fs.promises.lstat(abs);
  } catch (err) {
    throw (err as NodeJS.ErrnoException).code === 'ENOENT'
      ? notFound(`${abs} is missing: there is no file to restore into`)
      : unavailable(`cannot read ${abs}: ${why(err)}`);
  }
  if (!before.isFile() || !isInside(cur.root_path, abs))
    throw refused('not-writable', `${abs} is not a regular file`);
  await checkWritable(abs);

  let present: { hash: string; size: number };
  try {
    present = await lib.history.keepFile(
      abs,
      { assetId, fileId: cur.file_id, format: cur.format },
      'restore',
      [hash],
    );
  } catch (err) {
    if (err instanceof CoreError) throw err;
    throw unavailable(`cannot keep the present content of ${abs} first: ${why(err)}; nothing was changed`);
  }
  if (present.hash === hash) return { restored: false, hash };

  await writeBack(lib.history.store.pathFor(hash), abs, hash, before);
  db.transaction(() => {
    appendContentLog(db, {
      assetId,
      fileId: cur.file_id,
      event: 'restored',
      hash,
      size: snap.size,
      oldHash: present.hash,
      oldSize: present.size,
      actor: who.user,
      machine: who.machine,
      at: Date.now(),
      detail: `restored the content of ${new Date(snap.at).toISOString().slice(0, 16).replace('T', ' ')} (${formatBytes(snap.size)})`,
    });
    touchBlob(db, hash);
    // Someone cared enough to restore it: its next contents are kept too.
    markGoverned(db, assetId);
  })();
  const st = await fs.promises.stat(abs);
  lib.reprocess(cur.file_id, {
    size: st.size,
    mtimeMs: Math.trunc(st.mtimeMs),
    dev: st.dev,
    ino: st.ino || null,
  });
  await lib.whenProcessed(cur.file_id);
  return { restored: true, hash, replaced: present.hash };
}
