import { create } from 'zustand';
import type { CollectionNode } from '../../../shared/collections';
import { call } from '../api/client';

export interface CollectionsState {
  list: CollectionNode[];
  /** Where B (and "Add selection") puts the selection; the last collection made or chosen. */
  target: number | null;
  load(): Promise<void>;
  create(name: string, opts?: { parentId?: number | null; query?: string | null }): Promise<CollectionNode>;
  rename(id: number, name: string): Promise<void>;
  remove(id: number): Promise<void>;
  setTarget(id: number | null): void;
}

/** The catalogue's collections as the sidebar shows them; reloaded when the catalogue changes. */
export const useCollections = create<CollectionsState>((set, get) => ({
  list: [],
  target: null,

  async load() {
    const list = await call('collections.list', {});
    const target = get().target;
    set({ list, target: target !== null && list.some((c) => c.id === target) ? target : null });
  },

  async create(name, opts = {}) {
    const made = await call('collections.create', {
      name,
      parentId: opts.parentId ?? null,
      query: opts.query ?? null,
    });
    // A new hand-made collection is where the next B goes, as in Lightroom's target collection.
    set({ list: [...get().list, made], ...(made.query === null ? { target: made.id } : {}) });
    return made;
  },

  async rename(id, name) {
    await call('collections.update', { id, name });
    await get().load();
  },

  async remove(id) {
    await call('collections.remove', { id });
    await get().load();
  },

  setTarget(id) {
    set({ target: id });
  },
}));

/** A collection as `collection:` names it, quoted when it must be. */
export function collectionQuery(c: Pick<CollectionNode, 'path'>): string {
  return `collection:"${c.path.replace(/"/g, '')}"`;
}
