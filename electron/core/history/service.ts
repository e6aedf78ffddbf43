import path from 'node:path';
import type { HistoryStoreStatus } from '../../../shared/versions';
import type { FileRow } from '../catalog/files.repository';
import type { Db } from '../catalog/open';
import { stmt } from '../catalog/statements';
import type { CoreEventBus } from '../events';
import type { Actor } from '../governance/settings';
import type { ProcessResult } from '../jobs/messages';
import { refused } from '../errors';
import { BlobStore, type Incoming } from './blob-store';
import { StoreLimit, formatBytes } from './limit';
import {
  appendContentLog,
  getBlob,
  getSnapshot,
  historyScope,
  isGoverned,
  knownSize,
  lastContentEvent,
  markGoverned,
  markStoredEverywhere,
  owePresentOfGoverned,
  pendingSnapshotsOfFile,
  setSnapshotState,
  storeUsage,
  touchBlob,
  wantSnapshot,
  writeHistorySettings,
  type HistorySettings,
  type SnapshotReason,
} from './history.repository';
import { complete, defer, enqueue, isOwed, retry, type ClaimedJob } from '../catalog/jobs.repository';
import type { JobHandler, JobRunner } from '../jobs/runner';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

interface FileTarget {
  id: number;
  asset_id: number;
  content_hash: string | null;
  size: number;
  format: string;
  root_path: string;
  rel_path: string;
}

/**
 * The content history of one catalogue: which contents are kept (by scope), and the copies owed to
 * the store (jobs of kind 'snapshot', run one at a time by the job runner, off the request path),
 * admitted within the size limit (limit.ts). Restores build on keepFile().
 */
export class ContentHistory {
  readonly store: BlobStore;
  private kickPending = false;
  readonly limit: StoreLimit;
  /** Runs the 'snapshot' jobs: one copy at a time (the store's limit admits them in turn anyway). */
  readonly handler: JobHandler = {
    concurrency: () => 1,
    run: (job) => this.runJob(job).catch((err: unknown) => this.failed(job, message(err))),
  };

  constructor(
    private readonly db: Db,
    private readonly events: CoreEventBus,
    catalogDir: string,
    private readonly actor: () => Actor,
    private readonly jobs: JobRunner,
  ) {
    this.store = new BlobStore(catalogDir);
    this.limit = new StoreLimit(db, this.store, (text) => this.warn(text));
  }

  status(): HistoryStoreStatus {
    return this.limit.status();
  }

  private warn(text: string): void {
    this.events.emit('warning', { rootId: null, message: text });
  }

  // ---- settings and status ----------------------------------------------------------------

  /** Change the limit or the scope; a lower limit takes effect at once. */
  async configure(patch: Partial<HistorySettings>): Promise<HistoryStoreStatus> {
    writeHistorySettings(this.db, patch);
    if (patch.limitMb !== undefined) await this.limit.admit(() => this.limit.shrinkTo(0, []));
    this.limit.checkWarning();
    if (patch.scope !== undefined && patch.scope !== 'off') {
      // Assets governed while nothing was kept: their present content is owed now.
      owePresentOfGoverned(this.db);
      this.kick();
    }
    return this.status();
  }

  // ---- what is kept -----------------------------------------------------------------------

  /**
   * The asset became governed (rights or alt text set, an approval transition, a version stack):
   * keep its current content now and every new content from here on (scope 'governed').
   */
  keepCurrent(assetId: number, reason: SnapshotReason, who: Actor = this.actor()): void {
    const db = this.db;
    db.transaction(() => {
      markGoverned(db, assetId);
      if (historyScope(db) === 'off') return;
      const f = stmt(
        db,
        `SELECT f.id, f.asset_id, f.content_hash, f.size, f.format FROM asset_search s JOIN files f ON f.id = s.file_id
          WHERE s.asset_id = ?`,
      ).get(assetId) as Omit<FileTarget, 'root_path' | 'rel_path'> | undefined;
      if (!f) return;
      // Not read by ingest yet: the copy waits for the hash (see runJob).
      if (f.content_hash == null) enqueue(db, 'snapshot', f.id);
      else this.want(f.asset_id, f.id, f.content_hash, f.size, f.format, reason, who);
    })();
    this.kick();
  }

  /** Inside the caller's transaction: owe a copy of this content unless the store has it. */
  private want(
    assetId: number,
    fileId: number,
    hash: string,
    size: number,
    format: string,
    reason: SnapshotReason,
    who: Actor,
  ): void {
    const db = this.db;
    const state = wantSnapshot(db, {
      asset_id: assetId,
      file_id: fileId,
      hash,
      size,
      format,
      at: Date.now(),
      actor: who.user,
      machine: who.machine,
      reason,
    });
    const blob = getBlob(db, hash);
    if (blob && this.store.has(hash, blob.size)) {
      // Deduplicated: the same bytes are already kept (for this file or any other).
      if (state !== 'stored') markStoredEverywhere(db, hash);
      touchBlob(db, hash);
      return;
    }
    enqueue(db, 'snapshot', fileId);
    this.kickSoon();
  }

  /**
   * Ingest stored a reading of a file (inside its transaction): a new hash for a known file is a
   * change, recorded with who noticed it, and its new content kept when the scope says so.
   */
  noteProcessed(before: FileRow, res: ProcessResult): void {
    const hash = res.contentHash;
    const old = before.content_hash;
    if (!hash || hash === old || !res.stat) return;
    const db = this.db;
    if (old == null) {
      // First reading: only the 'all' scope keeps it (one settings read per file on the ingest path).
      if (historyScope(db) === 'all')
        this.want(before.asset_id, before.id, hash, res.stat.size, res.format, 'ingest', this.actor());
      return;
    }
    const who = this.actor();
    const last = lastContentEvent(db, before.asset_id);
    // A restore records its own entry; its re-ingest is not a second change.
    if (!(last?.event === 'restored' && last.hash === hash)) {
      const oldSize = knownSize(db, old);
      appendContentLog(db, {
        assetId: before.asset_id,
        fileId: before.id,
        event: 'changed',
        hash,
        size: res.stat.size,
        oldHash: old,
        oldSize,
        actor: who.user,
        machine: who.machine,
        at: Date.now(),
        detail: `content changed on disk (${oldSize == null ? old.slice(0, 12) : formatBytes(oldSize)} → ${formatBytes(res.stat.size)})`,
      });
    }
    const scope = historyScope(db);
    if (scope === 'all' || (scope === 'governed' && isGoverned(db, before.asset_id)))
      this.want(before.asset_id, before.id, hash, res.stat.size, res.format, 'changed', who);
  }

  // ---- the copies -------------------------------------------------------------------------

  private kickSoon(): void {
    if (this.kickPending) return;
    this.kickPending = true;
    setImmediate(() => {
      this.kickPending = false;
      this.kick();
    });
  }

  /** Look for owed copies now. */
  kick(): void {
    this.jobs.kick();
  }

  /** Resolves once no copy is owed on an online root, running or waiting for its retry. */
  whenIdle(): Promise<void> {
    return this.jobs.whenIdle(['snapshot']);
  }

  /** The copy under way was finished by the job runner's stop; what is still owed waits in the job table. */
  async close(): Promise<void> {
    await this.limit.settled();
  }

  private failed(job: ClaimedJob, why: string, again = true): void {
    if (again && retry(this.db, job, why)) return;
    const db = this.db;
    const pending = pendingSnapshotsOfFile(db, job.subject);
    db.transaction(() => {
      for (const p of pending) setSnapshotState(db, p.id, 'missed');
      complete(db, job);
    })();
    this.warn(`could not keep the content of a file in the content history: ${why}`);
  }

  /** Snapshots of a file still owed but no longer its content: kept if the store has the bytes, else missed. */
  private settle(fileId: number, except: string | null): void {
    // Read now, not at the job's start: ingest may have found a newer content during the copy.
    const current = stmt(this.db, `SELECT content_hash FROM files WHERE id = ?`).pluck().get(fileId) as
      string | null | undefined;
    for (const p of pendingSnapshotsOfFile(this.db, fileId)) {
      if (p.hash === except || p.hash === current) continue;
      const blob = getBlob(this.db, p.hash);
      setSnapshotState(this.db, p.id, blob && this.store.has(p.hash, blob.size) ? 'stored' : 'missed');
    }
  }

  private async runJob(job: ClaimedJob): Promise<void> {
    const db = this.db;
    const t = stmt(
      db,
      `SELECT f.id, f.asset_id, f.content_hash, f.size, f.format, r.path AS root_path, f.rel_path
         FROM files f JOIN roots r ON r.id = f.root_id WHERE f.id = ? AND r.state = 'online'`,
    ).get(job.subject) as FileTarget | undefined;
    if (!t) return defer(db, job, 30_000);
    const hash = t.content_hash;
    if (hash == null) {
      if (isOwed(db, 'process', t.id)) return defer(db, job, 1000);
      // Read by ingest, yet no hash: nothing readable to keep.
      return db.transaction(() => {
        this.settle(t.id, null);
        complete(db, job);
      })();
    }
    const row = getSnapshot(db, t.asset_id, hash);
    if (!row || row.state !== 'pending') {
      // Owed without a record (asked for before ingest had read the file, or by the migration).
      const who = this.actor();
      wantSnapshot(db, {
        asset_id: t.asset_id,
        file_id: t.id,
        hash,
        size: t.size,
        format: t.format,
        at: Date.now(),
        actor: who.user,
        machine: who.machine,
        reason: 'governed',
      });
    }
    const blob = getBlob(db, hash);
    if (blob && this.store.has(hash, blob.size)) {
      return db.transaction(() => {
        markStoredEverywhere(db, hash);
        touchBlob(db, hash);
        this.settle(t.id, hash);
        complete(db, job);
      })();
    }
    const abs = path.join(t.root_path, ...t.rel_path.split('/'));
    let inc: Incoming | null;
    try {
      inc = await this.store.copyIn(abs, hash);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        // Gone: the scanner decides whether it moved or is missing; these bytes cannot be had.
        return db.transaction(() => {
          this.settle(t.id, null);
          complete(db, job);
        })();
      }
      // No permission will not pass by waiting: say so now rather than after the retries.
      const lasting = ['EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'ELOOP'].includes(
        (err as NodeJS.ErrnoException).code ?? '',
      );
      return this.failed(job, `${abs}: ${message(err)}`, !lasting);
    }
    if (!inc) {
      // The file changed since ingest read it: once ingest reads it again, the new content is owed.
      if (isOwed(db, 'process', t.id)) return defer(db, job, 1000);
      return this.failed(job, `${abs} changed while it was being kept`);
    }
    const got = inc;
    const outcome = await this.limit.admit(() => this.limit.place(got, []));
    db.transaction(() => {
      if (outcome === 'full') {
        const r = getSnapshot(db, t.asset_id, hash);
        if (r && r.state === 'pending') setSnapshotState(db, r.id, 'missed');
      }
      this.settle(t.id, hash);
      complete(db, job);
    })();
    if (outcome === 'full')
      this.warn(
        `the content history is full (${formatBytes(storeUsage(db).bytes)} of ${formatBytes(this.limit.limitBytes())}): ` +
          `the content of ${abs} (${formatBytes(got.size)}) was not kept; raise the limit (dam config history-limit-mb N)`,
      );
  }

  /**
   * Keep whatever a file holds right now (no expected hash), at once: a restore keeps the present
   * content this way before it writes over it. Refuses (history-full) when it cannot be kept.
   */
  async keepFile(
    abs: string,
    target: { assetId: number; fileId: number; format: string },
    reason: SnapshotReason,
    protect: readonly string[],
    who: Actor = this.actor(),
  ): Promise<{ hash: string; size: number }> {
    const inc = (await this.store.copyIn(abs, null))!;
    const outcome = await this.limit.admit(() => this.limit.place(inc, protect));
    if (outcome === 'full')
      throw refused(
        'history-full',
        `the content history is full, so the present content of ${abs} cannot be kept first; ` +
          `nothing was changed (raise the limit: dam config history-limit-mb N)`,
      );
    const db = this.db;
    db.transaction(() => {
      wantSnapshot(db, {
        asset_id: target.assetId,
        file_id: target.fileId,
        hash: inc.hash,
        size: inc.size,
        format: target.format,
        at: Date.now(),
        actor: who.user,
        machine: who.machine,
        reason,
      });
      markStoredEverywhere(db, inc.hash);
      touchBlob(db, inc.hash);
    })();
    return { hash: inc.hash, size: inc.size };
  }
}
