import { create } from 'zustand';
import type { EditPatch } from '../../../shared/contract';
import { call } from '../api/client';

const LIMIT = 100;

export interface HistoryStep {
  label: string;
  ids: number[];
  /** The forward edit, for redo. */
  patch: EditPatch;
  /** EditResult.previous: per asset, the patch that puts back what the edit replaced. */
  undo: { id: number; patch: EditPatch }[];
}

export interface HistoryState {
  past: HistoryStep[];
  future: HistoryStep[];
  edit(ids: number[], patch: EditPatch, label: string): Promise<HistoryStep | null>;
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
      const step: HistoryStep = { label, ids, patch, undo: res.previous };
      if (step.undo.length > 0) set({ past: [...get().past.slice(1 - LIMIT), step], future: [] });
      return step;
    });
  },

  undo() {
    return serial(async () => {
      const step = get().past.at(-1);
      if (!step) return null;
      await call('assets.editEach', { edits: step.undo });
      set({ past: get().past.slice(0, -1), future: [...get().future, step] });
      return step;
    });
  },

  redo() {
    return serial(async () => {
      const step = get().future.at(-1);
      if (!step) return null;
      // Re-applied as the user made it; what it replaces now is what the next undo restores.
      const res = await call('assets.edit', { ids: step.ids, patch: step.patch });
      const again = { ...step, undo: res.previous };
      set({ future: get().future.slice(0, -1), past: [...get().past, again] });
      return again;
    });
  },

  clear() {
    set({ past: [], future: [] });
  },
}));
