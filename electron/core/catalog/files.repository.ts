import type { AssetType } from '../../../shared/model';
import type { FormatId } from '../ingest/formats/file-types';
import type { Db } from './open';
import { stmt } from './statements';
import { deleteAssetFts, refreshAssetSearch } from './asset-search.repository';
import { enqueue } from './jobs.repository';
import { putVersionKey } from './version-keys.repository';

/** What a walk learns about a file without reading it. */
export interface StatInfo {
  size: number;
  mtimeMs: number;
  dev: number | null;
  ino: number | null;
}

/** One catalogued file as the scanner compares it: [id, size, mtime_ms, ino, state]. */
export type IndexEntry = [
  id: number,
  size: number,
  mtimeMs: number,
  ino: number | null,
  state: 'present' | 'missing',
];

export function loadRootIndex(db: Db, rootId: number): Map<string, IndexEntry> {
  const rows = stmt(db, `SELECT rel_path, id, size, mtime_ms, ino, state FROM files WHERE root_id = ?`)
    .raw()
    .all(rootId) as [string, number, number, number, number | null, 'present' | 'missing'][];
  const index = new Map<string, IndexEntry>();
  for (const r of rows) index.set(r[0], [r[1], r[2], r[3], r[4], r[5]]);
  return index;
}

export function splitRelPath(relPath: string): { folder: string; name: string; ext: string } {
  const slash = relPath.lastIndexOf('/');
  const name = slash < 0 ? relPath : relPath.slice(slash + 1);
  const folder = slash < 0 ? '' : relPath.slice(0, slash);
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  return { folder, name, ext };
}

export interface NewFile extends StatInfo {
  rootId: number;
  relPath: string;
  type: AssetType;
  format: FormatId;
}

/** A file seen for the first time becomes an asset at once (searchable by name), and owes processing. */
export function insertNewFile(db: Db, f: NewFile, now = Date.now()): number {
  const { folder, name, ext } = splitRelPath(f.relPath);
  const assetId = Number(
    stmt(db, `INSERT INTO assets (type, created_at) VALUES (?, ?)`).run(f.type, now).lastInsertRowid,
  );
  const fileId = Number(
    stmt(
      db,
      `INSERT INTO files (asset_id, root_id, rel_path, folder, name, ext, format, size, mtime_ms, dev, ino, first_seen)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      assetId,
      f.rootId,
      f.relPath,
      folder,
      name,
      ext,
      f.format,
      f.size,
      Math.trunc(f.mtimeMs),
      f.dev,
      f.ino,
      now,
    ).lastInsertRowid,
  );
  refreshAssetSearch(db, assetId);
  enqueue(db, 'process', fileId, { now });
  return fileId;
}

/** Content may differ: keep the asset and everything attached, and process the file again. */
export function markChanged(db: Db, fileId: number, s: StatInfo, now = Date.now()): void {
  stmt(
    db,
    `UPDATE files SET size = ?, mtime_ms = ?, dev = ?, ino = ?, state = 'present', missing_since = NULL WHERE id = ?`,
  ).run(s.size, Math.trunc(s.mtimeMs), s.dev, s.ino, fileId);
  refreshAssetSearch(db, assetIdOf(db, fileId));
  enqueue(db, 'process', fileId, { now });
}

export function markMissing(db: Db, fileId: number, now = Date.now()): void {
  const r = stmt(
    db,
    `UPDATE files SET state = 'missing', missing_since = ? WHERE id = ? AND state = 'present'`,
  ).run(now, fileId);
  if (r.changes) refreshAssetSearch(db, assetIdOf(db, fileId));
}

export function markPresent(db: Db, fileId: number): void {
  const r = stmt(
    db,
    `UPDATE files SET state = 'present', missing_since = NULL WHERE id = ? AND state = 'missing'`,
  ).run(fileId);
  if (r.changes) refreshAssetSearch(db, assetIdOf(db, fileId));
}

export function assetIdOf(db: Db, fileId: number): number {
  return (
    (stmt(db, `SELECT asset_id FROM files WHERE id = ?`).pluck().get(fileId) as number | undefined) ?? -1
  );
}

/** A missing file with this inode and size is the same file under a new name: no need to read it. */
export function findMissingByInode(db: Db, rootId: number, s: StatInfo): number | undefined {
  if (s.ino == null || s.ino === 0) return undefined;
  return stmt(
    db,
    `SELECT id FROM files WHERE root_id = ? AND state = 'missing' AND size = ? AND ino = ? AND dev IS ? LIMIT 1`,
  )
    .pluck()
    .get(rootId, s.size, s.ino, s.dev) as number | undefined;
}

export function findMissingByHash(
  db: Db,
  hash: string,
  size: number,
  exceptFileId: number,
): number | undefined {
  return stmt(
    db,
    `SELECT id FROM files WHERE content_hash = ? AND size = ? AND state = 'missing' AND id <> ? ORDER BY missing_since DESC LIMIT 1`,
  )
    .pluck()
    .get(hash, size, exceptFileId) as number | undefined;
}

/** Point an existing file (and so its asset, history and everything attached) at a new place. */
export function moveFile(db: Db, fileId: number, rootId: number, relPath: string, s: StatInfo): void {
  const { folder, name, ext } = splitRelPath(relPath);
  stmt(
    db,
    `UPDATE files SET root_id = ?, rel_path = ?, folder = ?, name = ?, ext = ?, size = ?, mtime_ms = ?, dev = ?, ino = ?,
       state = 'present', missing_since = NULL WHERE id = ?`,
  ).run(rootId, relPath, folder, name, ext, s.size, Math.trunc(s.mtimeMs), s.dev, s.ino, fileId);
  // A moved file is not a new version, but new files arriving beside it must find it by its new name.
  if (stmt(db, `SELECT 1 FROM file_version_keys WHERE file_id = ?`).pluck().get(fileId))
    putVersionKey(db, fileId, name);
  refreshAssetSearch(db, assetIdOf(db, fileId));
}

/** Remove a file row that turned out to be another file seen under a new name (and its placeholder asset). */
export function deleteFileAndOrphanAsset(db: Db, fileId: number): void {
  const assetId = assetIdOf(db, fileId);
  stmt(db, `DELETE FROM files WHERE id = ?`).run(fileId);
  const left = stmt(db, `SELECT count(*) FROM files WHERE asset_id = ?`).pluck().get(assetId) as number;
  if (left === 0) {
    deleteAssetFts(db, assetId);
    stmt(db, `DELETE FROM assets WHERE id = ?`).run(assetId);
  } else refreshAssetSearch(db, assetId);
}

export interface FileRow {
  id: number;
  asset_id: number;
  root_id: number;
  rel_path: string;
  format: FormatId;
  size: number;
  mtime_ms: number;
  state: 'present' | 'missing';
  content_hash: string | null;
}

export function getFile(db: Db, fileId: number): FileRow | undefined {
  return stmt(
    db,
    `SELECT id, asset_id, root_id, rel_path, format, size, mtime_ms, state, content_hash FROM files WHERE id = ?`,
  ).get(fileId) as FileRow | undefined;
}

export function getFileByPath(db: Db, rootId: number, relPath: string): FileRow | undefined {
  return stmt(
    db,
    `SELECT id, asset_id, root_id, rel_path, format, size, mtime_ms, state, content_hash FROM files WHERE root_id = ? AND rel_path = ?`,
  ).get(rootId, relPath) as FileRow | undefined;
}

/** Present files at or below a folder (for a deleted folder event). */
export function presentFilesUnder(
  db: Db,
  rootId: number,
  folder: string,
): { id: number; rel_path: string }[] {
  return stmt(
    db,
    `SELECT id, rel_path FROM files WHERE root_id = ? AND state = 'present' AND (folder = ? OR folder LIKE ? ESCAPE '\\')`,
  ).all(rootId, folder, folder.replace(/[\\%_]/g, (c) => '\\' + c) + '/%') as {
    id: number;
    rel_path: string;
  }[];
}
