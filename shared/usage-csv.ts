import type { UsageReport } from './usage';

// One CSV for a report, the same from the CLI (--csv) and the app's "Export CSV": RFC 4180 quoting,
// and a leading quote on text a spreadsheet would run as a formula (=, +, -, @).

function cell(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function reportCsv(r: UsageReport): string {
  const lines: (string | number | null)[][] =
    r.kind === 'expiring'
      ? [
          ['asset_id', 'name', 'license_end', 'endpoints'],
          ...r.expiring.map((e) => [e.assetId, e.name, e.licenseEnd, e.endpoints.join('; ')]),
        ]
      : [
          ['asset_id', 'name', 'views', 'downloads', 'shares', 'publications', 'last_used'],
          ...r.rows.map((u) => [
            u.assetId,
            u.name,
            u.views,
            u.downloads,
            u.shares,
            u.publications,
            iso(u.lastUsedAt),
          ]),
        ];
  return lines.map((l) => l.map(cell).join(',')).join('\r\n') + '\r\n';
}
