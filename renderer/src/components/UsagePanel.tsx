import { useEffect, useState } from 'react';
import type { AssetUsage, UsageEvent } from '../../../shared/usage';
import { call, errorMessage } from '../api/client';
import { formatCount } from '../lib/format';

const KIND: Record<UsageEvent['kind'], string> = {
  view: 'Viewed',
  download: 'Downloaded',
  share: 'Shared',
  publication: 'Published',
};

const when = (ms: number) =>
  new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An asset's views, downloads, shares and publications, with who and when. */
export function UsagePanel({ assetId }: { assetId: number }) {
  const [usage, setUsage] = useState<AssetUsage | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setUsage(null);
    setError(null);
    call('usage.asset', { id: assetId, limit: 20 })
      .then((u) => live && setUsage(u))
      .catch((err: unknown) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [assetId]);
  if (error) return <p className="muted">{error}</p>;
  if (!usage) return <p className="muted">Loading…</p>;
  const t = usage.totals;
  return (
    <div className="usage-panel">
      <dl className="usage-totals" aria-label="Usage totals">
        {(
          [
            ['Views', t.views],
            ['Downloads', t.downloads],
            ['Shares', t.shares],
            ['Publications', t.publications],
          ] as const
        ).map(([label, n]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{formatCount(n)}</dd>
          </div>
        ))}
      </dl>
      {usage.events.length === 0 ? (
        <p className="muted">Never used yet.</p>
      ) : (
        <ul className="usage-events">
          {usage.events.map((e, i) => (
            <li key={`${e.at}-${i}`}>
              <span>{KIND[e.kind]}</span> <span className="muted">by</span> {e.by}{' '}
              <span className="muted">
                ({e.detail}), {when(e.at)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
