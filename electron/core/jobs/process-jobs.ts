import path from 'node:path';
import type { Db } from '../catalog/open';
import { stmt } from '../catalog/statements';
import {
  deleteFileAndOrphanAsset,
  findMissingByHash,
  getFile,
  moveFile,
  type FileRow,
} from '../catalog/files.repository';
import { setFileError, storeProcessed } from '../catalog/metadata.repository';
import type { CoreEventBus } from '../events';
import type { FormatId } from '../ingest/formats/file-types';
import { complete, defer, retry, type ClaimedJob } from '../catalog/jobs.repository';
import type { ProcessRequest, ProcessResult } from './messages';
import type { JobHandler, JobRunner } from './runner';
import type { WorkerPool } from './worker-pool';

interface Target {
  abs: string;
  format: FormatId;
  ext: string;
  size: number;
}

/** What else happens when a file is catalogued for the first time (version stacks). */
export interface CatalogueHooks {
  /** Inside the flush's transaction; returns other assets that changed. */
  fileCatalogued(res: ProcessResult): number[];
  /** After the flush's transaction. */
  settle(): void;
  /** In the results' transaction, with the file as it was before this reading (content history). */
  stored(before: FileRow, res: ProcessResult): void;
}

/** Hashing a slow share runs at tens of MB/s: give big files the time they need. */
function timeLimitMs(size: number): number {
  return 30_000 + Math.ceil(size / (20 * 1024 * 1024)) * 1000;
}

/**
 * Jobs of kind 'process' (ingest): each file is read on the worker pool, and results are written
 * back in batches, one transaction per flush, each job settled in the transaction that stores its
 * result. The only writer of processing results.
 */
export class ProcessJobs implements JobHandler {
  private results: { job: ClaimedJob; res: ProcessResult }[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private onStop: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly pool: () => WorkerPool,
    private readonly workers: number,
    private readonly thumbDir: string,
    private readonly events: CoreEventBus,
    private readonly runner: JobRunner,
    private readonly hooks?: CatalogueHooks,
  ) {}

  /** The pool's size (the pool itself is started by the first job). */
  concurrency(): number {
    return this.workers;
  }

  busy(): boolean {
    return this.results.length > 0;
  }

  stop(): void {
    this.stopped = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    for (const r of this.onStop.splice(0)) r();
  }

  private target(fileId: number): Target | undefined {
    return stmt(
      this.db,
      `SELECT r.path || '/' || f.rel_path AS abs, f.format, f.ext, f.size
         FROM files f JOIN roots r ON r.id = f.root_id WHERE f.id = ? AND r.state = 'online'`,
    ).get(fileId) as Target | undefined;
  }

  async run(job: ClaimedJob): Promise<void> {
    const t = this.target(job.subject);
    // The root went offline since the claim: the job waits for the root to return.
    if (!t) return defer(this.db, job, 30_000);
    const req: ProcessRequest = {
      jobId: job.id,
      fileId: job.subject,
      absPath: path.normalize(t.abs),
      format: t.format,
      ext: t.ext,
      thumbDir: this.thumbDir,
    };
    // A stop does not wait for a slow file: its job goes back to the queue.
    const res = await Promise.race([
      this.pool().run(req, timeLimitMs(t.size)),
      new Promise<null>((r) => this.onStop.push(() => r(null))),
    ]);
    if (!res || this.stopped) return;
    this.results.push({ job, res });
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.results.length >= 64) return this.flush();
    this.flushTimer ??= setTimeout(() => this.flush(), 50);
  }

  flush(): void {
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
    this.runner.kick();
  }

  /** Returns the assets that changed. */
  private apply(job: ClaimedJob, res: ProcessResult): number[] {
    const first = getFile(this.db, res.fileId)?.content_hash == null;
    const assetId = this.store(job, res);
    if (assetId == null) return [];
    // Processed for the first time and not a known file moved here: a new file, maybe a new version.
    const moved = assetId !== getFile(this.db, res.fileId)?.asset_id;
    if (!first || moved || !res.stat || res.transientError || !this.hooks) return [assetId];
    return [assetId, ...this.hooks.fileCatalogued(res)];
  }

  /** Returns the asset that changed, if any. */
  private store(job: ClaimedJob, res: ProcessResult): number | null {
    const file = getFile(this.db, res.fileId);
    if (!file) return null;
    if (res.transientError) {
      if (retry(this.db, job, res.transientError)) return null;
      this.runner.note('failed');
      complete(this.db, job);
      setFileError(this.db, file.id, file.asset_id, res.transientError);
      return file.asset_id;
    }
    if (!res.stat) {
      complete(this.db, job);
      // Gone before it could be read: the scanner or the watcher decides whether it is missing.
      if (!res.error || res.error === 'file not found') return null;
      this.runner.note('failed');
      setFileError(this.db, file.id, file.asset_id, res.error);
      return file.asset_id;
    }
    if (!res.stable || res.stat.size !== file.size || res.stat.mtimeMs !== file.mtime_ms) {
      // Still being written, or changed since it was catalogued: read it again shortly.
      defer(this.db, job, 1000);
      return null;
    }
    this.runner.note('done');
    if (res.error) this.runner.note('failed');
    if (file.content_hash == null && res.contentHash) {
      const earlier = findMissingByHash(this.db, res.contentHash, file.size, file.id);
      if (earlier != null) {
        // Same bytes as a file that vanished: a move or rename. Keep the earlier asset and all it carries.
        // (Deleting the new file row takes its job with it.)
        deleteFileAndOrphanAsset(this.db, file.id);
        moveFile(this.db, earlier, file.root_id, file.rel_path, res.stat);
        const moved = getFile(this.db, earlier)!;
        storeProcessed(this.db, { ...res, fileId: earlier }, moved.asset_id);
        return moved.asset_id;
      }
    }
    storeProcessed(this.db, res, file.asset_id);
    this.hooks?.stored(file, res);
    complete(this.db, job);
    return file.asset_id;
  }
}
