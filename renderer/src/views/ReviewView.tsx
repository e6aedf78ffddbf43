import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import type { ApprovalAction } from '../../../shared/governance';
import type { ApiError } from '../../../shared/errors';
import type { Asset } from '../../../shared/model';
import { api } from '../api/client';
import { redo, undo } from '../app/actions';
import { ApprovalBadge } from '../components/ApprovalBadge';
import { RightsPanel } from '../components/RightsPanel';
import { Icon } from '../components/Icon';
import { TypeIcon } from '../components/TypeIcon';
import { trapTab } from '../lib/focus-trap';
import {
  cameraName,
  formatBytes,
  formatCaptureDate,
  formatCount,
  formatDimensions,
  plural,
} from '../lib/format';
import {
  ACTION_DONE,
  CHANNEL_LABELS,
  LICENSE_LABELS,
  RELEASE_LABELS,
  STATE_LABELS,
  WARNING_LABELS,
  formatWhen,
} from '../lib/governance';
import { refusalText } from '../lib/errors';
import { expectedPreviewSize, MAX_UPSCALE } from '../lib/media';
import { isTypingTarget } from '../lib/shortcuts';
import { useAsset, useLibrary } from '../stores/library';
import { useReview } from '../stores/review';

function RightsSummary({ asset: a }: { asset: Asset }) {
  const r = a.rights;
  const rows: [string, string | null][] = [
    ['Credit', r.credit],
    ['Creator', r.creator],
    ['Copyright', r.copyrightNotice ?? r.copyrightOwner],
    ['Licence', r.licenseType ? LICENSE_LABELS[r.licenseType] : null],
    [
      'Valid',
      r.licenseStart || r.licenseEnd ? `${r.licenseStart ?? '…'} – ${r.licenseEnd ?? 'open-ended'}` : null,
    ],
    ['Channels', r.channels.length ? r.channels.map((c) => CHANNEL_LABELS[c]).join(', ') : null],
    ['Territories', r.territories.length ? r.territories.join(', ') : null],
    ['Usage', r.usageTerms],
    ['Model release', r.modelRelease ? RELEASE_LABELS[r.modelRelease] : null],
    ['Restrictions', r.restrictions],
    ['Alt text', a.altText],
  ];
  const set = rows.filter(([, v]) => v);
  return set.length ? (
    <dl className="metadata">
      {set.map(([k, v]) => (
        <div key={k} className="contents">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  ) : (
    <p className="muted">No rights recorded.</p>
  );
}

/** A refusal for missing rights says nothing more once they are filled in here: Approve is the next step. */
function rightsNowComplete(error: ApiError, a: Asset): boolean {
  if (error.reason !== 'rights-required') return false;
  return (error.detail?.missing ?? []).every((m) =>
    m === 'no-credit'
      ? Boolean(a.rights.credit)
      : m === 'no-license'
        ? Boolean(a.rights.licenseType)
        : !a.warnings.includes('expired'),
  );
}

/** What the picture is, beside it: a reviewer judges a 24 MP frame and a 600 px export differently. */
function PictureFacts({ asset: a }: { asset: Asset }) {
  const rows: [string, string | null][] = [
    ['File', a.name],
    ['Camera', cameraName(a.make, a.model)],
    ['Captured', formatCaptureDate(a.captureDate)],
    ['Dimensions', formatDimensions(a)],
    ['Size', formatBytes(a.size)],
  ];
  return (
    <dl className="metadata" aria-label="Picture">
      {rows
        .filter(([, v]) => v)
        .map(([k, v]) => (
          <div key={k} className="contents">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
    </dl>
  );
}

function Preview({ asset }: { asset: Asset }) {
  const preview = asset.thumbnail ? api.mediaUrl('preview', asset.id, asset.contentHash ?? undefined) : null;
  const thumb = asset.thumbnail ? api.mediaUrl('thumb', asset.id, asset.contentHash ?? undefined) : null;
  const [loaded, setLoaded] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [natural, setNatural] = useState<{ w: number; h: number } | null>(null);
  useEffect(() => setNatural(null), [preview]);
  if (!preview) return <TypeIcon asset={asset} large />;
  // As the loupe: fitted, but never blown up past MAX_UPSCALE times the picture's own pixels.
  const dpr = window.devicePixelRatio || 1;
  const size = natural ?? expectedPreviewSize(asset);
  const style = size
    ? {
        width: `min(calc(100% - 48px), ${(size.w * MAX_UPSCALE) / dpr}px)`,
        height: `min(calc(100% - 48px), ${(size.h * MAX_UPSCALE) / dpr}px)`,
      }
    : undefined;
  return (
    <>
      {loaded !== preview && thumb && (
        <img className="loupe-placeholder" src={thumb} alt="" draggable={false} style={style} />
      )}
      {failed !== preview && (
        <img
          style={style}
          key={preview}
          className={`loupe-preview review-preview${loaded === preview ? ' ready' : ''}`}
          src={preview}
          alt={asset.name}
          draggable={false}
          decoding="async"
          onLoad={(e) => {
            setNatural({ w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight });
            setLoaded(preview);
          }}
          onError={() => setFailed(preview)}
        />
      )}
    </>
  );
}

type Asking = { action: 'request-changes' | 'comment' } | null;

/**
 * Review mode: everything in review, one at a time, large. A approves, R requests changes (asking
 * why), X rejects, C adds a comment to the next decision; ←/→ or J/K step, Esc leaves. A decision
 * moves on to the next asset still waiting.
 */
export function ReviewView() {
  const { ids, index, loading, error, decisions, refused } = useReview();
  const id = ids[index];
  const asset = useAsset(id);
  const titleId = useId();
  const dialog = useRef<HTMLDivElement>(null);
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const [comment, setComment] = useState('');
  const [asking, setAsking] = useState<Asking>(null);
  const [busy, setBusy] = useState(false);
  const [editingFor, setEditingFor] = useState<number | null>(null);
  // Approval refused for missing rights: the fields to fill are opened here, not in the library.
  const editing = editingFor !== null && editingFor === id;
  const setEditing = (on: boolean) => setEditingFor(on && id !== undefined ? id : null);
  useEffect(() => {
    if (refused?.error.reason === 'rights-required') setEditingFor(refused.id);
  }, [refused]);
  const close = () => useReview.getState().close();

  useLayoutEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    dialog.current?.focus();
    return () => previous?.focus();
  }, []);
  useEffect(() => {
    if (id !== undefined && !asset) void useLibrary.getState().fetch([id]);
    const next = ids[index + 1];
    if (next !== undefined) void useLibrary.getState().fetch([next]);
  }, [id, asset, ids, index]);
  useEffect(() => {
    setAsking(null);
    setComment('');
  }, [id]);
  useEffect(() => {
    if (asking) commentRef.current?.focus();
  }, [asking]);

  const decide = async (action: ApprovalAction, text = comment) => {
    if (busy || id === undefined) return;
    setBusy(true);
    try {
      const r = await useReview.getState().decide(action, text);
      if (r?.ok) {
        setComment('');
        setAsking(null);
      }
    } finally {
      setBusy(false);
      dialog.current?.focus();
    }
  };

  const done = ids.length > 0 && ids.every((x) => decisions[x]?.ok);
  const decided = Object.values(decisions).filter((d) => d.ok);
  const tally = (['approve', 'request-changes', 'reject'] as ApprovalAction[])
    .map((a) => [a, decided.filter((d) => d.action === a).length] as const)
    .filter(([, n]) => n > 0);

  const onKeyDown = (e: React.KeyboardEvent) => {
    // Ctrl/Cmd+Z takes the last decision (or rights edit) back, as everywhere else; in a text
    // field it is the field's own undo.
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'z' && !isTypingTarget(e.target)) {
      e.preventDefault();
      e.stopPropagation();
      void (e.shiftKey ? redo() : undo());
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      if (asking) {
        setAsking(null);
        dialog.current?.focus();
      } else close();
      return;
    }
    if (e.key === 'Tab') {
      trapTab(e, dialog.current, 'button:not(:disabled), textarea');
      return;
    }
    if (isTypingTarget(e.target)) return;
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    const handled = () => {
      e.preventDefault();
      e.stopPropagation();
    };
    if (key === 'ArrowLeft' || key === 'k') {
      handled();
      useReview.getState().go(-1);
    } else if (key === 'ArrowRight' || key === 'j') {
      handled();
      useReview.getState().go(1);
    } else if (done || !asset) {
      return;
    } else if (key === 'a') {
      handled();
      void decide('approve');
    } else if (key === 'x') {
      handled();
      void decide('reject');
    } else if (key === 'r') {
      handled();
      setAsking({ action: 'request-changes' });
    } else if (key === 'c') {
      handled();
      setAsking({ action: 'comment' });
    }
  };

  const decision = id === undefined ? undefined : decisions[id];
  return (
    <div
      ref={dialog}
      className="loupe review"
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <header className="loupe-bar">
        <button type="button" className="btn ghost" onClick={close} title="Leave review (Esc)">
          <Icon name="chevronLeft" size={16} /> Library
        </button>
        <div className="loupe-heading">
          <h2 id={titleId}>Review</h2>
          {ids.length > 0 && (
            <span className="muted">
              <span className="review-name">{asset?.name ?? ''}</span> · {formatCount(index + 1)} of{' '}
              {formatCount(ids.length)} · {formatCount(ids.length - decided.length)} waiting
            </span>
          )}
        </div>
        <div className="loupe-tools">
          <button
            type="button"
            className="icon-btn framed"
            aria-label="Previous"
            title="Previous (← or K)"
            disabled={index <= 0}
            onClick={() => useReview.getState().go(-1)}
          >
            <Icon name="chevronLeft" size={16} />
          </button>
          <button
            type="button"
            className="icon-btn framed"
            aria-label="Next"
            title="Next (→ or J)"
            disabled={index >= ids.length - 1}
            onClick={() => useReview.getState().go(1)}
          >
            <Icon name="chevronRight" size={16} />
          </button>
        </div>
      </header>
      {loading ? (
        <div className="review-empty">
          <span className="spinner large" aria-label="Loading the review queue" />
        </div>
      ) : error ? (
        <div className="review-empty">
          <p role="alert">Could not load what is in review: {error}</p>
        </div>
      ) : ids.length === 0 ? (
        <div className="review-empty">
          <h3>Nothing is waiting for review</h3>
          <p className="muted">Submit assets for review from the Approval panel, then come back here.</p>
          <button type="button" className="btn primary" onClick={close}>
            Back to the library
          </button>
        </div>
      ) : done ? (
        <div className="review-empty">
          <h3>All reviewed</h3>
          <p className="muted">
            {tally.map(([a, n]) => `${plural(n, 'item')} ${ACTION_DONE[a]}`).join(' · ')}
          </p>
          <button type="button" className="btn primary" onClick={close}>
            Done
          </button>
        </div>
      ) : (
        <div className="loupe-body">
          <div className="loupe-stage review-stage">{asset && <Preview asset={asset} />}</div>
          <aside className="loupe-side review-side" aria-label="Review details">
            {asset && (
              <>
                <section className="panel-section" aria-labelledby={`${titleId}-state`}>
                  <h3 className="section-title" id={`${titleId}-state`}>
                    Decision
                  </h3>
                  <div className="governance-line">
                    <ApprovalBadge state={asset.approval.state} />
                    {decision?.ok && (
                      <span className="muted">you: {STATE_LABELS[decision.state].toLowerCase()}</span>
                    )}
                  </div>
                  {asset.approval.comment && (
                    <blockquote className="approval-comment">
                      {asset.approval.comment}
                      {asset.approval.by && (
                        <span className="muted">
                          {' '}
                          · {asset.approval.by}, {formatWhen(asset.approval.at)}
                        </span>
                      )}
                    </blockquote>
                  )}
                  {refused && refused.id === id && !(asset && rightsNowComplete(refused.error, asset)) && (
                    <p className="result-note refused" role="alert">
                      {refusalText(refused.error, refused.action)}
                    </p>
                  )}
                  {asking && (
                    <form
                      className="review-comment"
                      onSubmit={(e) => {
                        e.preventDefault();
                        if (asking.action === 'request-changes') void decide('request-changes');
                        else {
                          setAsking(null);
                          dialog.current?.focus();
                        }
                      }}
                    >
                      <label className="field">
                        <span className="field-label">
                          {asking.action === 'request-changes'
                            ? 'What needs to change?'
                            : 'Comment (sent with your decision)'}
                        </span>
                        <textarea
                          ref={commentRef}
                          rows={3}
                          value={comment}
                          onChange={(e) => setComment(e.target.value)}
                          onKeyDown={(e) => {
                            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                              e.preventDefault();
                              e.currentTarget.form?.requestSubmit();
                            }
                          }}
                        />
                      </label>
                      <div className="panel-actions">
                        <button
                          type="submit"
                          className="btn small primary"
                          disabled={asking.action === 'request-changes' && !comment.trim()}
                        >
                          {asking.action === 'request-changes' ? 'Send and request changes' : 'Keep comment'}
                        </button>
                        <button
                          type="button"
                          className="btn small ghost"
                          onClick={() => {
                            setAsking(null);
                            dialog.current?.focus();
                          }}
                        >
                          Cancel
                        </button>
                      </div>
                    </form>
                  )}
                  {!asking && comment && <p className="muted review-pending">Comment: “{comment}”</p>}
                  <div className="review-actions">
                    <button
                      type="button"
                      className="btn primary"
                      disabled={busy}
                      onClick={() => void decide('approve')}
                    >
                      Approve <kbd>A</kbd>
                    </button>
                    <button
                      type="button"
                      className="btn"
                      disabled={busy}
                      onClick={() => setAsking({ action: 'request-changes' })}
                    >
                      Request changes <kbd>R</kbd>
                    </button>
                    <button
                      type="button"
                      className="btn danger-outline"
                      disabled={busy}
                      onClick={() => void decide('reject')}
                    >
                      Reject <kbd>X</kbd>
                    </button>
                    <button
                      type="button"
                      className="btn ghost"
                      onClick={() => setAsking({ action: 'comment' })}
                    >
                      Comment <kbd>C</kbd>
                    </button>
                  </div>
                </section>
                {asset.warnings.length > 0 && (
                  <section className="panel-section" aria-labelledby={`${titleId}-warn`}>
                    <h3 className="section-title" id={`${titleId}-warn`}>
                      Warnings
                    </h3>
                    <ul className="warning-list">
                      {asset.warnings.map((w) => (
                        <li key={w} className={`warning-chip warning-${w}`}>
                          <Icon name="alert" size={11} />
                          {WARNING_LABELS[w]}
                        </li>
                      ))}
                    </ul>
                  </section>
                )}
                <section className="panel-section" aria-labelledby={`${titleId}-picture`}>
                  <h3 className="section-title" id={`${titleId}-picture`}>
                    Picture
                  </h3>
                  <PictureFacts asset={asset} />
                </section>
                <section className="panel-section" aria-labelledby={`${titleId}-rights`}>
                  <div className="section-head">
                    <h3 className="section-title" id={`${titleId}-rights`}>
                      Rights
                    </h3>
                    <button
                      type="button"
                      className="btn link small"
                      aria-expanded={editing}
                      onClick={() => setEditing(!editing)}
                    >
                      {editing ? 'Done' : 'Edit rights'}
                    </button>
                  </div>
                  {editing ? (
                    <RightsPanel ids={[asset.id]} assets={[asset]} />
                  ) : (
                    <RightsSummary asset={asset} />
                  )}
                </section>
              </>
            )}
          </aside>
        </div>
      )}
    </div>
  );
}
