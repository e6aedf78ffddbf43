import { useCallback, useEffect, useRef, useState } from 'react';
import type { DuplicateGroup, DuplicateMember } from '../../../shared/duplicates';
import { api, call, errorMessage } from '../api/client';
import { formatBytes } from '../lib/format';
import { useLibrary } from '../stores/library';
import { useUi } from '../stores/ui';
import { ViewDialog } from '../components/ViewDialog';

const KIND_LABELS: Record<DuplicateGroup['kind'], string> = {
  identical: 'Identical copies',
  similar: 'Near-identical',
};

function Member({
  m,
  keep,
  suggested,
  onKeep,
}: {
  m: DuplicateMember;
  keep: boolean;
  suggested: boolean;
  onKeep(): void;
}) {
  const [failed, setFailed] = useState(false);
  return (
    <figure className={`compare-side duplicate-member${keep ? ' keep' : ''}`} aria-label={m.name}>
      <div className="compare-stage">
        {!failed ? (
          <img src={api.mediaUrl('preview', m.assetId)} alt={m.name} onError={() => setFailed(true)} />
        ) : (
          <p className="muted">No preview</p>
        )}
      </div>
      <figcaption className="compare-facts">
        <h3 className="compare-name" title={m.path}>
          {m.name}
          {suggested && <span className="duplicate-badge">Suggested keeper</span>}
        </h3>
        <dl>
          <div>
            <dt>Dimensions</dt>
            <dd>{m.width && m.height ? `${m.width} × ${m.height}` : '—'}</dd>
          </div>
          <div>
            <dt>Size</dt>
            <dd>{formatBytes(m.size)}</dd>
          </div>
          <div>
            <dt>Rating</dt>
            <dd>{m.rating ? '★'.repeat(m.rating) : '—'}</dd>
          </div>
          <div>
            <dt>Sharpness</dt>
            <dd>{m.sharpness != null ? Math.round(m.sharpness) : '—'}</dd>
          </div>
          <div>
            <dt>Path</dt>
            <dd title={m.path}>{m.path}</dd>
          </div>
        </dl>
        <label className="duplicate-keep">
          <input type="radio" name="keeper" checked={keep} onChange={onKeep} /> Keep this one
        </label>
      </figcaption>
    </figure>
  );
}

/**
 * The duplicates review: one group at a time, its pictures side by side with their facts and the
 * suggested keeper marked; keep one, then reject or stack the others. Esc closes.
 */
export function DuplicatesView() {
  const ref = useRef<HTMLDivElement>(null);
  const [near, setNear] = useState(true);
  const [groups, setGroups] = useState<DuplicateGroup[] | null>(null);
  const [index, setIndex] = useState(0);
  const [keeper, setKeeper] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => useUi.getState().set({ duplicatesOpen: false });

  const load = useCallback(async () => {
    try {
      const g = await call('duplicates.list', { near });
      setGroups(g);
      setIndex((i) => Math.min(i, Math.max(0, g.length - 1)));
    } catch (err) {
      setGroups([]);
      useUi.getState().notify(errorMessage(err), { tone: 'error' });
    }
  }, [near]);
  useEffect(() => {
    void load();
  }, [load]);
  // Acting on the last group removes the buttons that had focus: the dialog takes it back, so Esc still closes.
  useEffect(() => {
    if (groups !== null && !ref.current?.contains(document.activeElement)) ref.current?.focus();
  }, [groups]);

  const group = groups?.[index] ?? null;
  const kept = group
    ? keeper !== null && group.members.some((m) => m.assetId === keeper)
      ? keeper
      : group.keeperId
    : null;
  useEffect(() => setKeeper(null), [group?.keeperId, index]);
  const others = group ? group.members.filter((m) => m.assetId !== kept).map((m) => m.assetId) : [];

  const act = async (what: 'reject' | 'stack') => {
    if (!group || kept === null || busy) return;
    setBusy(true);
    try {
      if (what === 'reject') await call('assets.setFields', { ids: others, patch: { flag: 'reject' } });
      else await call('versions.group', { ids: [kept, ...others], currentId: kept });
      useUi
        .getState()
        .notify(
          what === 'reject'
            ? `Rejected ${others.length} duplicate${others.length === 1 ? '' : 's'}`
            : `Stacked ${others.length + 1} versions`,
        );
      void useLibrary.getState().refresh();
      await load();
    } catch (err) {
      useUi.getState().notify(errorMessage(err), { tone: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <ViewDialog
      className="compare duplicates"
      dialogRef={ref}
      title="Duplicates"
      closeTitle="Close duplicates (Esc)"
      onClose={close}
      summary={
        groups === null
          ? 'Looking for duplicates…'
          : groups.length === 0
            ? 'No duplicates found'
            : `Group ${index + 1} of ${groups.length}: ${KIND_LABELS[group!.kind].toLowerCase()}, ${group!.members.length} pictures; suggested keeper by ${group!.reason}`
      }
      tools={
        <label className="duplicate-near">
          <input type="checkbox" checked={near} onChange={(e) => setNear(e.target.checked)} /> Near-identical
          too
        </label>
      }
    >
      {group && (
        <div
          className="compare-body"
          style={{ gridTemplateColumns: `repeat(${Math.min(group.members.length, 4)}, 1fr)` }}
        >
          {group.members.slice(0, 4).map((m) => (
            <Member
              key={m.assetId}
              m={m}
              keep={m.assetId === kept}
              suggested={m.assetId === group.keeperId}
              onKeep={() => setKeeper(m.assetId)}
            />
          ))}
        </div>
      )}
      {group && (
        <footer className="duplicate-actions">
          <button type="button" className="btn" disabled={index === 0} onClick={() => setIndex(index - 1)}>
            Previous
          </button>
          <button type="button" className="btn danger" disabled={busy} onClick={() => void act('reject')}>
            Reject the others
          </button>
          <button type="button" className="btn primary" disabled={busy} onClick={() => void act('stack')}>
            Stack the others
          </button>
          <button
            type="button"
            className="btn"
            disabled={index >= (groups?.length ?? 0) - 1}
            onClick={() => setIndex(index + 1)}
          >
            Next
          </button>
        </footer>
      )}
    </ViewDialog>
  );
}
