import type { HistoryEntry } from '../../../shared/governance';
import type { Db } from './open';
import { stmt } from './statements';

export interface UploadLinkRow {
  id: number;
  token_hash: string;
  root_id: number;
  folder: string;
  created_by: string;
  created_at: number;
  expires_at: number | null;
  max_size: number;
  revoked_at: number | null;
}

export interface UploadRow {
  id: number;
  key: string;
  link_id: number;
  name: string;
  size: number;
  uploader: string;
  note: string | null;
  created_at: number;
  completed_at: number | null;
  root_id: number | null;
  rel_path: string | null;
  asset_id: number | null;
}

export function insertUploadLink(db: Db, l: Omit<UploadLinkRow, 'id' | 'revoked_at'>): number {
  return Number(
    stmt(
      db,
      `INSERT INTO upload_links (token_hash, root_id, folder, created_by, created_at, expires_at, max_size)
       VALUES (@token_hash, @root_id, @folder, @created_by, @created_at, @expires_at, @max_size)`,
    ).run(l).lastInsertRowid,
  );
}

export function uploadLinkById(db: Db, id: number): UploadLinkRow | undefined {
  return stmt(db, `SELECT * FROM upload_links WHERE id = ?`).get(id) as UploadLinkRow | undefined;
}

export function uploadLinkByTokenHash(db: Db, hash: string): UploadLinkRow | undefined {
  return stmt(db, `SELECT * FROM upload_links WHERE token_hash = ?`).get(hash) as UploadLinkRow | undefined;
}

export function allUploadLinks(db: Db): UploadLinkRow[] {
  return stmt(db, `SELECT * FROM upload_links ORDER BY id`).all() as UploadLinkRow[];
}

export function revokeUploadLink(db: Db, id: number, at: number): void {
  stmt(db, `UPDATE upload_links SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`).run(at, id);
}

export function completedUploadCount(db: Db, linkId: number): number {
  return stmt(db, `SELECT count(*) FROM uploads WHERE link_id = ? AND completed_at IS NOT NULL`)
    .pluck()
    .get(linkId) as number;
}

export function insertUpload(
  db: Db,
  u: Pick<UploadRow, 'key' | 'link_id' | 'name' | 'size' | 'uploader' | 'note' | 'created_at'>,
): number {
  return Number(
    stmt(
      db,
      `INSERT INTO uploads (key, link_id, name, size, uploader, note, created_at)
       VALUES (@key, @link_id, @name, @size, @uploader, @note, @created_at)`,
    ).run(u).lastInsertRowid,
  );
}

export function uploadByKey(db: Db, key: string): UploadRow | undefined {
  return stmt(db, `SELECT * FROM uploads WHERE key = ?`).get(key) as UploadRow | undefined;
}

export function markUploadLanded(db: Db, id: number, rootId: number, relPath: string, at: number): void {
  stmt(db, `UPDATE uploads SET completed_at = ?, root_id = ?, rel_path = ? WHERE id = ?`).run(
    at,
    rootId,
    relPath,
    id,
  );
}

export function setUploadAsset(db: Db, id: number, assetId: number): void {
  stmt(db, `UPDATE uploads SET asset_id = ? WHERE id = ?`).run(assetId, id);
}

/** Uploads begun and never finished before `before` (their part files may be removed). */
export function staleUploads(db: Db, before: number): UploadRow[] {
  return stmt(db, `SELECT * FROM uploads WHERE completed_at IS NULL AND created_at < ?`).all(
    before,
  ) as UploadRow[];
}

export function deleteUpload(db: Db, id: number): void {
  stmt(db, `DELETE FROM uploads WHERE id = ?`).run(id);
}

/**
 * The uploads that brought an asset's file in: by the asset once ingest has named it, else by
 * where the file landed (its file row carries the asset).
 */
export function uploadsOfAsset(db: Db, assetId: number): UploadRow[] {
  return stmt(
    db,
    `SELECT u.* FROM uploads u WHERE u.asset_id = ?
     UNION
     SELECT u.* FROM uploads u JOIN files f ON f.root_id = u.root_id AND f.rel_path = u.rel_path
      WHERE u.asset_id IS NULL AND f.asset_id = ?
     ORDER BY created_at`,
  ).all(assetId, assetId) as UploadRow[];
}

/** The timeline's entries for the uploads that brought an asset's file in. */
export function uploadEntries(db: Db, assetId: number): (HistoryEntry & { kind: 'content' })[] {
  return uploadsOfAsset(db, assetId).map((u) => ({
    kind: 'content',
    at: new Date(u.completed_at ?? u.created_at).toISOString(),
    actor: u.uploader,
    machine: 'upload portal',
    event: 'uploaded',
    hash: null,
    size: u.size,
    detail: `uploaded by ${u.uploader}${u.note ? `: ${u.note}` : ''}`,
  }));
}
