import { useCallback, useEffect, useState } from 'react';
import type { DeliveryResult, Publication } from '../../../shared/publishing';
import { api, call, errorMessage } from '../api/client';
import { useAsset } from '../stores/library';
import { usePublishing } from '../stores/publishing';
import { EndpointFraming } from './EndpointFraming';
import { useAllowed } from '../stores/session';
import { useUi } from '../stores/ui';

function outcomeLine(r: DeliveryResult): string {
  const what = r.outcome === 'would-publish' ? 'would publish' : r.outcome;
  return `${r.endpoint}: ${what}${r.reason ? ` (${r.reason})` : ''}`;
}

/** Where one asset is used: each publication with its state, link, version, when and by whom. */
function WhereUsed({ id, reload }: { id: number; reload: number }) {
  const [list, setList] = useState<Publication[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [retrying, setRetrying] = useState<string | null>(null);
  const mayRetry = useAllowed('publications.retry');
  const load = useCallback(() => {
    call('publications.list', { id })
      .then(setList)
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [id]);
  useEffect(load, [load, reload]);
  useEffect(
    () =>
      api.on('publication', (r) => {
        if (r.assetId === id) load();
      }),
    [id, load],
  );
  const retry = async (endpoint: string) => {
    setRetrying(endpoint);
    setError(null);
    try {
      const out = await call('publications.retry', { id, endpoint });
      const bad = out.find(
        (r) => r.outcome === 'failed' || r.outcome === 'refused' || r.outcome === 'waiting',
      );
      if (bad) setError(outcomeLine(bad));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setRetrying(null);
      load();
    }
  };
  if (!list) return <p className="muted">{error ?? 'Loading…'}</p>;
  return (
    <>
      {list.length === 0 ? (
        <p className="muted">Not published anywhere.</p>
      ) : (
        <ul className="publications" aria-label="Where used">
          {list.map((p, i) => (
            <li key={i} className={`publication state-${p.state}`} aria-label={`${p.endpoint} ${p.state}`}>
              <div className="publication-head">
                <strong>{p.endpoint}</strong>
                <span className={`pub-state pub-${p.state}`}>{p.state}</span>
              </div>
              {p.url && (
                <a href={p.url} target="_blank" rel="noreferrer noopener" className="publication-url">
                  {p.url}
                </a>
              )}
              <div className="muted">
                {p.versionHash ? `version ${p.versionHash.slice(0, 12)} · ` : ''}
                {new Date(p.at).toLocaleString()} · {p.by}
              </div>
              {p.error && (
                <div className="publication-error" role="note">
                  {p.error}
                  {mayRetry && (p.state === 'failed' || p.state === 'pending' || p.state === 'published') && (
                    <button
                      type="button"
                      className="btn small"
                      disabled={retrying !== null}
                      onClick={() => void retry(p.endpoint)}
                    >
                      {retrying === p.endpoint ? 'Retrying…' : 'Retry'}
                    </button>
                  )}
                </div>
              )}
              {p.warnings.map((w) => (
                <div key={w} className="text-warning">
                  {w}
                </div>
              ))}
              {p.usedIn.length > 0 && <div className="muted">Was used in: {p.usedIn.join('; ')}</div>}
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="modal-hint error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

/** Publish the selection to an endpoint now; the rights gate's refusal is shown before and after. */
function PublishTo({ ids, onPublished }: { ids: number[]; onPublished: () => void }) {
  const endpoints = usePublishing((s) => s.endpoints);
  const [target, setTarget] = useState('');
  const [check, setCheck] = useState<DeliveryResult[] | null>(null);
  const [result, setResult] = useState<DeliveryResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const endpoint = target || endpoints[0]?.name || '';
  const key = ids.join(',');

  useEffect(() => {
    void usePublishing
      .getState()
      .loadEndpoints()
      .catch(() => undefined);
  }, []);
  // What the gate says now (a dry run changes nothing), so a refusal is seen before clicking.
  useEffect(() => {
    setCheck(null);
    setResult(null);
    setError(null);
    if (!endpoint || ids.length > 200) return;
    call('publish.assets', { ids, endpoint, dryRun: true })
      .then(setCheck)
      .catch(() => setCheck(null));
    // `key` stands for the ids (a new array each render).
  }, [endpoint, key]);

  if (endpoints.length === 0)
    return (
      <p className="muted">
        No endpoint to publish to.{' '}
        <button
          type="button"
          className="btn link"
          onClick={() => useUi.getState().set({ settingsOpen: true })}
        >
          Add one in Settings
        </button>
      </p>
    );
  const refused = check?.filter((r) => r.outcome === 'refused') ?? [];
  const publish = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    const pub = usePublishing.getState();
    pub.setBulk({ kind: 'publish', ids, done: 0, total: ids.length });
    try {
      setResult(await call('publish.assets', { ids, endpoint }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      pub.setBulk(null);
      setBusy(false);
      onPublished();
      void pub.loadQueue().catch(() => undefined);
    }
  };
  return (
    <div className="publish-to">
      <div className="field-row">
        <label className="field">
          <span className="field-label">Endpoint</span>
          <select
            aria-label="Publish to endpoint"
            value={endpoint}
            onChange={(e) => setTarget(e.target.value)}
          >
            {endpoints.map((e) => (
              <option key={e.name} value={e.name}>
                {e.name}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="btn primary"
          disabled={busy || (ids.length === 1 && refused.length === 1)}
          onClick={() => void publish()}
        >
          {busy ? 'Publishing…' : `Publish to ${endpoint}`}
        </button>
      </div>
      {refused.length > 0 && (
        <p className="modal-hint error" role="note" aria-label="Refusal">
          {ids.length === 1
            ? `Cannot publish: ${refused[0]!.reason}`
            : `${refused.length} of ${ids.length} cannot be published: ${[...new Set(refused.map((r) => r.reason))].join('; ')}`}
        </p>
      )}
      {result && (
        <ul className="publish-result" aria-label="Publish result">
          {result.map((r, i) => (
            <li
              key={i}
              className={r.outcome === 'published' || r.outcome === 'updated' ? '' : 'text-warning'}
            >
              {ids.length > 1 ? `asset ${r.assetId} → ` : ''}
              {outcomeLine(r)}
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="modal-hint error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** The inspector's Publish tab: where the asset is used, and publishing it (or the selection) now. */
export function PublishPanel({ ids }: { ids: number[] }) {
  const [reload, setReload] = useState(0);
  const single = ids.length === 1 ? ids[0] : undefined;
  const singleAsset = useAsset(single);
  // Sending assets out is an approver's; others see where an asset is used.
  const mayPublish = useAllowed('publish.assets');
  return (
    <>
      {mayPublish && (
        <section className="panel-section">
          <h3 className="section-title">Publish</h3>
          <PublishTo ids={ids} onPublished={() => setReload((n) => n + 1)} />
        </section>
      )}
      {singleAsset && <EndpointFraming asset={singleAsset} />}
      {single !== undefined && (
        <section className="panel-section">
          <h3 className="section-title">Where used</h3>
          <WhereUsed id={single} reload={reload} />
        </section>
      )}
    </>
  );
}
