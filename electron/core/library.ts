import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Asset, Root, ScanFailure, ScanSummary, SearchResult, Stats } from '../../shared/model';
import { openCatalog, type Db, type OpenOptions } from './catalog/open';
import { stmt } from './catalog/statements';
import { getRoot, listRoots, type RootRecord } from './catalog/roots.repository';
import { catalogStats, findAssetIdByPath, getAsset, getAssetsByIds } from './catalog/assets.repository';
import { markChanged, type StatInfo } from './catalog/files.repository';
import type { CoreContext } from './context';
import { CoreEventBus } from './events';
import { SearchService, type SearchOptions } from './search/executor';
import { RootsService, type AddRootOptions } from './roots/service';
import { Governance } from './governance/service';
import { ContentHistory } from './history/service';
import { scanRoot, type RootScanOutcome } from './ingest/scanner';
import { RootWatcher } from './ingest/watcher';
import { TMP_DIR } from './ingest/thumb-cache';
import { isOwed } from './catalog/jobs.repository';
import { ProcessJobs } from './jobs/process-jobs';
import { JobRunner } from './jobs/runner';
import { RenderService } from './jobs/render-service';
import { WorkerPool } from './jobs/worker-pool';
import { Versions } from './versions/service';

export type { AddRootOptions };

/**
 * The catalogue and everything that keeps it current, as one object: what the CLI, the HTTP
 * bridge and the Electron main process all drive. Plain Node; it never imports Electron.
 */
export type { SearchOptions };

export class Library implements CoreContext {
  readonly events = new CoreEventBus();
  readonly thumbDir: string;
  private pool: WorkerPool | null = null;
  /** The one runner of the job table: ingest, content-history copies and sidecar writes. */
  readonly jobs: JobRunner;
  private watchers = new Map<number, RootWatcher>();
  /** Between startWatching() and stopWatching(): a root added meanwhile is watched at once. */
  private watching = false;
  /** On-demand renders (large previews), apart from the ingest pool. */
  readonly renderer = new RenderService();
  /** Typed queries over the catalogue (the grammar in shared/, compiled to SQL). */
  private readonly searcher: SearchService;
  /** Which folders are roots, and of what kind. */
  private readonly rootService: RootsService;
  /** Rights, approvals and the XMP sidecars that carry them between machines. */
  readonly governance: Governance;
  /** Version stacks: grouping at ingest and the user's operations. */
  readonly versions: Versions;
  /** Past contents of files, kept in history/ beside the catalogue. */
  readonly history: ContentHistory;

  private constructor(
    readonly dir: string,
    readonly db: Db,
    private readonly workers: number,
  ) {
    this.thumbDir = path.join(dir, 'thumbs');
    this.searcher = new SearchService(db, this.thumbDir);
    this.rootService = new RootsService(db);
    this.jobs = new JobRunner(db, this.events);
    this.governance = new Governance(db, this.events, this.jobs);
    this.versions = new Versions(this);
    this.history = new ContentHistory(db, this.events, dir, () => this.governance.actor, this.jobs);
    const ingest = new ProcessJobs(
      db,
      () => (this.pool ??= new WorkerPool(this.workers)),
      this.workers,
      this.thumbDir,
      this.events,
      this.jobs,
      {
        fileCatalogued: (res) => this.versions.fileCatalogued(res),
        settle: () => this.versions.settle(),
        stored: (before, res) => this.history.noteProcessed(before, res),
      },
    );
    this.jobs.setHandlers({
      process: ingest,
      snapshot: this.history.handler,
      sidecar: this.governance.handler,
    });
    this.governance.onGoverned = (id) => this.history.keepCurrent(id, 'governed');
    this.versions.onStacked = (ids) => ids.forEach((id) => this.history.keepCurrent(id, 'governed'));
  }

  static open(dir: string, opts: OpenOptions & { workers?: number } = {}): Library {
    const db = openCatalog(dir, opts);
    const lib = new Library(
      path.resolve(dir),
      db,
      opts.workers ?? Math.max(1, Math.min(4, os.cpus().length)),
    );
    if (!opts.readonly) {
      // Jobs a killed or crashed process had claimed are owed again; a live one's are left to it.
      lib.jobs.reclaim();
      fs.rmSync(path.join(lib.thumbDir, TMP_DIR), { recursive: true, force: true });
      lib.history.store.cleanTemp();
    }
    return lib;
  }

  // ---- roots -------------------------------------------------------------------------------

  roots(): Root[] {
    return this.rootService.list();
  }

  addRoot(rootPath: string, opts: AddRootOptions = {}): Root {
    const root = this.rootService.add(rootPath, opts);
    if (this.watching) void this.catchUpAndWatch(root);
    const { dev: _dev, ...pub } = root;
    return pub;
  }

  async removeRoot(id: number): Promise<void> {
    await this.watchers.get(id)?.stop();
    this.watchers.delete(id);
    this.rootService.remove(id);
  }

  // ---- scanning and processing -----------------------------------------------------------

  /**
   * One pass over every root (or those given); resolves when all the work it found is done.
   * `failed` names what `errors` counts: unreadable folders, files with a recorded error and
   * sidecars that cannot be parsed.
   */
  async scan(
    rootIds?: number[],
  ): Promise<ScanSummary & { offline: number[]; problems: string[]; failed: ScanFailure[] }> {
    const started = Date.now();
    const roots = listRoots(this.db).filter((r) => !rootIds || rootIds.includes(r.id));
    const summary = { files: 0, new: 0, changed: 0, unchanged: 0, missing: 0, errors: 0, seconds: 0 };
    const offline: number[] = [];
    const problems: string[] = [];
    const failed: ScanFailure[] = [];
    const sidecars: [RootRecord, RootScanOutcome][] = [];
    for (const root of roots) {
      const o = await scanRoot(this.db, this.events, root, { exclude: [this.dir] });
      if (!o.offline) sidecars.push([root, o]);
      if (o.offline) offline.push(root.id);
      summary.files += o.files;
      summary.new += o.new;
      summary.changed += o.changed;
      summary.unchanged += o.unchanged;
      summary.errors += o.problems.length;
      problems.push(...o.problems.map((p) => `${path.join(root.path, p.relPath)}: ${p.message}`));
      failed.push(...o.problems.map((p) => ({ path: path.join(root.path, p.relPath), reason: p.message })));
      this.jobs.kick();
    }
    await this.jobs.whenIdle(['process']);
    // The contents ingest found to keep (scope 'all', or new contents of governed assets).
    await this.history.whenIdle();
    // After processing, so that a sidecar is merged over what the file itself says.
    for (const [root, o] of sidecars) {
      problems.push(...(await this.governance.syncScanned(root.id, root.path, o.sidecars)));
      await this.governance.removeDebris(root.id, root.path, o.debris);
    }
    const ids = roots.map((r) => r.id);
    if (ids.length) {
      // Counted after processing: a file that only looked missing may have turned out to be moved.
      summary.missing = stmt(
        this.db,
        `SELECT count(*) FROM files WHERE state = 'missing' AND root_id IN (SELECT value FROM json_each(?))`,
      )
        .pluck()
        .get(JSON.stringify(ids)) as number;
      for (const table of ['files', 'sidecar_files']) {
        const rows = stmt(
          this.db,
          `SELECT r.path AS root, t.rel_path AS relPath, t.error AS error FROM ${table} t
           JOIN roots r ON r.id = t.root_id
           WHERE t.error IS NOT NULL AND t.root_id IN (SELECT value FROM json_each(?))
           ORDER BY t.root_id, t.rel_path`,
        ).all(JSON.stringify(ids)) as { root: string; relPath: string; error: string }[];
        summary.errors += rows.length;
        failed.push(...rows.map((r) => ({ path: path.join(r.root, r.relPath), reason: r.error })));
      }
    }
    summary.seconds = Math.round((Date.now() - started) / 10) / 100;
    return { ...summary, offline, problems, failed };
  }

  /** Finish work left owed by an earlier run (including one that was killed). */
  async processPending(): Promise<void> {
    await this.jobs.whenIdle(['process']);
    await this.history.whenIdle();
  }

  /** Owe the reading of a file again (its content changed under us), and start on it. */
  reprocess(fileId: number, s: StatInfo): void {
    markChanged(this.db, fileId, s);
    this.jobs.kick();
  }

  /** Resolves once ingest owes this file nothing (or owes nothing it can do now, e.g. its root is offline). */
  async whenProcessed(fileId: number): Promise<void> {
    const owed = () => isOwed(this.db, 'process', fileId);
    if (!owed()) return;
    const offs: (() => void)[] = [];
    // Not the whole queue: a restore during a long scan waits for its own file only.
    await Promise.race([
      new Promise<void>((resolve) => {
        const check = () => !owed() && resolve();
        offs.push(this.events.on('catalog-changed', check), this.events.on('job-progress', check));
      }),
      this.jobs.whenIdle(['process']),
    ]);
    offs.forEach((off) => off());
  }

  private watchRoot(root: RootRecord): RootWatcher {
    const w = new RootWatcher(
      {
        db: this.db,
        events: this.events,
        exclude: [this.dir],
        onWork: () => this.jobs.kick(),
        onSidecar: (r, rel) => void this.governance.sidecarChanged(r.id, rel, r.path),
        onRescanned: async (r, o) => {
          await this.governance.syncScanned(r.id, r.path, o.sidecars);
          await this.governance.removeDebris(r.id, r.path, o.debris);
        },
      },
      root,
    );
    this.watchers.set(root.id, w);
    return w;
  }

  /** Watch every root until stopWatching(); catches up with changes made while not watching. */
  async startWatching(): Promise<void> {
    this.watching = true;
    for (const root of listRoots(this.db)) await this.catchUpAndWatch(root);
  }

  private async catchUpAndWatch(root: RootRecord): Promise<void> {
    const current = getRoot(this.db, root.id);
    if (!this.watching || !current || this.watchers.has(root.id)) return;
    // Watching starts first; the catch-up scan runs once the watcher is ready (see RootWatcher).
    await this.watchRoot(current).start();
    this.jobs.kick();
  }

  isWatchingWithPolling(rootId: number): boolean | undefined {
    return this.watchers.get(rootId)?.usesPolling;
  }

  async stopWatching(): Promise<void> {
    this.watching = false;
    await Promise.all([...this.watchers.values()].map((w) => w.stop()));
    this.watchers.clear();
  }

  // ---- reading ---------------------------------------------------------------------------

  search(query: string, opts: SearchOptions = {}): SearchResult {
    return this.searcher.search(query, opts);
  }

  /** Matching ids in display order; all of them unless `limit` (from `offset`) bounds the answer. */
  searchIds(query: string, opts: SearchOptions = {}): number[] {
    return this.searcher.searchIds(query, opts);
  }

  assets(ids: number[]): Asset[] {
    return getAssetsByIds(this.db, ids, this.thumbDir);
  }

  asset(id: number): Asset | undefined {
    return getAsset(this.db, id, this.thumbDir);
  }

  /** An asset by catalogue id or by the path of its file. */
  findAsset(idOrPath: string): Asset | undefined {
    if (/^\d+$/.test(idOrPath)) {
      const byId = this.asset(Number(idOrPath));
      if (byId) return byId;
    }
    let abs = path.resolve(idOrPath);
    try {
      abs = fs.realpathSync(abs);
    } catch {
      // A missing file can still be looked up by the path it had.
    }
    const id = findAssetIdByPath(this.db, abs);
    return id == null ? undefined : this.asset(id);
  }

  stats(): Stats {
    return catalogStats(this.db);
  }

  async close(): Promise<void> {
    await this.stopWatching();
    // Results still batched are stored first, then the sidecar writes they (or earlier edits) owe are
    // done; anything else owed stays in the job table for the next run.
    await this.jobs.stop(['sidecar']);
    await this.governance.flush();
    await this.history.close();
    await this.pool?.close();
    await this.renderer.close();
    this.db.close();
  }
}
