// Version clocks per field. Each catalogue counts its own edits of a field; a value whose clock
// contains another's was made knowing it (a plain update), two clocks that do not contain one another
// are concurrent edits (a conflict: the newer wins, the other is kept in the history).

export type Clock = Record<string, number>;

export interface Stamp {
  clock: Clock;
  /** ms since epoch of the edit. */
  at: number;
  /** Catalogue id of the edit ('x' for an edit made by another tool, seen only in a sidecar). */
  origin: string;
  actor: string;
  machine: string;
}

/** The pseudo-replica for edits other tools make to a sidecar. */
export const EXTERNAL = 'x';

export type Order = 'equal' | 'before' | 'after' | 'concurrent';

export function compareClocks(a: Clock, b: Clock): Order {
  let less = false;
  let more = false;
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[k] ?? 0;
    const y = b[k] ?? 0;
    if (x < y) less = true;
    if (x > y) more = true;
  }
  if (less && more) return 'concurrent';
  if (less) return 'before';
  if (more) return 'after';
  return 'equal';
}

export function joinClocks(a: Clock, b: Clock): Clock {
  const out: Clock = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = Math.max(out[k] ?? 0, v);
  return out;
}

export function bump(clock: Clock, origin: string): Clock {
  return { ...clock, [origin]: (clock[origin] ?? 0) + 1 };
}

/** "a1b2:3 x:1", keys sorted: the same clock always reads the same. */
export function clockText(c: Clock): string {
  return Object.keys(c)
    .sort()
    .filter((k) => (c[k] ?? 0) > 0)
    .map((k) => `${k}:${c[k]}`)
    .join(' ');
}

export function parseClock(s: string | null | undefined): Clock | null {
  if (s == null) return null;
  const out: Clock = {};
  for (const part of s.trim().split(/\s+/).filter(Boolean)) {
    const m = /^([A-Za-z0-9_.-]+):(\d+)$/.exec(part);
    if (!m) return null;
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

/** Which of two concurrent edits wins: the later one, and on a tie the larger origin (any rule both sides share). */
export function isNewer(a: Stamp, b: Stamp): boolean {
  if (a.at !== b.at) return a.at > b.at;
  return a.origin > b.origin;
}

export function emptyStamp(): Stamp {
  return { clock: {}, at: 0, origin: '', actor: '', machine: '' };
}
