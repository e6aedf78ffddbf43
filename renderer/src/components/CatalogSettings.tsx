import { useEffect, useState } from 'react';
import type { GovernanceSettings, SidecarNaming } from '../../../shared/governance';
import { CHANNELS, SIDECAR_NAMINGS } from '../../../shared/governance';
import { call, errorMessage } from '../api/client';
import { CHANNEL_LABELS } from '../lib/governance';

/** Settings kept in the catalogue itself (shared by the app, the CLI and the web bridge). */
export function CatalogSettings() {
  const [s, setS] = useState<GovernanceSettings | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    call('governance.settings', {})
      .then(setS)
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);

  // Shown at once, then as the catalogue stored it; put back if it was refused.
  const change = (patch: Partial<GovernanceSettings>) => {
    const before = s;
    setError(null);
    setS((cur) => (cur ? { ...cur, ...patch } : cur));
    call('governance.settings', patch)
      .then(setS)
      .catch((e: unknown) => {
        setS(before);
        setError(errorMessage(e));
      });
  };

  if (!s) return <p className="modal-hint">{error ?? 'Loading…'}</p>;
  return (
    <>
      <label className="setting-row">
        <span>Sidecar file name</span>
        <select
          value={s.sidecarNaming}
          onChange={(e) => change({ sidecarNaming: e.target.value as SidecarNaming })}
        >
          {SIDECAR_NAMINGS.map((n) => (
            <option key={n} value={n}>
              {n === 'photo.xmp' ? 'photo.xmp (Lightroom, Bridge)' : 'photo.jpg.xmp (darktable, digiKam)'}
            </option>
          ))}
        </select>
      </label>
      <label className="setting-row">
        <span>Write metadata into JPEG, TIFF and DNG originals too</span>
        <input
          type="checkbox"
          checked={s.embedXmp}
          onChange={(e) => change({ embedXmp: e.target.checked })}
        />
      </label>
      <p className="modal-hint">
        Off: originals are never rewritten; everything goes to the XMP sidecar. On: the standard fields are
        also written into the file's own XMP, the image data untouched.
      </p>
      <label className="setting-row">
        <span>Refuse approval without a credit line and licence</span>
        <input
          type="checkbox"
          checked={s.requireRightsForApproval}
          onChange={(e) => change({ requireRightsForApproval: e.target.checked })}
        />
      </label>
      <label className="setting-row">
        <span>Warn this many days before a licence ends</span>
        <input
          type="number"
          min={0}
          max={3650}
          value={s.expiryWarningDays}
          onChange={(e) => {
            const n = Number(e.target.value);
            if (Number.isInteger(n) && n >= 0 && n <= 3650) change({ expiryWarningDays: n });
          }}
        />
      </label>
      <fieldset className="setting-channels">
        <legend>Need a model release when people are in the picture, for</legend>
        {CHANNELS.map((c) => (
          <label key={c} className="setting-check">
            <input
              type="checkbox"
              checked={s.modelReleaseChannels.includes(c)}
              onChange={(e) =>
                change({
                  modelReleaseChannels: e.target.checked
                    ? [...s.modelReleaseChannels, c]
                    : s.modelReleaseChannels.filter((x) => x !== c),
                })
              }
            />
            {CHANNEL_LABELS[c]}
          </label>
        ))}
      </fieldset>
      <p className="modal-hint">
        Approval, and delivery to an endpoint of a ticked channel, are refused while a picture with faces has
        no model release recorded.
      </p>
      {error && (
        <p className="modal-hint error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
