// Usage figures: views and downloads of each asset, by whom and when. Shares and publications are
// counted from their own tables; this holds what only the catalogue sees.
import { USAGE_KINDS, USAGE_VIAS } from '../../../../shared/usage';
import { sqlIn } from './sql-list';

export default /* sql */ `
CREATE TABLE usage_events (
  id        INTEGER PRIMARY KEY,
  asset_id  INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  kind      TEXT    NOT NULL CHECK (kind IN (${sqlIn(USAGE_KINDS)})),
  via       TEXT    NOT NULL CHECK (via IN (${sqlIn(USAGE_VIAS)})),
  actor     TEXT    NOT NULL,
  at        INTEGER NOT NULL
) STRICT;
CREATE INDEX usage_events_asset ON usage_events (asset_id, kind, at);
CREATE INDEX usage_events_at ON usage_events (at);
`;
