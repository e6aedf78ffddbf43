import { useEffect, useState } from 'react';
import type { HistoryScope, HistoryStoreStatus } from '../../../shared/versions';
import { call, errorMessage } from '../api/client';
import { formatBytes } from '../lib/format';

const SCOPES: { value: HistoryScope; label: string }[] = [
  { value: 'governed', label: 'Governed assets' },
  { value: 'all', label: 'Every file' },
  { value: 'off', label: 'Nothing new' },
];

/** The content history store: what it keeps, how large it may grow, and how full it is. */
export function HistorySettings() {
  const [s, setS] = useState<HistoryStoreStatus | null>(null);
  const [limitMb, setLimitMb] = useState('');
  const [error, setError] = useState<string | null>(null);

  const show = (status: HistoryStoreStatus) => {
    setS(status);
    setLimitMb(String(Math.round(status.limitBytes / 1024 / 1024)));
  };

  useEffect(() => {
    call('history.status', {})
      .then(show)
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);

  const change = (patch: { scope?: HistoryScope; limitMb?: number }) => {
    setError(null);
    if (patch.scope && s) setS({ ...s, scope: patch.scope });
    call('history.settings', patch)
      .then(show)
      .catch((e: unknown) => setError(errorMessage(e)));
  };

  if (!s) return <p className="modal-hint">{error ?? 'Loading…'}</p>;
  const used = s.limitBytes > 0 ? Math.min(1, s.usedBytes / s.limitBytes) : 0;
  return (
    <>
      <label className="setting-row">
        <span>Keep earlier contents of</span>
        <select value={s.scope} onChange={(e) => change({ scope: e.target.value as HistoryScope })}>
          {SCOPES.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <p className="modal-hint">
        Governed: assets with rights, an approval or other versions. A kept content can be compared and
        restored from the loupe.
      </p>
      <form
        className="setting-row"
        onSubmit={(e) => {
          e.preventDefault();
          const n = Number(limitMb);
          if (Number.isInteger(n) && n >= 100) change({ limitMb: n });
          else setError('The limit is a whole number of MB, 100 or more.');
        }}
      >
        <label htmlFor="history-limit">Size limit (MB)</label>
        <input
          id="history-limit"
          type="number"
          min={100}
          step={100}
          value={limitMb}
          onChange={(e) => setLimitMb(e.target.value)}
          onBlur={(e) => e.currentTarget.form?.requestSubmit()}
        />
      </form>
      <div className="setting-row">
        <progress
          max={1}
          value={used}
          aria-label="Content history store in use"
          aria-valuetext={`${formatBytes(s.usedBytes)} of ${formatBytes(s.limitBytes)}`}
        />
        <span className="muted">
          {formatBytes(s.usedBytes)} of {formatBytes(s.limitBytes)} · {s.entries} kept
        </span>
      </div>
      {s.warning && (
        <p className="modal-hint warning" role="status">
          {s.warning}
        </p>
      )}
      {error && (
        <p className="modal-hint error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
