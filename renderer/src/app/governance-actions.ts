import type { FieldPatch, TransitionResult } from '../../../shared/contract';
import type { ApprovalAction } from '../../../shared/governance';
import { call, errorMessage } from '../api/client';
import { plural } from '../lib/format';
import { refusalReason } from '../lib/errors';
import { ACTION_DONE } from '../lib/governance';
import { useUndoStack } from '../stores/undo-stack';
import { useLibrary } from '../stores/library';
import { useUi } from '../stores/ui';

const notify = (...args: Parameters<ReturnType<typeof useUi.getState>['notify']>) =>
  useUi.getState().notify(...args);

/** Set governed fields (rights, alt text) on every asset given; the change notice refreshes them. */
export async function setFields(ids: number[], patch: FieldPatch, label: string): Promise<boolean> {
  if (ids.length === 0) return false;
  try {
    await useUndoStack.getState().fields(ids, patch, label);
    useLibrary.getState().markStale(ids);
    notify(`${label} · ${plural(ids.length, 'item')}`);
    return true;
  } catch (err) {
    useLibrary.getState().markStale(ids);
    notify(`Could not save: ${errorMessage(err)}`, { tone: 'error' });
    return false;
  }
}

export interface TransitionSummary {
  action: ApprovalAction;
  ok: number;
  /** Refusals grouped by their reason (as a person reads it), most common first. */
  refused: { reason: string; ids: number[] }[];
  results: TransitionResult[];
}

export function summarizeTransitions(action: ApprovalAction, results: TransitionResult[]): TransitionSummary {
  const groups = new Map<string, number[]>();
  for (const r of results) {
    if (r.ok) continue;
    const reason = refusalReason(r.error, action);
    const list = groups.get(reason) ?? [];
    list.push(r.id);
    groups.set(reason, list);
  }
  return {
    action,
    ok: results.filter((r) => r.ok).length,
    refused: [...groups]
      .map(([reason, ids]) => ({ reason, ids }))
      .sort((a, b) => b.ids.length - a.ids.length),
    results,
  };
}

/** One line for a toast: "3 approved; 2 refused: no credit line". */
export function summaryText(s: TransitionSummary): string {
  const parts: string[] = [];
  if (s.ok) parts.push(`${plural(s.ok, 'item')} ${ACTION_DONE[s.action]}`);
  for (const r of s.refused) parts.push(`${formatRefused(r.ids.length)}: ${r.reason}`);
  return parts.join('; ');
}

const formatRefused = (n: number) => `${plural(n, 'item')} refused`;

/** Move assets through the approval workflow; every asset is tried, refusals come back with their reasons. */
export async function transitionAssets(
  ids: number[],
  action: ApprovalAction,
  comment?: string,
  opts: { quiet?: boolean } = {},
): Promise<TransitionSummary | null> {
  if (ids.length === 0) return null;
  const text = comment?.trim();
  try {
    const results = await call('assets.transition', { ids, action, ...(text ? { comment: text } : {}) });
    useLibrary.getState().markStale(ids);
    const summary = summarizeTransitions(action, results);
    // A panel that shows the outcome itself asks for no toast.
    if (!opts.quiet) notify(summaryText(summary), { tone: summary.ok === 0 ? 'error' : 'info' });
    return summary;
  } catch (err) {
    notify(`Could not ${action.replace('-', ' ')}: ${errorMessage(err)}`, { tone: 'error' });
    return null;
  }
}
