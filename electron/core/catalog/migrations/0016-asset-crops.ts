// Per-aspect crops: one row per asset and aspect, the box normalised (0..1) in the upright picture.
// Clearing keeps the row with no box and the time it was cleared, so that a merge with the
// sidecar of another catalogue can tell a crop cleared later from one never set.
import { CROP_ASPECTS } from '../../../../shared/crops';
import { sqlIn } from './sql-list';

export default /* sql */ `
CREATE TABLE asset_crops (
  asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  aspect   TEXT    NOT NULL CHECK (aspect IN (${sqlIn(CROP_ASPECTS)})),
  x        REAL,
  y        REAL,
  w        REAL,
  h        REAL,
  at       INTEGER NOT NULL,
  PRIMARY KEY (asset_id, aspect),
  CHECK ((x IS NULL) = (y IS NULL) AND (x IS NULL) = (w IS NULL) AND (x IS NULL) = (h IS NULL)),
  CHECK (x IS NULL OR (x >= 0 AND y >= 0 AND w > 0 AND h > 0 AND x + w <= 1.000001 AND y + h <= 1.000001))
) STRICT;
`;
