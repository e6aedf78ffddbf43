import type { EditPatch, EditResult, FieldPatch } from '../../../shared/contract';
import type { ApprovalAction, ApprovalState, HistoryEntry } from '../../../shared/governance';
import { editWords } from '../../../shared/keywords';
import type { Db } from '../catalog/open';
import { stmt } from '../catalog/statements';
import { enqueue } from '../catalog/jobs.repository';
import { PRIORITY } from '../catalog/job-kinds';
import { hasLivePublication } from '../catalog/publications.repository';
import { refreshAssetSearch } from '../catalog/asset-search.repository';
import type { CoreContext } from '../context';
import { contentEntries } from '../history/history.repository';
import { uploadEntries } from '../catalog/uploads.repository';
import { keepCurrentContent } from '../history/keep';
import { applyTransition } from './approvals';
import { readFields, writeFields } from './field-store';
import {
  canonical,
  FIELDS,
  RIGHTS_FIELDS,
  isField,
  LIST_FIELDS,
  sameValue,
  type FieldName,
  type FieldValues,
} from './fields';
import { appendChange, assetChangeLog, readStamps, writeStamp } from './change-log.repository';
import type { Actor } from './settings';
import { bump } from './stamps';

/**
 * The values after a patch: plain fields replaced (null or an empty list clears: the file's own
 * value stays hidden), lists also edited with fieldAdd / fieldRemove by the shared word rule.
 */
export function applyPatch(before: FieldValues, patch: FieldPatch): FieldValues {
  const next: Record<string, unknown> = { ...before };
  for (const [key, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    if (isField(key)) next[key] = canonical(key, v);
  }
  const edits = patch as Record<string, string[] | undefined>;
  for (const field of LIST_FIELDS) {
    const add = edits[`${field}Add`];
    const remove = edits[`${field}Remove`];
    if (add || remove) next[field] = canonical(field, editWords(next[field] as string[], add, remove));
  }
  return next as unknown as FieldValues;
}

/**
 * Record what changed between two readings of an asset's fields: a stamp per field (this
 * catalogue's edit, for merging) and a line of history; the sidecar is then owed a write.
 * Inside the caller's transaction.
 */
function stampChanges(
  db: Db,
  assetId: number,
  before: FieldValues,
  after: FieldValues,
  who: Actor,
  origin: string,
): FieldName[] {
  const changed = FIELDS.filter((f) => !sameValue(before[f], after[f]));
  if (!changed.length) return changed;
  const stamps = readStamps(db, assetId);
  const at = Date.now();
  for (const f of changed) {
    writeStamp(db, assetId, f, {
      clock: bump(stamps.get(f)?.clock ?? {}, origin),
      at,
      origin,
      actor: who.user,
      machine: who.machine,
    });
    appendChange(db, {
      assetId,
      field: f,
      oldValue: before[f],
      newValue: after[f],
      actor: who.user,
      machine: who.machine,
      at,
      source: 'local',
    });
  }
  enqueue(db, 'sidecar', assetId, { priority: PRIORITY.interactive, now: at });
  // A published asset's caption, alt text or rights changed: its copies are owed the change (or a pull).
  if (hasLivePublication(db, assetId)) enqueue(db, 'publish', assetId, { now: at });
  return changed;
}

function assetExists(db: Db, id: number): boolean {
  return stmt(db, `SELECT 1 FROM asset_search WHERE asset_id = ?`).pluck().get(id) !== undefined;
}

/**
 * The catalogue side of an edit, done at once (inside the caller's transaction, or its own): the
 * one writer of user-edited fields. Returns the fields that changed and the values they had.
 */
export function recordFieldEdit(
  lib: CoreContext,
  assetId: number,
  patch: FieldPatch,
  who: Actor,
): { changed: FieldName[]; before: FieldValues } {
  const db = lib.db;
  return db.transaction(() => {
    const before = readFields(db, assetId);
    if (!assetExists(db, assetId)) return { changed: [], before };
    const after = applyPatch(before, patch);
    const changed = FIELDS.filter((f) => !sameValue(before[f], after[f]));
    if (!changed.length) return { changed, before };
    writeFields(db, assetId, Object.fromEntries(changed.map((f) => [f, after[f]])) as Partial<FieldValues>);
    refreshAssetSearch(db, assetId);
    return {
      changed: stampChanges(db, assetId, before, readFields(db, assetId), who, lib.governance.origin),
      before,
    };
  })();
}

/** The values an edit replaced, as a patch that puts them back (an undo). */
const undoPatch = (changed: FieldName[], before: FieldValues) =>
  Object.fromEntries(changed.map((f) => [f, before[f]])) as FieldPatch;

/** Fields whose setting makes an asset governed: its contents are kept from then on (content history). */
const GOVERNING_FIELDS: ReadonlySet<FieldName> = new Set([
  ...RIGHTS_FIELDS,
  'altText',
  'extendedDescription',
]);

/**
 * Set governed fields on one asset: the catalogue (with history and merge stamps) at once, then the
 * XMP sidecar; resolves when the sidecar is written. The one way field edits are made.
 */
export async function setFields(
  lib: CoreContext,
  assetId: number,
  patch: FieldPatch,
  who: Actor = lib.governance.actor,
): Promise<{ changed: FieldName[]; previous: FieldPatch }> {
  const { changed, before } = recordFieldEdit(lib, assetId, patch, who);
  const previous = undoPatch(changed, before);
  if (changed.some((f) => GOVERNING_FIELDS.has(f))) keepCurrentContent(lib, assetId, 'governed', who);
  if (changed.length) {
    lib.events.emit('catalog-changed', { assetIds: [assetId] });
    await lib.governance.sync(assetId);
  }
  return { changed, previous };
}

/**
 * The library's edits (ratings, labels, flags, keywords, captions: the grid and the loupe) over
 * many assets in one transaction, by the same writer as setFields. Sidecars follow in the
 * background; `previous` undoes it.
 */
export function editAssetsRecorded(
  lib: CoreContext,
  edits: { id: number; patch: EditPatch }[],
  who: Actor = lib.governance.actor,
): EditResult {
  const db = lib.db;
  const touched: number[] = [];
  const previous: EditResult['previous'] = [];
  db.transaction(() => {
    for (const { id, patch } of edits) {
      const { changed, before } = recordFieldEdit(lib, id, patch, who);
      if (!changed.length) continue;
      touched.push(id);
      previous.push({ id, patch: undoPatch(changed, before) as EditPatch });
    }
  })();
  const res: EditResult = { updated: previous.length, previous };
  for (const id of touched)
    lib.governance
      .sync(id)
      .catch((err: unknown) =>
        lib.events.emit('warning', { rootId: null, message: `sidecar of asset ${id}: ${String(err)}` }),
      );
  return res;
}

export async function transition(
  lib: CoreContext,
  assetId: number,
  action: ApprovalAction,
  comment: string | null = null,
  who: Actor = lib.governance.actor,
): Promise<{ from: ApprovalState; to: ApprovalState }> {
  const res = applyTransition(lib.db, assetId, action, who, lib.governance.origin, comment);
  keepCurrentContent(lib, assetId, action === 'approve' ? 'approved' : 'governed', who);
  lib.events.emit('catalog-changed', { assetIds: [assetId] });
  await lib.governance.sync(assetId);
  return res;
}

/** The timeline of one asset (`assets.history`, `dam history`): its change log and its content history, oldest first. */
export function timeline(lib: CoreContext, assetId: number): HistoryEntry[] {
  // Both lists are in time order; a stable sort merges them (ISO times sort as text).
  return [
    ...assetChangeLog(lib.db, assetId),
    ...contentEntries(lib.db, assetId),
    ...uploadEntries(lib.db, assetId),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
