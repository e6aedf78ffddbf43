// Usage figures (issue 12): how often each asset is viewed, downloaded, shared and published, by
// whom and when; and the reports a studio asks for ("what do we use?", "what is never used?",
// "what is published and about to lose its licence?").

/** What the catalogue records itself; shares and publications are counted from their own tables. */
export const USAGE_KINDS = ['view', 'download'] as const;
export type UsageKind = (typeof USAGE_KINDS)[number];

/** Where a use the catalogue records came from (share links keep their own events). */
export const USAGE_VIAS = ['app', 'export'] as const;
export type UsageVia = (typeof USAGE_VIAS)[number];

export const USAGE_REPORTS = ['usage', 'unused', 'expiring'] as const;
export type UsageReportKind = (typeof USAGE_REPORTS)[number];

/** One use of an asset, newest first in an asset's list. */
export interface UsageEvent {
  kind: UsageKind | 'share' | 'publication';
  /** Epoch ms. */
  at: number;
  /** Who: a user, a share link's label, an endpoint's publisher. */
  by: string;
  /** How or where: "app", "export", a share link's label, an endpoint's name and state. */
  detail: string;
}

export interface UsageTotals {
  views: number;
  downloads: number;
  shares: number;
  publications: number;
}

export interface AssetUsage {
  assetId: number;
  totals: UsageTotals;
  /** Epoch ms of the last use of any kind, or null when never used. */
  lastUsedAt: number | null;
  events: UsageEvent[];
}

export interface UsageRow extends UsageTotals {
  assetId: number;
  name: string;
  lastUsedAt: number | null;
}

export interface ExpiringRow {
  assetId: number;
  name: string;
  /** The licence's last day, YYYY-MM-DD. */
  licenseEnd: string;
  /** Where it is published now (endpoint names). */
  endpoints: string[];
}

/** A report: `rows` for usage and unused, `expiring` for expiring; per-month totals for the chart. */
export interface UsageReport {
  kind: UsageReportKind;
  /** Epoch ms: the start of the window the figures cover. */
  since: number;
  rows: UsageRow[];
  expiring: ExpiringRow[];
  /** Uses per calendar month (YYYY-MM, UTC) in the window, oldest first. */
  months: { month: string; views: number; downloads: number; shares: number; publications: number }[];
}
