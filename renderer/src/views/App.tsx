import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EditPatch, Label } from '../../../shared/contract';
import { api, call } from '../api/client';
import { Grid } from '../components/Grid';
import { Inspector } from '../components/Inspector';
import { Loupe } from '../components/Loupe';
import { Sidebar } from '../components/Sidebar';
import { StatusBar } from '../components/StatusBar';
import { Toolbar } from '../components/Toolbar';
import { useHistory } from '../stores/history';
import { useJobs } from '../stores/jobs';
import { useLibrary } from '../stores/library';
import { useSelection } from '../stores/selection';
import { useSettings } from '../stores/settings';

const LABEL_KEYS: Record<string, Label> = { '6': 'red', '7': 'yellow', '8': 'green', '9': 'blue' };

function EmptyState({ hasRoots, query }: { hasRoots: boolean; query: string }) {
  if (!hasRoots)
    return (
      <div className="empty-state">
        <h2>Add a folder to start</h2>
        <p>
          Type the path of a folder of photos, videos or design files in the sidebar and choose “Add folder”.
          Tessera catalogues it and keeps it up to date; your files are never moved or changed.
        </p>
      </div>
    );
  return (
    <div className="empty-state">
      <h2>{query ? 'Nothing matches' : 'No assets yet'}</h2>
      <p>
        {query
          ? `No asset matches “${query}”. Try fewer words, or remove a filter.`
          : 'The folder is being catalogued; items appear here as they are found.'}
      </p>
    </div>
  );
}

/**
 * The inspector follows the asset cache on its own, so that the rest of the window does not
 * re-render every time the grid fetches the next rows' details.
 */
const SelectionInspector = memo(function SelectionInspector({
  onEdit,
}: {
  onEdit(p: EditPatch, l: string): Promise<void>;
}) {
  const selected = useSelection((s) => s.selected);
  const assets = useLibrary((s) => s.assets);
  const list = useMemo(
    () => [...selected].map((id) => assets.get(id)).filter((a) => a !== undefined),
    [selected, assets],
  );
  return <Inspector assets={list} onEdit={(p, l) => void onEdit(p, l)} />;
});

export function App() {
  const lib = useLibrary.getState();
  const ids = useLibrary((s) => s.ids);
  const roots = useLibrary((s) => s.roots);
  const query = useLibrary((s) => s.query);
  const loaded = useLibrary((s) => s.loaded);
  const error = useLibrary((s) => s.error);
  const history = useHistory();
  const theme = useSettings((s) => s.theme);
  const jobs = useJobs.getState();
  const [loupe, setLoupe] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  // Live updates: the grid fills while a scan runs; throttled so a big scan does not thrash.
  useEffect(() => {
    // The grid first; the sidebar's trees and the problems list after the first thumbnails.
    void lib.refresh().then(() =>
      window.setTimeout(() => {
        void lib.loadRoots();
        void jobs.loadProblems();
      }, 200),
    );
    void call('roots.list', {}).then((roots) => useLibrary.setState({ roots }));
    let pending: number[] = [];
    let timer: number | undefined;
    const flush = () => {
      timer = undefined;
      lib.invalidate(pending);
      pending = [];
      void lib.refresh();
      void lib.loadRoots();
    };
    const offs = [
      api.on('catalog-changed', (e) => {
        pending.push(...e.assetIds);
        timer ??= window.setTimeout(flush, 400);
      }),
      api.on('job-progress', (p) => {
        jobs.onProgress(p);
        if (p.pending === 0) void jobs.loadProblems();
      }),
      api.on('scan-progress', (p) => jobs.onScan(p)),
      api.on('root-state', () => void lib.loadRoots()),
      api.on('warning', (w) => jobs.warn(w.message)),
    ];
    return () => offs.forEach((off) => off());
  }, []);

  const edit = useCallback(
    async (patch: EditPatch, label: string) => {
      try {
        const ids = await history.edit([...useSelection.getState().selected], patch, label);
        lib.invalidate(ids);
        await lib.ensureAssets(ids);
        setNotice(`${label} · ${ids.length} item${ids.length === 1 ? '' : 's'}`);
      } catch (err) {
        setNotice((err as Error).message);
      }
    },
    [history, lib],
  );

  const undoRedo = useCallback(
    async (which: 'undo' | 'redo') => {
      const ids = await (which === 'undo' ? history.undo() : history.redo());
      lib.invalidate(ids);
      await lib.ensureAssets(ids);
      void lib.refresh();
      setNotice(ids.length ? (which === 'undo' ? 'Undone' : 'Redone') : `Nothing to ${which}`);
    },
    [history, lib],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest('input, textarea, select')) return;
      const mod = e.metaKey || e.ctrlKey;
      const ids = useLibrary.getState().ids;
      const sel = useSelection.getState();
      const cols = (window as unknown as { __gridCols?: number }).__gridCols ?? 1;
      if (mod && e.key.toLowerCase() === 'f') {
        searchRef.current?.focus();
      } else if (mod && e.key.toLowerCase() === 'a') {
        sel.selectAll(ids);
      } else if (mod && e.key.toLowerCase() === 'z') {
        void undoRedo(e.shiftKey ? 'redo' : 'undo');
      } else if (mod && e.key.toLowerCase() === 'y') {
        void undoRedo('redo');
      } else if (mod) {
        return;
      } else if (
        e.key === 'ArrowRight' ||
        e.key === 'ArrowLeft' ||
        e.key === 'ArrowDown' ||
        e.key === 'ArrowUp'
      ) {
        if (loupe !== null) return;
        const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: cols, ArrowUp: -cols }[e.key];
        sel.moveFocus(ids, sel.focus + step, e.shiftKey);
      } else if ((e.key === ' ' || e.key === 'Enter') && loupe === null && ids.length) {
        setLoupe(sel.focus);
      } else if (/^[0-5]$/.test(e.key)) {
        void edit({ rating: Number(e.key) }, e.key === '0' ? 'Clear rating' : `Rate ${e.key}`);
      } else if (LABEL_KEYS[e.key]) {
        void edit({ label: LABEL_KEYS[e.key] }, `Label ${LABEL_KEYS[e.key]}`);
      } else if (e.key === 'p' || e.key === 'P') {
        void edit({ flag: 'pick' }, 'Pick');
      } else if (e.key === 'x' || e.key === 'X') {
        void edit({ flag: 'reject' }, 'Reject');
      } else if (e.key === 'u' || e.key === 'U') {
        void edit({ flag: null }, 'Unflag');
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [edit, undoRedo, loupe]);

  const loupeId = loupe !== null ? ids[loupe] : undefined;
  const loupeAsset = useLibrary((s) => (loupeId !== undefined ? s.assets.get(loupeId) : undefined));
  useEffect(() => {
    if (loupeId !== undefined) void lib.ensureAssets([loupeId]);
  }, [loupeId, lib]);

  return (
    <div className="app">
      <Sidebar />
      <main className="main">
        <Toolbar searchRef={searchRef} />
        {error && (
          <p className="error banner" role="alert">
            {error}
          </p>
        )}
        {loaded && ids.length === 0 ? (
          <EmptyState hasRoots={roots.length > 0} query={query} />
        ) : (
          <Grid onOpen={(i) => setLoupe(i)} />
        )}
        <StatusBar />
      </main>
      <SelectionInspector onEdit={edit} />
      {notice && (
        <div className="toast" role="status" onAnimationEnd={() => setNotice(null)}>
          {notice}
        </div>
      )}
      {loupe !== null && (
        <Loupe
          asset={loupeAsset}
          onClose={() => setLoupe(null)}
          onStep={(d) => {
            const next = Math.max(0, Math.min(ids.length - 1, loupe + d));
            setLoupe(next);
            useSelection.getState().click(ids, next, {});
          }}
        />
      )}
    </div>
  );
}
