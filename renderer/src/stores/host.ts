import { create } from 'zustand';
import type { HostInfo } from '../../../shared/contract';
import { call } from '../api/client';

/** The machine the catalogue lives on (over `dam serve` it need not be the one showing the UI). */
export interface HostState {
  info: HostInfo | null;
  load(): Promise<void>;
}

export const useHost = create<HostState>((set, get) => ({
  info: null,
  async load() {
    if (get().info) return;
    const info = await call('host.info', {}).catch(() => null);
    if (info) set({ info });
  },
}));

/** A path to show as an example: the host's own form, or a neutral one until it is known. */
export const examplePath = (info: HostInfo | null) => info?.examplePath ?? 'the full path of the folder';
