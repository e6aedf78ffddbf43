import { create } from 'zustand';
import type { CoreEvents } from '../../../shared/events';
import { call } from '../api/client';

export interface Problem {
  assetId: number;
  path: string;
  error: string;
}

export interface Warning {
  rootId: number | null;
  message: string;
  at: number;
}

export interface JobsState {
  /** Scans under way, by root. */
  scans: Record<number, { phase: 'walking' | 'recording'; seen: number }>;
  jobs: CoreEvents['job-progress'] | null;
  /** `done` when the current burst of work began: the indicator counts this burst, not the server's lifetime. */
  batchBase: number;
  /** Files per second over the last few seconds (the core's figure averages since it started). */
  rate: number;
  problems: Problem[];
  problemsLoaded: boolean;
  warnings: Warning[];
  onScan(p: CoreEvents['scan-progress']): void;
  onJobs(p: CoreEvents['job-progress']): void;
  onWarning(w: CoreEvents['warning']): void;
  loadProblems(): Promise<void>;
  dismissWarnings(): void;
}

let lastSample: { done: number; at: number } | null = null;

export const busy = (p: CoreEvents['job-progress'] | null) => p !== null && p.pending + p.running > 0;

export const useJobs = create<JobsState>((set, get) => ({
  scans: {},
  jobs: null,
  batchBase: 0,
  rate: 0,
  problems: [],
  problemsLoaded: false,
  warnings: [],

  onScan(p) {
    const scans = { ...get().scans };
    if (p.phase === 'done') delete scans[p.rootId];
    else scans[p.rootId] = { phase: p.phase, seen: p.seen };
    set({ scans });
  },

  onJobs(p) {
    const prev = get().jobs;
    const now = Date.now();
    let rate = get().rate;
    if (!busy(p)) rate = 0;
    else if (lastSample && now > lastSample.at) {
      const instant = ((p.done - lastSample.done) * 1000) / (now - lastSample.at);
      rate = rate > 0 ? rate * 0.7 + instant * 0.3 : instant;
    }
    lastSample = { done: p.done, at: now };
    const starting = busy(p) && !busy(prev);
    set({ jobs: p, rate, batchBase: starting ? (prev?.done ?? 0) : get().batchBase });
  },

  onWarning(w) {
    set({ warnings: [...get().warnings.slice(-49), { ...w, at: Date.now() }] });
  },

  async loadProblems() {
    const problems = await call('problems.list', { limit: 500 });
    set({ problems, problemsLoaded: true });
  },

  dismissWarnings() {
    set({ warnings: [] });
  },
}));
