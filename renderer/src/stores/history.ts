import { create } from 'zustand';
import type { EditPatch } from '../../../shared/contract';
import { call } from '../api/client';

type Edits = { id: number; patch: EditPatch }[];
interface Step {
  label: string;
  undo: Edits;
  redo: Edits;
}

interface HistoryState {
  past: Step[];
  future: Step[];
  /** Apply a patch to assets and remember how to take it back. */
  edit(ids: number[], patch: EditPatch, label: string): Promise<number[]>;
  undo(): Promise<number[]>;
  redo(): Promise<number[]>;
}

export const useHistory = create<HistoryState>((set, get) => ({
  past: [],
  future: [],
  async edit(ids, patch, label) {
    if (ids.length === 0) return [];
    const res = await call('assets.edit', { ids, patch });
    const step = { label, undo: res.previous, redo: ids.map((id) => ({ id, patch })) };
    set({ past: [...get().past.slice(-199), step], future: [] });
    return ids;
  },
  async undo() {
    const step = get().past.at(-1);
    if (!step) return [];
    await call('assets.editEach', { edits: step.undo });
    set({ past: get().past.slice(0, -1), future: [...get().future, step] });
    return step.undo.map((e) => e.id);
  },
  async redo() {
    const step = get().future.at(-1);
    if (!step) return [];
    await call('assets.editEach', { edits: step.redo });
    set({ future: get().future.slice(0, -1), past: [...get().past, step] });
    return step.redo.map((e) => e.id);
  },
}));
