// Changing stacks inside the caller's transaction: merging, leaving, choosing the current version.
// Shared by automatic grouping (ingest) and the user's operations, so both keep the same history.
import type { StackReason } from '../../../shared/versions';
import type { Db } from '../catalog/open';
import {
  addMember,
  appendStackLog,
  createStack,
  deleteStack,
  getStack,
  removeMember,
  setPositions,
  setStackCurrent,
  stackIdOf,
  stackMembers,
  type MemberRow,
} from '../catalog/stacks.repository';
import type { Actor } from '../governance/settings';
import { compareTuples, finality, isJpeg, isRaw, parseVersionName } from '../../../shared/version-names';

/** The stack's current version moved from one asset to another (from is null for a new stack). */
export interface CurrentChange {
  stackId: number;
  from: number | null;
  to: number;
}

export interface StackEdit {
  db: Db;
  who: Actor;
  at: number;
}

function log(
  e: StackEdit,
  assetId: number,
  stackId: number | null,
  event: 'stacked' | 'unstacked' | 'current',
  detail: string,
): void {
  appendStackLog(e.db, {
    assetId,
    stackId,
    event,
    detail,
    actor: e.who.user,
    machine: e.who.machine,
    at: e.at,
  });
}

/** The default current version: the most final-looking member (see names.ts finality). */
export function defaultCurrent(members: readonly Pick<MemberRow, 'asset_id' | 'name'>[]): number {
  let best = members[0]!;
  for (const m of members.slice(1))
    if (compareTuples(finality(m.name, m.asset_id), finality(best.name, best.asset_id)) > 0) best = m;
  return best.asset_id;
}

/**
 * Gather assets (and every stack they are in) into one stack: the oldest of those stacks, or a new
 * one. Members of merged stacks keep their order and reasons; assets new to a stack are appended
 * with `reason`. Returns the stack and the assets newly stacked.
 */
export function gather(
  e: StackEdit,
  entries: readonly { assetId: number; reason: StackReason }[],
  /** For a new stack: which member stood as the picture before (current without a recorded change). */
  initialCurrent: (members: MemberRow[]) => number,
): { stackId: number; added: number[]; merged: number[]; created: boolean } {
  const stacks = [
    ...new Set(entries.map((x) => stackIdOf(e.db, x.assetId)).filter((s): s is number => s != null)),
  ].sort((a, b) => a - b);
  const first = entries[0]!.assetId;
  const created = stacks.length === 0;
  const stackId = stacks[0] ?? createStack(e.db, first, e.at);
  const merged: number[] = [];
  for (const other of stacks.slice(1)) {
    // Kept in their order, after the target's members; the target's current and manual choice stand.
    for (const m of stackMembers(e.db, other)) {
      addMember(e.db, stackId, m.asset_id, m.reason, e.at);
      merged.push(m.asset_id);
      log(e, m.asset_id, stackId, 'stacked', `stack ${other} merged into stack ${stackId}`);
    }
    deleteStack(e.db, other);
  }
  const added: number[] = [];
  // Oldest first: the order of assets new to the stack is the order they were catalogued in.
  for (const x of [...entries].sort((a, b) => a.assetId - b.assetId)) {
    if (stackIdOf(e.db, x.assetId) === stackId) continue;
    addMember(e.db, stackId, x.assetId, x.reason, e.at);
    added.push(x.assetId);
  }
  if (added.length) {
    const names = stackMembers(e.db, stackId);
    const nameOf = new Map(names.map((m) => [m.asset_id, m.name]));
    for (const id of added) {
      const others = names.filter((m) => m.asset_id !== id).map((m) => m.name);
      const reason = entries.find((x) => x.assetId === id)!.reason;
      log(
        e,
        id,
        stackId,
        'stacked',
        `${nameOf.get(id)} stacked with ${others.join(', ')} (${reason}, stack ${stackId})`,
      );
    }
  }
  if (created) setStackCurrent(e.db, stackId, initialCurrent(stackMembers(e.db, stackId)), false);
  return { stackId, added, merged, created };
}

/** Make an asset the stack's current version; records it when it changes. */
export function makeCurrent(
  e: StackEdit,
  stackId: number,
  assetId: number,
  manual: boolean,
): CurrentChange | null {
  const st = getStack(e.db, stackId)!;
  setStackCurrent(e.db, stackId, assetId, manual);
  if (st.current_asset_id === assetId) return null;
  const members = stackMembers(e.db, stackId);
  const name = (id: number) => members.find((m) => m.asset_id === id)?.name ?? `asset ${id}`;
  log(
    e,
    assetId,
    stackId,
    'current',
    `${name(assetId)} became the current version of stack ${stackId}${
      members.some((m) => m.asset_id === st.current_asset_id) ? ` (was ${name(st.current_asset_id)})` : ''
    }${manual ? ', chosen by hand' : ''}`,
  );
  return { stackId, from: st.current_asset_id, to: assetId };
}

/**
 * Take an asset out of its stack. A stack left with one version dissolves; one that lost its current
 * version takes the default one. Returns the change of current, if any.
 */
export function leave(
  e: StackEdit,
  assetId: number,
): { stackId: number; change: CurrentChange | null } | null {
  const stackId = stackIdOf(e.db, assetId);
  if (stackId == null) return null;
  const st = getStack(e.db, stackId)!;
  removeMember(e.db, assetId);
  log(e, assetId, stackId, 'unstacked', `taken out of stack ${stackId}`);
  const rest = stackMembers(e.db, stackId);
  if (rest.length <= 1) {
    for (const m of rest) {
      removeMember(e.db, m.asset_id);
      log(e, m.asset_id, stackId, 'unstacked', `stack ${stackId} dissolved: it held only this version`);
    }
    deleteStack(e.db, stackId);
    return { stackId, change: null };
  }
  setPositions(
    e.db,
    rest.map((m) => m.asset_id),
  );
  if (st.current_asset_id !== assetId) return { stackId, change: null };
  const next = defaultCurrent(rest);
  // The removed asset is no member any more: record the move as a plain change of current.
  setStackCurrent(e.db, stackId, next, false);
  log(
    e,
    next,
    stackId,
    'current',
    `${rest.find((m) => m.asset_id === next)!.name} became the current version of stack ${stackId}`,
  );
  return { stackId, change: { stackId, from: assetId, to: next } };
}

/**
 * After automatic grouping added `newcomer`: who is current? The user's choice stands, except that a
 * genuinely new version file takes over (a RAW never takes over from its own JPEG). Without a
 * choice, the default rule decides over all members.
 */
export function autoCurrent(e: StackEdit, stackId: number, newcomer: number): CurrentChange | null {
  const st = getStack(e.db, stackId)!;
  const members = stackMembers(e.db, stackId);
  if (!st.current_manual) return makeCurrent(e, stackId, defaultCurrent(members), false);
  const n = members.find((m) => m.asset_id === newcomer)!;
  const base = parseVersionName(n.name).base;
  const itsJpeg =
    isRaw(n.ext) && members.some((m) => isJpeg(m.ext) && parseVersionName(m.name).base === base);
  if (itsJpeg) return null;
  return makeCurrent(e, stackId, newcomer, true);
}
