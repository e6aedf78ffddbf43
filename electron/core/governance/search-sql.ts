import type { Warning } from '../../../shared/governance';
import { APPROVAL_STATE_SQL } from '../catalog/approval-state.sql';

// SQL over an asset_search row aliased `s`, shared by the search filters and the asset reader so
// that a filter finds exactly what `show` reports. Filters test membership in a set of asset ids
// read off a small index (approvals, asset_rights) rather than a subquery per row: a filter that
// matches few of a million assets must not evaluate a subquery a million times.

// The state itself is storage's to compute (the asset reader needs it too): one definition.
export { APPROVAL_STATE_SQL };

export interface SqlFilter {
  sql: string;
  params: string[];
}

export function approvalSql(state: string): SqlFilter {
  if (state === 'draft')
    return {
      sql: `(s.asset_id NOT IN (SELECT asset_id FROM approvals) OR ${APPROVAL_STATE_SQL} = ?)`,
      params: [state],
    };
  // Only assets with some decision can be in any other state.
  const candidates =
    state === 'in-review'
      ? `SELECT asset_id FROM approvals`
      : `SELECT asset_id FROM approvals WHERE state = '${state.replace(/'/g, "''")}'`;
  return { sql: `(s.asset_id IN (${candidates}) AND ${APPROVAL_STATE_SQL} = ?)`, params: [state] };
}

const rightsWhere = (where: string) => `s.asset_id IN (SELECT asset_id FROM asset_rights WHERE ${where})`;
const soonDays = `coalesce((SELECT value FROM settings WHERE key = 'expiry-warning-days'), '30')`;

/**
 * Each warning of shared/governance.ts WARNINGS as a filter (typed so that a new warning cannot
 * lack one); dates are compared in UTC, as warnings.ts computes them for `show`.
 */
export const WARNING_SQL: Record<Warning, string> = {
  expired: rightsWhere(`license_end < date('now')`),
  'expires-soon': rightsWhere(
    `license_end BETWEEN date('now') AND date('now', '+' || ${soonDays} || ' days')`,
  ),
  'no-credit': `NOT (${rightsWhere(`credit <> ''`)} OR (NOT ${rightsWhere('credit IS NOT NULL')}
    AND s.asset_id IN (SELECT f.asset_id FROM file_metadata m JOIN files f ON f.id = m.file_id
                        WHERE m.credit IS NOT NULL AND m.credit <> '')))`,
  'no-license': `NOT ${rightsWhere('license_type IS NOT NULL')}`,
  'sidecar-unreadable': `s.asset_id IN (SELECT asset_id FROM sidecar_files WHERE error IS NOT NULL AND asset_id IS NOT NULL)`,
  // As shared/warnings.ts modelReleaseRecorded: a release given, or none needed.
  'no-model-release': `s.asset_id IN (SELECT asset_id FROM faces WHERE removed = 0)
    AND NOT ${rightsWhere(`model_release IN ('unlimited', 'limited', 'not-applicable')`)}`,
};

/** license:cc matches every Creative Commons licence; license:none assets without one. */
export function licenseSql(value: string): SqlFilter {
  if (value === 'none') return { sql: `NOT ${rightsWhere('license_type IS NOT NULL')}`, params: [] };
  if (value === 'cc') return { sql: rightsWhere(`license_type LIKE 'cc%'`), params: [] };
  return { sql: rightsWhere('license_type = ?'), params: [value] };
}

export function channelSql(value: string): SqlFilter {
  return {
    sql: `s.asset_id IN (SELECT r.asset_id FROM asset_rights r, json_each(r.channels) c WHERE c.value = ?)`,
    params: [value],
  };
}
