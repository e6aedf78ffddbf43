import { APPROVAL_STATES, WARNINGS, type ApprovalState, type Warning } from '../../../shared/governance';
import type { Db } from '../catalog/open';
import { HIDDEN_MEMBERS_SQL, HIDDEN_ROW_SQL } from '../catalog/stacks.repository';
import { stmt } from '../catalog/statements';
import { APPROVAL_STATE_SQL, WARNING_SQL } from './search-sql';

export interface GovernanceFacets {
  approvals: { state: ApprovalState; count: number }[];
  warnings: { warning: Warning; count: number }[];
}

/**
 * How many assets are in each approval state and carry each warning, with exactly the SQL the
 * `approval:` and `warning:` filters use, so a count is what clicking it finds. Cheap on a large
 * catalogue: the states are worked out only for assets that ever had a decision (draft is the
 * rest), and every warning is counted off the small tables of assets that have rights, a
 * file credit or a sidecar (no-credit and no-license as the complement of those that do).
 */
export function governanceFacets(db: Db): GovernanceFacets {
  const count = (sql: string) => stmt(db, sql).pluck().get() as number;
  // As search shows them: a stack's other versions are hidden, so they are not counted either.
  const total =
    count(`SELECT count(*) FROM asset_search`) -
    count(`SELECT count(*) FROM (${HIDDEN_MEMBERS_SQL}) h JOIN asset_search s ON s.asset_id = h.asset_id`);
  const decided = stmt(
    db,
    `SELECT state, count(*) AS n FROM (SELECT ${APPROVAL_STATE_SQL} AS state FROM asset_search s
       WHERE s.asset_id IN (SELECT asset_id FROM approvals) AND ${HIDDEN_ROW_SQL}) GROUP BY state`,
  ).all() as { state: ApprovalState; n: number }[];
  const byState = new Map<ApprovalState, number>(decided.map((r) => [r.state, r.n]));
  const decidedTotal = decided.reduce((n, r) => n + r.n, 0);
  byState.set('draft', (byState.get('draft') ?? 0) + Math.max(0, total - decidedTotal));
  // Most assets of a large library have no credit and no licence: those two are counted as the
  // complement of the few that do (the same sets WARNING_SQL tests), never by scanning them all;
  // CROSS JOIN keeps SQLite reading the small rights table first.
  const licensed = count(
    `SELECT count(*) FROM asset_rights r CROSS JOIN asset_search s ON s.asset_id = r.asset_id WHERE r.license_type IS NOT NULL AND ${HIDDEN_ROW_SQL}`,
  );
  const creditedHere = count(
    `SELECT count(*) FROM asset_rights r CROSS JOIN asset_search s ON s.asset_id = r.asset_id WHERE r.credit <> '' AND ${HIDDEN_ROW_SQL}`,
  );
  const creditedByFile = count(
    `SELECT count(DISTINCT s.asset_id) FROM file_metadata m JOIN files f ON f.id = m.file_id
       JOIN asset_search s ON s.asset_id = f.asset_id
      WHERE m.credit IS NOT NULL AND m.credit <> ''
        AND s.asset_id NOT IN (SELECT asset_id FROM asset_rights WHERE credit IS NOT NULL) AND ${HIDDEN_ROW_SQL}`,
  );
  const warnings = WARNINGS.map((warning) => ({
    warning,
    count:
      warning === 'no-license'
        ? total - licensed
        : warning === 'no-credit'
          ? total - creditedHere - creditedByFile
          : count(`SELECT count(*) FROM asset_search s WHERE ${WARNING_SQL[warning]!} AND ${HIDDEN_ROW_SQL}`),
  }));
  return {
    approvals: APPROVAL_STATES.map((state) => ({ state, count: byState.get(state) ?? 0 })),
    warnings,
  };
}
