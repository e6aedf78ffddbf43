import path from 'node:path';
import type { ScanFailure, ScanSummary } from '../../../shared/model';
import type { Db } from '../catalog/open';
import { stmt } from '../catalog/statements';
import { getRoot, listRoots, type RootRecord } from '../catalog/roots.repository';
import { markChanged, type StatInfo } from '../catalog/files.repository';
import { isOwed } from '../catalog/jobs.repository';
import type { CoreEventBus } from '../events';
import type { Governance } from '../governance/service';
import type { ContentHistory } from '../history/service';
import { scanRoot, type RootScanOutcome } from '../ingest/scanner';
import { RootWatcher } from '../ingest/watcher';
import type { JobRunner } from '../jobs/runner';

/** What a scan and a watch need, named one by one so the service can be read (and built) alone. */
export interface ScanDeps {
  readonly db: Db;
  readonly events: CoreEventBus;
  /** The one job runner: a scan owes `process` jobs and waits for them. */
  readonly jobs: JobRunner;
  /** The catalogue folder, never scanned even when it lies inside a root. */
  readonly catalogDir: string;
  /** Sidecars found by a scan are merged after processing, so they win over what the file says. */
  readonly governance: Pick<Governance, 'syncScanned' | 'removeDebris' | 'sidecarChanged'>;
  /** Contents ingest found to keep are copied before a scan reports done. */
  readonly history: Pick<ContentHistory, 'whenIdle'>;
}

export type ScanReport = ScanSummary & { offline: number[]; problems: string[]; failed: ScanFailure[] };

/**
 * Keeps the catalogue current with the roots: one-off scans, the work they leave owed, and
 * watching (a catch-up scan per root, then its changes as they happen).
 */
export class ScanService {
  private watchers = new Map<number, RootWatcher>();
  /** Between startWatching() and stopWatching(): a root added meanwhile is watched at once. */
  private watching = false;

  constructor(private readonly deps: ScanDeps) {}

  /**
   * One pass over every root (or those given); resolves when all the work it found is done.
   * `failed` names what `errors` counts: unreadable folders, files with a recorded error and
   * sidecars that cannot be parsed.
   */
  async scan(rootIds?: number[]): Promise<ScanReport> {
    const { db, events, jobs, governance, history } = this.deps;
    const started = Date.now();
    const roots = listRoots(db).filter((r) => !rootIds || rootIds.includes(r.id));
    const summary = { files: 0, new: 0, changed: 0, unchanged: 0, missing: 0, errors: 0, seconds: 0 };
    const offline: number[] = [];
    const problems: string[] = [];
    const failed: ScanFailure[] = [];
    const sidecars: [RootRecord, RootScanOutcome][] = [];
    for (const root of roots) {
      const o = await scanRoot(db, events, root, { exclude: [this.deps.catalogDir] });
      if (!o.offline) sidecars.push([root, o]);
      if (o.offline) offline.push(root.id);
      summary.files += o.files;
      summary.new += o.new;
      summary.changed += o.changed;
      summary.unchanged += o.unchanged;
      summary.errors += o.problems.length;
      problems.push(...o.problems.map((p) => `${path.join(root.path, p.relPath)}: ${p.message}`));
      failed.push(...o.problems.map((p) => ({ path: path.join(root.path, p.relPath), reason: p.message })));
      jobs.kick();
    }
    await jobs.whenIdle(['process']);
    // The contents ingest found to keep (scope 'all', or new contents of governed assets).
    await history.whenIdle();
    // After processing, so that a sidecar is merged over what the file itself says.
    for (const [root, o] of sidecars) {
      problems.push(...(await governance.syncScanned(root.id, root.path, o.sidecars)));
      await governance.removeDebris(root.id, root.path, o.debris);
    }
    const ids = roots.map((r) => r.id);
    if (ids.length) {
      // Counted after processing: a file that only looked missing may have turned out to be moved.
      summary.missing = stmt(
        db,
        `SELECT count(*) FROM files WHERE state = 'missing' AND root_id IN (SELECT value FROM json_each(?))`,
      )
        .pluck()
        .get(JSON.stringify(ids)) as number;
      for (const table of ['files', 'sidecar_files']) {
        const rows = stmt(
          db,
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
    await this.deps.jobs.whenIdle(['process']);
    await this.deps.history.whenIdle();
  }

  /** Owe the reading of a file again (its content changed under us), and start on it. */
  reprocess(fileId: number, s: StatInfo): void {
    markChanged(this.deps.db, fileId, s);
    this.deps.jobs.kick();
  }

  /** Resolves once ingest owes this file nothing (or owes nothing it can do now, e.g. its root is offline). */
  async whenProcessed(fileId: number): Promise<void> {
    const { db, events, jobs } = this.deps;
    const owed = () => isOwed(db, 'process', fileId);
    if (!owed()) return;
    const offs: (() => void)[] = [];
    // Not the whole queue: a restore during a long scan waits for its own file only.
    await Promise.race([
      new Promise<void>((resolve) => {
        const check = () => !owed() && resolve();
        offs.push(events.on('catalog-changed', check), events.on('job-progress', check));
      }),
      jobs.whenIdle(['process']),
    ]);
    offs.forEach((off) => off());
  }

  /** Watch every root until stopWatching(); catches up with changes made while not watching. */
  async startWatching(): Promise<void> {
    this.watching = true;
    for (const root of listRoots(this.deps.db)) await this.catchUpAndWatch(root);
  }

  /** A root was just added: watched at once if watching is on (its catch-up scan reads it). */
  rootAdded(root: RootRecord): void {
    if (this.watching) void this.catchUpAndWatch(root);
  }

  /** A root is about to be forgotten: stop watching it first. */
  async rootRemoved(id: number): Promise<void> {
    await this.watchers.get(id)?.stop();
    this.watchers.delete(id);
  }

  isWatchingWithPolling(rootId: number): boolean | undefined {
    return this.watchers.get(rootId)?.usesPolling;
  }

  async stopWatching(): Promise<void> {
    this.watching = false;
    await Promise.all([...this.watchers.values()].map((w) => w.stop()));
    this.watchers.clear();
  }

  private async catchUpAndWatch(root: RootRecord): Promise<void> {
    const current = getRoot(this.deps.db, root.id);
    if (!this.watching || !current || this.watchers.has(root.id)) return;
    // Watching starts first; the catch-up scan runs once the watcher is ready (see RootWatcher).
    await this.watchRoot(current).start();
    this.deps.jobs.kick();
  }

  private watchRoot(root: RootRecord): RootWatcher {
    const { db, events, jobs, governance } = this.deps;
    const w = new RootWatcher(
      {
        db,
        events,
        exclude: [this.deps.catalogDir],
        onWork: () => jobs.kick(),
        onSidecar: (r, rel) => void governance.sidecarChanged(r.id, rel, r.path),
        onRescanned: async (r, o) => {
          await governance.syncScanned(r.id, r.path, o.sidecars);
          await governance.removeDebris(r.id, r.path, o.debris);
        },
        onDebris: (r, found) => governance.removeDebris(r.id, r.path, found),
      },
      root,
    );
    this.watchers.set(root.id, w);
    return w;
  }
}
