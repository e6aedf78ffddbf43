import { create } from 'zustand';
import type { Endpoint, PublishQueue } from '../../../shared/publishing';
import type { RenditionPreset } from '../../../shared/renditions';
import { call } from '../api/client';

/** A bulk publish or export under way: the status bar shows its progress. */
export interface BulkWork {
  kind: 'publish' | 'export';
  ids: number[];
  done: number;
  total: number;
}

export interface PublishingState {
  endpoints: Endpoint[];
  presets: RenditionPreset[];
  queue: PublishQueue | null;
  bulk: BulkWork | null;
  loadEndpoints(): Promise<void>;
  loadPresets(): Promise<void>;
  loadQueue(): Promise<void>;
  setBulk(bulk: BulkWork | null): void;
  /** A delivery of an asset of the bulk publish happened: one more done. */
  delivered(assetId: number): void;
}

export const usePublishing = create<PublishingState>((set, get) => ({
  endpoints: [],
  presets: [],
  queue: null,
  bulk: null,
  async loadEndpoints() {
    set({ endpoints: await call('endpoints.list', {}) });
  },
  async loadPresets() {
    set({ presets: await call('renditions.presets', {}) });
  },
  async loadQueue() {
    set({ queue: await call('publish.queue', {}) });
  },
  setBulk(bulk) {
    set({ bulk });
  },
  delivered(assetId) {
    const b = get().bulk;
    if (b?.kind === 'publish' && b.ids.includes(assetId) && b.done < b.total)
      set({ bulk: { ...b, done: b.done + 1 } });
  },
}));
