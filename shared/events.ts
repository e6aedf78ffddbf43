import type { RootState, ScanSummary } from './model';
import type { DeliveryResult } from './publishing';

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
  /** A delivery to an endpoint happened, failed, was refused or waits for the endpoint. */
  publication: DeliveryResult;
  /** A file arrived through an upload portal and was catalogued (a draft, "uploaded by" in its history). */
  'upload-received': {
    linkId: number;
    uploader: string;
    note: string | null;
    /** Where it landed, relative to its root (FOLDER/UPLOADER/NAME). */
    path: string;
    assetId: number | null;
  };
}
export type CoreEventName = keyof CoreEvents;
