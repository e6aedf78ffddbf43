import { create } from 'zustand';
import type { EditPatch, FolderNode } from '../../../shared/contract';
import { editWords } from '../../../shared/keywords';
import type { Asset, Root, SortKey, Stats } from '../../../shared/model';
import { ApiCallError, call, errorMessage } from '../api/client';

export type SortDir = 'asc' | 'desc';

/** Details that ride along with a new query's id list: the first screenful, without a second round trip. */
const HEAD = 120;
/** Ids per 'assets.get' (the contract allows 2,000): small enough to answer between thumbnail requests. */
const PAGE = 160;
const MAX_CONCURRENT = 2;
const CACHE_LIMIT = 30_000;

// The asset cache lives outside React state: with 100,000 assets, copying a Map every time a
// page of details arrives would cost more than the page. Components subscribe to `cacheVersion`
// and read through cachedAsset().
const cache = new Map<number, Asset>();
/** id → value of `changes` when the asset was last changed on the server. */
const stale = new Map<number, number>();
const inFlight = new Set<number>();
/** Asked for and not returned: deleted since the id list was read. Not asked for again. */
const gone = new Set<number>();
let changes = 0;
let wanted: number[] = [];
let running = 0;
let listGeneration = 0;
let rootsGeneration = 0;

export const folderKey = (rootId: number, parent: string) => `${rootId}:${parent}`;

export function cachedAsset(id: number): Asset | undefined {
  return cache.get(id);
}

export interface LibraryState {
  roots: Root[];
  /** Folder tree levels loaded so far, by folderKey(rootId, parent). */
  folders: Record<string, FolderNode[]>;
  rootsLoaded: boolean;
  stats: Stats | null;
  query: string;
  sort: SortKey;
  dir: SortDir;
  /** Every matching id in display order. */
  ids: number[];
  listLoaded: boolean;
  loading: boolean;
  /** The core refused the query (e.g. "rating: expects 0-5"); the last good results stay. */
  queryError: string | null;
  listError: string | null;
  cacheVersion: number;
  /** Versions of stacks the current query leaves out (only their current version is shown); 0 when none or unknown. */
  hiddenVersions: number;
  setQuery(query: string): void;
  setSort(sort: SortKey, dir: SortDir): void;
  refresh(withHead?: boolean): Promise<void>;
  loadRoots(): Promise<void>;
  /** One level of a root's folder tree ('' = top), on demand: an archive holds thousands of folders. */
  loadFolders(rootId: number, parent?: string): Promise<void>;
  /** Reload the trees already loaded (after a scan): counts and new folders. */
  refreshFolders(): Promise<void>;
  /** Details wanted now, most urgent first; replaces the previous wish (the view moved on). */
  want(ids: number[]): void;
  /** Fetch these now regardless of what the grid wants (a selection, the loupe). */
  fetch(ids: number[]): Promise<void>;
  markStale(ids: number[]): void;
  markAllStale(): void;
  /** Show an edit at once; the server's answer replaces it when the change notice arrives. */
  patchLocal(ids: number[], patch: EditPatch): void;
}

function needs(id: number): boolean {
  return !inFlight.has(id) && !gone.has(id) && (!cache.has(id) || stale.has(id));
}

function store(assets: Asset[], asked: number): void {
  for (const a of assets) {
    cache.set(a.id, a);
    gone.delete(a.id);
    if ((stale.get(a.id) ?? Infinity) <= asked) stale.delete(a.id);
  }
  if (cache.size > CACHE_LIMIT) {
    const keep = new Set(wanted);
    for (const id of cache.keys()) {
      if (cache.size <= CACHE_LIMIT * 0.8) break;
      if (!keep.has(id)) {
        cache.delete(id);
        stale.delete(id);
      }
    }
  }
}

async function fetchBatch(ids: number[]): Promise<boolean> {
  const asked = changes;
  ids.forEach((id) => inFlight.add(id));
  try {
    const got = await call('assets.get', { ids });
    store(got, asked);
    if (got.length < ids.length) {
      const returned = new Set(got.map((a) => a.id));
      for (const id of ids) if (!returned.has(id)) gone.add(id);
    }
    useLibrary.setState((s) => ({ cacheVersion: s.cacheVersion + 1 }));
    return true;
  } catch {
    // Left to the next want(): retrying in a loop would hammer a server that is down.
    return false;
  } finally {
    ids.forEach((id) => inFlight.delete(id));
  }
}

/** Keeps at most MAX_CONCURRENT requests going, always for the latest wish: a fast scroll skips pages. */
function pump(): void {
  while (running < MAX_CONCURRENT) {
    const batch: number[] = [];
    for (const id of wanted) {
      if (needs(id)) batch.push(id);
      if (batch.length >= PAGE) break;
    }
    if (batch.length === 0) return;
    running++;
    void fetchBatch(batch).then((ok) => {
      running--;
      if (ok) pump();
    });
  }
}

function patched(a: Asset, patch: EditPatch): Asset {
  // The core's own rule (any case is the same word), so the optimistic copy matches its answer.
  const keywords = editWords(
    patch.keywords !== undefined ? (patch.keywords ?? []) : a.keywords,
    patch.keywordsAdd,
    patch.keywordsRemove,
  );
  return {
    ...a,
    ...(patch.title !== undefined ? { title: patch.title } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.rating !== undefined ? { rating: patch.rating } : {}),
    ...(patch.label !== undefined ? { label: patch.label } : {}),
    ...(patch.flag !== undefined ? { flag: patch.flag } : {}),
    keywords,
  };
}

export const useLibrary = create<LibraryState>((set, get) => ({
  roots: [],
  folders: {},
  rootsLoaded: false,
  stats: null,
  query: '',
  sort: 'captureDate',
  dir: 'desc',
  ids: [],
  listLoaded: false,
  loading: false,
  queryError: null,
  listError: null,
  cacheVersion: 0,
  hiddenVersions: 0,

  setQuery(query) {
    if (query === get().query) return;
    set({ query });
    void get().refresh(true);
  },

  setSort(sort, dir) {
    set({ sort, dir });
    void get().refresh(true);
  },

  async refresh(withHead = false) {
    const generation = ++listGeneration;
    const { query, sort, dir } = get();
    const asked = changes;
    set({ loading: true });
    const head = withHead
      ? call('assets.search', { query, sort, dir, limit: HEAD }).catch(() => null)
      : Promise.resolve(null);
    try {
      const [page, first] = await Promise.all([call('assets.ids', { query, sort, dir }), head]);
      // Typing fires a query per pause: a slow answer to an older one must not replace a newer one.
      if (generation !== listGeneration) return;
      if (first) store(first.items, asked);
      gone.clear();
      let ids = page.ids;
      set((s) => ({
        ids,
        listLoaded: true,
        loading: false,
        queryError: null,
        listError: null,
        cacheVersion: s.cacheVersion + (first ? 1 : 0),
      }));
      // The list comes a bounded page at a time: the grid shows the first while the rest arrive.
      for (let more = page.more; more;) {
        const next = await call('assets.ids', { query, sort, dir, offset: ids.length });
        if (generation !== listGeneration) return;
        // A change between pages can shift an id across the boundary: keep each id once.
        const known = new Set(ids);
        ids = ids.concat(next.ids.filter((id) => !known.has(id)));
        more = next.more && next.ids.length > 0;
        set({ ids });
      }
      // The versions this query leaves out behind each stack's current one (the folder tree
      // counts them): asked only when the catalogue has stacks and the query is not about versions.
      const stacked = (get().stats?.hiddenVersions ?? 0) > 0;
      if (query.trim() && stacked && !/(^|\s)-?(versions?|stack):/i.test(query)) {
        const all = await call('assets.search', { query: `${query} versions:all`, limit: 1 }).catch(
          () => null,
        );
        if (generation !== listGeneration) return;
        set({ hiddenVersions: all && !all.totalCapped ? Math.max(0, all.total - ids.length) : 0 });
      } else set({ hiddenVersions: 0 });
    } catch (err) {
      if (generation !== listGeneration) return;
      if (err instanceof ApiCallError && err.reason === 'query')
        set({ queryError: err.message, loading: false, listLoaded: true });
      else set({ listError: errorMessage(err), loading: false, listLoaded: true });
    }
  },

  async loadRoots() {
    const generation = ++rootsGeneration;
    const [roots, stats] = await Promise.all([
      // An account limited to collections sees no roots (they cover the whole catalogue).
      call('roots.list', {}).catch((err: unknown) => {
        if (err instanceof ApiCallError && err.reason === 'scope') return [];
        throw err;
      }),
      call('stats', {}).catch(() => null),
    ]);
    if (generation !== rootsGeneration) return;
    const present = new Set(roots.map((r) => r.id));
    const folders = Object.fromEntries(
      Object.entries(get().folders).filter(([key]) => present.has(Number(key.slice(0, key.indexOf(':'))))),
    );
    set({ roots, stats, folders, rootsLoaded: true });
  },

  async refreshFolders() {
    await Promise.all(
      Object.keys(get().folders).map((key) => {
        const colon = key.indexOf(':');
        return get().loadFolders(Number(key.slice(0, colon)), key.slice(colon + 1));
      }),
    );
  },

  async loadFolders(rootId, parent = '') {
    const level = await call('roots.folders', { rootId, parent }).catch(() => null);
    if (level && get().roots.some((r) => r.id === rootId))
      set({ folders: { ...get().folders, [folderKey(rootId, parent)]: level } });
  },

  want(ids) {
    wanted = ids;
    pump();
  },

  async fetch(ids) {
    const missing = ids.filter(needs);
    for (let i = 0; i < missing.length; i += 2000) await fetchBatch(missing.slice(i, i + 2000));
  },

  markStale(ids) {
    const at = ++changes;
    for (const id of ids) {
      gone.delete(id);
      if (cache.has(id)) stale.set(id, at);
    }
    pump();
  },

  markAllStale() {
    const at = ++changes;
    gone.clear();
    for (const id of cache.keys()) stale.set(id, at);
    pump();
  },

  patchLocal(ids, patch) {
    for (const id of ids) {
      const a = cache.get(id);
      if (a) cache.set(id, patched(a, patch));
    }
    set((s) => ({ cacheVersion: s.cacheVersion + 1 }));
  },
}));

/**
 * One asset's details, re-rendering when they arrive or change: every cache change is a store
 * change (cacheVersion), so the selector runs again and sees the new object.
 */
export function useAsset(id: number | null | undefined): Asset | undefined {
  return useLibrary(() => (id == null ? undefined : cache.get(id)));
}
