import type { Db } from './open';
import { stmt } from './statements';

export const PROCESS_JOB = 'process';
export const MAX_ATTEMPTS = 4;

export interface JobRow {
  id: number;
  file_id: number;
  attempts: number;
}

/** Owe (again) the processing of a file; a job already owed is reset rather than duplicated. */
export function enqueueJob(db: Db, fileId: number, now = Date.now()): void {
  stmt(
    db,
    `INSERT INTO jobs (kind, file_id, state, attempts, run_after, created_at) VALUES (?, ?, 'queued', 0, 0, ?)
     ON CONFLICT (kind, file_id) DO UPDATE SET state = 'queued', attempts = 0, run_after = 0, last_error = NULL`,
  ).run(PROCESS_JOB, fileId, now);
}

/** Work a crashed run left half-done is simply owed again: results are written with the job's deletion. */
export function requeueRunning(db: Db): number {
  return db.prepare(`UPDATE jobs SET state = 'queued' WHERE state = 'running'`).run().changes;
}

export function claimJobs(db: Db, limit: number, exclude: ReadonlySet<number>, now = Date.now()): JobRow[] {
  const rows = stmt(
    db,
    `SELECT j.id, j.file_id, j.attempts FROM jobs j
       JOIN files f ON f.id = j.file_id JOIN roots r ON r.id = f.root_id AND r.state = 'online'
      WHERE j.kind = '${PROCESS_JOB}' AND j.state = 'queued' AND j.run_after <= ? ORDER BY j.id LIMIT ?`,
  ).all(now, limit + exclude.size) as JobRow[];
  const picked = rows.filter((r) => !exclude.has(r.file_id)).slice(0, limit);
  const mark = stmt(db, `UPDATE jobs SET state = 'running' WHERE id = ?`);
  for (const r of picked) mark.run(r.id);
  return picked;
}

export function completeJob(db: Db, fileId: number): void {
  stmt(db, `DELETE FROM jobs WHERE kind = ? AND file_id = ?`).run(PROCESS_JOB, fileId);
}

/** Back off 2 s, 8 s, 32 s...; returns false when the job has used its attempts. */
export function retryJob(db: Db, fileId: number, attempts: number, error: string, now = Date.now()): boolean {
  if (attempts + 1 >= MAX_ATTEMPTS) return false;
  const delay = 2000 * 4 ** attempts;
  stmt(
    db,
    `UPDATE jobs SET state = 'queued', attempts = ?, run_after = ?, last_error = ? WHERE kind = ? AND file_id = ?`,
  ).run(attempts + 1, now + delay, error, PROCESS_JOB, fileId);
  return true;
}

/** Work owed on files whose root is online (an offline root's work waits for it, without blocking a scan). */
export function pendingJobCount(db: Db): number {
  return stmt(
    db,
    `SELECT count(*) FROM jobs j JOIN files f ON f.id = j.file_id JOIN roots r ON r.id = f.root_id AND r.state = 'online'
      WHERE j.kind = '${PROCESS_JOB}'`,
  )
    .pluck()
    .get() as number;
}

/** Re-run a job later without counting an attempt (the file changed under the worker, or its root went away). */
export function deferJob(db: Db, fileId: number, ms: number, now = Date.now()): void {
  stmt(db, `UPDATE jobs SET state = 'queued', run_after = ? WHERE kind = ? AND file_id = ?`).run(
    now + ms,
    PROCESS_JOB,
    fileId,
  );
}

/** Milliseconds until the next backed-off job is due, or null when none wait. */
export function nextDueIn(db: Db, now = Date.now()): number | null {
  const t = stmt(
    db,
    `SELECT min(j.run_after) FROM jobs j JOIN files f ON f.id = j.file_id
       JOIN roots r ON r.id = f.root_id AND r.state = 'online' WHERE j.kind = '${PROCESS_JOB}' AND j.state = 'queued'`,
  )
    .pluck()
    .get() as number | null;
  return t == null ? null : Math.max(0, t - now);
}
