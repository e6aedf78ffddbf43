import type { Db } from '../catalog/open';
import { stmt } from '../catalog/statements';
import {
  findMissingByInode,
  getFileByPath,
  insertNewFile,
  loadRootIndex,
  markChanged,
  markMissing,
  markPresent,
  moveFile,
  splitRelPath,
  type IndexEntry,
} from '../catalog/files.repository';
import { enqueue } from '../catalog/jobs.repository';
import { recordScan, setRootDev, setRootState, type RootRecord } from '../catalog/roots.repository';
import type { CoreEventBus } from '../events';
import { formatFromExt, typeOf } from './formats/file-types';
import { checkRoot } from './reachability';
import { NUMS_PER_ENTRY, entryAt, walkRoot, type WalkEntry, type WalkProblem } from './walk';

export interface RootScanOutcome {
  rootId: number;
  offline: boolean;
  files: number;
  new: number;
  changed: number;
  unchanged: number;
  missing: number;
  problems: WalkProblem[];
  /** XMP sidecars the walk saw: [relPath, size, mtimeMs]. */
  sidecars: [string, number, number][];
  /** Temporary files an interrupted write left: [relPath, mtimeMs]. */
  debris: [string, number][];
}

/** Rows per write transaction: long enough to be fast, short enough not to stall other writers. */
const CHUNK = 2000;

function isUnder(relPath: string, folders: readonly string[]): boolean {
  return folders.some((f) => f === '' || relPath.startsWith(f + '/'));
}

/** A path the catalogue has not seen: the same file moved (same inode), or a new asset. */
function recordNewFile(db: Db, rootId: number, e: WalkEntry, now: number): 'moved' | 'new' {
  const moved = findMissingByInode(db, rootId, e);
  if (moved != null) {
    moveFile(db, moved, rootId, e.relPath, e);
    return 'moved';
  }
  const { ext } = splitRelPath(e.relPath);
  const format = formatFromExt(ext);
  insertNewFile(db, { ...e, rootId, type: typeOf(format, ext), format }, now);
  return 'new';
}

/** One file reported by the watcher, through the same rules as a scan. */
export function recordOneFile(
  db: Db,
  rootId: number,
  e: WalkEntry,
): 'new' | 'moved' | 'changed' | 'unchanged' {
  return db.transaction(() => {
    const known = getFileByPath(db, rootId, e.relPath);
    if (!known) return recordNewFile(db, rootId, e, Date.now());
    if (known.size === e.size && known.mtime_ms === e.mtimeMs) {
      if (known.state === 'missing') markPresent(db, known.id);
      return 'unchanged';
    }
    markChanged(db, known.id, e);
    return 'changed';
  })();
}

export function setOffline(db: Db, events: CoreEventBus, root: RootRecord, reason: string): void {
  if (root.state !== 'offline' || root.stateReason !== reason) {
    setRootState(db, root.id, 'offline', reason);
    events.emit('root-state', { rootId: root.id, state: 'offline', reason });
  }
}

export function setOnline(db: Db, events: CoreEventBus, root: RootRecord, dev: number): void {
  if (root.dev !== dev) setRootDev(db, root.id, dev);
  if (root.state !== 'online') {
    setRootState(db, root.id, 'online', null);
    events.emit('root-state', { rootId: root.id, state: 'online', reason: null });
  }
}

type ScanOptions = { exclude?: readonly string[] };
const inFlight = new WeakMap<
  Db,
  Map<number, { running: Promise<RootScanOutcome>; queued: Promise<RootScanOutcome> | null }>
>();

/**
 * Scans of one root never overlap (two walks recording the same new files would race): a scan
 * asked for while another runs waits for it and then runs once more, and every request that
 * arrives meanwhile shares that one follow-up, which started after all of them.
 */
export function scanRoot(
  db: Db,
  events: CoreEventBus,
  root: RootRecord,
  opts: ScanOptions = {},
): Promise<RootScanOutcome> {
  let byRoot = inFlight.get(db);
  if (!byRoot) inFlight.set(db, (byRoot = new Map()));
  const slot = byRoot.get(root.id);
  if (slot?.queued) return slot.queued;
  const run = (): Promise<RootScanOutcome> => {
    const p = scanRootOnce(db, events, root, opts).finally(() => {
      const s = byRoot.get(root.id);
      if (s?.running !== p) return;
      if (s.queued) return;
      byRoot.delete(root.id);
    });
    return p;
  };
  if (!slot) {
    byRoot.set(root.id, { running: run(), queued: null });
    return byRoot.get(root.id)!.running;
  }
  const queued = slot.running
    .catch(() => undefined)
    .then(() => {
      const next = run();
      byRoot.set(root.id, { running: next, queued: null });
      return next;
    });
  slot.queued = queued;
  return queued;
}

/**
 * One pass over a root: compare what is on disk with the catalogue by size, mtime and inode
 * (never reading unchanged files), record new, changed, moved and missing files, and leave the
 * reading of new content to the job table. Scan, rescan and watch events share this path.
 */
async function scanRootOnce(
  db: Db,
  events: CoreEventBus,
  root: RootRecord,
  opts: ScanOptions = {},
): Promise<RootScanOutcome> {
  const outcome: RootScanOutcome = {
    rootId: root.id,
    offline: false,
    files: 0,
    new: 0,
    changed: 0,
    unchanged: 0,
    missing: 0,
    problems: [],
    sidecars: [],
    debris: [],
  };
  const before = checkRoot(root.path, root.dev);
  if (!before.ok) {
    setOffline(db, events, root, before.reason);
    return { ...outcome, offline: true };
  }

  const fresh: WalkEntry[] = [];
  const changed: [IndexEntry, WalkEntry][] = [];
  const recovered: number[] = [];
  const toEnqueue: number[] = [];
  // Filled just below, before any batch is delivered (delivery waits for this thread).
  const catalogued = {} as { index: Map<string, IndexEntry>; unprocessed: Set<number> };
  // The walk runs on its own thread while this one loads the catalogue's side; batches are
  // compared as they arrive, which is after the loading below (it holds this thread).
  const walking = walkRoot(
    root.path,
    (batch) => {
      const known = catalogued.index;
      for (let i = 0; i < batch.rel.length; i++) {
        outcome.files++;
        const rel = batch.rel[i]!;
        const entry = known.get(rel);
        if (!entry) {
          fresh.push(entryAt(batch, i));
          continue;
        }
        known.delete(rel);
        const [id, size, mtimeMs, ino, state] = entry;
        const o = i * NUMS_PER_ENTRY;
        const eIno = batch.num[o + 3]!;
        // Inode is compared only when both sides have one: SMB shares may report none or unstable ones.
        if (
          size === batch.num[o] &&
          mtimeMs === batch.num[o + 1] &&
          (ino == null || ino === 0 || eIno === 0 || ino === eIno)
        ) {
          outcome.unchanged++;
          if (state === 'missing') recovered.push(id);
          if (catalogued.unprocessed.has(id)) toEnqueue.push(id);
        } else changed.push([entry, entryAt(batch, i)]);
      }
      events.emit('scan-progress', { rootId: root.id, phase: 'walking', seen: outcome.files });
    },
    { exclude: opts.exclude ?? [] },
  );
  // Commits by other connections (another process on this catalogue) move this on: see `fresh` below.
  const seenVersion = db.pragma('data_version', { simple: true });
  catalogued.index = loadRootIndex(db, root.id);
  catalogued.unprocessed = new Set(
    stmt(
      db,
      `SELECT id FROM files WHERE root_id = ? AND processed_at IS NULL AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.kind = 'process' AND j.subject = files.id)`,
    )
      .pluck()
      .all(root.id) as number[],
  );
  const walk = await walking;
  outcome.problems = walk.problems;
  outcome.sidecars = walk.sidecars;
  outcome.debris = walk.debris;

  // A share that went away during the walk looks exactly like a mass deletion: check again.
  const after = checkRoot(root.path, before.dev);
  if (!after.ok) {
    setOffline(db, events, root, after.reason);
    return { ...outcome, offline: true };
  }

  events.emit('scan-progress', { rootId: root.id, phase: 'recording', seen: outcome.files });
  const now = Date.now();
  const vanished = [...catalogued.index.entries()].filter(
    ([rel, e]) => e[4] === 'present' && !isUnder(rel, walk.unreadable),
  );
  const inChunks = <T>(items: T[], fn: (item: T) => void) => {
    for (let i = 0; i < items.length; i += CHUNK) {
      db.transaction(() => items.slice(i, i + CHUNK).forEach(fn))();
    }
  };
  db.transaction(() => setOnline(db, events, root, after.dev))();
  // Missing first, so that a new path with a vanished file's inode is recognised as a move.
  inChunks(vanished, ([, e]) => markMissing(db, e[0], now));
  inChunks(recovered, (id) => markPresent(db, id));
  inChunks(toEnqueue, (id) => enqueue(db, 'process', id, { now }));
  inChunks(changed, ([known, e]) => {
    outcome.changed++;
    markChanged(db, known[0], e, now);
  });
  for (let i = 0; i < fresh.length; i += CHUNK) {
    db.transaction(() => {
      // Another process scanning the same root may have recorded some of these paths since the index
      // was read: then each goes through the one-file rules (which look it up) instead.
      const raced = db.pragma('data_version', { simple: true }) !== seenVersion;
      for (const e of fresh.slice(i, i + CHUNK)) {
        const r = raced ? recordOneFile(db, root.id, e) : recordNewFile(db, root.id, e, now);
        if (r === 'new') outcome.new++;
        else if (r === 'changed') outcome.changed++;
        else outcome.unchanged++;
      }
    })();
  }
  outcome.missing = stmt(db, `SELECT count(*) FROM files WHERE root_id = ? AND state = 'missing'`)
    .pluck()
    .get(root.id) as number;
  recordScan(db, root.id, JSON.stringify({ ...outcome, problems: outcome.problems.length }));
  events.emit('scan-progress', { rootId: root.id, phase: 'done', seen: outcome.files });
  return outcome;
}
