import { useEffect, useState } from 'react';
import type { Asset } from '../../../shared/model';
import type { ContentSnapshot, VersionInfo, VersionStack } from '../../../shared/versions';
import { api, ApiCallError, call, errorMessage } from '../api/client';
import { formatBytes, plural } from '../lib/format';
import { formatWhen } from '../lib/governance';
import { withFacet } from '../lib/query';
import { useLibrary } from '../stores/library';
import { useAllowed } from '../stores/session';
import { useUi } from '../stores/ui';
import { ApprovalBadge } from './ApprovalBadge';
import { Group } from './Group';

const notify = (...args: Parameters<ReturnType<typeof useUi.getState>['notify']>) =>
  useUi.getState().notify(...args);

/** A refusal or something not available here is information, not a crash. */
function Unavailable({ error }: { error: unknown }) {
  const refused = error instanceof ApiCallError && (error.code === 'refused' || error.code === 'unavailable');
  return (
    <p className="muted calm-note" role="note">
      {refused ? `Not available: ${errorMessage(error)}.` : `Could not load: ${errorMessage(error)}`}
    </p>
  );
}

function useLoad<T>(load: (() => Promise<T>) | null, deps: unknown[]): { value: T | null; error: unknown } {
  const [state, setState] = useState<{ value: T | null; error: unknown }>({ value: null, error: null });
  useEffect(() => {
    if (!load) return;
    let live = true;
    load().then(
      (value) => live && setState({ value, error: null }),
      (error: unknown) => live && setState({ value: null, error }),
    );
    return () => {
      live = false;
    };
  }, deps);
  return state;
}

async function run(what: string, fn: () => Promise<unknown>, ids: number[]): Promise<boolean> {
  try {
    await fn();
    useLibrary.getState().markStale(ids);
    void useLibrary.getState().refresh();
    return true;
  } catch (err) {
    notify(`Could not ${what}: ${errorMessage(err)}`, { tone: 'error' });
    return false;
  }
}

const REASONS: Record<ContentSnapshot['reason'], string> = {
  ingest: 'first catalogued',
  changed: 'changed on disk',
  approved: 'kept at approval',
  governed: 'kept (governed)',
  restore: 'kept before a restore',
};

function Versions({ asset }: { asset: Asset }) {
  const [picked, setPicked] = useState<number[]>([]);
  // Stacking and the current version are a contributor's; a viewer compares and looks only.
  const mayEdit = useAllowed('versions.setCurrent');
  const { value: stack, error } = useLoad<VersionStack>(
    () => call('versions.list', { id: asset.id }),
    [asset],
  );
  useEffect(() => setPicked([]), [asset.id]);
  if (error) return <Unavailable error={error} />;
  if (!stack)
    return (
      <p className="muted">
        <span className="spinner" aria-hidden="true" /> Loading versions…
      </p>
    );
  if (stack.stackId === null || stack.versions.length < 2)
    return (
      <>
        <p className="muted">This is the only version. Select several assets to group them into a stack.</p>
        <div className="panel-actions">
          <button
            type="button"
            className="btn small"
            onClick={() => {
              const lib = useLibrary.getState();
              lib.setQuery(withFacet(lib.query, 'versions', 'all'));
            }}
          >
            Show every version in the grid
          </button>
        </div>
      </>
    );
  const toggle = (id: number) =>
    setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));
  const byId = new Map(stack.versions.map((v) => [v.assetId, v]));
  // Two ticked, or the only two there are, or one ticked beside the one shown; in stack order.
  const chosen =
    picked.length === 2
      ? picked
      : stack.versions.length === 2
        ? stack.versions.map((v) => v.assetId)
        : picked.length === 1 && picked[0] !== asset.id
          ? [picked[0]!, asset.id]
          : [];
  const pair =
    chosen.length === 2
      ? ([...chosen].map((id) => byId.get(id)!).sort((a, b) => a.position - b.position) as [
          VersionInfo,
          VersionInfo,
        ])
      : null;
  return (
    <>
      <ol className="version-list" aria-label="Versions">
        {stack.versions.map((v) => (
          <li key={v.assetId} className={v.assetId === asset.id ? 'this' : ''}>
            <input
              type="checkbox"
              aria-label={`Compare ${v.name}`}
              checked={picked.includes(v.assetId)}
              onChange={() => toggle(v.assetId)}
            />
            <img src={api.mediaUrl('thumb', v.assetId, v.contentHash ?? undefined)} alt="" loading="lazy" />
            <div className="version-text">
              <span className="version-name" title={v.path}>
                {v.position}. {v.name}
              </span>
              <span className="muted">
                {formatBytes(v.size)} · {formatWhen(v.mtime)}
              </span>
              <span className="version-tags">
                {v.current && <span className="stack-chip">Current</span>}
                <ApprovalBadge state={v.approval} />
                {mayEdit && !v.current && (
                  <button
                    type="button"
                    className="btn link small"
                    onClick={() =>
                      void run(
                        'set the current version',
                        () => call('versions.setCurrent', { id: v.assetId }),
                        [...byId.keys()],
                      ).then((ok) => ok && notify(`${v.name} is now the current version`))
                    }
                  >
                    Make current
                  </button>
                )}
              </span>
            </div>
          </li>
        ))}
      </ol>
      <div className="panel-actions">
        <button
          type="button"
          className="btn small"
          disabled={pair === null}
          title={
            pair === null ? 'Tick two versions to compare' : `Compare ${pair[0].name} and ${pair[1].name}`
          }
          onClick={() => {
            if (!pair) return;
            const side = (v: VersionInfo) => ({
              url: api.mediaUrl('preview', v.assetId, v.contentHash ?? undefined),
              label: v.name,
              assetId: v.assetId,
            });
            useUi.getState().set({
              compare: { title: 'Compare versions', left: side(pair[0]), right: side(pair[1]) },
            });
          }}
        >
          {picked.length === 2 || stack.versions.length === 2 ? 'Compare' : 'Compare with this'}
        </button>
        <button
          type="button"
          className="btn small"
          onClick={() => useLibrary.getState().setQuery(`stack:${stack.stackId}`)}
        >
          Show stack in grid
        </button>
        {mayEdit && (
          <button
            type="button"
            className="btn small"
            onClick={() =>
              void run('take it out of the stack', () => call('versions.ungroup', { ids: [asset.id] }), [
                ...byId.keys(),
              ]).then((ok) => ok && notify(`${asset.name} stands alone again`))
            }
          >
            Take out of stack
          </button>
        )}
      </div>
    </>
  );
}

function ContentHistory({ asset }: { asset: Asset }) {
  const mayRestore = useAllowed('history.restore');
  const { value: snaps, error } = useLoad<ContentSnapshot[]>(
    () => call('history.snapshots', { id: asset.id }),
    [asset],
  );
  const [confirm, setConfirm] = useState<ContentSnapshot | null>(null);
  useEffect(() => setConfirm(null), [asset.id]);
  if (error) return <Unavailable error={error} />;
  if (!snaps)
    return (
      <p className="muted">
        <span className="spinner" aria-hidden="true" /> Loading content history…
      </p>
    );
  if (snaps.length === 0) return <p className="muted">No earlier contents kept.</p>;
  const present = api.mediaUrl('preview', asset.id, asset.contentHash ?? undefined);
  return (
    <>
      <ol className="snapshot-list" aria-label="Content history">
        {snaps.map((s) => (
          <li key={s.hash}>
            <div className="version-text">
              <span>
                {formatWhen(s.at)} {s.current && <span className="stack-chip">Now</span>}
              </span>
              <span className="muted">
                {REASONS[s.reason]} · {formatBytes(s.size)} · {s.actor}
                {!s.stored && ' · no longer stored'}
              </span>
            </div>
            {!s.current && s.stored && (
              <div className="snapshot-actions">
                <button
                  type="button"
                  className="btn small"
                  onClick={() =>
                    useUi.getState().set({
                      compare: {
                        title: 'Compare with an earlier content',
                        left: {
                          url: api.mediaUrl('snapshot', asset.id, s.hash),
                          label: `${asset.name} · ${formatWhen(s.at) ?? s.hash.slice(0, 12)}`,
                          facts: [
                            ['Size', formatBytes(s.size)],
                            ['Kept', `${formatWhen(s.at) ?? ''} · ${REASONS[s.reason]}`],
                            ['By', `${s.actor} on ${s.machine}`],
                          ],
                        },
                        right: { url: present, label: `${asset.name} · now`, assetId: asset.id },
                      },
                    })
                  }
                >
                  Compare
                </button>
                {mayRestore && (
                  <button type="button" className="btn small" onClick={() => setConfirm(s)}>
                    Restore…
                  </button>
                )}
              </div>
            )}
          </li>
        ))}
      </ol>
      {confirm && (
        <div className="confirm-box" role="alertdialog" aria-label="Restore this content?">
          <p>
            Write the content of {formatWhen(confirm.at)} back to {asset.name}? The present content is kept
            first, so restoring it undoes this.
          </p>
          <div className="panel-actions">
            <button
              type="button"
              className="btn small primary"
              onClick={() =>
                void run('restore', () => call('history.restore', { id: asset.id, hash: confirm.hash }), [
                  asset.id,
                ]).then((ok) => {
                  setConfirm(null);
                  if (ok) notify(`Restored the content of ${formatWhen(confirm.at)}`);
                })
              }
            >
              Restore
            </button>
            <button type="button" className="btn small" onClick={() => setConfirm(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </>
  );
}

/** Version stacks and content history: one asset's versions, or grouping a selection into a stack. */
export function VersionsPanel({ ids, asset }: { ids: number[]; asset: Asset | undefined }) {
  const mayGroup = useAllowed('versions.group');
  if (!asset && !mayGroup) return <p className="muted">{plural(ids.length, 'item')} selected.</p>;
  if (!asset)
    return (
      <Group title="Version stack">
        <p className="muted">{plural(ids.length, 'item')} selected.</p>
        <div className="panel-actions">
          <button
            type="button"
            className="btn small primary"
            disabled={ids.length < 2}
            onClick={() =>
              void run('group them', () => call('versions.group', { ids }), ids).then(
                (ok) => ok && notify(`${plural(ids.length, 'item')} grouped into one stack`),
              )
            }
          >
            Group into a stack
          </button>
          <button
            type="button"
            className="btn small"
            onClick={() =>
              void run('ungroup them', () => call('versions.ungroup', { ids }), ids).then(
                (ok) => ok && notify(`${plural(ids.length, 'item')} taken out of their stacks`),
              )
            }
          >
            Ungroup
          </button>
        </div>
      </Group>
    );
  return (
    <>
      <Group title="Versions">
        <Versions asset={asset} />
      </Group>
      <Group title="Content history">
        <ContentHistory asset={asset} />
      </Group>
    </>
  );
}
