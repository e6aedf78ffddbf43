import fs from 'node:fs';
import path from 'node:path';
import chokidar, { type FSWatcher } from 'chokidar';
import type { Db } from '../catalog/open';
import { getRoot, setRootState, type RootRecord } from '../catalog/roots.repository';
import { getFileByPath, markMissing, presentFilesUnder } from '../catalog/files.repository';
import type { CoreEventBus } from '../events';
import { parseTempName } from '../temp-files';
import { errorCode } from './errors';
import { isIgnoredDir, isIgnoredFile, isSidecarName } from './ignore';
import { undecodableEntries } from './raw-names';
import { checkRoot } from './reachability';
import { recordOneFile, scanRoot, setOffline, setOnline, type RootScanOutcome } from './scanner';
import { undecodableProblems, type WalkProblem } from './walk';

/** A file must stop growing for this long before it is read: a copy in progress is not ingested. */
export const WRITE_SETTLE_MS = 2000;
/** Deletions are batched so that one reachability check covers a whole vanished share. */
const REMOVAL_DEBOUNCE_MS = 600;

export interface WatchContext {
  db: Db;
  events: CoreEventBus;
  /** The catalogue's own folder, never watched even if it lies inside a root. */
  exclude: string[];
  /** Work was enqueued: start processing it. */
  onWork: () => void;
  /** An XMP sidecar appeared or changed (perhaps written by another machine). */
  onSidecar?: (root: RootRecord, relPath: string) => void;
  /** A root was (re)scanned to catch up (its sidecars and debris are the caller's). Awaited. */
  onRescanned?: (root: RootRecord, outcome: RootScanOutcome) => void | Promise<unknown>;
  /** Our temporary files seen while watching ([relPath, mtimeMs]): the caller removes those whose writer is gone. */
  onDebris?: (root: RootRecord, found: [string, number][]) => void | Promise<unknown>;
}

function toRel(rootPath: string, abs: string): string | null {
  const rel = path.relative(rootPath, abs);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return rel.split(path.sep).join('/');
}

/**
 * Keeps one root's catalogue in step with the disk. It only records what changed; reading files is
 * the job runner's work, exactly as for a scan. Events are delivered only once chokidar is ready,
 * after a catch-up scan made at that moment: a change before ready is found by the scan, one after
 * it by the watcher, so nothing that changes during start-up is missed.
 */
export class RootWatcher {
  private watcher: FSWatcher | null = null;
  private removals = new Set<string>();
  private removalTimer: NodeJS.Timeout | null = null;
  private healthTimer: NodeJS.Timeout | null = null;
  private polling: boolean;
  private stopped = false;
  /** Chokidar has finished its initial crawl: events from here on are delivered. */
  private ready = false;
  private settleReady: (() => void) | null = null;
  private busy: Promise<void> = Promise.resolve();
  /** Problems already said (a name that is not UTF-8 is reported once, not on every event in its folder). */
  private reported = new Set<string>();
  /** Our temporary files seen since the last scan (root-relative), offered for removal on each health check. */
  private debris = new Set<string>();

  constructor(
    private readonly ctx: WatchContext,
    private root: RootRecord,
  ) {
    this.polling = root.kind === 'network';
  }

  get usesPolling(): boolean {
    return this.polling;
  }

  /** Watch; resolves once caught up with what changed while not watching (an offline root: at once). */
  start(): Promise<void> {
    this.scheduleHealthCheck();
    if (this.root.state !== 'online') return Promise.resolve();
    return this.openAndCatchUp();
  }

  private openAndCatchUp(): Promise<void> {
    const ready = this.open();
    return new Promise((resolve) =>
      this.run(async () => {
        try {
          await ready;
          if (!this.stopped && this.watcher) await this.catchUp();
        } finally {
          resolve();
        }
      }),
    );
  }

  /** A scan made once the watcher is ready: whatever changed before then is recorded by it. */
  private async catchUp(): Promise<void> {
    const o = await scanRoot(this.ctx.db, this.ctx.events, this.refreshRoot(), {
      exclude: this.ctx.exclude,
    });
    if (o.offline) {
      // The health check watches for its return.
      await this.close();
      return;
    }
    this.warnProblems(o.problems);
    await this.ctx.onRescanned?.(this.root, o);
    this.ctx.onWork();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.healthTimer) clearTimeout(this.healthTimer);
    if (this.removalTimer) clearTimeout(this.removalTimer);
    await this.close();
    await this.busy;
  }

  /** Serialise catalogue work from this root's events. */
  private run(fn: () => void | Promise<void>): void {
    this.busy = this.busy.then(fn).catch((err: unknown) => {
      this.ctx.events.emit('warning', {
        rootId: this.root.id,
        message: `watching ${this.root.path}: ${String(err)}`,
      });
    });
  }

  private refreshRoot(): RootRecord {
    this.root = getRoot(this.ctx.db, this.root.id) ?? this.root;
    return this.root;
  }

  /** Resolves when chokidar is ready (or the watcher was closed first). */
  private open(): Promise<void> {
    this.ready = false;
    const rootPath = this.root.path;
    const exclude = new Set(this.ctx.exclude.map((p) => path.resolve(p)));
    const w = chokidar.watch(rootPath, {
      ignoreInitial: true,
      followSymlinks: false,
      alwaysStat: true,
      usePolling: this.polling,
      interval: this.root.pollIntervalMs,
      binaryInterval: this.root.pollIntervalMs,
      awaitWriteFinish: { stabilityThreshold: WRITE_SETTLE_MS, pollInterval: 250 },
      ignored: (p: string, stats?: fs.Stats) => {
        if (p === rootPath) return false;
        if (exclude.has(path.resolve(p))) return true;
        const name = path.basename(p);
        if (stats?.isDirectory()) return isIgnoredDir(name);
        if (stats?.isFile()) return isIgnoredFile(name) && !isSidecarName(name);
        return name.startsWith('.');
      },
    });
    w.on('add', (p, st) => this.onFile(p, st));
    w.on('change', (p, st) => this.onFile(p, st));
    // A new folder is read by chokidar, which drops the names it cannot stat: check them.
    w.on('addDir', (p) => this.ready && this.run(() => this.checkNames(p)));
    w.on('unlink', (p) => this.onRemoved(p));
    w.on('unlinkDir', (p) => this.onRemoved(p));
    w.on('error', (err) => this.onError(err));
    w.on('raw', (_event, evPath: string, details: unknown) => this.onRaw(evPath, details));
    this.watcher = w;
    return new Promise((resolve) => {
      this.settleReady = resolve;
      w.once('ready', () => {
        if (this.watcher === w) this.ready = true;
        this.settleReady = null;
        resolve();
      });
    });
  }

  private async close(): Promise<void> {
    const w = this.watcher;
    this.watcher = null;
    this.ready = false;
    this.settleReady?.();
    this.settleReady = null;
    if (w) await w.close();
  }

  private onFile(abs: string, st?: fs.Stats): void {
    // Before ready, the catch-up scan that follows it records this change.
    if (!this.ready) return;
    const rel = toRel(this.root.path, abs);
    if (!rel) return;
    if (isSidecarName(path.basename(abs))) {
      this.run(() => this.ctx.onSidecar?.(this.root, rel));
      return;
    }
    this.removals.delete(rel);
    this.run(() => {
      const s = st ?? fs.statSync(abs, { throwIfNoEntry: false });
      if (!s || !s.isFile()) return;
      const outcome = recordOneFile(this.ctx.db, this.root.id, {
        relPath: rel,
        size: s.size,
        mtimeMs: Math.trunc(s.mtimeMs),
        dev: s.dev,
        ino: s.ino,
      });
      if (outcome !== 'unchanged') this.ctx.onWork();
    });
  }

  /**
   * Chokidar drops a name that is not UTF-8 without an event (its lossy name cannot be stat'ed), so
   * its folder's raw events are the hook: a native event names the entry (lossy, with U+FFFD); a
   * polling one names the folder that changed. That folder's names are then checked as the scan does.
   */
  private onRaw(evPath: string, details: unknown): void {
    if (!this.ready || typeof evPath !== 'string') return;
    const watched = (details as { watchedPath?: unknown } | undefined)?.watchedPath;
    if (typeof watched === 'string') {
      // A folder's watcher names its entry; a file's own watcher names the file.
      const folder = path.basename(watched) === evPath ? path.dirname(watched) : watched;
      if (evPath.includes('\uFFFD')) this.run(() => this.checkNames(folder));
      // Ignored as hidden, so only raw events show our temporary files.
      if (evPath.endsWith('.tmp') && parseTempName(path.basename(evPath))) {
        const rel = toRel(this.root.path, path.join(folder, evPath));
        if (rel) this.debris.add(rel);
      }
    } else if (this.polling) {
      this.run(() => {
        this.checkNames(evPath);
        this.collectDebris(evPath);
      });
    }
  }

  /** A polled folder changed: note our temporary files in it. */
  private collectDebris(folder: string): void {
    const rel = path.resolve(folder) === path.resolve(this.root.path) ? '' : toRel(this.root.path, folder);
    if (rel === null) return;
    try {
      for (const name of fs.readdirSync(folder))
        if (name.endsWith('.tmp') && parseTempName(name)) this.debris.add(rel ? `${rel}/${name}` : name);
    } catch {
      // not a folder, or gone since the event
    }
  }

  /**
   * Offers the temporary files seen while watching for removal (the caller keeps those whose writer
   * may live): a write killed under a long-running watch is cleaned up without waiting for a scan.
   */
  private async sweepDebris(): Promise<void> {
    if (this.debris.size === 0 || !this.ctx.onDebris) return;
    const found: [string, number][] = [];
    for (const rel of this.debris) {
      const st = fs.lstatSync(path.join(this.root.path, rel), { throwIfNoEntry: false });
      if (st?.isFile()) found.push([rel, Math.trunc(st.mtimeMs)]);
      else this.debris.delete(rel); // renamed into place (a write that finished), or not a file of ours
    }
    if (found.length) await this.ctx.onDebris(this.root, found);
    for (const [rel] of found) if (!fs.existsSync(path.join(this.root.path, rel))) this.debris.delete(rel);
  }

  private checkNames(folder: string): void {
    const rel = path.resolve(folder) === path.resolve(this.root.path) ? '' : toRel(this.root.path, folder);
    if (rel === null) return;
    try {
      if (!fs.lstatSync(folder).isDirectory()) return;
      this.warnProblems(undecodableProblems(undecodableEntries(folder), rel));
    } catch {
      // gone since the event: nothing there to report
    }
  }

  /** Says each problem of this root once, as `dam scan` lists them. */
  private warnProblems(problems: readonly WalkProblem[]): void {
    for (const p of problems) {
      const message = `${path.join(this.root.path, p.relPath)}: ${p.message}`;
      if (this.reported.has(message)) continue;
      this.reported.add(message);
      this.ctx.events.emit('warning', { rootId: this.root.id, message });
    }
  }

  private onRemoved(abs: string): void {
    if (!this.ready) return;
    // A deleted sidecar takes nothing from the catalogue; the next edit writes it again.
    if (isSidecarName(path.basename(abs))) return;
    const rel = toRel(this.root.path, abs);
    if (rel === null) {
      // The root folder itself went away.
      this.scheduleHealthCheck(0);
      return;
    }
    this.removals.add(rel);
    if (this.removalTimer) clearTimeout(this.removalTimer);
    this.removalTimer = setTimeout(() => this.run(() => this.applyRemovals()), REMOVAL_DEBOUNCE_MS);
  }

  private applyRemovals(): void {
    this.removalTimer = null;
    const paths = [...this.removals];
    this.removals.clear();
    if (paths.length === 0) return;
    const reach = checkRoot(this.root.path, this.root.dev);
    if (!reach.ok) return this.goOffline(reach.reason);
    const { db } = this.ctx;
    const changed: number[] = [];
    db.transaction(() => {
      for (const rel of paths) {
        // Only what is really gone: a delete followed by a re-create (safe-save) is not missing.
        if (fs.existsSync(path.join(this.root.path, rel))) continue;
        const file = getFileByPath(db, this.root.id, rel);
        const gone = file ? [{ id: file.id }] : presentFilesUnder(db, this.root.id, rel);
        for (const f of gone) {
          markMissing(db, f.id);
          changed.push(f.id);
        }
      }
    })();
    if (changed.length) this.ctx.events.emit('catalog-changed', { assetIds: [] });
  }

  private onError(err: unknown): void {
    const code = errorCode(err);
    if ((code === 'ENOSPC' || code === 'EMFILE') && !this.polling) {
      // The OS ran out of watches (inotify's max_user_watches): polling is slower but complete.
      this.polling = true;
      const message = `the system's file-watch limit was reached; checking ${this.root.path} for changes every ${Math.round(this.root.pollIntervalMs / 1000)} s instead`;
      setRootState(this.ctx.db, this.root.id, this.root.state, message);
      this.ctx.events.emit('warning', { rootId: this.root.id, message });
      // Events may be lost in the switch: catch up again once the polling watcher is ready.
      void this.close().then(() => {
        if (!this.stopped) void this.openAndCatchUp();
      });
      return;
    }
    this.scheduleHealthCheck(0);
  }

  /** Network roots can vanish without a single event: look at them on the poll interval. */
  private scheduleHealthCheck(delay = Math.max(2000, this.root.pollIntervalMs)): void {
    if (this.stopped) return;
    if (this.healthTimer) clearTimeout(this.healthTimer);
    this.healthTimer = setTimeout(() => this.run(() => this.healthCheck()), delay);
  }

  private async healthCheck(): Promise<void> {
    if (this.stopped) return;
    const root = this.refreshRoot();
    const reach = checkRoot(root.path, root.dev);
    if (!reach.ok) {
      this.goOffline(reach.reason);
    } else if (root.state === 'offline' || !this.watcher) {
      // Back again: watch, and once the watcher is ready catch up with whatever changed while away.
      this.ctx.db.transaction(() => setOnline(this.ctx.db, this.ctx.events, root, reach.dev))();
      if (!this.stopped && !this.watcher) await this.open();
      if (!this.stopped) await this.catchUp();
    } else {
      await this.sweepDebris();
    }
    this.scheduleHealthCheck();
  }

  private goOffline(reason: string): void {
    const root = this.refreshRoot();
    this.removals.clear();
    setOffline(this.ctx.db, this.ctx.events, root, reason);
    this.refreshRoot();
    void this.close();
    this.scheduleHealthCheck();
  }
}
