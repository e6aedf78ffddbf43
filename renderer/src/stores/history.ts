import { create } from 'zustand';
import type { EditPatch, FieldPatch } from '../../../shared/contract';
import { call } from '../api/client';

const LIMIT = 100;

/**
 * One undoable change. 'edit': the library's own fields (rating, label, keywords, ...) through
 * assets.edit; 'fields': governed fields (rights, alt text) through assets.setFields, which also
 * writes history and sidecars.
 */
export type HistoryStep =
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
    };

export interface HistoryState {
  past: HistoryStep[];
  future: HistoryStep[];
  edit(ids: number[], patch: EditPatch, label: string): Promise<HistoryStep | null>;
  /** Governed fields (rights, alt text): recorded in the catalogue's history too, and undoable here. */
  fields(ids: number[], patch: FieldPatch, label: string): Promise<HistoryStep | null>;
  undo(): Promise<HistoryStep | null>;
  redo(): Promise<HistoryStep | null>;
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

export const useHistory = create<HistoryState>((set, get) => ({
  past: [],
  future: [],

  edit(ids, patch, label) {
    return serial(async () => {
      if (ids.length === 0) return null;
      const res = await call('assets.edit', { ids, patch });
      const step: HistoryStep = { kind: 'edit', label, ids, patch, undo: res.previous };
      if (step.undo.length > 0) set({ past: [...get().past.slice(1 - LIMIT), step], future: [] });
      return step;
    });
  },

  fields(ids, patch, label) {
    return serial(async () => {
      if (ids.length === 0) return null;
      const res = await call('assets.setFields', { ids, patch });
      const step: HistoryStep = { kind: 'fields', label, ids, patch, undo: res.previous };
      if (step.undo.length > 0) set({ past: [...get().past.slice(1 - LIMIT), step], future: [] });
      return step;
    });
  },

  undo() {
    return serial(async () => {
      const step = get().past.at(-1);
      if (!step) return null;
      if (step.kind === 'edit') await call('assets.editEach', { edits: step.undo });
      else await call('assets.setFieldsEach', { edits: step.undo });
      set({ past: get().past.slice(0, -1), future: [...get().future, step] });
      return step;
    });
  },

  redo() {
    return serial(async () => {
      const step = get().future.at(-1);
      if (!step) return null;
      // Re-applied as the user made it; what it replaces now is what the next undo restores.
      const again: HistoryStep =
        step.kind === 'edit'
          ? { ...step, undo: (await call('assets.edit', { ids: step.ids, patch: step.patch })).previous }
          : {
              ...step,
              undo: (await call('assets.setFields', { ids: step.ids, patch: step.patch })).previous,
            };
      set({ future: get().future.slice(0, -1), past: [...get().past, again] });
      return again;
    });
  },

  clear() {
    set({ past: [], future: [] });
  },
}));
