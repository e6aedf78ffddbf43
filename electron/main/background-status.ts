import type { CoreEvents } from '../../shared/events';

// What the app is doing, in one line for the tray's tooltip and menu: with the window closed the
// app keeps watching folders and working through its jobs, and the user must be able to see that.
// Plain TypeScript (no Electron) so it is tested in Node.

export interface BackgroundState {
  scanning: Map<number, number>;
  jobs: CoreEvents['job-progress'] | null;
  offline: Set<number>;
}

export function initialState(): BackgroundState {
  return { scanning: new Map(), jobs: null, offline: new Set() };
}

/** The state after one pushed event; events it does not track leave it as it was. */
export function reduce<K extends keyof CoreEvents>(
  s: BackgroundState,
  name: K,
  payload: CoreEvents[K],
): BackgroundState {
  if (name === 'scan-progress') {
    const p = payload as CoreEvents['scan-progress'];
    const scanning = new Map(s.scanning);
    if (p.phase === 'done') scanning.delete(p.rootId);
    else scanning.set(p.rootId, p.seen);
    return { ...s, scanning };
  }
  if (name === 'job-progress') return { ...s, jobs: payload as CoreEvents['job-progress'] };
  if (name === 'root-state') {
    const p = payload as CoreEvents['root-state'];
    const offline = new Set(s.offline);
    if (p.state === 'offline') offline.add(p.rootId);
    else offline.delete(p.rootId);
    return { ...s, offline };
  }
  return s;
}

const n = (v: number) => v.toLocaleString('en-US');

/** "Scanning: 1,204 files seen", "Processing: 40 of 120 (12/s)", "Up to date"; offline folders after. */
export function statusLine(s: BackgroundState): string {
  const parts: string[] = [];
  if (s.scanning.size > 0) {
    const seen = [...s.scanning.values()].reduce((a, b) => a + b, 0);
    parts.push(`Scanning: ${n(seen)} files seen`);
  }
  const j = s.jobs;
  if (j && j.pending + j.running > 0) {
    const total = j.done + j.failed + j.pending + j.running;
    const rate = j.perSecond >= 1 ? ` (${Math.round(j.perSecond)}/s)` : '';
    parts.push(`Processing: ${n(j.done + j.failed)} of ${n(total)}${rate}`);
  }
  if (parts.length === 0) parts.push('Up to date, watching for changes');
  if (s.offline.size > 0) parts.push(`${s.offline.size} folder${s.offline.size === 1 ? '' : 's'} offline`);
  return parts.join(' · ');
}
