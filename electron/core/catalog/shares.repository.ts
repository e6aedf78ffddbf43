import type { Channel } from '../../../shared/governance';
import type { DownloadLevel, ShareEventKind } from '../../../shared/sharing';
import type { Db } from './open';
import { stmt } from './statements';

export interface ShareRow {
  id: number;
  token_hash: string;
  kind: 'collection' | 'selection';
  collection_id: number | null;
  label: string;
  created_by: string;
  created_at: number;
  expires_at: number | null;
  password_hash: string | null;
  download: DownloadLevel;
  preset: string;
  watermark: string | null;
  channel: Channel;
  revoked_at: number | null;
}

export type NewShare = Omit<ShareRow, 'id' | 'revoked_at'>;

export function insertShare(db: Db, s: NewShare, assetIds: readonly number[]): number {
  const id = Number(
    stmt(
      db,
      `INSERT INTO shares (token_hash, kind, collection_id, label, created_by, created_at, expires_at,
                           password_hash, download, preset, watermark, channel)
       VALUES (@token_hash, @kind, @collection_id, @label, @created_by, @created_at, @expires_at,
               @password_hash, @download, @preset, @watermark, @channel)`,
    ).run(s).lastInsertRowid,
  );
  const add = stmt(db, `INSERT OR IGNORE INTO share_assets (share_id, asset_id, position) VALUES (?, ?, ?)`);
  assetIds.forEach((a, i) => add.run(id, a, i));
  return id;
}

export function shareById(db: Db, id: number): ShareRow | undefined {
  return stmt(db, `SELECT * FROM shares WHERE id = ?`).get(id) as ShareRow | undefined;
}

export function shareByTokenHash(db: Db, hash: string): ShareRow | undefined {
  return stmt(db, `SELECT * FROM shares WHERE token_hash = ?`).get(hash) as ShareRow | undefined;
}

export function allShares(db: Db): ShareRow[] {
  return stmt(db, `SELECT * FROM shares ORDER BY id`).all() as ShareRow[];
}

export function revokeShare(db: Db, id: number, at: number): void {
  stmt(db, `UPDATE shares SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`).run(at, id);
}

/** A frozen selection's assets, in the order they were shared (those since removed from the catalogue are gone). */
export function selectionAssets(db: Db, shareId: number): number[] {
  return stmt(db, `SELECT asset_id FROM share_assets WHERE share_id = ? ORDER BY position`)
    .pluck()
    .all(shareId) as number[];
}

export function selectionSize(db: Db, shareId: number): number {
  return stmt(db, `SELECT count(*) FROM share_assets WHERE share_id = ?`).pluck().get(shareId) as number;
}

export function recordShareEvent(
  db: Db,
  shareId: number,
  kind: ShareEventKind,
  assetId: number | null,
  at: number,
): void {
  stmt(db, `INSERT INTO share_events (share_id, kind, asset_id, at) VALUES (?, ?, ?, ?)`).run(
    shareId,
    kind,
    assetId,
    at,
  );
}

export function shareEventCounts(db: Db, shareId: number): Record<ShareEventKind, number> {
  const rows = stmt(db, `SELECT kind, count(*) AS n FROM share_events WHERE share_id = ? GROUP BY kind`).all(
    shareId,
  ) as { kind: ShareEventKind; n: number }[];
  const out: Record<ShareEventKind, number> = { visit: 0, download: 0 };
  for (const r of rows) out[r.kind] = r.n;
  return out;
}

/** What identifies an asset's current content (file, hash, modification time): a cache key. */
export function assetContentKey(db: Db, assetId: number): string {
  const r = stmt(
    db,
    `SELECT f.id, f.content_hash, f.mtime_ms FROM asset_search s JOIN files f ON f.id = s.file_id WHERE s.asset_id = ?`,
  ).get(assetId) as { id: number; content_hash: string | null; mtime_ms: number } | undefined;
  return r ? `${r.id}:${r.content_hash ?? ''}:${r.mtime_ms}` : '';
}
