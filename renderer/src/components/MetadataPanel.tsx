import type { ReactNode } from 'react';
import { factLines } from '../../../shared/facts';
import type { Asset } from '../../../shared/model';
import {
  cameraName,
  exposureParts,
  formatBytes,
  formatCaptureDate,
  formatDimensions,
  formatDuration,
  formatGps,
} from '../lib/format';

function Row({ label, children }: { label: string; children: ReactNode }) {
  if (children === null || children === undefined || children === '') return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** What the file says about itself, in a photographer's terms. Empty fields are left out. */
export function MetadataPanel({ asset: a }: { asset: Asset }) {
  const exposure = exposureParts(a);
  return (
    <dl className="metadata" aria-label="Metadata">
      <Row label="Camera">{cameraName(a.make, a.model)}</Row>
      <Row label="Lens">{a.lens}</Row>
      <Row label="Exposure">{exposure.length ? exposure.join(' · ') : null}</Row>
      <Row label="Dimensions">{formatDimensions(a)}</Row>
      <Row label="Duration">{a.durationS ? formatDuration(a.durationS) : null}</Row>
      <Row label="Captured">{formatCaptureDate(a.captureDate)}</Row>
      <Row label="Location">
        {a.gps && (
          <span className="gps">
            {formatGps(a.gps)}
            {a.gps.alt !== null && <span className="muted"> · {Math.round(a.gps.alt)} m</span>}
          </span>
        )}
      </Row>
      {factLines(a.facts).map((f) => (
        <Row key={f.label} label={f.label}>
          {f.value}
        </Row>
      ))}
      <Row label="Colours">
        {a.colors.length > 0 ? (
          <span
            className="palette"
            role="img"
            aria-label={a.colors.map((c) => `${c.name} ${Math.round(c.share * 100)}%`).join(', ')}
          >
            {a.colors.map((c) => (
              <i
                key={c.hex}
                style={{ background: c.hex, flexGrow: c.share }}
                title={`${c.name} (${c.family}) ${c.hex}`}
              />
            ))}
          </span>
        ) : null}
      </Row>
      <Row label="Creator">{a.creator}</Row>
      <Row label="Copyright">{a.copyright}</Row>
      <Row label="Format">
        {a.format.toUpperCase()} <span className="muted">· {a.type}</span>
      </Row>
      <Row label="Size">{formatBytes(a.size)}</Row>
      <Row label="File">
        <span className="path" title={a.path}>
          {a.path}
        </span>
      </Row>
      <Row label={a.duplicates.length === 1 ? 'Also at' : 'Copies'}>
        {a.duplicates.length > 0 && (
          <ul className="duplicate-list" aria-label="Other locations of the same file">
            {a.duplicates.map((d) => (
              <li key={d.assetId} className="path" title={d.path}>
                {d.path}
              </li>
            ))}
          </ul>
        )}
      </Row>
      <Row label="Status">
        {a.state === 'missing' ? <span className="text-danger">File missing from disk</span> : null}
      </Row>
      <Row label="Problem">{a.error ? <span className="text-warning">{a.error}</span> : null}</Row>
    </dl>
  );
}
