// Endpoints of more types (S3-compatible storage, WebDAV, webhooks: shared/publishing.ts
// ENDPOINT_TYPES), and the settings only some types have (an S3 region, a key template, a webhook's
// inline limit) as one JSON object rather than a column per type.
//
// SQLite cannot change a CHECK in place, so `endpoints` is rebuilt (the migration runs with foreign
// keys off: see `rebuildsTables`); the old table is renamed with legacy_alter_table on, so
// `publications` keeps naming the rebuilt one, and no publication is cascaded away.
import { CHANNELS } from '../../../../shared/governance';
import { DELIVERIES, ENDPOINT_TYPES } from '../../../../shared/publishing';
import { sqlIn } from './sql-list';

export default /* sql */ `
PRAGMA legacy_alter_table = ON;
ALTER TABLE endpoints RENAME TO endpoints_v16;
CREATE TABLE endpoints (
  id          INTEGER PRIMARY KEY,
  name        TEXT    NOT NULL UNIQUE,
  type        TEXT    NOT NULL CHECK (type IN (${sqlIn(ENDPOINT_TYPES)})),
  url         TEXT    NOT NULL,
  user        TEXT,
  channel     TEXT    NOT NULL CHECK (channel IN (${sqlIn(CHANNELS)})),
  -- Which assets it takes, in the search syntax ('' for all that its channel and the gate allow).
  select_query TEXT   NOT NULL DEFAULT '',
  preset      TEXT,
  -- JSON: the CMS's field -> a template over the asset's fields.
  field_map   TEXT    NOT NULL,
  -- JSON: the asset fields it requires before it takes an asset.
  required    TEXT    NOT NULL,
  delivery    TEXT    NOT NULL CHECK (delivery IN (${sqlIn(DELIVERIES)})),
  created_at  INTEGER NOT NULL,
  -- JSON: settings of its type only (shared/publishing.ts EndpointOptions).
  options     TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(options) AND json_type(options) = 'object')
) STRICT;
INSERT INTO endpoints (id, name, type, url, user, channel, select_query, preset, field_map, required, delivery, created_at)
  SELECT id, name, type, url, user, channel, select_query, preset, field_map, required, delivery, created_at
    FROM endpoints_v16;
DROP TABLE endpoints_v16;
PRAGMA legacy_alter_table = OFF;
`;
