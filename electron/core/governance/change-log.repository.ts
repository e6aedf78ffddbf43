import type { HistoryEntry } from '../../../shared/governance';
import type { Db } from '../catalog/open';
import { stmt } from '../catalog/statements';
import { clockText, parseClock, type Stamp } from './stamps';
import { listStackLog } from '../catalog/stacks.repository';

export type ChangeSource = 'local' | 'sidecar' | 'merge-conflict';

/** A value that lost to a concurrent edit of the same field: kept in every catalogue's history. */
export interface ConflictRecord {
  /** The lost edit's identity (field, origin, clock): the same on every machine that sees it. */
  id: string;
  field: string;
  lost: unknown;
  kept: unknown;
  at: number;
  actor: string;
  machine: string;
}

export function appendChange(
  db: Db,
  c: {
    assetId: number;
    field: string;
    oldValue: unknown;
    newValue: unknown;
    actor: string;
    machine: string;
    at: number;
    source: ChangeSource;
    ref?: string;
  },
): boolean {
  return (
    stmt(
      db,
      `INSERT OR IGNORE INTO change_log (asset_id, field, old_value, new_value, actor, machine, at, source, ref)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      c.assetId,
      c.field,
      JSON.stringify(c.oldValue ?? null),
      JSON.stringify(c.newValue ?? null),
      c.actor,
      c.machine,
      c.at,
      c.source,
      c.ref ?? null,
    ).changes > 0
  );
}

function parseJson(s: string | null): unknown {
  if (s == null) return null;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
}

export function recordConflict(db: Db, assetId: number, c: ConflictRecord): boolean {
  return appendChange(db, {
    assetId,
    field: c.field,
    oldValue: c.lost,
    newValue: c.kept,
    actor: c.actor,
    machine: c.machine,
    at: c.at,
    source: 'merge-conflict',
    ref: c.id,
  });
}

export function listConflicts(db: Db, assetId: number): ConflictRecord[] {
  const rows = stmt(
    db,
    `SELECT ref, field, old_value, new_value, at, actor, machine FROM change_log
      WHERE asset_id = ? AND source = 'merge-conflict' AND ref IS NOT NULL ORDER BY at, id`,
  ).all(assetId) as {
    ref: string;
    field: string;
    old_value: string | null;
    new_value: string | null;
    at: number;
    actor: string;
    machine: string;
  }[];
  return rows.map((r) => ({
    id: r.ref,
    field: r.field,
    lost: parseJson(r.old_value),
    kept: parseJson(r.new_value),
    at: r.at,
    actor: r.actor,
    machine: r.machine,
  }));
}

export function readStamps(db: Db, assetId: number): Map<string, Stamp> {
  const rows = stmt(
    db,
    `SELECT field, clock, at, origin, actor, machine FROM field_stamps WHERE asset_id = ?`,
  ).all(assetId) as {
    field: string;
    clock: string;
    at: number;
    origin: string;
    actor: string;
    machine: string;
  }[];
  return new Map(
    rows.map((r) => [
      r.field,
      { clock: parseClock(r.clock) ?? {}, at: r.at, origin: r.origin, actor: r.actor, machine: r.machine },
    ]),
  );
}

export function writeStamp(db: Db, assetId: number, field: string, s: Stamp): void {
  stmt(
    db,
    `INSERT OR REPLACE INTO field_stamps (asset_id, field, clock, at, origin, actor, machine) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(assetId, field, clockText(s.clock), s.at, s.origin, s.actor, s.machine);
}

/** Approval transitions, field changes and version-stack changes of one asset, oldest first. */
export function assetChangeLog(db: Db, assetId: number): HistoryEntry[] {
  const approvals = stmt(
    db,
    `SELECT at, actor, machine, from_state, to_state, comment FROM approval_log WHERE asset_id = ? ORDER BY at, id`,
  ).all(assetId) as {
    at: number;
    actor: string;
    machine: string;
    from_state: string;
    to_state: string;
    comment: string | null;
  }[];
  const changes = stmt(
    db,
    `SELECT at, actor, machine, field, old_value, new_value, source FROM change_log WHERE asset_id = ? ORDER BY at, id`,
  ).all(assetId) as {
    at: number;
    actor: string;
    machine: string;
    field: string;
    old_value: string | null;
    new_value: string | null;
    source: ChangeSource;
  }[];
  const entries: (HistoryEntry & { t: number })[] = [
    ...approvals.map((a) => ({
      t: a.at,
      kind: 'approval' as const,
      at: new Date(a.at).toISOString(),
      actor: a.actor,
      machine: a.machine,
      from: a.from_state as never,
      to: a.to_state as never,
      comment: a.comment,
    })),
    ...changes.map((c) => ({
      t: c.at,
      kind: 'change' as const,
      at: new Date(c.at).toISOString(),
      actor: c.actor,
      machine: c.machine,
      field: c.field,
      oldValue: parseJson(c.old_value),
      newValue: parseJson(c.new_value),
      source: c.source,
    })),
    ...listStackLog(db, assetId).map((e) => ({
      t: e.at,
      kind: 'content' as const,
      at: new Date(e.at).toISOString(),
      actor: e.actor,
      machine: e.machine,
      event: e.event,
      hash: null,
      size: null,
      detail: e.detail,
    })),
  ];
  // Stable: entries at the same instant keep approval, change, stack order.
  return entries.sort((a, b) => a.t - b.t).map(({ t: _t, ...e }) => e);
}
