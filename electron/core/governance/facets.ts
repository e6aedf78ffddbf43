import { APPROVAL_STATES, WARNINGS, type ApprovalState, type Warning } from '../../../shared/governance';
import type { Db } from '../catalog/open';
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
 * rest), and the warnings that concern few assets are read off their small tables; only
 * no-credit and no-license count the catalogue, once each, by membership in an index-read set.
 */
export function governanceFacets(db: Db): GovernanceFacets {
  const total = stmt(db, `SELECT count(*) FROM asset_search`).pluck().get() as number;
  const decided = stmt(
    db,
    `SELECT state, count(*) AS n FROM (SELECT ${APPROVAL_STATE_SQL} AS state FROM asset_search s
       WHERE s.asset_id IN (SELECT asset_id FROM approvals)) GROUP BY state`,
  ).all() as { state: ApprovalState; n: number }[];
  const byState = new Map<ApprovalState, number>(decided.map((r) => [r.state, r.n]));
  const decidedTotal = decided.reduce((n, r) => n + r.n, 0);
  byState.set('draft', (byState.get('draft') ?? 0) + Math.max(0, total - decidedTotal));
  const warnings = WARNINGS.map((warning) => ({
    warning,
    count: stmt(db, `SELECT count(*) FROM asset_search s WHERE ${WARNING_SQL[warning]!}`)
      .pluck()
      .get() as number,
  }));
  return {
    approvals: APPROVAL_STATES.map((state) => ({ state, count: byState.get(state) ?? 0 })),
    warnings,
  };
}
