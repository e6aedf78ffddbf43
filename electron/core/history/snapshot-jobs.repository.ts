import type { Db } from '../catalog/open';
import { stmt } from '../catalog/statements';

/**
 * A row of the job table (kind 'snapshot') owes a copy of a file's current content into the
 * history store: it survives a crash or a restart, and is deleted once the copy is recorded.
 */
export const SNAPSHOT_JOB = 'snapshot';
export const SNAPSHOT_ATTEMPTS = 4;

export interface SnapshotJob {
  id: number;
  file_id: number;
  attempts: number;
}

export function enqueueSnapshot(db: Db, fileId: number, now = Date.now()): void {
  stmt(
    db,
    `INSERT INTO jobs (kind, file_id, state, attempts, run_after, created_at) VALUES (?, ?, 'queued', 0, 0, ?)
     ON CONFLICT (kind, file_id) DO UPDATE SET state = 'queued', run_after = 0`,
  ).run(SNAPSHOT_JOB, fileId, now);
}

/** The oldest due copy on an online root, marked running so that no other process takes it. */
export function claimSnapshot(db: Db, now = Date.now()): SnapshotJob | undefined {
  return db.transaction(() => {
    const job = stmt(
      db,
      `SELECT j.id, j.file_id, j.attempts FROM jobs j
         JOIN files f ON f.id = j.file_id JOIN roots r ON r.id = f.root_id AND r.state = 'online'
        WHERE j.kind = '${SNAPSHOT_JOB}' AND j.state = 'queued' AND j.run_after <= ? ORDER BY j.id LIMIT 1`,
    ).get(now) as SnapshotJob | undefined;
    if (job) stmt(db, `UPDATE jobs SET state = 'running' WHERE id = ?`).run(job.id);
    return job;
  })();
}

/** Done, unless the job was owed again while it ran (a newer content to keep): then it runs again. */
export function completeSnapshot(db: Db, jobId: number): void {
  stmt(db, `DELETE FROM jobs WHERE id = ? AND state = 'running'`).run(jobId);
}

/** Again later without counting an attempt (the file is still to be read by ingest, or its root went away). */
export function deferSnapshot(db: Db, jobId: number, ms: number, now = Date.now()): void {
  stmt(db, `UPDATE jobs SET state = 'queued', run_after = ? WHERE id = ?`).run(now + ms, jobId);
}

/** Back off 2 s, 8 s, 32 s; false once the attempts are used up. */
export function retrySnapshot(db: Db, job: SnapshotJob, error: string, now = Date.now()): boolean {
  if (job.attempts + 1 >= SNAPSHOT_ATTEMPTS) return false;
  stmt(db, `UPDATE jobs SET state = 'queued', attempts = ?, run_after = ?, last_error = ? WHERE id = ?`).run(
    job.attempts + 1,
    now + 2000 * 4 ** job.attempts,
    error,
    job.id,
  );
  return true;
}

/** Copies owed on online roots (an offline root's wait for it). */
export function snapshotsOwed(db: Db): number {
  return stmt(
    db,
    `SELECT count(*) FROM jobs j JOIN files f ON f.id = j.file_id JOIN roots r ON r.id = f.root_id AND r.state = 'online'
      WHERE j.kind = '${SNAPSHOT_JOB}'`,
  )
    .pluck()
    .get() as number;
}

export function nextSnapshotDueIn(db: Db, now = Date.now()): number | null {
  const t = stmt(
    db,
    `SELECT min(j.run_after) FROM jobs j JOIN files f ON f.id = j.file_id
       JOIN roots r ON r.id = f.root_id AND r.state = 'online' WHERE j.kind = '${SNAPSHOT_JOB}' AND j.state = 'queued'`,
  )
    .pluck()
    .get() as number | null;
  return t == null ? null : Math.max(0, t - now);
}

/** Ingest still owes this file a reading: its catalogued hash may be stale. */
export function processingOwed(db: Db, fileId: number): boolean {
  return (
    stmt(db, `SELECT 1 FROM jobs WHERE kind = 'process' AND file_id = ?`).pluck().get(fileId) !== undefined
  );
}
