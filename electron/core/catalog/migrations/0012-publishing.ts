// Publishing: endpoints (where approved assets are delivered: a WordPress, later other CMSs) and
// publications (each delivery of an asset to an endpoint: "where used"). An endpoint's password is
// never here: it is kept in the credentials file or the OS keychain (publishing/credentials.ts).
import { CHANNELS } from '../../../../shared/governance';
import { DELIVERIES, ENDPOINT_TYPES, PUBLICATION_STATES } from '../../../../shared/publishing';
import { sqlIn } from './sql-list';

export default /* sql */ `
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
  created_at  INTEGER NOT NULL
) STRICT;

-- One row per delivered copy. The live row of an (asset, endpoint) is the one neither replaced nor
-- retracted: at most one.
CREATE TABLE publications (
  id           INTEGER PRIMARY KEY,
  asset_id     INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  endpoint_id  INTEGER NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
  remote_id    TEXT,
  url          TEXT,
  version_hash TEXT,
  -- Of the fields sent: a change of caption or alt text is sent again.
  fields_hash  TEXT,
  state        TEXT    NOT NULL CHECK (state IN (${sqlIn(PUBLICATION_STATES)})),
  at           INTEGER NOT NULL,
  by           TEXT    NOT NULL,
  last_error   TEXT,
  -- JSON arrays: fields the CMS dropped on read-back; posts that used a retracted copy.
  warnings     TEXT    NOT NULL DEFAULT '[]',
  used_in      TEXT    NOT NULL DEFAULT '[]'
) STRICT;
CREATE UNIQUE INDEX publications_live ON publications (asset_id, endpoint_id)
  WHERE state NOT IN ('replaced', 'retracted');
CREATE INDEX publications_endpoint ON publications (endpoint_id, state);
`;
