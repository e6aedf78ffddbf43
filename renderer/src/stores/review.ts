import { create } from 'zustand';
import type { ApiError, TransitionResult } from '../../../shared/contract';
import type { ApprovalAction, ApprovalState } from '../../../shared/governance';
import { ApiCallError, call, errorMessage } from '../api/client';
import { ACTION_DONE } from '../lib/governance';
import { useUndoStack, type DecisionAction } from './undo-stack';
import { cachedAsset, useLibrary } from './library';

/** What review mode steps through: everything waiting for a decision. */
export const REVIEW_QUERY = 'approval:in-review';

export interface Decision {
  action: ApprovalAction;
  state: ApprovalState;
  ok: boolean;
  error?: ApiError;
}

export interface ReviewState {
  open: boolean;
  loading: boolean;
  error: string | null;
  /** The queue as it was when review started: deciding does not reshuffle what is left. */
  ids: number[];
  index: number;
  /** What was decided here, per asset (a refusal included, with its reason). */
  decisions: Record<number, Decision>;
  /** The last refusal, shown until the next step. */
  refused: { id: number; action: ApprovalAction; error: ApiError } | null;
  start(): Promise<void>;
  close(): void;
  go(delta: number): void;
  /** Decide on the asset shown; on success move to the next one not yet decided. */
  decide(action: ApprovalAction, comment?: string): Promise<TransitionResult | null>;
  /** Decisions taken back (undo): the assets wait for a decision again, and the first of them is shown. */
  reopened(ids: number[]): void;
}

const DECISIONS: ApprovalAction[] = ['approve', 'request-changes', 'reject'];

/** The next index after `from` whose asset has no decision yet; `from` itself when none is left after it. */
export function nextUndecided(ids: number[], decisions: Record<number, Decision>, from: number): number {
  for (let i = from + 1; i < ids.length; i++) if (!decisions[ids[i]!]?.ok) return i;
  for (let i = 0; i < from; i++) if (!decisions[ids[i]!]?.ok) return i;
  return from;
}

export const useReview = create<ReviewState>((set, get) => ({
  open: false,
  loading: false,
  error: null,
  ids: [],
  index: 0,
  decisions: {},
  refused: null,

  async start() {
    set({ open: true, loading: true, error: null, ids: [], index: 0, decisions: {}, refused: null });
    try {
      let ids: number[] = [];
      for (let more = true; more;) {
        const page = await call('assets.ids', {
          query: REVIEW_QUERY,
          sort: 'captureDate',
          dir: 'asc',
          offset: ids.length,
        });
        ids = ids.concat(page.ids);
        more = page.more && page.ids.length > 0;
      }
      if (!get().open) return;
      set({ ids, loading: false });
      if (ids.length) void useLibrary.getState().fetch(ids.slice(0, 2000));
    } catch (err) {
      set({ loading: false, error: errorMessage(err) });
    }
  },

  close() {
    set({ open: false, refused: null });
  },

  go(delta) {
    const { ids, index } = get();
    if (ids.length === 0) return;
    const next = Math.max(0, Math.min(ids.length - 1, index + delta));
    if (next !== index) set({ index: next, refused: null });
  },

  async decide(action, comment) {
    const { ids, index } = get();
    const id = ids[index];
    if (id === undefined) return null;
    const text = comment?.trim();
    let result: TransitionResult | undefined;
    try {
      [result] = await call('assets.transition', {
        ids: [id],
        action,
        ...(text ? { comment: text } : {}),
      });
    } catch (err) {
      const error: ApiError =
        err instanceof ApiCallError ? err.error : { code: 'internal', message: errorMessage(err) };
      set({ refused: { id, action, error } });
      return null;
    }
    if (!result) return null;
    useLibrary.getState().markStale([id]);
    const decisions = {
      ...get().decisions,
      [id]: {
        action,
        state: result.state,
        ok: result.ok,
        ...(result.error ? { error: result.error } : {}),
      },
    };
    if (!result.ok) {
      set({
        decisions,
        refused: { id, action, error: result.error ?? { code: 'refused', message: 'refused' } },
      });
      return result;
    }
    if (DECISIONS.includes(action)) {
      const name = cachedAsset(id)?.name ?? 'Item';
      const label = `${name} ${ACTION_DONE[action]}`;
      useUndoStack.getState().decided([id], action as DecisionAction, label, text);
    }
    // Still on this asset (the user did not step away while the answer was on its way): move on.
    const at = get().ids[get().index] === id ? nextUndecided(ids, decisions, index) : get().index;
    set({ decisions, index: at, refused: null });
    return result;
  },

  reopened(ids) {
    const decisions = { ...get().decisions };
    for (const id of ids) delete decisions[id];
    const at = get().ids.indexOf(ids[0]!);
    set({ decisions, refused: null, ...(at >= 0 ? { index: at } : {}) });
  },
}));
