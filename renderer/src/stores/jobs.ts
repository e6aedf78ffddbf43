import { create } from 'zustand';
import type { CoreEvents } from '../../../shared/events';
import { call } from '../api/client';

interface JobsState {
  progress: CoreEvents['job-progress'] | null;
  scanning: { rootId: number; seen: number } | null;
  problems: { assetId: number; path: string; error: string }[];
  warnings: string[];
  onProgress(p: CoreEvents['job-progress']): void;
  onScan(p: CoreEvents['scan-progress']): void;
  warn(message: string): void;
  loadProblems(): Promise<void>;
}

export const useJobs = create<JobsState>((set, get) => ({
  progress: null,
  scanning: null,
  problems: [],
  warnings: [],
  onProgress: (progress) => set({ progress }),
  onScan: (p) => set({ scanning: p.phase === 'done' ? null : { rootId: p.rootId, seen: p.seen } }),
  warn: (message) => set({ warnings: [...get().warnings.slice(-49), message] }),
  async loadProblems() {
    set({ problems: await call('problems.list', { limit: 500 }) });
  },
}));
