import type { Asset } from '../../../shared/model';

function size(n: number): string {
  const u = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < u.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i ? v.toFixed(1) : v} ${u[i]}`;
}

function exposure(a: Asset): string | null {
  const parts = [
    a.exposureTime
      ? a.exposureTime < 1
        ? `1/${Math.round(1 / a.exposureTime)} s`
        : `${a.exposureTime} s`
      : null,
    a.fNumber ? `f/${a.fNumber}` : null,
    a.iso ? `ISO ${a.iso}` : null,
    a.focalLength ? `${a.focalLength} mm` : null,
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : null;
}

/** "Canon" + "Canon EOS 40D" reads as "Canon EOS 40D"; "NIKON" + "COOLPIX P1" keeps both. */
function camera(a: Asset): string | null {
  const make = a.make?.split(/\s/)[0] ?? '';
  if (a.model && make && a.model.toLowerCase().startsWith(make.toLowerCase())) return a.model;
  return [a.make, a.model].filter(Boolean).join(' ') || null;
}

export function MetadataPanel({ asset }: { asset: Asset }) {
  const rows: [string, string | null][] = [
    ['Camera', camera(asset)],
    ['Lens', asset.lens],
    ['Exposure', exposure(asset)],
    ['Dimensions', asset.width && asset.height ? `${asset.width} × ${asset.height}` : null],
    ['Captured', asset.captureDate],
    ['Duration', asset.durationS != null ? `${asset.durationS.toFixed(1)} s` : null],
    ['GPS', asset.gps ? `${asset.gps.lat.toFixed(5)}, ${asset.gps.lon.toFixed(5)}` : null],
    ['Creator', asset.creator],
    ['Copyright', asset.copyright],
    ['File', asset.path],
    ['Size', size(asset.size)],
    ['Type', `${asset.type} (${asset.format})`],
    ['Problem', asset.error],
  ];
  return (
    <dl className="meta">
      {rows
        .filter(([, v]) => v)
        .map(([k, v]) => (
          <div key={k} className="meta-row">
            <dt>{k}</dt>
            <dd title={v ?? ''}>{v}</dd>
          </div>
        ))}
    </dl>
  );
}
