import { create } from 'zustand';
import type { TaggingStatus } from '../../../shared/auto-tags';
import { call, errorMessage } from '../api/client';

export interface TaggingState {
  /** The core's last answer to tagging.status (or to pause, resume, settings), null before the first. */
  status: TaggingStatus | null;
  error: string | null;
  /** Reads tagging.status; calls made while one is in flight share it. */
  load(): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  configure(patch: { enabled?: boolean; threshold?: number }): Promise<void>;
}

let inFlight: Promise<void> | null = null;

/** Tagging runs now: on, not paused, and pictures owed. */
export const taggingRuns = (s: TaggingStatus | null): boolean =>
  s !== null && s.enabled && !s.paused && s.pending > 0;

export const useTagging = create<TaggingState>((set) => {
  const apply = async (op: () => Promise<TaggingStatus>) => {
    try {
      set({ status: await op(), error: null });
    } catch (err) {
      set({ error: errorMessage(err) });
    }
  };
  return {
    status: null,
    error: null,
    load() {
      inFlight ??= apply(() => call('tagging.status', {})).finally(() => (inFlight = null));
      return inFlight;
    },
    pause: () => apply(() => call('tagging.pause', {})),
    resume: () => apply(() => call('tagging.resume', {})),
    configure: (patch) => apply(() => call('tagging.settings', patch)),
  };
});
