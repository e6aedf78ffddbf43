import { useEffect, useId, useState } from 'react';
import type { ExportResult } from '../../../shared/contract';
import type { DeliveryResult } from '../../../shared/publishing';
import { call, capabilities, errorMessage } from '../api/client';
import { plural } from '../lib/format';
import { usePublishing } from '../stores/publishing';
import { Icon } from './Icon';

/** The most a browser downloads as one zip (the ids travel in the download's URL). */
export const ZIP_MAX = 1000;

/** Asks the server for a zip of the selection's renditions and saves it as a download. */
async function downloadZip(ids: number[], preset: string): Promise<{ files: number; failed: number }> {
  const q = new URLSearchParams({ preset, ids: ids.join(',') });
  const res = await fetch(`/export.zip?${q.toString()}`, { credentials: 'same-origin' });
  if (!res.ok) {
    const text = await res.text();
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
    } catch {
      // A plain-text answer (an auth or route error): shown as it is.
    }
    throw new Error(message || `export failed (${res.status})`);
  }
  const blob = await res.blob();
  const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? 'export.zip';
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return {
    files: Number(res.headers.get('X-Export-Files') ?? 0),
    failed: Number(res.headers.get('X-Export-Failed') ?? 0),
  };
}

/** Publish or export the selection: an endpoint or a preset, then progress and what happened. */
export function BulkDialog({
  mode,
  ids,
  onClose,
}: {
  mode: 'publish' | 'export';
  ids: number[];
  onClose: () => void;
}) {
  const titleId = useId();
  const endpoints = usePublishing((s) => s.endpoints);
  const presets = usePublishing((s) => s.presets);
  const [endpoint, setEndpoint] = useState('');
  const [preset, setPreset] = useState('web');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const desktop = capabilities().pickFolder;

  useEffect(() => {
    const p = usePublishing.getState();
    void Promise.all([p.loadEndpoints(), p.loadPresets()]).catch((e: unknown) => setError(errorMessage(e)));
  }, []);

  const publish = async () => {
    const pub = usePublishing.getState();
    const targets = endpoint ? 1 : Math.max(1, endpoints.length);
    setBusy(true);
    setError(null);
    pub.setBulk({ kind: 'publish', ids, done: 0, total: ids.length * targets });
    try {
      const out: DeliveryResult[] = await call('publish.assets', { ids, ...(endpoint ? { endpoint } : {}) });
      const count = (o: string[]) => out.filter((r) => o.includes(r.outcome)).length;
      const reasons = [
        ...new Set(
          out.filter((r) => r.reason && r.outcome !== 'published').map((r) => `${r.endpoint}: ${r.reason}`),
        ),
      ];
      setDone([
        `${count(['published', 'updated', 'replaced', 'unchanged'])} published, ${count(['refused'])} refused, ${count(['failed', 'waiting'])} failed or waiting`,
        ...reasons,
      ]);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      pub.setBulk(null);
      setBusy(false);
      void pub.loadQueue().catch(() => undefined);
    }
  };

  const exportTo = async () => {
    const pub = usePublishing.getState();
    setError(null);
    let folder: string | null = null;
    if (desktop) {
      folder = await call('desktop.pickFolder', {}).catch((e: unknown) => {
        setError(errorMessage(e));
        return null;
      });
      if (!folder) return;
    } else if (ids.length > ZIP_MAX) {
      setError(`A download holds at most ${ZIP_MAX} items; select fewer, or use dam export.`);
      return;
    }
    setBusy(true);
    pub.setBulk({ kind: 'export', ids, done: 0, total: ids.length });
    try {
      if (folder) {
        const r: ExportResult = await call('assets.export', { ids, preset, to: folder });
        setDone([
          `${plural(r.files.length, 'file')} written to ${r.to}`,
          ...r.failed.map((f) => `asset ${f.assetId}: ${f.reason}`),
        ]);
      } else {
        const r = await downloadZip(ids, preset);
        setDone([
          `Downloaded a zip of ${plural(r.files, 'file')}${r.failed ? ` (${r.failed} could not be made)` : ''}`,
        ]);
      }
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      pub.setBulk(null);
      setBusy(false);
    }
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !busy && onClose()}>
      <div className="modal bulk-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <header className="modal-head">
          <h2 id={titleId}>
            {mode === 'publish' ? 'Publish' : 'Export'} {plural(ids.length, 'item')}
          </h2>
          <button type="button" className="icon-btn" aria-label="Close" onClick={onClose}>
            <Icon name="close" size={16} />
          </button>
        </header>
        <section className="modal-section">
          {mode === 'publish' ? (
            endpoints.length === 0 ? (
              <p className="modal-hint">No endpoints: add one in Settings → Endpoints.</p>
            ) : (
              <label className="setting-row">
                <span>Endpoint</span>
                <select aria-label="Endpoint" value={endpoint} onChange={(e) => setEndpoint(e.target.value)}>
                  <option value="">every endpoint</option>
                  {endpoints.map((e) => (
                    <option key={e.name} value={e.name}>
                      {e.name}
                    </option>
                  ))}
                </select>
              </label>
            )
          ) : (
            <>
              <label className="setting-row">
                <span>Preset</span>
                <select aria-label="Preset" value={preset} onChange={(e) => setPreset(e.target.value)}>
                  {presets.map((p) => (
                    <option key={p.name} value={p.name}>
                      {p.name} ({p.format}
                      {p.longEdge ? `, ${p.longEdge} px` : ''})
                    </option>
                  ))}
                </select>
              </label>
              <p className="modal-hint">
                {desktop
                  ? 'Choose a folder; a file already there is never replaced.'
                  : 'The renditions download as one zip.'}
              </p>
            </>
          )}
          {busy && (
            <p className="modal-hint" role="status">
              <span className="spinner" aria-hidden="true" />{' '}
              {mode === 'publish' ? 'Publishing…' : 'Exporting…'}
            </p>
          )}
          {done && (
            <ul className="bulk-result" aria-label="Result">
              {done.map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          )}
          {error && (
            <p className="modal-hint error" role="alert">
              {error}
            </p>
          )}
        </section>
        <footer className="modal-foot">
          <button type="button" className="btn ghost" onClick={onClose} disabled={busy}>
            {done ? 'Done' : 'Cancel'}
          </button>
          {mode === 'publish' ? (
            <button
              type="button"
              className="btn primary"
              disabled={busy || endpoints.length === 0}
              onClick={() => void publish()}
            >
              Publish
            </button>
          ) : (
            <button type="button" className="btn primary" disabled={busy} onClick={() => void exportTo()}>
              {desktop ? 'Export to folder…' : 'Download zip'}
            </button>
          )}
        </footer>
      </div>
    </div>
  );
}
