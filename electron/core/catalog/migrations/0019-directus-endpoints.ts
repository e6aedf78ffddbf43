// Directus endpoints (shared/publishing.ts ENDPOINT_TYPES gains 'directus'): the CHECK on
// `endpoints.type` is rebuilt with the list, as migration 17 did for S3, WebDAV and webhooks
// (`rebuildsTables`; legacy_alter_table keeps `publications` naming the rebuilt table).
import { CHANNELS } from '../../../../shared/governance';
import { DELIVERIES, ENDPOINT_TYPES } from '../../../../shared/publishing';
import { sqlIn } from './sql-list';

export default /* sql */ `
PRAGMA legacy_alter_table = ON;
ALTER TABLE endpoints RENAME TO endpoints_v18;
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
INSERT INTO endpoints (id, name, type, url, user, channel, select_query, preset, field_map, required, delivery, created_at, options)
  SELECT id, name, type, url, user, channel, select_query, preset, field_map, required, delivery, created_at, options
    FROM endpoints_v18;
DROP TABLE endpoints_v18;
PRAGMA legacy_alter_table = OFF;
`;
