import path from 'node:path';
import type { VersionStack } from '../../../shared/versions';
import { stmt } from '../catalog/statements';
import {
  appendStackLog,
  getStack,
  setPositions,
  stackIdOf,
  stackMembers,
  toVersionInfo,
  versionRows,
} from '../catalog/stacks.repository';
import { backfillVersionKeys } from '../catalog/version-keys.repository';
import { applyTransition, effectiveState } from '../governance/approvals';
import { readFields } from '../governance/field-store';
import { RIGHTS_FIELDS, type FieldName } from '../governance/fields';
import type { Actor } from '../governance/settings';
import { recordFieldEdit } from '../governance/set-fields';
import type { FieldPatch } from '../../../shared/contract';
import { invalidInput, notFound, refused } from '../errors';
import type { CoreContext } from '../context';
import type { ProcessResult } from '../jobs/messages';
import { autoGroup } from './auto-group';
import { defaultCurrent, gather, leave, makeCurrent, type CurrentChange, type StackEdit } from './stack-edit';

/** What a new current version inherits from the one it replaces when it has none of its own. */
const INHERITED: readonly FieldName[] = [...RIGHTS_FIELDS, 'altText', 'extendedDescription'];

const joinPath = (root: string, rel: string) => path.join(root, ...rel.split('/'));

/** Version stacks of one catalogue: automatic grouping at ingest, and the user's operations. */
export class Versions {
  private owed: CurrentChange[] = [];
  private keysChecked = false;
  /** Assets that are now in a stack: being a version makes an asset governed (content history). */
  onStacked: (assetIds: number[]) => void = () => undefined;

  constructor(private readonly lib: CoreContext) {}

  /** `who`: the account acting (dam serve), else this process's user. */
  private edit(who: Actor = this.lib.governance.actor): StackEdit {
    return { db: this.lib.db, who, at: Date.now() };
  }

  private requireAsset(id: number): void {
    if (stmt(this.lib.db, `SELECT 1 FROM asset_search WHERE asset_id = ?`).pluck().get(id) === undefined)
      throw notFound(`no asset ${id} in the catalogue`);
  }

  // ---- ingest ------------------------------------------------------------------------------

  /**
   * A file was processed for the first time (not a move of a known one): stack it with its versions.
   * Inside the job runner's transaction; returns the assets whose stack changed. What the change of
   * current version owes governance (review, inherited rights) is done by settle(), after it.
   */
  fileCatalogued(res: ProcessResult): number[] {
    if (!this.keysChecked) {
      this.keysChecked = true;
      backfillVersionKeys(this.lib.db);
    }
    const out = autoGroup(this.edit(), res);
    if (!out) return [];
    if (out.change) this.owed.push(out.change);
    this.onStacked(out.affected);
    return out.affected;
  }

  /** After the job runner's transaction: the follow-up of each automatic change of current. */
  settle(): void {
    const owed = this.owed;
    this.owed = [];
    for (const c of owed)
      try {
        this.followUp(c);
      } catch (err) {
        // Ingest goes on: the stack stands, only its governance follow-up is reported.
        this.lib.events.emit('warning', {
          rootId: null,
          message: `new current version of stack ${c.stackId}: ${err instanceof Error ? err.message : String(err)}`,
        });
      }
  }

  /**
   * A new version became current: it inherits the rights and alt text it lacks from the one it
   * replaces, and goes to review when that one had been through review (a decision already taken on
   * the new version itself stands). Both go through the governance paths, so sidecars and history follow.
   */
  private followUp(c: CurrentChange, who: Actor = this.lib.governance.actor): void {
    const { lib } = this;
    if (c.from == null || c.from === c.to) return;
    const db = lib.db;
    if (stmt(db, `SELECT 1 FROM asset_search WHERE asset_id = ?`).pluck().get(c.from) === undefined) return;
    const old = readFields(db, c.from);
    const mine = readFields(db, c.to);
    const empty = (v: unknown) => v == null || v === '' || (Array.isArray(v) && v.length === 0);
    const patch: Record<string, unknown> = {};
    for (const f of INHERITED) if (empty(mine[f]) && !empty(old[f])) patch[f] = old[f];
    let touched = false;
    if (Object.keys(patch).length)
      touched = recordFieldEdit(lib, c.to, patch as FieldPatch, who).changed.length > 0;
    const was = effectiveState(db, c.from);
    if (was !== 'draft' && effectiveState(db, c.to) === 'draft') {
      const name = stackMembers(db, c.stackId).find((m) => m.asset_id === c.from)?.name ?? `asset ${c.from}`;
      applyTransition(
        db,
        c.to,
        'submit',
        who,
        lib.governance.origin,
        `new current version of stack ${c.stackId}; the previous one (${name}) was ${was}`,
      );
      touched = true;
    }
    if (!touched) return;
    lib.events.emit('catalog-changed', { assetIds: [c.to] });
    lib.governance
      .sync(c.to)
      .catch((err: unknown) =>
        lib.events.emit('warning', { rootId: null, message: `sidecar of asset ${c.to}: ${String(err)}` }),
      );
  }

  // ---- reading -----------------------------------------------------------------------------

  /** The stack an asset is in, in order; a stack of one (stackId null) for an asset alone. */
  list(id: number): VersionStack {
    this.requireAsset(id);
    const db = this.lib.db;
    const stackId = stackIdOf(db, id) ?? null;
    const current = stackId == null ? id : getStack(db, stackId)!.current_asset_id;
    const rows = versionRows(db, stackId, id);
    return {
      stackId,
      currentAssetId: current,
      versions: rows.map((r, i) => toVersionInfo(r, i + 1, current, joinPath)),
    };
  }

  // ---- the user's operations ---------------------------------------------------------------

  private changed(ids: Iterable<number>): void {
    const list = [...new Set(ids)];
    if (list.length) this.lib.events.emit('catalog-changed', { assetIds: list });
  }

  private membersOf(stackId: number | undefined): number[] {
    return stackId == null ? [] : stackMembers(this.lib.db, stackId).map((m) => m.asset_id);
  }

  /** Group assets (and the stacks they are in) into one stack; current by the default rule unless given. */
  group(ids: number[], currentId?: number, who?: Actor): VersionStack {
    const unique = [...new Set(ids)];
    for (const id of unique) this.requireAsset(id);
    if (unique.length < 2)
      throw invalidInput(`grouping needs at least two different assets (got ${unique.join(', ') || 'none'})`);
    if (currentId != null) this.requireAsset(currentId);
    const db = this.lib.db;
    const touched = new Set<number>();
    let change: CurrentChange | null = null;
    const stackId = db.transaction(() => {
      for (const id of unique) for (const m of this.membersOf(stackIdOf(db, id))) touched.add(m);
      const e = this.edit(who);
      const g = gather(
        e,
        unique.map((assetId) => ({ assetId, reason: 'manual' as const })),
        (members) => defaultCurrent(members),
      );
      const members = stackMembers(db, g.stackId);
      if (currentId != null && !members.some((m) => m.asset_id === currentId))
        throw invalidInput(`asset ${currentId} is not one of the versions being grouped`);
      if (currentId != null) change = makeCurrent(e, g.stackId, currentId, true);
      else if (!getStack(db, g.stackId)!.current_manual)
        change = makeCurrent(e, g.stackId, defaultCurrent(members), false);
      for (const m of members) touched.add(m.asset_id);
      return g.stackId;
    })();
    if (change) this.followUp(change, who);
    this.changed(touched);
    this.onStacked(this.membersOf(stackId));
    return this.list(getStack(db, stackId)!.current_asset_id);
  }

  /** Take assets out of their stacks: each stands alone again (a stack left with one dissolves). */
  ungroup(ids: number[], who?: Actor): { updated: number } {
    const unique = [...new Set(ids)];
    for (const id of unique) this.requireAsset(id);
    const db = this.lib.db;
    const touched = new Set<number>();
    const updated = db.transaction(() => {
      let n = 0;
      for (const id of unique) {
        for (const m of this.membersOf(stackIdOf(db, id))) touched.add(m);
        if (leave(this.edit(who), id)) n++;
      }
      return n;
    })();
    this.changed(touched);
    return { updated };
  }

  /** Put a stack's versions in this order: every member exactly once. */
  reorder(stackId: number, order: number[], who?: Actor): VersionStack {
    const db = this.lib.db;
    const st = getStack(db, stackId);
    if (!st) throw notFound(`no version stack ${stackId}`);
    const members = stackMembers(db, stackId);
    const have = new Set(members.map((m) => m.asset_id));
    const seen = new Set<number>();
    const dupes = order.filter((id) => seen.has(id) || !seen.add(id));
    const extra = order.filter((id) => !have.has(id));
    const missing = [...have].filter((id) => !seen.has(id));
    const problems = [
      ...(dupes.length ? [`listed twice: ${[...new Set(dupes)].join(', ')}`] : []),
      ...(extra.length ? [`not in stack ${stackId}: ${extra.join(', ')}`] : []),
      ...(missing.length ? [`missing: ${missing.join(', ')}`] : []),
    ];
    if (problems.length)
      throw invalidInput(
        `the order must list every version of stack ${stackId} once (${members.map((m) => m.asset_id).join(', ')}); ${problems.join('; ')}`,
      );
    db.transaction(() => {
      const e = this.edit(who);
      const before = new Map(members.map((m, i) => [m.asset_id, i + 1]));
      setPositions(db, order);
      order.forEach((id, i) => {
        if (before.get(id) !== i + 1)
          appendStackLog(db, {
            assetId: id,
            stackId,
            event: 'stacked',
            detail: `moved to position ${i + 1} of ${order.length} in stack ${stackId}`,
            actor: e.who.user,
            machine: e.who.machine,
            at: e.at,
          });
      });
    })();
    this.changed(order);
    return this.list(st.current_asset_id);
  }

  /** Make this version its stack's current one (the user's choice: automatic grouping keeps it). */
  setCurrent(id: number, who?: Actor): VersionStack {
    this.requireAsset(id);
    const db = this.lib.db;
    const stackId = stackIdOf(db, id);
    if (stackId == null) throw refused('not-stacked', `asset ${id} is not in a version stack`);
    const change = db.transaction(() => makeCurrent(this.edit(who), stackId, id, true))();
    if (change) this.followUp(change, who);
    this.changed(this.membersOf(stackId));
    return this.list(id);
  }
}
