import { create } from 'zustand';
import type { EditPatch, FieldPatch, TransitionResult } from '../../../shared/contract';
import type { TagDecision } from '../../../shared/auto-tags';
import type { CropAspect, CropBox } from '../../../shared/crops';
import type { ApprovalAction } from '../../../shared/governance';
import { hasWord } from '../../../shared/keywords';
import { call } from '../api/client';

const LIMIT = 100;

/**
 * One undoable change. 'edit': the library's own fields (rating, label, keywords, ...) through
 * assets.edit; 'fields': governed fields (rights, alt text) through assets.setFields, which also
 * writes the change log and sidecars.
 */
export type UndoStep =
  | {
      kind: 'edit';
      label: string;
      ids: number[];
      /** The forward edit, for redo. */
      patch: EditPatch;
      /** EditResult.previous: per asset, the patch that puts back what the edit replaced. */
      undo: { id: number; patch: EditPatch }[];
    }
  | {
      kind: 'fields';
      label: string;
      ids: number[];
      patch: FieldPatch;
      undo: { id: number; patch: FieldPatch }[];
    }
  | {
      /** Assets put into (add) or taken out of a collection: exactly those, so an undo touches no others. */
      kind: 'membership';
      label: string;
      ids: number[];
      collectionId: number;
      add: boolean;
    }
  | {
      /**
       * Auto-tags accepted or rejected (tags.accept / tags.reject, per label with the assets it was
       * decided on). Undone by tags.restore (each label's state before) and, for an accept, by
       * taking off the keywords it added to assets that did not have them.
       */
      kind: 'tags';
      label: string;
      ids: number[];
      action: 'accept' | 'reject';
      byLabel: [string, number[]][];
      prior: TagDecision[];
      keywordUndo: { id: number; patch: EditPatch }[];
    }
  | {
      /**
       * A review decision on assets that were in review. The approval log is append-only, so
       * undoing it adds entries that send them back to review, and redoing it decides again.
       */
      kind: 'decision';
      label: string;
      ids: number[];
      action: DecisionAction;
      comment?: string;
    }
  | {
      /** One aspect's crop set or cleared (null): undone by putting back the box it replaced. */
      kind: 'crop';
      label: string;
      ids: number[];
      aspect: CropAspect;
      before: CropBox | null;
      after: CropBox | null;
    };

/** The decisions a reviewer takes on what is in review: each can be taken back to review. */
export type DecisionAction = Extract<ApprovalAction, 'approve' | 'request-changes' | 'reject'>;

/** A transition that moved none of the assets is an error here (the step stays where it was). */
async function transition(ids: number[], action: ApprovalAction, comment: string): Promise<void> {
  const results: TransitionResult[] = await call('assets.transition', {
    ids,
    action,
    ...(comment ? { comment } : {}),
  });
  const refused = results.find((r) => !r.ok);
  if (refused && !results.some((r) => r.ok)) throw new Error(refused.error?.message ?? 'refused');
}

/** One call per label, with the assets it is decided on (tags.accept matches a label in any state). */
async function applyTags(action: 'accept' | 'reject', byLabel: [string, number[]][]): Promise<void> {
  for (const [label, ids] of byLabel)
    await call(action === 'accept' ? 'tags.accept' : 'tags.reject', { ids, labels: [label] });
}

/** Set an aspect's crop, or clear it (null). */
async function putCrop(id: number, aspect: CropAspect, box: CropBox | null): Promise<void> {
  if (box) await call('assets.setCrop', { id, aspect, box });
  else await call('assets.clearCrop', { id, aspect });
}

async function keywordsOf(ids: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (let i = 0; i < ids.length; i += 2000)
    for (const a of await call('assets.get', { ids: ids.slice(i, i + 2000) })) out.set(a.id, a.keywords);
  return out;
}

function keywordsAdded(
  before: Map<number, string[]>,
  after: Map<number, string[]>,
): { id: number; patch: EditPatch }[] {
  const out: { id: number; patch: EditPatch }[] = [];
  for (const [id, now] of after) {
    const added = now.filter((k) => !hasWord(before.get(id) ?? [], k));
    if (added.length) out.push({ id, patch: { keywordsRemove: added } });
  }
  return out;
}

export interface UndoStackState {
  past: UndoStep[];
  future: UndoStep[];
  edit(ids: number[], patch: EditPatch, label: string): Promise<UndoStep | null>;
  /** Governed fields (rights, alt text): recorded in the catalogue's change log too, and undoable here. */
  fields(ids: number[], patch: FieldPatch, label: string): Promise<UndoStep | null>;
  /** A decision already taken (review mode): recorded so that Ctrl/Cmd+Z sends the assets back to review. */
  decided(ids: number[], action: DecisionAction, label: string, comment?: string): void;
  /** Accept or reject auto-tags, label by label; recorded so that Ctrl/Cmd+Z puts them back as they were. */
  decideTags(
    action: 'accept' | 'reject',
    byLabel: [string, number[]][],
    prior: TagDecision[],
    label: string,
  ): Promise<UndoStep | null>;
  /** Put assets into a collection or take them out; recorded with the ones it really moved. */
  membership(collectionId: number, ids: number[], add: boolean, label: string): Promise<UndoStep | null>;
  /** Set one aspect's crop of an asset, or clear it (null); recorded with the box it replaces. */
  crop(id: number, aspect: CropAspect, box: CropBox | null, label: string): Promise<UndoStep | null>;
  undo(): Promise<UndoStep | null>;
  redo(): Promise<UndoStep | null>;
  clear(): void;
}

// Edits, undos and redos run one after another: "4" then Ctrl+Z pressed quickly must undo the
// rating, not race it.
let queue: Promise<unknown> = Promise.resolve();
function serial<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

export const useUndoStack = create<UndoStackState>((set, get) => ({
  past: [],
  future: [],

  edit(ids, patch, label) {
    return serial(async () => {
      if (ids.length === 0) return null;
      const res = await call('assets.edit', { ids, patch });
      const step: UndoStep = { kind: 'edit', label, ids, patch, undo: res.previous };
      if (step.undo.length > 0) set({ past: [...get().past.slice(1 - LIMIT), step], future: [] });
      return step;
    });
  },

  fields(ids, patch, label) {
    return serial(async () => {
      if (ids.length === 0) return null;
      const res = await call('assets.setFields', { ids, patch });
      const step: UndoStep = { kind: 'fields', label, ids, patch, undo: res.previous };
      if (step.undo.length > 0) set({ past: [...get().past.slice(1 - LIMIT), step], future: [] });
      return step;
    });
  },

  decided(ids, action, label, comment) {
    if (ids.length === 0) return;
    const step: UndoStep = { kind: 'decision', label, ids, action, ...(comment ? { comment } : {}) };
    set({ past: [...get().past.slice(1 - LIMIT), step], future: [] });
  },

  decideTags(action, byLabel, prior, label) {
    return serial(async () => {
      if (byLabel.length === 0) return null;
      const ids = [...new Set(byLabel.flatMap(([, of]) => of))];
      // Which keywords an accept adds is the core's rule (a face adds the names of the people in
      // the picture): the undo takes off what the assets did not have before, read on both sides.
      const before = action === 'accept' ? await keywordsOf(ids) : null;
      await applyTags(action, byLabel);
      const keywordUndo = before ? keywordsAdded(before, await keywordsOf(ids)) : [];
      const step: UndoStep = { kind: 'tags', label, ids, action, byLabel, prior, keywordUndo };
      if (prior.length > 0) set({ past: [...get().past.slice(1 - LIMIT), step], future: [] });
      return step;
    });
  },

  membership(collectionId, ids, add, label) {
    return serial(async () => {
      if (ids.length === 0) return null;
      const moved = add
        ? (await call('collections.addAssets', { id: collectionId, ids })).ids
        : (await call('collections.removeAssets', { id: collectionId, ids })).ids;
      const step: UndoStep = { kind: 'membership', label, ids: moved, collectionId, add };
      if (moved.length > 0) set({ past: [...get().past.slice(1 - LIMIT), step], future: [] });
      return step;
    });
  },

  crop(id, aspect, box, label) {
    return serial(async () => {
      const before = (await call('assets.crops', { id })).find((c) => c.aspect === aspect)?.box ?? null;
      await putCrop(id, aspect, box);
      const step: UndoStep = { kind: 'crop', label, ids: [id], aspect, before, after: box };
      set({ past: [...get().past.slice(1 - LIMIT), step], future: [] });
      return step;
    });
  },

  undo() {
    return serial(async () => {
      const step = get().past.at(-1);
      if (!step) return null;
      if (step.kind === 'membership')
        await call(step.add ? 'collections.removeAssets' : 'collections.addAssets', {
          id: step.collectionId,
          ids: step.ids,
        });
      else if (step.kind === 'edit') await call('assets.editEach', { edits: step.undo });
      else if (step.kind === 'fields') await call('assets.setFieldsEach', { edits: step.undo });
      else if (step.kind === 'crop') await putCrop(step.ids[0]!, step.aspect, step.before);
      else if (step.kind === 'tags') {
        await call('tags.restore', { decisions: step.prior });
        if (step.keywordUndo.length) await call('assets.editEach', { edits: step.keywordUndo });
      } else {
        // Back to review through the workflow's own steps: an approval cannot be submitted again
        // directly, so it is retired first; both entries say why.
        const why = `Undone: ${step.label}`;
        if (step.action === 'approve') await transition(step.ids, 'retire', why);
        await transition(step.ids, 'submit', why);
      }
      set({ past: get().past.slice(0, -1), future: [...get().future, step] });
      return step;
    });
  },

  redo() {
    return serial(async () => {
      const step = get().future.at(-1);
      if (!step) return null;
      // Re-applied as the user made it; what it replaces now is what the next undo restores.
      let again: UndoStep;
      if (step.kind === 'membership') {
        await call(step.add ? 'collections.addAssets' : 'collections.removeAssets', {
          id: step.collectionId,
          ids: step.ids,
        });
        again = step;
      } else if (step.kind === 'crop') {
        await putCrop(step.ids[0]!, step.aspect, step.after);
        again = step;
      } else if (step.kind === 'edit')
        again = { ...step, undo: (await call('assets.edit', { ids: step.ids, patch: step.patch })).previous };
      else if (step.kind === 'tags') {
        await applyTags(step.action, step.byLabel);
        again = step;
      } else if (step.kind === 'fields')
        again = {
          ...step,
          undo: (await call('assets.setFields', { ids: step.ids, patch: step.patch })).previous,
        };
      else {
        await transition(step.ids, step.action, step.comment ?? '');
        again = step;
      }
      set({ future: get().future.slice(0, -1), past: [...get().past, again] });
      return again;
    });
  },

  clear() {
    set({ past: [], future: [] });
  },
}));
