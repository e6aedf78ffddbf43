import path from 'node:path';
import type { Db } from '../catalog/open';
import { stmt } from '../catalog/statements';
import {
  claimJobs,
  completeJob,
  deferJob,
  nextDueIn,
  pendingJobCount,
  retryJob,
  type JobRow,
} from '../catalog/jobs.repository';
import {
  deleteFileAndOrphanAsset,
  findMissingByHash,
  getFile,
  moveFile,
  type FileRow,
} from '../catalog/files.repository';
import { setFileError, storeProcessed } from '../catalog/metadata.repository';
import type { CoreEventBus } from '../events';
import { throttle } from '../events';
import type { FormatId } from '../ingest/formats/file-types';
import type { ProcessRequest, ProcessResult } from './messages';
import type { WorkerPool } from './worker-pool';

interface Target {
  abs: string;
  format: FormatId;
  ext: string;
  size: number;
}

/** Hashing a slow share runs at tens of MB/s: give big files the time they need. */
/** What else happens when a file is catalogued for the first time (version stacks). */
export interface CatalogueHooks {
  /** Inside the flush's transaction; returns other assets that changed. */
  fileCatalogued(res: ProcessResult): number[];
  /** After the flush's transaction. */
  settle(): void;
  /** In the results' transaction, with the file as it was before this reading (content history). */
  stored(before: FileRow, res: ProcessResult): void;
}

function timeLimitMs(size: number): number {
  return 30_000 + Math.ceil(size / (20 * 1024 * 1024)) * 1000;
}

/**
 * Feeds the persistent job table to the worker pool and writes results back. The only writer of
 * processing results; results are batched into one transaction per flush.
 */
export class JobRunner {
  private running = new Set<number>();
  private results: { job: JobRow; res: ProcessResult }[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;
  private done = 0;
  private failed = 0;
  private startedAt = Date.now();
  private progress;

  constructor(
    private readonly db: Db,
    private readonly pool: WorkerPool,
    private readonly thumbDir: string,
    private readonly events: CoreEventBus,
    private readonly hooks?: CatalogueHooks,
  ) {
    this.progress = throttle(250, (p: ReturnType<JobRunner['snapshot']>) =>
      this.events.emit('job-progress', p),
    );
  }

  snapshot() {
    const seconds = Math.max(0.001, (Date.now() - this.startedAt) / 1000);
    return {
      done: this.done,
      failed: this.failed,
      pending: pendingJobCount(this.db),
      running: this.running.size,
      perSecond: Math.round((this.done / seconds) * 10) / 10,
    };
  }

  /** Look for work now (after a scan or a watch event enqueued some). */
  kick(): void {
    if (this.stopped) return;
    if (this.wakeTimer) {
      clearTimeout(this.wakeTimer);
      this.wakeTimer = null;
    }
    this.pump();
  }

  /** Resolves once no job is owed, running or waiting for its retry. */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.kick();
      this.checkIdle();
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.flush();
  }

  private target(fileId: number): Target | undefined {
    return stmt(
      this.db,
      `SELECT r.path || '/' || f.rel_path AS abs, f.format, f.ext, f.size
         FROM files f JOIN roots r ON r.id = f.root_id WHERE f.id = ? AND r.state = 'online'`,
    ).get(fileId) as Target | undefined;
  }

  private pump(): void {
    if (this.stopped) return;
    const idle = this.pool.idleCount;
    if (idle === 0) return;
    const jobs = claimJobs(this.db, idle, this.running);
    for (const job of jobs) {
      const t = this.target(job.file_id);
      if (!t) {
        // The root went offline since the claim: the job waits for the root to return.
        deferJob(this.db, job.file_id, 30_000);
        continue;
      }
      this.running.add(job.file_id);
      const req: ProcessRequest = {
        jobId: job.id,
        fileId: job.file_id,
        absPath: path.normalize(t.abs),
        format: t.format,
        ext: t.ext,
        thumbDir: this.thumbDir,
      };
      void this.pool.run(req, timeLimitMs(t.size)).then((res) => {
        this.running.delete(job.file_id);
        this.results.push({ job, res });
        this.scheduleFlush();
        this.pump();
      });
    }
    if (jobs.length === 0) this.scheduleWake();
  }

  private scheduleFlush(): void {
    if (this.results.length >= 64) return this.flush();
    this.flushTimer ??= setTimeout(() => this.flush(), 50);
  }

  private scheduleWake(): void {
    if (this.wakeTimer || this.running.size > 0) return this.checkIdle();
    const due = nextDueIn(this.db);
    if (due == null) return this.checkIdle();
    this.wakeTimer = setTimeout(
      () => {
        this.wakeTimer = null;
        this.pump();
      },
      Math.max(50, due),
    );
  }

  private checkIdle(): void {
    if (this.running.size > 0 || this.results.length > 0 || this.idleWaiters.length === 0) return;
    if (pendingJobCount(this.db) > 0) return;
    this.progress.push(() => this.snapshot());
    this.progress.flush();
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private flush(): void {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    if (this.results.length === 0) return;
    const batch = this.results;
    this.results = [];
    const changed = new Set<number>();
    this.db.transaction(() => {
      for (const { job, res } of batch) for (const id of this.apply(job, res)) changed.add(id);
    })();
    if (changed.size) this.events.emit('catalog-changed', { assetIds: [...changed] });
    this.hooks?.settle();
    this.progress.push(() => this.snapshot());
    this.pump();
    this.checkIdle();
  }

  /** Returns the assets that changed. */
  private apply(job: JobRow, res: ProcessResult): number[] {
    const first = getFile(this.db, res.fileId)?.content_hash == null;
    const assetId = this.store(job, res);
    if (assetId == null) return [];
    // Processed for the first time and not a known file moved here: a new file, maybe a new version.
    const moved = assetId !== getFile(this.db, res.fileId)?.asset_id;
    if (!first || moved || !res.stat || res.transientError || !this.hooks) return [assetId];
    return [assetId, ...this.hooks.fileCatalogued(res)];
  }

  /** Returns the asset that changed, if any. */
  private store(job: JobRow, res: ProcessResult): number | null {
    const file = getFile(this.db, res.fileId);
    if (!file) return null;
    if (res.transientError) {
      if (retryJob(this.db, file.id, job.attempts, res.transientError)) return null;
      this.failed++;
      completeJob(this.db, file.id);
      setFileError(this.db, file.id, file.asset_id, res.transientError);
      return file.asset_id;
    }
    if (!res.stat) {
      completeJob(this.db, file.id);
      // Gone before it could be read: the scanner or the watcher decides whether it is missing.
      if (!res.error || res.error === 'file not found') return null;
      this.failed++;
      setFileError(this.db, file.id, file.asset_id, res.error);
      return file.asset_id;
    }
    if (!res.stable || res.stat.size !== file.size || res.stat.mtimeMs !== file.mtime_ms) {
      // Still being written, or changed since it was catalogued: read it again shortly.
      deferJob(this.db, file.id, 1000);
      return null;
    }
    this.done++;
    if (res.error) this.failed++;
    if (file.content_hash == null && res.contentHash) {
      const earlier = findMissingByHash(this.db, res.contentHash, file.size, file.id);
      if (earlier != null) {
        // Same bytes as a file that vanished: a move or rename. Keep the earlier asset and all it carries.
        deleteFileAndOrphanAsset(this.db, file.id);
        moveFile(this.db, earlier, file.root_id, file.rel_path, res.stat);
        const moved = getFile(this.db, earlier)!;
        storeProcessed(this.db, { ...res, fileId: earlier }, moved.asset_id);
        return moved.asset_id;
      }
    }
    storeProcessed(this.db, res, file.asset_id);
    this.hooks?.stored(file, res);
    completeJob(this.db, file.id);
    return file.asset_id;
  }
}
