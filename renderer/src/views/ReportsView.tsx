import { useEffect, useState } from 'react';
import { reportCsv } from '../../../shared/usage-csv';
import type { UsageReport, UsageReportKind } from '../../../shared/usage';
import { call, errorMessage } from '../api/client';
import { formatCount } from '../lib/format';
import { useUi } from '../stores/ui';
import { ViewDialog } from '../components/ViewDialog';

const TABS: { kind: UsageReportKind; label: string }[] = [
  { kind: 'usage', label: 'Most used' },
  { kind: 'unused', label: 'Never used' },
  { kind: 'expiring', label: 'Licences ending' },
];

const SERIES = [
  ['views', 'Views'],
  ['downloads', 'Downloads'],
  ['shares', 'Shares'],
  ['publications', 'Publications'],
] as const;

const day = (ms: number | null) => (ms === null ? 'never' : new Date(ms).toISOString().slice(0, 10));

/** Every calendar month (UTC) from `since` to now, with the report's figures or zeros. */
function timeline(report: UsageReport): UsageReport['months'] {
  const byMonth = new Map(report.months.map((m) => [m.month, m]));
  const out: UsageReport['months'] = [];
  const d = new Date(report.since);
  const end = new Date().toISOString().slice(0, 7);
  for (let i = 0; i < 600; i++) {
    const month = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + i, 1)).toISOString().slice(0, 7);
    out.push(byMonth.get(month) ?? { month, views: 0, downloads: 0, shares: 0, publications: 0 });
    if (month >= end) break;
  }
  return out;
}

/** Uses per month as stacked bars, one colour per kind (an SVG: no chart library for four series). */
function MonthChart({ months }: { months: UsageReport['months'] }) {
  if (!months.some((m) => m.views + m.downloads + m.shares + m.publications > 0))
    return <p className="muted">No use recorded in this period.</p>;
  const total = (m: UsageReport['months'][number]) => m.views + m.downloads + m.shares + m.publications;
  const max = Math.max(1, ...months.map(total));
  const w = 36;
  const h = 120;
  return (
    <figure className="usage-chart">
      <svg
        width={months.length * w}
        height={h + 18}
        viewBox={`0 0 ${months.length * w} ${h + 18}`}
        role="img"
        aria-label={`Uses per month: ${months.map((m) => `${m.month} ${total(m)}`).join(', ')}`}
      >
        {months.map((m, i) => {
          let y = h;
          return (
            <g key={m.month}>
              {SERIES.map(([key, label]) => {
                const bar = (m[key] / max) * h;
                y -= bar;
                return bar > 0 ? (
                  <rect key={key} className={`usage-${key}`} x={i * w + 6} y={y} width={w - 12} height={bar}>
                    <title>{`${m.month}: ${m[key]} ${label.toLowerCase()}`}</title>
                  </rect>
                ) : null;
              })}
              <text x={i * w + w / 2} y={h + 14} textAnchor="middle">
                {m.month.slice(2)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="usage-legend">
        {SERIES.map(([key, label]) => (
          <span key={key}>
            <i className={`usage-${key}`} /> {label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/** Usage figures: most used, never used, published with a licence about to end; CSV export. */
export function ReportsView() {
  const [kind, setKind] = useState<UsageReportKind>('usage');
  const [months, setMonths] = useState(12);
  const [days, setDays] = useState(30);
  const [report, setReport] = useState<UsageReport | null>(null);
  const close = () => useUi.getState().set({ reportsOpen: false });

  useEffect(() => {
    let live = true;
    setReport(null);
    call('usage.report', { kind, months, days })
      .then((r) => live && setReport(r))
      .catch((err: unknown) => {
        if (live) useUi.getState().notify(errorMessage(err), { tone: 'error' });
      });
    return () => {
      live = false;
    };
  }, [kind, months, days]);

  const exportCsv = () => {
    if (!report) return;
    const url = URL.createObjectURL(new Blob([reportCsv(report)], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `tessera-${report.kind}-${new Date().toISOString().slice(0, 10)}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <ViewDialog
      className="compare reports"
      title="Usage"
      closeTitle="Close reports (Esc)"
      onClose={close}
      tools={
        <>
          <div className="panel-tabs" role="tablist" aria-label="Reports">
            {TABS.map((t) => (
              <button
                key={t.kind}
                type="button"
                role="tab"
                aria-selected={kind === t.kind}
                className={kind === t.kind ? 'on' : ''}
                onClick={() => setKind(t.kind)}
              >
                {t.label}
              </button>
            ))}
          </div>
          {kind === 'expiring' ? (
            <label>
              Within{' '}
              <select value={days} onChange={(e) => setDays(Number(e.target.value))} aria-label="Days ahead">
                {[7, 30, 90, 365].map((d) => (
                  <option key={d} value={d}>
                    {d} days
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <label>
              {kind === 'usage' ? 'In the last' : 'Not used in'}{' '}
              <select value={months} onChange={(e) => setMonths(Number(e.target.value))} aria-label="Months">
                {[1, 3, 6, 12, 24].map((m) => (
                  <option key={m} value={m}>
                    {m} month{m === 1 ? '' : 's'}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button type="button" className="btn" disabled={!report} onClick={exportCsv}>
            Export CSV
          </button>
        </>
      }
    >
      <div className="reports-body" role="tabpanel">
        {!report ? (
          <p className="muted" role="status">
            Working out the figures…
          </p>
        ) : (
          <>
            {kind !== 'expiring' && <MonthChart months={timeline(report)} />}
            {kind === 'expiring' ? (
              report.expiring.length === 0 ? (
                <p className="muted">No published asset has a licence ending in the next {days} days.</p>
              ) : (
                <table className="usage-table">
                  <thead>
                    <tr>
                      <th scope="col">Asset</th>
                      <th scope="col">Licence ends</th>
                      <th scope="col">Published on</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.expiring.map((e) => (
                      <tr key={e.assetId}>
                        <td>{e.name}</td>
                        <td>{e.licenseEnd}</td>
                        <td>{e.endpoints.join(', ')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )
            ) : report.rows.length === 0 ? (
              <p className="muted">
                {kind === 'usage'
                  ? 'Nothing was used in this period.'
                  : 'No asset catalogued before this period has gone unused through it.'}
              </p>
            ) : (
              <table className="usage-table">
                <thead>
                  <tr>
                    <th scope="col">Asset</th>
                    {SERIES.map(([key, label]) => (
                      <th key={key} scope="col">
                        {label}
                      </th>
                    ))}
                    <th scope="col">Last used</th>
                  </tr>
                </thead>
                <tbody>
                  {report.rows.map((r) => (
                    <tr key={r.assetId}>
                      <td>{r.name}</td>
                      {SERIES.map(([key]) => (
                        <td key={key}>{formatCount(r[key])}</td>
                      ))}
                      <td>{day(r.lastUsedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </div>
    </ViewDialog>
  );
}
