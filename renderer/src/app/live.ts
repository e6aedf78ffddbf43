import { api } from '../api/client';
import { throttle } from '../lib/throttle';
import { useCollections } from '../stores/collections';
import { busy, useJobs } from '../stores/jobs';
import { useUi } from '../stores/ui';
import { useLibrary } from '../stores/library';
import { usePublishing } from '../stores/publishing';
import { useSelection } from '../stores/selection';
import { useTagging } from '../stores/tagging';

/**
 * The first load and everything the core pushes afterwards. Change notices are throttled: a scan
 * sends them by the hundred, and the grid only needs to follow at a steady pace.
 */
export function startLiveUpdates(): () => void {
  const lib = () => useLibrary.getState();
  const jobs = () => useJobs.getState();

  // The grid's list first: the server answers one query at a time, and folder trees, counts and
  // problems over a large catalogue would otherwise hold up the first thumbnails.
  void lib()
    .refresh(true)
    .finally(() => {
      void lib()
        .loadRoots()
        .catch(() => undefined);
      void jobs()
        .loadProblems()
        .catch(() => undefined);
    });

  const refreshList = throttle(600, () => void lib().refresh());
  const refreshRoots = throttle(
    2000,
    () =>
      void lib()
        .loadRoots()
        .catch(() => undefined),
  );
  // A smart collection's count may change with any change in the catalogue.
  const refreshCollections = throttle(
    3000,
    () =>
      void useCollections
        .getState()
        .load()
        .catch(() => undefined),
  );
  const refreshProblems = throttle(
    3000,
    () =>
      void jobs()
        .loadProblems()
        .catch(() => undefined),
  );
  // Tagging's own counts (tagging.status) as its jobs report progress: no timer while nothing runs.
  const refreshTagging = throttle(
    3000,
    () =>
      void useTagging
        .getState()
        .load()
        .catch(() => undefined),
  );
  refreshTagging();
  // Folder trees only when a burst of work ends: rebuilding a large tree on every change notice
  // would keep the server (one thread) from answering the grid.
  const refreshFolders = throttle(3000, () => void lib().refreshFolders());

  // The status bar's publishing queue, as deliveries happen.
  const refreshQueue = throttle(
    1000,
    () =>
      void usePublishing
        .getState()
        .loadQueue()
        .catch(() => undefined),
  );

  // A new list may no longer hold what was selected.
  const unsubList = useLibrary.subscribe((s, prev) => {
    if (s.ids !== prev.ids) useSelection.getState().retain(s.ids);
  });

  const offs = [
    api.on('catalog-changed', ({ assetIds }) => {
      if (assetIds.length === 0) lib().markAllStale();
      else lib().markStale(assetIds);
      refreshList();
      refreshRoots();
      refreshCollections();
    }),
    api.on('scan-progress', (p) => {
      jobs().onScan(p);
      if (p.phase === 'done') {
        refreshList();
        refreshRoots();
        refreshFolders();
      }
    }),
    api.on('job-progress', (p) => {
      const wasBusy = busy(jobs().jobs);
      jobs().onJobs(p);
      refreshTagging();
      if (p.failed > 0 || (wasBusy && !busy(p))) refreshProblems();
      if (wasBusy && !busy(p)) {
        refreshRoots();
        refreshFolders();
      }
    }),
    api.on('root-state', () => {
      refreshRoots();
      refreshFolders();
      refreshList();
    }),
    api.on('warning', (w) => jobs().onWarning(w)),
    // Someone sent files through an upload portal: the studio hears of each one as it is catalogued.
    api.on('upload-received', (e) => {
      const name = e.path.split('/').pop() ?? e.path;
      useUi.getState().notify(`${e.uploader} uploaded ${name}${e.note ? `: ${e.note}` : ''}`);
      refreshList();
    }),
    api.on('publication', (r) => {
      usePublishing.getState().delivered(r.assetId);
      refreshQueue();
    }),
  ];

  return () => {
    offs.forEach((off) => off());
    unsubList();
    refreshList.cancel();
    refreshRoots.cancel();
    refreshProblems.cancel();
    refreshFolders.cancel();
    refreshTagging.cancel();
    refreshQueue.cancel();
  };
}
