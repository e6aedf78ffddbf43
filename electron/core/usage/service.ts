import type { AssetUsage, UsageReport, UsageReportKind, UsageVia } from '../../../shared/usage';
import type { Db } from '../catalog/open';
import {
  assetUsageEvents,
  assetUsageTotals,
  expiringPublished,
  mostUsed,
  recordUse,
  unusedSince,
  usesByMonth,
} from '../catalog/usage.repository';
import { notFound } from '../errors';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ReportOptions {
  /** The window of a usage report, and "unused for" in an unused one; 12 by default. */
  months?: number;
  /** How far ahead an expiring report looks; 30 by default. */
  days?: number;
  limit?: number;
  /** For tests and reproducible reports: what "now" is (epoch ms). */
  now?: number;
}

/** Months back from `now`, by calendar (UTC): 3 months before 31 May is 28 February. */
function monthsBefore(now: number, months: number): number {
  const d = new Date(now);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.getTime() + (now % DAY_MS);
}

/** Views, downloads, shares and publications of assets: recorded as they happen, reported on demand. */
export class UsageService {
  constructor(
    private readonly db: Db,
    private readonly actor: () => string,
  ) {}

  /** The asset was looked at (the loupe showed it). */
  viewed(assetId: number, actor = this.actor()): { recorded: boolean } {
    if (!this.db.prepare(`SELECT 1 FROM assets WHERE id = ?`).get(assetId))
      throw notFound(`no asset ${assetId}`);
    return { recorded: recordUse(this.db, { assetId, kind: 'view', via: 'app', actor }) };
  }

  /** Copies of these assets left the catalogue (an export, a download). */
  downloaded(assetIds: readonly number[], via: UsageVia, actor = this.actor()): void {
    const at = Date.now();
    this.db.transaction(() => {
      for (const assetId of assetIds) recordUse(this.db, { assetId, kind: 'download', via, actor, at });
    })();
  }

  asset(assetId: number, limit = 200): AssetUsage {
    if (!this.db.prepare(`SELECT 1 FROM assets WHERE id = ?`).get(assetId))
      throw notFound(`no asset ${assetId}`);
    const { lastUsedAt, ...totals } = assetUsageTotals(this.db, assetId);
    return { assetId, totals, lastUsedAt, events: assetUsageEvents(this.db, assetId, limit) };
  }

  report(kind: UsageReportKind, o: ReportOptions = {}): UsageReport {
    const now = o.now ?? Date.now();
    const since = monthsBefore(now, o.months ?? 12);
    const limit = o.limit ?? 100;
    const base: UsageReport = { kind, since, rows: [], expiring: [], months: usesByMonth(this.db, since) };
    if (kind === 'usage') return { ...base, rows: mostUsed(this.db, since, limit) };
    if (kind === 'unused') return { ...base, rows: unusedSince(this.db, since, limit) };
    const today = new Date(now).toISOString().slice(0, 10);
    return { ...base, since: now, expiring: expiringPublished(this.db, today, o.days ?? 30, limit) };
  }
}
