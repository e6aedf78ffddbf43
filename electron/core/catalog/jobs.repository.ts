import type { Db } from './open';
import { stmt } from './statements';
import { ALL_KINDS, JOB_KINDS, type JobKind } from './job-kinds';

/**
 * The job table: the one repository of work owed, for every kind. Every change of state is one
 * statement (claims: one UPDATE ... RETURNING in an IMMEDIATE transaction), so that two processes
 * on one catalogue never both take a job. Settling statements name the owner: a process whose
 * claim was taken over (it stalled past its lease) cannot settle the new owner's run.
 */

export interface ClaimedJob {
  id: number;
  kind: JobKind;
  subject: number;
  attempts: number;
  owner: string;
}

/** A claim holds this long without a heartbeat; the runner renews it well before. */
export const LEASE_MS = 60_000;

/** SQL true when the job's subject is on an online root (an offline root's work waits for it). */
function onlineSql(kind: JobKind, j = 'j'): string {
  return JOB_KINDS[kind].subject === 'file'
    ? `EXISTS (SELECT 1 FROM files f JOIN roots r ON r.id = f.root_id WHERE f.id = ${j}.subject AND r.state = 'online')`
    : `EXISTS (SELECT 1 FROM asset_search s JOIN roots r ON r.id = s.root_id WHERE s.asset_id = ${j}.subject AND r.state = 'online')`;
}

function kindList(kinds: readonly JobKind[]): string {
  return kinds.map((k) => `'${k}'`).join(', ');
}

/** Owe a job (again). One already queued is reset; one running is marked to run once more after. */
export function enqueue(
  db: Db,
  kind: JobKind,
  subject: number,
  opts: { priority?: number; now?: number } = {},
): void {
  const spec = JOB_KINDS[kind];
  stmt(
    db,
    `INSERT INTO jobs (kind, subject_type, subject, priority, state, attempts, run_after, created_at)
     VALUES (?, ?, ?, ?, 'queued', 0, 0, ?)
     ON CONFLICT (kind, subject) DO UPDATE SET
       again = CASE WHEN state = 'running' THEN 1 ELSE 0 END,
       state = CASE WHEN state = 'running' THEN 'running' ELSE 'queued' END,
       priority = max(priority, excluded.priority),
       attempts = 0, run_after = 0, last_error = NULL`,
  ).run(kind, spec.subject, subject, opts.priority ?? spec.priority, opts.now ?? Date.now());
}

/** Take up to `limit` due jobs of a kind for `owner`, highest priority then oldest first. */
export function claim(db: Db, kind: JobKind, limit: number, owner: string, now = Date.now()): ClaimedJob[] {
  // The limit is written into the SQL, not bound: SQLite (3.47+) plans with a bound LIMIT's value
  // and so prepares the statement again each time it is bound, which made every claim, even of a
  // kind with nothing queued, cost a fresh prepare (~0.25 ms; a pump claims for every kind).
  const n = Math.trunc(limit);
  if (!(n > 0)) return [];
  // Most claims find nothing (a pump asks every kind after each job): a plain read says so without
  // the write lock, so an idle kind never waits behind, or blocks, another process's writes. Work
  // enqueued right after this read is claimed by the next pump, as if it came after the claim.
  const due = stmt(
    db,
    `SELECT 1 FROM jobs WHERE kind = ? AND state = 'queued' AND run_after <= ? LIMIT 1`,
  ).get(kind, now);
  if (!due) return [];
  const update = stmt(
    db,
    `UPDATE jobs SET state = 'running', owner = ?, lease_until = ?, again = 0
      WHERE id IN (SELECT j.id FROM jobs j
                    WHERE j.kind = ? AND j.state = 'queued' AND j.run_after <= ? AND ${onlineSql(kind)}
                    ORDER BY j.priority DESC, j.id LIMIT ${n})
      RETURNING id, subject, attempts, priority`,
  );
  const rows = db
    .transaction(
      () =>
        update.all(owner, now + LEASE_MS, kind, now) as {
          id: number;
          subject: number;
          attempts: number;
          priority: number;
        }[],
    )
    .immediate();
  rows.sort((a, b) => b.priority - a.priority || a.id - b.id);
  return rows.map((r) => ({ id: r.id, kind, subject: r.subject, attempts: r.attempts, owner }));
}

/** Done: gone, unless it was owed again while it ran (then it is queued for another run). */
export function complete(db: Db, job: ClaimedJob): void {
  const gone = stmt(db, `DELETE FROM jobs WHERE id = ? AND owner = ? AND again = 0`).run(job.id, job.owner);
  if (gone.changes === 0)
    stmt(
      db,
      `UPDATE jobs SET state = 'queued', again = 0, owner = NULL, lease_until = NULL, run_after = 0
        WHERE id = ? AND owner = ? AND state = 'running'`,
    ).run(job.id, job.owner);
}

/** Given up (its attempts are used): gone, whatever was owed. */
export function drop(db: Db, job: ClaimedJob): void {
  stmt(db, `DELETE FROM jobs WHERE id = ? AND owner = ?`).run(job.id, job.owner);
}

/** Again later without counting an attempt (the file is still being written, its root went away). */
export function defer(db: Db, job: ClaimedJob, ms: number, now = Date.now()): void {
  stmt(
    db,
    `UPDATE jobs SET state = 'queued', again = 0, owner = NULL, lease_until = NULL, run_after = ?
      WHERE id = ? AND owner = ?`,
  ).run(now + ms, job.id, job.owner);
}

/** Back off 2 s, 8 s, 32 s...; false (and nothing changed) once the kind's attempts are used up. */
export function retry(db: Db, job: ClaimedJob, error: string, now = Date.now()): boolean {
  if (job.attempts + 1 >= JOB_KINDS[job.kind].attempts) return false;
  stmt(
    db,
    `UPDATE jobs SET state = 'queued', again = 0, owner = NULL, lease_until = NULL, attempts = ?,
            run_after = ?, last_error = ?
      WHERE id = ? AND owner = ?`,
  ).run(job.attempts + 1, now + 2000 * 4 ** job.attempts, error, job.id, job.owner);
  return true;
}

/** Owed, but waiting for something outside to change (see release()); not counted as pending. */
export function hold(db: Db, job: ClaimedJob, error: string): void {
  stmt(
    db,
    `UPDATE jobs SET state = 'held', again = 0, owner = NULL, lease_until = NULL, last_error = ?
      WHERE id = ? AND owner = ?`,
  ).run(error, job.id, job.owner);
}

/** Held jobs of a kind whose subjects are on a root: queued again (a scan looks at them anew). */
export function unholdOnRoot(db: Db, kind: JobKind, rootId: number): number {
  const subjectsOnRoot =
    JOB_KINDS[kind].subject === 'file'
      ? `SELECT id FROM files WHERE root_id = ?`
      : `SELECT asset_id FROM asset_search WHERE root_id = ?`;
  return stmt(
    db,
    `UPDATE jobs SET state = 'queued', run_after = 0, attempts = 0
      WHERE kind = ? AND state = 'held' AND subject IN (${subjectsOnRoot})`,
  ).run(kind, rootId).changes;
}

/** A stopping process hands back what it claimed but did not finish. */
export function releaseOwner(db: Db, owner: string): number {
  return stmt(
    db,
    `UPDATE jobs SET state = 'queued', again = 0, owner = NULL, lease_until = NULL
      WHERE state = 'running' AND owner = ?`,
  ).run(owner).changes;
}

/** Keep a live process's claims: renewed by its runner while it has work under way. */
export function renewLease(db: Db, owner: string, now = Date.now()): void {
  stmt(db, `UPDATE jobs SET lease_until = ? WHERE state = 'running' AND owner = ?`).run(
    now + LEASE_MS,
    owner,
  );
}

/** Owners of running jobs other than `owner`, with their latest lease. */
export function otherOwners(db: Db, owner: string): { owner: string | null; lease_until: number | null }[] {
  return stmt(
    db,
    `SELECT owner, max(lease_until) AS lease_until FROM jobs WHERE state = 'running' AND owner IS NOT ?
      GROUP BY owner`,
  ).all(owner) as { owner: string | null; lease_until: number | null }[];
}

/** Running jobs of a dead owner (or of none: a catalogue from before owners) go back to the queue. */
export function requeueOwner(db: Db, owner: string | null): number {
  return stmt(
    db,
    `UPDATE jobs SET state = 'queued', again = 0, owner = NULL, lease_until = NULL
      WHERE state = 'running' AND owner IS ?`,
  ).run(owner).changes;
}

/** Jobs of these kinds queued (due or backing off) or running anywhere, on online roots. */
export function owedCount(db: Db, kinds: readonly JobKind[] = ALL_KINDS): number {
  let n = 0;
  for (const kind of kinds)
    n += stmt(
      db,
      `SELECT count(*) FROM jobs j WHERE j.kind = '${kind}' AND j.state IN ('queued', 'running') AND ${onlineSql(kind)}`,
    )
      .pluck()
      .get() as number;
  return n;
}

/** Jobs of these kinds running in other processes (this process cannot see them finish). */
export function runningElsewhere(db: Db, owner: string, kinds: readonly JobKind[] = ALL_KINDS): number {
  return stmt(
    db,
    `SELECT count(*) FROM jobs WHERE state = 'running' AND owner IS NOT ? AND kind IN (${kindList(kinds)})`,
  )
    .pluck()
    .get(owner) as number;
}

/** Milliseconds until the next queued job of a kind is due, or null when none waits. */
export function nextDueIn(db: Db, kind: JobKind, now = Date.now()): number | null {
  const t = stmt(
    db,
    `SELECT min(j.run_after) FROM jobs j WHERE j.kind = '${kind}' AND j.state = 'queued' AND ${onlineSql(kind)}`,
  )
    .pluck()
    .get() as number | null;
  return t == null ? null : Math.max(0, t - now);
}

/** Where one subject's job stands: 'none', 'held', 'offline' (waits for its root), 'queued' or 'running'. */
export function jobStatus(
  db: Db,
  kind: JobKind,
  subject: number,
): 'none' | 'held' | 'offline' | 'queued' | 'running' {
  const row = stmt(
    db,
    `SELECT j.state, ${onlineSql(kind)} AS online FROM jobs j WHERE j.kind = '${kind}' AND j.subject = ?`,
  ).get(subject) as { state: 'queued' | 'running' | 'held'; online: number } | undefined;
  if (!row) return 'none';
  if (row.state === 'held') return 'held';
  if (!row.online) return 'offline';
  return row.state;
}

/** Owed at all (in any state, whatever its root): e.g. ingest still owes a file its reading. */
export function isOwed(db: Db, kind: JobKind, subject: number): boolean {
  return (
    stmt(db, `SELECT 1 FROM jobs WHERE kind = ? AND subject = ?`).pluck().get(kind, subject) !== undefined
  );
}

/** Whether a job of a kind runs anywhere, or is queued and due, on an online root (lower kinds yield to it). */
export function kindBusy(db: Db, kind: JobKind, now = Date.now()): boolean {
  return (
    stmt(
      db,
      `SELECT EXISTS (SELECT 1 FROM jobs j WHERE j.kind = '${kind}'
                        AND (j.state = 'running' OR (j.state = 'queued' AND j.run_after <= ?)) AND ${onlineSql(kind)})`,
    )
      .pluck()
      .get(now) === 1
  );
}

/** Queued (not running) jobs of a kind go: work the kind can derive again from the catalogue. */
export function dropQueued(db: Db, kind: JobKind): number {
  return stmt(db, `DELETE FROM jobs WHERE kind = '${kind}' AND state = 'queued'`).run().changes;
}
