import { invalidInput } from '../core/errors';
import type { Library } from '../core/library';
import { USAGE_REPORTS, type UsageReport, type UsageReportKind } from '../../shared/usage';
import { reportCsv } from '../../shared/usage-csv';

export const REPORT_HELP = `  report usage|unused|expiring [--months N] [--days N] [--limit N] [--json|--csv]
                           usage figures: most used (views, downloads, shares, publications in
                           the last N months, 12 by default), never used in N months, or
                           published with a licence ending within N days (30 by default)`;

export const REPORT_COMMANDS = ['report'];

function whole(value: string | undefined, flag: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw invalidInput(`${flag} expects a whole number from 1 to ${max}`);
  return n;
}

const day = (ms: number | null) => (ms === null ? 'never' : new Date(ms).toISOString().slice(0, 10));

function printable(r: UsageReport, out: (s: string) => void): void {
  if (r.kind === 'expiring') {
    if (!r.expiring.length) out('No published asset has a licence ending in that time.');
    for (const e of r.expiring)
      out(`${String(e.assetId).padStart(7)}  ${e.licenseEnd}  ${e.name}  (on ${e.endpoints.join(', ')})`);
    return;
  }
  if (!r.rows.length)
    out(
      r.kind === 'usage'
        ? 'Nothing was used in that time.'
        : 'No asset catalogued before that time has gone unused through it.',
    );
  else out(`${'id'.padStart(7)}  views  downloads  shares  published  last used   name`);
  for (const u of r.rows)
    out(
      `${String(u.assetId).padStart(7)}  ${String(u.views).padStart(5)}  ${String(u.downloads).padStart(9)}  ` +
        `${String(u.shares).padStart(6)}  ${String(u.publications).padStart(9)}  ${day(u.lastUsedAt).padEnd(10)}  ${u.name}`,
    );
}

export function runReportCommand(
  lib: Library,
  args: string[],
  values: { json?: boolean; csv?: boolean; months?: string; days?: string; limit?: string },
  out: (s: string) => void,
): number {
  const kind = args[0] as UsageReportKind | undefined;
  if (!kind || !USAGE_REPORTS.includes(kind))
    throw invalidInput(`report expects one of ${USAGE_REPORTS.join(', ')}: dam report usage`);
  if (values.json && values.csv) throw invalidInput('choose --json or --csv, not both');
  const months = whole(values.months, '--months', 600);
  const days = whole(values.days, '--days', 3650);
  const limit = whole(values.limit, '--limit', 10_000);
  const r = lib.usage.report(kind, {
    ...(months ? { months } : {}),
    ...(days ? { days } : {}),
    ...(limit ? { limit } : {}),
  });
  if (values.json) out(JSON.stringify(r, null, 2));
  else if (values.csv) out(reportCsv(r).trimEnd());
  else printable(r, out);
  return 0;
}
