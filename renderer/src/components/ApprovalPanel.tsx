import { useEffect, useId, useState } from 'react';
import { APPROVAL_STATES, type ApprovalAction, type ApprovalState } from '../../../shared/governance';
import type { Asset } from '../../../shared/model';
import { allowed, useSession } from '../stores/session';
import { transitionAssets, type TransitionSummary } from '../app/governance-actions';
import { plural } from '../lib/format';
import { refusalText } from '../lib/errors';
import { ACTION_DONE, ACTION_LABELS, actionsFrom, formatWhen } from '../lib/governance';
import { ApprovalBadge } from './ApprovalBadge';

const ORDER: ApprovalAction[] = ['submit', 'approve', 'request-changes', 'reject', 'retire'];

function ResultNote({ summary, single }: { summary: TransitionSummary; single: boolean }) {
  if (single) {
    const r = summary.results[0];
    if (!r) return null;
    return r.ok ? (
      <p className="result-note ok" role="status">
        {ACTION_DONE[summary.action][0]!.toUpperCase() + ACTION_DONE[summary.action].slice(1)}.
      </p>
    ) : (
      <p className="result-note refused" role="alert">
        {refusalText(r.error, summary.action)}
      </p>
    );
  }
  return (
    <div className={`result-note ${summary.refused.length ? 'refused' : 'ok'}`} role="status">
      <p>
        {summary.ok > 0 ? `${plural(summary.ok, 'item')} ${ACTION_DONE[summary.action]}` : 'None changed'}
        {summary.refused.length > 0 &&
          `; ${plural(
            summary.refused.reduce((n, r) => n + r.ids.length, 0),
            'item',
          )} refused`}
      </p>
      {summary.refused.length > 0 && (
        <ul className="refusals">
          {summary.refused.map((r) => (
            <li key={r.reason}>
              <span className="count">{r.ids.length}</span> {r.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * Where the selection stands in the approval workflow and what may be done next. A single asset
 * shows its decision (who, when, why); a selection shows how many are in each state and acts on
 * all of them, reporting how many it moved and why the others were refused.
 */
export function ApprovalPanel({ ids, assets }: { ids: number[]; assets: Asset[] }) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [summary, setSummary] = useState<TransitionSummary | null>(null);
  const commentId = useId();
  const single = ids.length === 1 ? assets[0] : undefined;
  const selectionKey = ids.join(',');
  useEffect(() => {
    setSummary(null);
    setComment('');
  }, [selectionKey]);

  const counts = new Map<ApprovalState, number>();
  for (const a of assets) counts.set(a.approval.state, (counts.get(a.approval.state) ?? 0) + 1);
  const possible = new Set<ApprovalAction>();
  for (const s of counts.keys()) for (const a of actionsFrom(s)) possible.add(a);
  // A selection too large to summarise (or not loaded yet) may be in any state: offer every
  // action and let the core say which assets it refused.
  if (assets.length < ids.length) ORDER.forEach((a) => possible.add(a));
  // Only the decisions this user's role may take (a contributor submits; an approver decides).
  const me = useSession((st) => st.me);
  const actions = ORDER.filter(
    (a) => possible.has(a) && allowed(me, 'assets.transition', { ids: [1], action: a }),
  );

  const act = async (action: ApprovalAction) => {
    setBusy(true);
    const res = await transitionAssets(ids, action, comment, { quiet: true });
    setBusy(false);
    if (res) {
      setSummary(res);
      if (res.ok > 0) setComment('');
    }
  };

  return (
    <div className="approval-panel">
      {single ? (
        <div className="approval-state">
          <ApprovalBadge state={single.approval.state} />
          {single.approval.by ? (
            <p className="approval-who">
              {single.approval.by}
              {single.approval.machine && <span className="muted"> on {single.approval.machine}</span>}
              {single.approval.at && <span className="muted"> · {formatWhen(single.approval.at)}</span>}
            </p>
          ) : (
            <p className="approval-who muted">No decision yet</p>
          )}
          {single.approval.comment && (
            <blockquote className="approval-comment">{single.approval.comment}</blockquote>
          )}
        </div>
      ) : (
        <ul className="state-counts" aria-label="Approval states">
          {APPROVAL_STATES.filter((s) => counts.has(s)).map((s) => (
            <li key={s}>
              <ApprovalBadge state={s} count={counts.get(s)} />
            </li>
          ))}
          {assets.length < ids.length && (
            <li className="muted">…and {ids.length - assets.length} not loaded</li>
          )}
        </ul>
      )}
      {actions.length > 0 && (
        <>
          <label className="field" htmlFor={commentId}>
            <span className="field-label">Comment (optional)</span>
          </label>
          <textarea
            id={commentId}
            rows={2}
            placeholder="Why, for the history"
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
          <div className="approval-actions">
            {actions.map((a) => (
              <button
                key={a}
                type="button"
                disabled={busy}
                className={`btn small${a === 'approve' ? ' primary' : a === 'reject' ? ' danger-outline' : ''}`}
                onClick={() => void act(a)}
              >
                {ids.length > 1 ? `${ACTION_LABELS[a]} ${ids.length}` : ACTION_LABELS[a]}
              </button>
            ))}
          </div>
        </>
      )}
      {summary && <ResultNote summary={summary} single={ids.length === 1} />}
    </div>
  );
}
