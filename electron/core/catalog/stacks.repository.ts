import type { ApprovalState } from '../../../shared/governance';
import type { StackReason, StackRef, VersionInfo } from '../../../shared/versions';
import type { Db } from './open';
import { stmt } from './statements';
import { APPROVAL_STATE_SQL } from './approval-state.sql';

export interface StackRow {
  id: number;
  current_asset_id: number;
  current_manual: number;
}

export interface MemberRow {
  asset_id: number;
  position: number;
  reason: StackReason;
  name: string;
  ext: string;
}

/** An asset_search row `s` that is a stack member but not its stack's current version is left out. */
export const HIDDEN_ROW_SQL = `NOT EXISTS (SELECT 1 FROM stack_members hm JOIN stacks hs ON hs.id = hm.stack_id
   WHERE hm.asset_id = s.asset_id AND hs.current_asset_id <> hm.asset_id)`;

/** Members that are not their stack's current version: what search hides by default. */
export const HIDDEN_MEMBERS_SQL = `SELECT m.asset_id FROM stack_members m JOIN stacks st ON st.id = m.stack_id
   WHERE m.asset_id <> st.current_asset_id`;

export function stackIdOf(db: Db, assetId: number): number | undefined {
  return stmt(db, `SELECT stack_id FROM stack_members WHERE asset_id = ?`).pluck().get(assetId) as
    number | undefined;
}

export function getStack(db: Db, stackId: number): StackRow | undefined {
  return stmt(db, `SELECT id, current_asset_id, current_manual FROM stacks WHERE id = ?`).get(stackId) as
    StackRow | undefined;
}

/** In stack order, with the name of each member's current file. */
export function stackMembers(db: Db, stackId: number): MemberRow[] {
  return stmt(
    db,
    `SELECT m.asset_id, m.position, m.reason, s.name, s.ext
       FROM stack_members m JOIN asset_search s ON s.asset_id = m.asset_id
      WHERE m.stack_id = ? ORDER BY m.position, m.asset_id`,
  ).all(stackId) as MemberRow[];
}

export function createStack(db: Db, currentAssetId: number, now = Date.now()): number {
  return Number(
    stmt(db, `INSERT INTO stacks (current_asset_id, created_at) VALUES (?, ?)`).run(currentAssetId, now)
      .lastInsertRowid,
  );
}

/** Appended at the end of the stack's order. */
export function addMember(
  db: Db,
  stackId: number,
  assetId: number,
  reason: StackReason,
  now = Date.now(),
): void {
  const next =
    ((stmt(db, `SELECT max(position) FROM stack_members WHERE stack_id = ?`).pluck().get(stackId) as
      number | null) ?? 0) + 1;
  stmt(
    db,
    `INSERT INTO stack_members (asset_id, stack_id, position, reason, added_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (asset_id) DO UPDATE SET stack_id = excluded.stack_id, position = excluded.position`,
  ).run(assetId, stackId, next, reason, now);
}

export function removeMember(db: Db, assetId: number): void {
  stmt(db, `DELETE FROM stack_members WHERE asset_id = ?`).run(assetId);
}

export function deleteStack(db: Db, stackId: number): void {
  stmt(db, `DELETE FROM stacks WHERE id = ?`).run(stackId);
}

export function setStackCurrent(db: Db, stackId: number, assetId: number, manual: boolean): void {
  stmt(db, `UPDATE stacks SET current_asset_id = ?, current_manual = ? WHERE id = ?`).run(
    assetId,
    manual ? 1 : 0,
    stackId,
  );
}

/** Positions 1..n in the given order. */
export function setPositions(db: Db, order: readonly number[]): void {
  const set = stmt(db, `UPDATE stack_members SET position = ? WHERE asset_id = ?`);
  order.forEach((id, i) => set.run(i + 1, id));
}

/** Is any asset hidden from search as a non-current version? (Skips the filter when none is.) */
export function anyHiddenMember(db: Db): boolean {
  return stmt(db, `SELECT EXISTS (${HIDDEN_MEMBERS_SQL})`).pluck().get() === 1;
}

export function stackRefs(db: Db, assetIds: readonly number[]): Map<number, StackRef> {
  const rows = stmt(
    db,
    `SELECT m.asset_id, m.stack_id, m.position, st.current_asset_id,
            (SELECT count(*) FROM stack_members x WHERE x.stack_id = m.stack_id) AS size
       FROM stack_members m JOIN stacks st ON st.id = m.stack_id
      WHERE m.asset_id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(assetIds)) as {
    asset_id: number;
    stack_id: number;
    position: number;
    current_asset_id: number;
    size: number;
  }[];
  // Positions are shown 1..n even when a member left a gap behind.
  const ranks = new Map<number, Map<number, number>>();
  const rankIn = (stackId: number): Map<number, number> => {
    let r = ranks.get(stackId);
    if (!r) {
      r = new Map(stackMembers(db, stackId).map((m, i) => [m.asset_id, i + 1]));
      ranks.set(stackId, r);
    }
    return r;
  };
  return new Map(
    rows.map((r) => [
      r.asset_id,
      {
        id: r.stack_id,
        size: r.size,
        current: r.current_asset_id === r.asset_id,
        position: rankIn(r.stack_id).get(r.asset_id) ?? r.position,
      },
    ]),
  );
}

interface VersionRow {
  asset_id: number;
  reason: StackReason;
  name: string;
  root_path: string;
  rel_path: string;
  size: number;
  mtime_ms: number;
  capture_date: string | null;
  approval: ApprovalState;
  content_hash: string | null;
}

const VERSION_SELECT = `
  SELECT s.asset_id, coalesce(m.reason, 'manual') AS reason, f.name, r.path AS root_path, f.rel_path, f.size,
         f.mtime_ms, md.capture_date, ${APPROVAL_STATE_SQL} AS approval, f.content_hash
    FROM asset_search s
    JOIN files f ON f.id = s.file_id
    JOIN roots r ON r.id = f.root_id
    LEFT JOIN file_metadata md ON md.file_id = f.id
    LEFT JOIN stack_members m ON m.asset_id = s.asset_id`;

/** Rows for VersionInfo: a stack's members in order, or the one asset when stackId is null. */
export function versionRows(db: Db, stackId: number | null, assetId: number): VersionRow[] {
  if (stackId == null) return stmt(db, `${VERSION_SELECT} WHERE s.asset_id = ?`).all(assetId) as VersionRow[];
  return stmt(db, `${VERSION_SELECT} WHERE m.stack_id = ? ORDER BY m.position, m.asset_id`).all(
    stackId,
  ) as VersionRow[];
}

export function toVersionInfo(
  r: VersionRow,
  position: number,
  currentId: number,
  join: (root: string, rel: string) => string,
): VersionInfo {
  return {
    assetId: r.asset_id,
    position,
    current: r.asset_id === currentId,
    reason: r.reason,
    name: r.name,
    path: join(r.root_path, r.rel_path),
    size: r.size,
    mtime: new Date(r.mtime_ms).toISOString(),
    captureDate: r.capture_date,
    approval: r.approval,
    contentHash: r.content_hash,
  };
}

// ---- the stack part of an asset's history ----------------------------------------------------

export interface StackLogEntry {
  assetId: number;
  stackId: number | null;
  event: 'stacked' | 'unstacked' | 'current';
  detail: string;
  actor: string;
  machine: string;
  at: number;
}

export function appendStackLog(db: Db, e: StackLogEntry): void {
  stmt(
    db,
    `INSERT INTO stack_log (asset_id, stack_id, event, detail, actor, machine, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(e.assetId, e.stackId, e.event, e.detail, e.actor, e.machine, e.at);
}

export function listStackLog(
  db: Db,
  assetId: number,
): { at: number; actor: string; machine: string; event: StackLogEntry['event']; detail: string | null }[] {
  return stmt(
    db,
    `SELECT at, actor, machine, event, detail FROM stack_log WHERE asset_id = ? ORDER BY at, id`,
  ).all(assetId) as never;
}
