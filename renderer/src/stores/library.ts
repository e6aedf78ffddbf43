import { create } from 'zustand';
import type { Asset, Root, SortKey } from '../../../shared/model';
import type { FolderNode } from '../../../shared/contract';
import { call } from '../api/client';

interface LibraryState {
  roots: Root[];
  folders: Record<number, FolderNode[]>;
  query: string;
  sort: SortKey;
  dir: 'asc' | 'desc';
  /** Every matching asset id, in display order; details are fetched for visible rows only. */
  ids: number[];
  assets: Map<number, Asset>;
  error: string | null;
  loaded: boolean;
  setQuery(q: string): void;
  setSort(sort: SortKey, dir: 'asc' | 'desc'): void;
  refresh(): Promise<void>;
  loadRoots(): Promise<void>;
  ensureAssets(ids: number[]): Promise<void>;
  invalidate(ids: number[]): void;
}

let generation = 0;
const inFlight = new Set<number>();

export const useLibrary = create<LibraryState>((set, get) => ({
  roots: [],
  folders: {},
  query: '',
  sort: 'captureDate',
  dir: 'desc',
  ids: [],
  assets: new Map(),
  error: null,
  loaded: false,
  setQuery(query) {
    set({ query });
    void get().refresh();
  },
  setSort(sort, dir) {
    set({ sort, dir });
    void get().refresh();
  },
  async refresh() {
    const mine = ++generation;
    const { query, sort, dir } = get();
    try {
      const ids = await call('assets.ids', { query, sort, dir });
      // A slower answer to an older query must not overwrite a newer one.
      if (mine === generation) set({ ids, error: null, loaded: true });
    } catch (err) {
      if (mine === generation) set({ error: (err as Error).message, loaded: true });
    }
  },
  async loadRoots() {
    const roots = await call('roots.list', {});
    set({ roots });
    // Folder trees can be large (an archive of years of shoots): they follow, never block the grid.
    const folders: Record<number, FolderNode[]> = {};
    await Promise.all(
      roots.map(async (r) => (folders[r.id] = await call('roots.folders', { rootId: r.id }))),
    );
    set({ folders });
  },
  async ensureAssets(ids) {
    const { assets } = get();
    const missing = ids.filter((id) => !assets.has(id) && !inFlight.has(id));
    if (missing.length === 0) return;
    missing.forEach((id) => inFlight.add(id));
    try {
      const got = await call('assets.get', { ids: missing });
      const next = new Map(get().assets);
      for (const a of got) next.set(a.id, a);
      set({ assets: next });
    } finally {
      missing.forEach((id) => inFlight.delete(id));
    }
  },
  invalidate(ids) {
    const next = new Map(get().assets);
    for (const id of ids) next.delete(id);
    set({ assets: next });
  },
}));
