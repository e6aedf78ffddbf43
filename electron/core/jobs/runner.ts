import type { CoreEvents } from '../../../shared/events';
import type { Db } from '../catalog/open';
import type { CoreEventBus } from '../events';
import { throttle } from '../events';
import {
  claim,
  drop,
  jobStatus,
  nextDueIn,
  otherOwners,
  owedCount,
  releaseOwner,
  renewLease,
  requeueOwner,
  retry,
  runningElsewhere,
  type ClaimedJob,
} from '../catalog/jobs.repository';
import { ALL_KINDS, JOB_KINDS, type JobKind } from '../catalog/job-kinds';
import { newOwner, ownerAlive, retireOwner } from './owners';

/** What runs the jobs of one kind. */
export interface JobHandler {
  /** How many jobs of this kind run at once in this process. */
  concurrency(): number;
  /**
   * Run one claimed job and settle it (complete, defer, retry or hold from catalog/jobs.repository), in the same
   * transaction as its results where it has any. A throw is retried with backoff.
   */
  run(job: ClaimedJob): Promise<void>;
  /** Results taken from workers but not yet recorded (batched): the kind is not idle meanwhile. */
  busy?(): boolean;
  /** Record whatever is batched (the runner is stopping). */
  flush?(): void;
  /** Stop: in-flight runs resolve at once, their jobs are handed back to the queue. */
  stop?(): void;
  /** The job failed its last attempt and was dropped. */
  gaveUp?(job: ClaimedJob, error: string): void;
}

/** Every kind has its handler: adding a kind to JOB_KINDS without one does not compile. */
export type JobHandlers = { [K in JobKind]: JobHandler };

/** Kinds claimed in priority order. */
const ORDER: readonly JobKind[] = [...ALL_KINDS].sort(
  (a, b) => JOB_KINDS[b].priority - JOB_KINDS[a].priority,
);
/** How often work another process holds is looked at while someone here waits for it. */
const POLL_MS = 250;
const HEARTBEAT_MS = 15_000;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

interface SubjectWaiter {
  kind: JobKind;
  subject: number;
  resolve: () => void;
}

/**
 * The one runner of the job table: claims due jobs of every kind (highest priority kind first, up to
 * each kind's concurrency), runs them on their handlers, wakes for backed-off retries, renews its
 * claims while it works, takes over jobs of processes that died, and reports throttled progress.
 * Safe beside another process on the same catalogue: claims are atomic, and waiting for idle
 * includes work the other process holds (watched by polling, since its events do not reach us).
 */
export class JobRunner {
  readonly owner = newOwner();
  private handlers: JobHandlers | null = null;
  private active = new Map<JobKind, number>();
  private runs = new Set<Promise<void>>();
  private idleWaiters: { kinds: readonly JobKind[]; resolve: () => void }[] = [];
  private subjectWaiters = new Map<string, SubjectWaiter[]>();
  private wakeTimer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private state: 'open' | 'draining' | 'stopped' = 'open';
  private drainKinds: readonly JobKind[] = [];
  private done = 0;
  private failed = 0;
  private startedAt = Date.now();
  private progress;

  constructor(
    private readonly db: Db,
    private readonly events: CoreEventBus,
  ) {
    this.progress = throttle(250, (p: CoreEvents['job-progress']) => this.events.emit('job-progress', p));
  }

  setHandlers(handlers: JobHandlers): void {
    this.handlers = handlers;
  }

  /** A job's outcome, for progress (handlers that record results in batches report them here). */
  note(outcome: 'done' | 'failed'): void {
    if (outcome === 'done') this.done++;
    else this.failed++;
    this.progress.push(() => this.stats());
  }

  stats(): CoreEvents['job-progress'] {
    const seconds = Math.max(0.001, (Date.now() - this.startedAt) / 1000);
    let running = 0;
    for (const n of this.active.values()) running += n;
    return {
      done: this.done,
      failed: this.failed,
      pending: owedCount(this.db),
      running,
      perSecond: Math.round((this.done / seconds) * 10) / 10,
    };
  }

  /** Jobs claimed by processes that are gone (killed, crashed) go back to the queue. */
  reclaim(): number {
    let n = 0;
    for (const o of otherOwners(this.db, this.owner))
      if (!ownerAlive(o.owner, o.lease_until)) n += requeueOwner(this.db, o.owner);
    return n;
  }

  /** Look for work now (something was enqueued). */
  kick(): void {
    if (this.state === 'stopped') return;
    if (this.wakeTimer) {
      clearTimeout(this.wakeTimer);
      this.wakeTimer = null;
    }
    this.pump();
  }

  /** Resolves once no job of these kinds is owed on an online root: queued, running anywhere, or backing off. */
  whenIdle(kinds: readonly JobKind[] = ALL_KINDS): Promise<void> {
    if (this.state === 'stopped') return Promise.resolve();
    return new Promise((resolve) => {
      this.idleWaiters.push({ kinds, resolve });
      this.kick();
    });
  }

  /**
   * Resolves once the job of this subject has run (here or elsewhere) and is not owed again, or
   * cannot run now (held, or its root is offline).
   */
  whenDone(kind: JobKind, subject: number): Promise<void> {
    if (this.state === 'stopped' || this.settledNow(kind, subject)) return Promise.resolve();
    return new Promise((resolve) => {
      const key = `${kind}:${subject}`;
      const list = this.subjectWaiters.get(key) ?? [];
      list.push({ kind, subject, resolve });
      this.subjectWaiters.set(key, list);
      this.kick();
    });
  }

  /**
   * Stop claiming. Jobs of the `drain` kinds still owed are run first; then batched results are
   * recorded, runs under way finish (a handler with stop() cuts its own short), and whatever this
   * process still holds goes back to the queue for the next one.
   */
  async stop(drain: readonly JobKind[] = []): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'draining';
    this.drainKinds = drain;
    const handlers = this.handlers ? Object.values(this.handlers) : [];
    for (const h of handlers) h.flush?.();
    if (drain.length) await this.whenIdle(drain);
    this.state = 'stopped';
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const h of handlers) h.stop?.();
    await Promise.allSettled([...this.runs]);
    for (const h of handlers) h.flush?.();
    releaseOwner(this.db, this.owner);
    retireOwner(this.owner);
    this.progress.flush();
    for (const w of this.idleWaiters) w.resolve();
    this.idleWaiters = [];
    for (const list of this.subjectWaiters.values()) for (const w of list) w.resolve();
    this.subjectWaiters.clear();
  }

  private activeOf(kind: JobKind): number {
    return this.active.get(kind) ?? 0;
  }

  private claimable(kind: JobKind): boolean {
    return this.state === 'open' || (this.state === 'draining' && this.drainKinds.includes(kind));
  }

  private pump(): void {
    if (this.state === 'stopped' || !this.handlers) return;
    for (const kind of ORDER) {
      if (!this.claimable(kind)) continue;
      const h = this.handlers[kind];
      const free = h.concurrency() - this.activeOf(kind);
      if (free <= 0) continue;
      for (const job of claim(this.db, kind, free, this.owner)) this.start(h, job);
    }
    this.scheduleWake();
    this.checkIdle();
  }

  private start(h: JobHandler, job: ClaimedJob): void {
    this.active.set(job.kind, this.activeOf(job.kind) + 1);
    this.heartbeat ??= setInterval(() => {
      if (this.runs.size) renewLease(this.db, this.owner);
    }, HEARTBEAT_MS).unref();
    const run: Promise<void> = (async () => {
      // Claimed from inside pump(): let it finish claiming before the first run starts.
      await Promise.resolve();
      try {
        await h.run(job);
      } catch (err) {
        this.runFailed(h, job, message(err));
      }
    })().finally(() => {
      this.runs.delete(run);
      this.active.set(job.kind, this.activeOf(job.kind) - 1);
      this.progress.push(() => this.stats());
      this.checkSubject(job.kind, job.subject);
      this.pump();
    });
    this.runs.add(run);
  }

  private runFailed(h: JobHandler, job: ClaimedJob, error: string): void {
    if (this.state === 'stopped') return;
    if (retry(this.db, job, error)) return;
    drop(this.db, job);
    this.note('failed');
    if (h.gaveUp) h.gaveUp(job, error);
    else this.events.emit('warning', { rootId: null, message: `${job.kind} job gave up: ${error}` });
  }

  /** Wake for the next backed-off job, or to look at work another process holds while we wait for it. */
  private scheduleWake(): void {
    if (this.wakeTimer || this.state === 'stopped' || !this.handlers) return;
    let due: number | null = null;
    for (const kind of ORDER) {
      // A kind with runs under way is pumped again when one ends.
      if (!this.claimable(kind) || this.activeOf(kind) > 0) continue;
      const d = nextDueIn(this.db, kind);
      if (d != null) due = due == null ? d : Math.min(due, d);
    }
    const waiting = this.idleWaiters.length > 0 || this.subjectWaiters.size > 0;
    if (waiting && (this.subjectWaiters.size > 0 || runningElsewhere(this.db, this.owner) > 0))
      due = due == null ? POLL_MS : Math.min(due, POLL_MS);
    if (due == null) return;
    this.wakeTimer = setTimeout(
      () => {
        this.wakeTimer = null;
        if (this.state === 'stopped') return;
        this.reclaim();
        for (const list of [...this.subjectWaiters.values()])
          if (list[0]) this.checkSubject(list[0].kind, list[0].subject);
        this.pump();
      },
      Math.max(50, due),
    );
  }

  private idleFor(kinds: readonly JobKind[]): boolean {
    for (const k of kinds) if (this.activeOf(k) > 0 || this.handlers?.[k].busy?.()) return false;
    return owedCount(this.db, kinds) === 0;
  }

  private checkIdle(): void {
    if (!this.idleWaiters.length) return;
    const ready = this.idleWaiters.filter((w) => this.idleFor(w.kinds));
    if (!ready.length) return;
    this.idleWaiters = this.idleWaiters.filter((w) => !ready.includes(w));
    this.progress.push(() => this.stats());
    this.progress.flush();
    for (const w of ready) w.resolve();
  }

  private settledNow(kind: JobKind, subject: number): boolean {
    const s = jobStatus(this.db, kind, subject);
    return s === 'none' || s === 'held' || s === 'offline';
  }

  private checkSubject(kind: JobKind, subject: number): void {
    const key = `${kind}:${subject}`;
    const list = this.subjectWaiters.get(key);
    if (!list || !this.settledNow(kind, subject)) return;
    this.subjectWaiters.delete(key);
    for (const w of list) w.resolve();
  }
}
