// Share links and the upload portal (issue 12). A link's token is never kept: only its SHA-256
// (the token is 192 random bits, so a plain hash is enough to look it up and useless to guess
// from); a share's password only as an scrypt hash.
import { CHANNELS } from '../../../../shared/governance';
import { DOWNLOAD_LEVELS, SHARE_EVENT_KINDS } from '../../../../shared/sharing';
import { sqlIn } from './sql-list';

export default /* sql */ `
-- A gallery link for a collection (live: what the collection holds at each visit) or a frozen
-- selection (share_assets). collection_id goes NULL when the collection is deleted: the link is gone.
CREATE TABLE shares (
  id             INTEGER PRIMARY KEY,
  token_hash     TEXT    NOT NULL UNIQUE,
  kind           TEXT    NOT NULL CHECK (kind IN ('collection', 'selection')),
  collection_id  INTEGER REFERENCES collections (id) ON DELETE SET NULL,
  label          TEXT    NOT NULL,
  created_by     TEXT    NOT NULL,
  created_at     INTEGER NOT NULL,
  expires_at     INTEGER,
  password_hash  TEXT,
  download       TEXT    NOT NULL CHECK (download IN (${sqlIn(DOWNLOAD_LEVELS)})),
  preset         TEXT    NOT NULL,
  watermark      TEXT,
  channel        TEXT    NOT NULL CHECK (channel IN (${sqlIn(CHANNELS)})),
  revoked_at     INTEGER
) STRICT;

CREATE TABLE share_assets (
  share_id  INTEGER NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
  asset_id  INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  PRIMARY KEY (share_id, asset_id)
) STRICT, WITHOUT ROWID;

-- Visits (a gallery page served) and downloads (a file served), for the counts and usage figures.
CREATE TABLE share_events (
  id        INTEGER PRIMARY KEY,
  share_id  INTEGER NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
  kind      TEXT    NOT NULL CHECK (kind IN (${sqlIn(SHARE_EVENT_KINDS)})),
  asset_id  INTEGER REFERENCES assets (id) ON DELETE SET NULL,
  at        INTEGER NOT NULL
) STRICT;
CREATE INDEX share_events_share ON share_events (share_id, kind);
CREATE INDEX share_events_asset ON share_events (asset_id) WHERE asset_id IS NOT NULL;

-- An upload portal: files land in <root>/<folder>/<uploader>/.
CREATE TABLE upload_links (
  id          INTEGER PRIMARY KEY,
  token_hash  TEXT    NOT NULL UNIQUE,
  root_id     INTEGER NOT NULL REFERENCES roots (id) ON DELETE CASCADE,
  folder      TEXT    NOT NULL CHECK (length(folder) > 0),
  created_by  TEXT    NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER,
  max_size    INTEGER NOT NULL CHECK (max_size > 0),
  revoked_at  INTEGER
) STRICT;

-- One file sent through a portal: begun (its bytes in the catalogue's uploads/ folder, named by
-- key, until complete), then landed (root_id, rel_path) and, once ingested, its asset. The
-- uploader and note are the asset's "uploaded by" history entry.
CREATE TABLE uploads (
  id            INTEGER PRIMARY KEY,
  key           TEXT    NOT NULL UNIQUE,
  link_id       INTEGER NOT NULL REFERENCES upload_links (id) ON DELETE CASCADE,
  name          TEXT    NOT NULL,
  size          INTEGER NOT NULL CHECK (size > 0),
  uploader      TEXT    NOT NULL,
  note          TEXT,
  created_at    INTEGER NOT NULL,
  completed_at  INTEGER,
  root_id       INTEGER REFERENCES roots (id) ON DELETE SET NULL,
  rel_path      TEXT,
  asset_id      INTEGER REFERENCES assets (id) ON DELETE SET NULL
) STRICT;
CREATE INDEX uploads_asset ON uploads (asset_id) WHERE asset_id IS NOT NULL;
CREATE INDEX uploads_path ON uploads (root_id, rel_path) WHERE rel_path IS NOT NULL;
`;
