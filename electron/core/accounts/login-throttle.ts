/**
 * How failed logins slow down and lock out. Pure arithmetic over a failure count and a clock, so the
 * same rule serves an account (counted in the catalogue, survives a restart) and an address or an
 * unknown name (counted in memory): the answer for a name that does not exist is the same as for
 * one that does.
 */
export interface ThrottlePolicy {
  /** Failures answered at once; after these, each failure doubles the wait before the next try. */
  free: number;
  /** The first wait, in ms. */
  firstWaitMs: number;
  /** At this many failures the account is locked for lockMs (0: never locked, waits only). */
  lockAfter: number;
  lockMs: number;
  /** The longest wait between tries when not locked. */
  maxWaitMs: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = {
  free: 3,
  firstWaitMs: 1000,
  lockAfter: 10,
  lockMs: 15 * 60_000,
  maxWaitMs: 5 * 60_000,
};

/** Per address: more tries (several people behind one router), waits but no lock. */
export const ADDRESS_POLICY: ThrottlePolicy = {
  free: 10,
  firstWaitMs: 1000,
  lockAfter: 0,
  lockMs: 0,
  maxWaitMs: 15 * 60_000,
};

/** Until when the next try waits after `failures` failures (null: at once). */
export function nextTryAt(policy: ThrottlePolicy, failures: number, now: number): number | null {
  if (policy.lockAfter > 0 && failures >= policy.lockAfter) return now + policy.lockMs;
  if (failures <= policy.free) return null;
  return now + Math.min(policy.maxWaitMs, policy.firstWaitMs * 2 ** (failures - policy.free - 1));
}

export function isLock(policy: ThrottlePolicy, failures: number): boolean {
  return policy.lockAfter > 0 && failures >= policy.lockAfter;
}

interface Entry {
  failures: number;
  until: number | null;
  last: number;
}

/** Failure counts kept in memory (addresses, unknown names), bounded: the oldest go first. */
export class MemoryThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly policy: ThrottlePolicy,
    private readonly max = 10_000,
    /** A key quiet this long starts again from nothing. */
    private readonly forgetMs = 60 * 60_000,
  ) {}

  /** Until when this key must wait (null: it may try now). */
  waitUntil(key: string, now: number): number | null {
    const e = this.entries.get(key);
    if (!e) return null;
    if (now - e.last > this.forgetMs && (e.until === null || e.until <= now)) {
      this.entries.delete(key);
      return null;
    }
    return e.until !== null && e.until > now ? e.until : null;
  }

  failures(key: string): number {
    return this.entries.get(key)?.failures ?? 0;
  }

  fail(key: string, now: number): number {
    const failures = (this.entries.get(key)?.failures ?? 0) + 1;
    this.entries.delete(key);
    this.entries.set(key, { failures, until: nextTryAt(this.policy, failures, now), last: now });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return failures;
  }

  clear(key: string): void {
    this.entries.delete(key);
  }
}
