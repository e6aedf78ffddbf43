import type { Root, RootKind, RootState } from '../../../shared/model';
import type { Db } from './open';

interface RootRow {
  id: number;
  path: string;
  name: string;
  kind: RootKind;
  kind_forced: number;
  fs_type: string | null;
  poll_interval_ms: number;
  dev: number | null;
  state: RootState;
  state_reason: string | null;
  last_scan_at: number | null;
  asset_count?: number;
}

export interface RootRecord extends Root {
  dev: number | null;
}

function toRoot(r: RootRow): RootRecord {
  return {
    id: r.id,
    path: r.path,
    name: r.name,
    kind: r.kind,
    kindForced: r.kind_forced === 1,
    fsType: r.fs_type,
    pollIntervalMs: r.poll_interval_ms,
    state: r.state,
    stateReason: r.state_reason,
    lastScanAt: r.last_scan_at ? new Date(r.last_scan_at).toISOString() : null,
    assetCount: r.asset_count ?? 0,
    dev: r.dev,
  };
}

export function insertRoot(
  db: Db,
  r: {
    path: string;
    name: string;
    kind: RootKind;
    kindForced: boolean;
    fsType: string | null;
    dev: number | null;
    pollIntervalMs: number;
  },
): RootRecord {
  const id = db
    .prepare(
      `INSERT INTO roots (path, name, kind, kind_forced, fs_type, dev, poll_interval_ms, added_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      r.path,
      r.name,
      r.kind,
      r.kindForced ? 1 : 0,
      r.fsType,
      r.dev,
      r.pollIntervalMs,
      Date.now(),
    ).lastInsertRowid;
  return getRoot(db, Number(id))!;
}

const SELECT_ROOTS = `SELECT r.*, (SELECT count(*) FROM files f WHERE f.root_id = r.id) AS asset_count FROM roots r`;

export function listRoots(db: Db): RootRecord[] {
  return (db.prepare(`${SELECT_ROOTS} ORDER BY r.name COLLATE NOCASE, r.id`).all() as RootRow[]).map(toRoot);
}

export function getRoot(db: Db, id: number): RootRecord | undefined {
  const row = db.prepare(`${SELECT_ROOTS} WHERE r.id = ?`).get(id) as RootRow | undefined;
  return row && toRoot(row);
}

export function findRootByPath(db: Db, p: string): RootRecord | undefined {
  const row = db.prepare(`${SELECT_ROOTS} WHERE r.path = ?`).get(p) as RootRow | undefined;
  return row && toRoot(row);
}

export function setRootState(db: Db, id: number, state: RootState, reason: string | null): void {
  db.prepare(`UPDATE roots SET state = ?, state_reason = ? WHERE id = ?`).run(state, reason, id);
}

export function setRootDev(db: Db, id: number, dev: number | null): void {
  db.prepare(`UPDATE roots SET dev = ? WHERE id = ?`).run(dev, id);
}

export function recordScan(db: Db, id: number, summaryJson: string): void {
  db.prepare(`UPDATE roots SET last_scan_at = ?, last_scan_json = ? WHERE id = ?`).run(
    Date.now(),
    summaryJson,
    id,
  );
}

export function deleteRoot(db: Db, id: number): void {
  db.transaction(() => {
    // Assets whose only files live in this root go with it; the cascade removes the files.
    const only = `SELECT asset_id FROM files WHERE root_id = ?
         AND NOT EXISTS (SELECT 1 FROM files f2 WHERE f2.asset_id = files.asset_id AND f2.root_id <> ?)`;
    db.prepare(
      `DELETE FROM asset_fts WHERE rowid IN (SELECT sort_key FROM asset_search WHERE asset_id IN (${only}))`,
    ).run(id, id);
    db.prepare(`DELETE FROM assets WHERE id IN (${only})`).run(id, id);
    db.prepare(`DELETE FROM roots WHERE id = ?`).run(id);
  })();
}
