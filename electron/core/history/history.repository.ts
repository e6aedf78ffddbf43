import type { HistoryEntry } from '../../../shared/governance';
import { HISTORY_SCOPES, type ContentSnapshot, type HistoryScope } from '../../../shared/versions';
import type { Db } from '../catalog/open';
import { stmt } from '../catalog/statements';
import { invalidInput } from '../errors';
import { JOB_KINDS } from '../catalog/job-kinds';

export type SnapshotReason = ContentSnapshot['reason'];
export type SnapshotState = 'pending' | 'stored' | 'evicted' | 'missed';

// ---- settings ---------------------------------------------------------------------------------

export const DEFAULT_LIMIT_MB = 10_240;

export interface HistorySettings {
  limitMb: number;
  scope: HistoryScope;
}

function setting(db: Db, key: string): string | undefined {
  return stmt(db, `SELECT value FROM settings WHERE key = ?`).pluck().get(key) as string | undefined;
}

function putSetting(db: Db, key: string, value: string): void {
  stmt(db, `INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)`).run(key, value);
}

/** Read on every use, not cached: the desktop app and a dam command may share one catalogue. */
export function historyScope(db: Db): HistoryScope {
  const v = setting(db, 'history-scope');
  return (HISTORY_SCOPES as readonly string[]).includes(v ?? '') ? (v as HistoryScope) : 'governed';
}

export function readHistorySettings(db: Db): HistorySettings {
  const mb = Number(setting(db, 'history-limit-mb'));
  return { limitMb: Number.isFinite(mb) && mb > 0 ? mb : DEFAULT_LIMIT_MB, scope: historyScope(db) };
}

/** The contract bounds the limit for clients (100 MB and up); below that only tests set it, here. */
export function writeHistorySettings(db: Db, patch: Partial<HistorySettings>): HistorySettings {
  if (patch.limitMb !== undefined) {
    if (!Number.isFinite(patch.limitMb) || patch.limitMb <= 0)
      throw invalidInput('the content history limit is a number of megabytes above 0');
    putSetting(db, 'history-limit-mb', String(patch.limitMb));
  }
  if (patch.scope !== undefined) {
    if (!(HISTORY_SCOPES as readonly string[]).includes(patch.scope))
      throw invalidInput(`the content history scope is governed, all or off (got "${String(patch.scope)}")`);
    putSetting(db, 'history-scope', patch.scope);
  }
  return readHistorySettings(db);
}

/** Whether the near-the-limit warning was already given for the present crossing of 90 %. */
export function nearLimitWarned(db: Db): boolean {
  return setting(db, 'history-near-limit-warned') === '1';
}

export function setNearLimitWarned(db: Db, warned: boolean): void {
  putSetting(db, 'history-near-limit-warned', warned ? '1' : '0');
}

// ---- blobs ------------------------------------------------------------------------------------

export interface BlobRow {
  hash: string;
  size: number;
  last_used: number;
}

export function getBlob(db: Db, hash: string): BlobRow | undefined {
  return stmt(db, `SELECT hash, size, last_used FROM history_blobs WHERE hash = ?`).get(hash) as
    BlobRow | undefined;
}

export function insertBlob(db: Db, hash: string, size: number, now = Date.now()): void {
  stmt(
    db,
    `INSERT INTO history_blobs (hash, size, stored_at, last_used) VALUES (?, ?, ?, ?)
     ON CONFLICT (hash) DO UPDATE SET last_used = excluded.last_used`,
  ).run(hash, size, now, now);
}

export function touchBlob(db: Db, hash: string, now = Date.now()): void {
  stmt(db, `UPDATE history_blobs SET last_used = max(last_used, ?) WHERE hash = ?`).run(now, hash);
}

export function storeUsage(db: Db): { bytes: number; blobs: number } {
  const r = stmt(
    db,
    `SELECT coalesce(sum(size), 0) AS bytes, count(*) AS blobs FROM history_blobs`,
  ).get() as {
    bytes: number;
    blobs: number;
  };
  return r;
}

/**
 * Blobs that may go to make room, least recently used first: never a file's current content (that
 * is what a restore would keep first), nor the hashes the caller is working with. Blobs no snapshot
 * refers to any more (their assets left the catalogue) are nobody's history: they go before all.
 */
export function evictionCandidates(db: Db, protect: readonly string[], limit = 200): BlobRow[] {
  return stmt(
    db,
    `SELECT b.hash, b.size, b.last_used FROM history_blobs b
      WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.content_hash = b.hash)
        AND b.hash NOT IN (SELECT value FROM json_each(?))
      ORDER BY EXISTS (SELECT 1 FROM content_snapshots c WHERE c.hash = b.hash), b.last_used, b.hash LIMIT ?`,
  ).all(JSON.stringify(protect), limit) as BlobRow[];
}

/** The record of every snapshot of these bytes stays; only the bytes are gone. */
export function forgetBlob(db: Db, hash: string): void {
  stmt(db, `DELETE FROM history_blobs WHERE hash = ?`).run(hash);
  stmt(db, `UPDATE content_snapshots SET state = 'evicted' WHERE hash = ? AND state = 'stored'`).run(hash);
}

// ---- snapshots --------------------------------------------------------------------------------

export interface SnapshotRow {
  id: number;
  asset_id: number;
  file_id: number | null;
  hash: string;
  size: number;
  format: string;
  at: number;
  actor: string;
  machine: string;
  reason: SnapshotReason;
  state: SnapshotState;
}

const SNAPSHOT_COLUMNS = `id, asset_id, file_id, hash, size, format, at, actor, machine, reason, state`;

/**
 * Owe a copy of this content. A content seen before keeps its first sighting; one whose bytes were
 * evicted or missed is owed again (it is a file's content again).
 */
export function wantSnapshot(db: Db, s: Omit<SnapshotRow, 'id' | 'state'>): SnapshotState {
  stmt(
    db,
    `INSERT INTO content_snapshots (asset_id, file_id, hash, size, format, at, actor, machine, reason, state)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')
     ON CONFLICT (asset_id, hash) DO UPDATE SET
       state = CASE WHEN state IN ('evicted', 'missed') THEN 'pending' ELSE state END,
       file_id = excluded.file_id, format = excluded.format`,
  ).run(s.asset_id, s.file_id, s.hash, s.size, s.format, s.at, s.actor, s.machine, s.reason);
  return getSnapshot(db, s.asset_id, s.hash)!.state;
}

export function getSnapshot(db: Db, assetId: number, hash: string): SnapshotRow | undefined {
  return stmt(db, `SELECT ${SNAPSHOT_COLUMNS} FROM content_snapshots WHERE asset_id = ? AND hash = ?`).get(
    assetId,
    hash,
  ) as SnapshotRow | undefined;
}

export function pendingSnapshotsOfFile(db: Db, fileId: number): SnapshotRow[] {
  return stmt(
    db,
    `SELECT ${SNAPSHOT_COLUMNS} FROM content_snapshots WHERE file_id = ? AND state = 'pending' ORDER BY id`,
  ).all(fileId) as SnapshotRow[];
}

export function setSnapshotState(db: Db, id: number, state: SnapshotState): void {
  stmt(db, `UPDATE content_snapshots SET state = ? WHERE id = ?`).run(state, id);
}

/** Every snapshot of these bytes, whichever asset: deduplicated, they share one blob. */
export function markStoredEverywhere(db: Db, hash: string): void {
  stmt(db, `UPDATE content_snapshots SET state = 'stored' WHERE hash = ? AND state <> 'stored'`).run(hash);
}

/** Newest first, as the contract orders them; current = the content the asset's file has now. */
export function listSnapshots(db: Db, assetId: number): ContentSnapshot[] {
  const rows = stmt(
    db,
    `SELECT c.hash, c.size, c.at, c.actor, c.machine, c.reason, c.state,
            (c.hash = (SELECT f.content_hash FROM asset_search s JOIN files f ON f.id = s.file_id
                        WHERE s.asset_id = c.asset_id)) AS current
       FROM content_snapshots c WHERE c.asset_id = ? ORDER BY c.at DESC, c.id DESC`,
  ).all(assetId) as (Omit<ContentSnapshot, 'at' | 'current' | 'stored'> & {
    at: number;
    state: SnapshotState;
    current: number | null;
  })[];
  return rows.map(({ state, ...r }) => ({
    ...r,
    at: new Date(r.at).toISOString(),
    current: r.current === 1,
    stored: state === 'stored',
  }));
}

// ---- governed assets --------------------------------------------------------------------------

export function markGoverned(db: Db, assetId: number, now = Date.now()): void {
  stmt(db, `INSERT OR IGNORE INTO history_governed (asset_id, since) VALUES (?, ?)`).run(assetId, now);
}

/** A snapshot job for every governed asset whose current content the store lacks. */
export function owePresentOfGoverned(db: Db, now = Date.now()): number {
  return stmt(
    db,
    `INSERT OR IGNORE INTO jobs (kind, subject_type, subject, priority, state, attempts, run_after, created_at)
     SELECT 'snapshot', 'file', s.file_id, ${JOB_KINDS.snapshot.priority}, 'queued', 0, 0, ? FROM history_governed g
       JOIN asset_search s ON s.asset_id = g.asset_id JOIN files f ON f.id = s.file_id
      WHERE f.content_hash IS NULL OR NOT EXISTS (SELECT 1 FROM history_blobs b WHERE b.hash = f.content_hash)`,
  ).run(now).changes;
}

export function isGoverned(db: Db, assetId: number): boolean {
  return stmt(db, `SELECT 1 FROM history_governed WHERE asset_id = ?`).pluck().get(assetId) !== undefined;
}

// ---- the content log --------------------------------------------------------------------------

export interface ContentEvent {
  assetId: number;
  fileId: number | null;
  event: 'changed' | 'restored';
  hash: string | null;
  size: number | null;
  oldHash: string | null;
  oldSize: number | null;
  actor: string;
  machine: string;
  at: number;
  detail: string | null;
}

export function appendContentLog(db: Db, e: ContentEvent): void {
  stmt(
    db,
    `INSERT INTO content_log (asset_id, file_id, event, hash, size, old_hash, old_size, actor, machine, at, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    e.assetId,
    e.fileId,
    e.event,
    e.hash,
    e.size,
    e.oldHash,
    e.oldSize,
    e.actor,
    e.machine,
    e.at,
    e.detail,
  );
}

export function lastContentEvent(
  db: Db,
  assetId: number,
): { event: string; hash: string | null } | undefined {
  return stmt(
    db,
    `SELECT event, hash FROM content_log WHERE asset_id = ? ORDER BY at DESC, id DESC LIMIT 1`,
  ).get(assetId) as { event: string; hash: string | null } | undefined;
}

/** The asset's content events as history entries, oldest first (with their time, for merging). */
export function contentEntries(db: Db, assetId: number): (HistoryEntry & { kind: 'content' })[] {
  const rows = stmt(
    db,
    `SELECT at, actor, machine, event, hash, size, detail FROM content_log WHERE asset_id = ? ORDER BY at, id`,
  ).all(assetId) as {
    at: number;
    actor: string;
    machine: string;
    event: 'changed' | 'restored' | 'stacked' | 'unstacked' | 'current';
    hash: string | null;
    size: number | null;
    detail: string | null;
  }[];
  return rows.map((r) => ({
    kind: 'content' as const,
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    machine: r.machine,
    event: r.event,
    hash: r.hash,
    size: r.size,
    detail: r.detail,
  }));
}

/** A size from what the history knows of a content (the file row holds only the newest size). */
export function knownSize(db: Db, hash: string): number | null {
  return (
    (stmt(
      db,
      `SELECT size FROM content_snapshots WHERE hash = ? UNION ALL SELECT size FROM history_blobs WHERE hash = ? LIMIT 1`,
    )
      .pluck()
      .get(hash, hash) as number | undefined) ?? null
  );
}
