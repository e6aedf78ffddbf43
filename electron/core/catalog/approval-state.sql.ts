// SQL over an asset_search row aliased `s`.

/** The current version's decision; "in review" once a newer version replaced the decided one. */
export const APPROVAL_STATE_SQL = `coalesce(
  (SELECT CASE WHEN ap.content_hash IS NULL OR f.content_hash IS NULL OR ap.content_hash = f.content_hash
                    OR ap.state IN ('draft', 'retired') THEN ap.state ELSE 'in-review' END
     FROM approvals ap JOIN files f ON f.id = ap.file_id WHERE ap.asset_id = s.asset_id AND ap.file_id = s.file_id),
  (SELECT 'in-review' FROM approvals ap WHERE ap.asset_id = s.asset_id LIMIT 1),
  'draft')`;
