import { useEffect, useState } from 'react';
import type { HistoryEntry } from '../../../shared/governance';
import type { Asset } from '../../../shared/model';
import { call, errorMessage } from '../api/client';
import { fieldName, formatValue, formatWhen, isEmptyValue, STATE_LABELS } from '../lib/governance';
import { ApprovalBadge } from './ApprovalBadge';

const APPROVAL_VERBS: Record<string, string> = {
  'in-review': 'submitted it for review',
  approved: 'approved it',
  'changes-requested': 'requested changes',
  rejected: 'rejected it',
  retired: 'retired it',
  draft: 'put it back to draft',
};

const CONTENT_VERBS: Record<Extract<HistoryEntry, { kind: 'content' }>['event'], string> = {
  changed: 'The file’s content changed',
  restored: 'restored an earlier content',
  stacked: 'put it in a version stack',
  unstacked: 'took it out of its version stack',
  current: 'made it the current version',
  uploaded: 'uploaded it',
};

function Entry({ e }: { e: HistoryEntry }) {
  const when = formatWhen(e.at);
  const who = (
    <span className="who">
      {e.actor}
      {e.machine && <span className="muted"> on {e.machine}</span>}
    </span>
  );
  if (e.kind === 'approval')
    return (
      <li className="tl-entry tl-approval">
        <span className={`tl-dot state-${e.to}`} aria-hidden="true" />
        <div className="tl-body">
          <p>
            {who} {APPROVAL_VERBS[e.to] ?? `moved it to ${STATE_LABELS[e.to]}`} <ApprovalBadge state={e.to} />
          </p>
          {e.comment && <blockquote className="approval-comment">{e.comment}</blockquote>}
          <time dateTime={e.at}>{when}</time>
        </div>
      </li>
    );
  if (e.kind === 'change') {
    const field = fieldName(e.field);
    if (e.source === 'merge-conflict')
      return (
        <li className="tl-entry tl-conflict">
          <span className="tl-dot conflict" aria-hidden="true" />
          <div className="tl-body">
            <p>
              <strong className="text-warning">Merge conflict</strong> on {field}:{' '}
              {formatValue(e.oldValue, e.field)} by {who} lost to {formatValue(e.newValue, e.field)} (edited
              on two machines at once)
            </p>
            <time dateTime={e.at}>{when}</time>
          </div>
        </li>
      );
    const cleared = isEmptyValue(e.newValue);
    return (
      <li className="tl-entry tl-change">
        <span className="tl-dot change" aria-hidden="true" />
        <div className="tl-body">
          <p>
            {e.source === 'sidecar' ? (
              <>
                {field} {cleared ? 'cleared' : <>set to {formatValue(e.newValue, e.field)}</>} in the sidecar{' '}
                <span className="muted">(by {e.actor})</span>
              </>
            ) : (
              <>
                {who}{' '}
                {cleared ? (
                  `cleared ${field}`
                ) : (
                  <>
                    set {field} to {formatValue(e.newValue, e.field)}
                  </>
                )}
              </>
            )}
          </p>
          {!cleared && !isEmptyValue(e.oldValue) && (
            <p className="muted tl-was">was {formatValue(e.oldValue, e.field)}</p>
          )}
          <time dateTime={e.at}>{when}</time>
        </div>
      </li>
    );
  }
  return (
    <li className="tl-entry tl-content">
      <span className="tl-dot content" aria-hidden="true" />
      <div className="tl-body">
        <p>
          {/* The core's own sentence when it has one ("restored the content of …"), else ours. */}
          {e.event === 'uploaded' ? (
            // "uploaded by NAME: note": the uploader is not a user of this machine.
            <>{e.detail ?? CONTENT_VERBS.uploaded}</>
          ) : e.event === 'changed' ? (
            e.detail ? (
              e.detail.charAt(0).toUpperCase() + e.detail.slice(1)
            ) : (
              CONTENT_VERBS.changed
            )
          ) : (
            <>
              {who} {e.detail ?? CONTENT_VERBS[e.event]}
            </>
          )}
        </p>
        {e.hash && <p className="muted tl-was mono">{e.hash.slice(0, 12)}</p>}
        <time dateTime={e.at}>{when}</time>
      </div>
    </li>
  );
}

/**
 * An asset's history, newest first: decisions, field edits (here, from a sidecar, and merge
 * conflicts between machines) and content events. Read again whenever the asset changes.
 */
export function Timeline({ asset }: { asset: Asset }) {
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [all, setAll] = useState(false);
  useEffect(() => {
    let live = true;
    call('assets.history', { id: asset.id }).then(
      (h) => {
        if (!live) return;
        setEntries([...h].reverse());
        setError(null);
      },
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
    // The asset object is replaced whenever the catalogue reports it changed.
  }, [asset]);
  useEffect(() => setAll(false), [asset.id]);

  if (error) return <p className="muted">History unavailable: {error}</p>;
  if (!entries)
    return (
      <p className="muted">
        <span className="spinner" aria-hidden="true" /> Loading history…
      </p>
    );
  if (entries.length === 0) return <p className="muted">No changes recorded yet.</p>;
  const shown = all ? entries : entries.slice(0, 12);
  return (
    <>
      <ol className="timeline" aria-label="History">
        {shown.map((e, i) => (
          <Entry key={`${e.at}-${i}`} e={e} />
        ))}
      </ol>
      {entries.length > shown.length && (
        <button type="button" className="btn link small" onClick={() => setAll(true)}>
          Show all {entries.length}
        </button>
      )}
    </>
  );
}
