// Dominant colours of a picture (issue 11): its palette, most covering first, each colour with its
// name and family (shared/colors.ts) and its CIE Lab coordinates, so `color:red` reads the family
// index and `color:#3366cc` compares distances in Lab inside SQLite.
import { COLOR_FAMILIES } from '../../../../shared/colors';
import { sqlIn } from './sql-list';

export default /* sql */ `
CREATE TABLE asset_colors (
  asset_id  INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  rank      INTEGER NOT NULL CHECK (rank >= 0),
  hex       TEXT    NOT NULL CHECK (length(hex) = 7 AND hex GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  name      TEXT    NOT NULL,
  family    TEXT    NOT NULL CHECK (family IN (${sqlIn(COLOR_FAMILIES)})),
  share     REAL    NOT NULL CHECK (share > 0 AND share <= 1),
  l         REAL    NOT NULL,
  a         REAL    NOT NULL,
  b         REAL    NOT NULL,
  PRIMARY KEY (asset_id, rank)
) STRICT, WITHOUT ROWID;
CREATE INDEX asset_colors_family ON asset_colors (family, asset_id);
CREATE INDEX asset_colors_name ON asset_colors (name, asset_id);
-- color:#hex reads the colours of about the right lightness first, then measures.
CREATE INDEX asset_colors_lightness ON asset_colors (l);
`;
