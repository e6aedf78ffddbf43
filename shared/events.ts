import type { RootState, ScanSummary } from './model';

/** Everything the core pushes to its clients, by name. */
export interface CoreEvents {
  'scan-progress': {
    rootId: number;
    phase: 'walking' | 'recording' | 'done';
    seen: number;
    summary?: ScanSummary;
  };
  'job-progress': { done: number; failed: number; pending: number; running: number; perSecond: number };
  'catalog-changed': { assetIds: number[] };
  'root-state': { rootId: number; state: RootState; reason: string | null };
  warning: { rootId: number | null; message: string };
}
export type CoreEventName = keyof CoreEvents;
