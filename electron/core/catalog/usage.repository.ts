import type {
  ExpiringRow,
  UsageEvent,
  UsageKind,
  UsageReport,
  UsageRow,
  UsageTotals,
  UsageVia,
} from '../../../shared/usage';
import type { Db } from './open';
import { stmt } from './statements';

// Every use of an asset, from the places that know of it: usage_events (views and exports the
// catalogue recorded), publications (deliveries to an endpoint) and share links (the assets they
// offered, the files their visitors downloaded). Each report reads them through USES, so a new
// source is one more branch there, never a second record of the same use.

/** A view by the same person of the same asset within this long counts once (paging back and forth). */
export const VIEW_DEDUPE_MS = 30 * 60 * 1000;

/** Publication rows that stand for a delivered copy (not one owed or failed). */
const DELIVERED = `('published', 'replaced', 'retracted')`;

/**
 * One row per use: asset, kind, epoch ms, who, detail. A share counts once per asset it offered
 * (a selection's, or a manual collection's members today; a smart collection's members are a
 * search, so only their downloads count), and each file a share link's visitor downloaded.
 */
const USES = `
  SELECT asset_id, kind, at, actor AS by, via AS detail FROM usage_events
  UNION ALL
  SELECT p.asset_id, 'publication', p.at, p.by, e.name || ' (' || p.state || ')'
    FROM publications p JOIN endpoints e ON e.id = p.endpoint_id
   WHERE p.state IN ${DELIVERED}
  UNION ALL
  SELECT sa.asset_id, 'share', s.created_at, s.created_by, 'link "' || s.label || '"'
    FROM share_assets sa JOIN shares s ON s.id = sa.share_id
  UNION ALL
  SELECT ca.asset_id, 'share', s.created_at, s.created_by, 'link "' || s.label || '"'
    FROM shares s JOIN collection_assets ca ON ca.collection_id = s.collection_id
   WHERE s.kind = 'collection'
  UNION ALL
  SELECT ev.asset_id, 'download', ev.at, 'a visitor', 'link "' || s.label || '"'
    FROM share_events ev JOIN shares s ON s.id = ev.share_id
   WHERE ev.kind = 'download' AND ev.asset_id IS NOT NULL`;

export interface UseRecord {
  assetId: number;
  kind: UsageKind;
  via: UsageVia;
  actor: string;
  at?: number;
}

/** Records a use; a repeated view (same asset, same person, within VIEW_DEDUPE_MS) is not counted again. */
export function recordUse(db: Db, u: UseRecord): boolean {
  const at = u.at ?? Date.now();
  if (u.kind === 'view') {
    const recent = stmt(
      db,
      `SELECT 1 FROM usage_events WHERE asset_id = ? AND kind = 'view' AND actor = ? AND at > ? LIMIT 1`,
    ).get(u.assetId, u.actor, at - VIEW_DEDUPE_MS);
    if (recent) return false;
  }
  const r = stmt(
    db,
    `INSERT INTO usage_events (asset_id, kind, via, actor, at)
     SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM assets WHERE id = ?)`,
  ).run(u.assetId, u.kind, u.via, u.actor, at, u.assetId);
  return r.changes > 0;
}

const TOTALS = `
  sum(kind = 'view') AS views, sum(kind = 'download') AS downloads,
  sum(kind = 'share') AS shares, sum(kind = 'publication') AS publications`;

export function assetUsageEvents(db: Db, assetId: number, limit: number): UsageEvent[] {
  return stmt(
    db,
    `SELECT kind, at, by, detail FROM (${USES}) WHERE asset_id = ? ORDER BY at DESC LIMIT ?`,
  ).all(assetId, limit) as UsageEvent[];
}

export function assetUsageTotals(db: Db, assetId: number): UsageTotals & { lastUsedAt: number | null } {
  const row = stmt(db, `SELECT ${TOTALS}, max(at) AS lastUsedAt FROM (${USES}) WHERE asset_id = ?`).get(
    assetId,
  ) as Record<string, number | null>;
  return {
    views: row.views ?? 0,
    downloads: row.downloads ?? 0,
    shares: row.shares ?? 0,
    publications: row.publications ?? 0,
    lastUsedAt: row.lastUsedAt ?? null,
  };
}

const NAME = `(SELECT s.name FROM asset_search s WHERE s.asset_id = u.asset_id)`;

/** Most used first: every asset used since `since`, with its figures in that window. */
export function mostUsed(db: Db, since: number, limit: number): UsageRow[] {
  return stmt(
    db,
    `SELECT u.asset_id AS assetId, coalesce(${NAME}, '#' || u.asset_id) AS name, ${TOTALS}, max(at) AS lastUsedAt
       FROM (${USES}) u WHERE u.at >= ? AND EXISTS (SELECT 1 FROM assets a WHERE a.id = u.asset_id)
      GROUP BY u.asset_id
      ORDER BY count(*) DESC, lastUsedAt DESC LIMIT ?`,
  ).all(since, limit) as UsageRow[];
}

/**
 * Assets catalogued before `since` and not used since: never used, or last used long ago (their
 * last use and lifetime figures say which), the longest-unused first.
 */
export function unusedSince(db: Db, since: number, limit: number): UsageRow[] {
  return stmt(
    db,
    `SELECT a.id AS assetId, coalesce(s.name, '#' || a.id) AS name,
            coalesce(t.views, 0) AS views, coalesce(t.downloads, 0) AS downloads,
            coalesce(t.shares, 0) AS shares, coalesce(t.publications, 0) AS publications,
            t.lastUsedAt AS lastUsedAt
       FROM assets a
       JOIN asset_search s ON s.asset_id = a.id
       LEFT JOIN (SELECT asset_id, ${TOTALS}, max(at) AS lastUsedAt FROM (${USES}) GROUP BY asset_id) t
         ON t.asset_id = a.id
      WHERE a.created_at < ? AND (t.lastUsedAt IS NULL OR t.lastUsedAt < ?)
      ORDER BY t.lastUsedAt IS NOT NULL, t.lastUsedAt, a.created_at, a.id
      LIMIT ?`,
  ).all(since, since, limit) as UsageRow[];
}

/** Published now (a live delivered copy) and the licence ends within `days` from `today` (YYYY-MM-DD). */
export function expiringPublished(db: Db, today: string, days: number, limit: number): ExpiringRow[] {
  const rows = stmt(
    db,
    `SELECT r.asset_id AS assetId, coalesce(s.name, '#' || r.asset_id) AS name, r.license_end AS licenseEnd,
            json_group_array(e.name) AS endpoints
       FROM asset_rights r
       JOIN publications p ON p.asset_id = r.asset_id AND p.state = 'published'
       JOIN endpoints e ON e.id = p.endpoint_id
       LEFT JOIN asset_search s ON s.asset_id = r.asset_id
      WHERE r.license_end IS NOT NULL AND r.license_end >= ? AND r.license_end <= date(?, '+' || ? || ' days')
      GROUP BY r.asset_id
      ORDER BY r.license_end, r.asset_id LIMIT ?`,
  ).all(today, today, days, limit) as (Omit<ExpiringRow, 'endpoints'> & { endpoints: string })[];
  return rows.map((r) => ({ ...r, endpoints: JSON.parse(r.endpoints) as string[] }));
}

/** Uses per UTC calendar month since `since`, oldest first. */
export function usesByMonth(db: Db, since: number): UsageReport['months'] {
  return stmt(
    db,
    `SELECT strftime('%Y-%m', at / 1000, 'unixepoch') AS month, ${TOTALS}
       FROM (${USES}) WHERE at >= ? GROUP BY month ORDER BY month`,
  ).all(since) as UsageReport['months'];
}
