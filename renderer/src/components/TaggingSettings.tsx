import { useEffect, useState } from 'react';
import { formatCount } from '../lib/format';
import { taggingRuns, useTagging } from '../stores/tagging';

/** How often Settings reads tagging.status while it is open (and the window is shown). */
const POLL_MS = 2000;

const BACKENDS: Record<string, string> = {
  wasm: 'WebAssembly (wasm)',
  tensorflow: 'TensorFlow native (tfjs-node)',
};

/** On-device tagging: on or off, the threshold, the engine that ran, its progress, pause and resume. */
export function TaggingSettings() {
  const s = useTagging((t) => t.status);
  const error = useTagging((t) => t.error);
  const [percent, setPercent] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);

  useEffect(() => {
    const load = () => {
      if (document.visibilityState === 'visible') void useTagging.getState().load();
    };
    load();
    const timer = setInterval(load, POLL_MS);
    return () => clearInterval(timer);
  }, []);

  const threshold = s?.threshold;
  useEffect(() => {
    if (threshold !== undefined) setPercent(String(Math.round(threshold * 100)));
  }, [threshold]);

  if (!s) return <p className="modal-hint">{error ?? 'Loading…'}</p>;
  const engine = s.backend ? (BACKENDS[s.backend] ?? s.backend) : null;
  return (
    <>
      <label className="setting-row">
        <span>Find objects, faces and colours in pictures, on this device</span>
        <input
          type="checkbox"
          checked={s.enabled}
          onChange={(e) => void useTagging.getState().configure({ enabled: e.target.checked })}
        />
      </label>
      <form
        className="setting-row"
        onSubmit={(e) => {
          e.preventDefault();
          const n = Number(percent);
          if (!Number.isInteger(n) || n < 1 || n > 99)
            return setInvalid('The threshold is a whole percent, 1 to 99.');
          setInvalid(null);
          if (n / 100 !== s.threshold) void useTagging.getState().configure({ threshold: n / 100 });
        }}
      >
        <label htmlFor="tagging-threshold">Propose objects found with a confidence of at least (%)</label>
        <input
          id="tagging-threshold"
          type="number"
          min={1}
          max={99}
          step={1}
          value={percent}
          onChange={(e) => setPercent(e.target.value)}
          onBlur={(e) => e.currentTarget.form?.requestSubmit()}
        />
      </form>
      <dl className="tagging-facts" aria-label="Tagging progress">
        <div>
          <dt>Engine</dt>
          <dd>{engine ?? 'not run yet by this app'}</dd>
        </div>
        <div>
          <dt>Tagged</dt>
          <dd>{formatCount(s.tagged)}</dd>
        </div>
        <div>
          <dt>Waiting</dt>
          <dd>{formatCount(s.pending)}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd className={s.failed ? 'text-warning' : undefined}>{formatCount(s.failed)}</dd>
        </div>
        <div>
          <dt>Rate</dt>
          <dd>{s.perSecond > 0 ? `${s.perSecond.toFixed(1)} pictures/s` : '—'}</dd>
        </div>
        <div>
          <dt>State</dt>
          <dd>
            <span role="status">
              {!s.enabled ? 'Off' : s.paused ? 'Paused' : taggingRuns(s) ? 'Tagging…' : 'Up to date'}
            </span>
          </dd>
        </div>
      </dl>
      <div className="setting-row">
        {s.paused ? (
          <button type="button" className="btn" onClick={() => void useTagging.getState().resume()}>
            Resume tagging
          </button>
        ) : (
          <button
            type="button"
            className="btn"
            disabled={!s.enabled}
            onClick={() => void useTagging.getState().pause()}
          >
            Pause tagging
          </button>
        )}
        <span className="muted">Tagging runs below imports: a new folder is catalogued first.</span>
      </div>
      {(invalid ?? error) && (
        <p className="modal-hint error" role="alert">
          {invalid ?? error}
        </p>
      )}
    </>
  );
}
