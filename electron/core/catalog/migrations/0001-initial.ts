// The spine of the catalog. Later features attach by adding tables keyed on asset_id or file_id
// (versions, rights, approvals, keywords, collections, auto-tags, publications), never by
// reshaping these. Its vocabularies are written out as they were at schema 1: a later list is a later
// migration's (0007 widened the asset types).

export default /* sql */ `
CREATE TABLE roots (
  id              INTEGER PRIMARY KEY,
  path            TEXT    NOT NULL UNIQUE,
  name            TEXT    NOT NULL,
  kind            TEXT    NOT NULL CHECK (kind IN ('local', 'network')),
  kind_forced     INTEGER NOT NULL DEFAULT 0,
  fs_type         TEXT,
  poll_interval_ms INTEGER NOT NULL DEFAULT 5000,
  dev             INTEGER,
  state           TEXT    NOT NULL DEFAULT 'online' CHECK (state IN ('online', 'offline')),
  state_reason    TEXT,
  added_at        INTEGER NOT NULL,
  last_scan_at    INTEGER,
  last_scan_json  TEXT
) STRICT;

-- An asset is the thing a user thinks of ("the bus photo"); its files are its bytes on disk.
-- Today one file per asset; versions later add more files to one asset.
CREATE TABLE assets (
  id          INTEGER PRIMARY KEY,
  type        TEXT    NOT NULL CHECK (type IN ('image', 'raw', 'video', 'design', 'other')),
  created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE files (
  id            INTEGER PRIMARY KEY,
  asset_id      INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  root_id       INTEGER NOT NULL REFERENCES roots (id) ON DELETE CASCADE,
  rel_path      TEXT    NOT NULL,
  folder        TEXT    NOT NULL,
  name          TEXT    NOT NULL,
  ext           TEXT    NOT NULL,
  format        TEXT    NOT NULL,
  size          INTEGER NOT NULL,
  mtime_ms      INTEGER NOT NULL,
  dev           INTEGER,
  ino           INTEGER,
  content_hash  TEXT,
  state         TEXT    NOT NULL DEFAULT 'present' CHECK (state IN ('present', 'missing')),
  missing_since INTEGER,
  processed_at  INTEGER,
  thumb         TEXT,
  error         TEXT,
  first_seen    INTEGER NOT NULL,
  UNIQUE (root_id, rel_path)
) STRICT;
CREATE INDEX files_asset ON files (asset_id);
CREATE INDEX files_hash ON files (content_hash) WHERE content_hash IS NOT NULL;
CREATE INDEX files_missing ON files (root_id, size) WHERE state = 'missing';
CREATE INDEX files_root_folder ON files (root_id, folder);
CREATE INDEX files_errors ON files (root_id) WHERE error IS NOT NULL;

-- What was read from the file itself. Keyed on the file, so each version keeps its own reading.
CREATE TABLE file_metadata (
  file_id        INTEGER PRIMARY KEY REFERENCES files (id) ON DELETE CASCADE,
  capture_date   TEXT,
  capture_ts     INTEGER,
  tz_offset_min  INTEGER,
  make           TEXT,
  model          TEXT,
  lens           TEXT,
  exposure_time  REAL,
  f_number       REAL,
  iso            INTEGER,
  focal_length   REAL,
  width          INTEGER,
  height         INTEGER,
  orientation    INTEGER,
  duration_s     REAL,
  gps_lat        REAL,
  gps_lon        REAL,
  gps_alt        REAL,
  title          TEXT,
  description    TEXT,
  keywords       TEXT NOT NULL DEFAULT '[]',
  creator        TEXT,
  copyright      TEXT,
  credit         TEXT,
  rating         INTEGER
) STRICT;

-- Columns the grid sorts and filters on, copied from the asset's current file so a search over
-- a million assets touches one table and its indexes.
-- sort_key orders by capture time (then id; undated assets below all dated ones) and is also the
-- asset's rowid in asset_fts: full-text matches then come out of FTS5 already in date order, so
-- "newest 100 matching canon" never sorts the whole match set.
CREATE TABLE asset_search (
  asset_id     INTEGER PRIMARY KEY REFERENCES assets (id) ON DELETE CASCADE,
  sort_key     INTEGER NOT NULL UNIQUE,
  file_id      INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
  root_id      INTEGER NOT NULL,
  type         TEXT    NOT NULL,
  state        TEXT    NOT NULL,
  folder       TEXT    NOT NULL,
  name         TEXT    NOT NULL,
  ext          TEXT    NOT NULL,
  size         INTEGER NOT NULL,
  capture_ts   INTEGER,
  make         TEXT,
  model        TEXT,
  rating       INTEGER,
  has_error    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX asset_search_type ON asset_search (type, sort_key);
CREATE INDEX asset_search_root_folder ON asset_search (root_id, folder);
CREATE INDEX asset_search_name ON asset_search (name COLLATE NOCASE);
CREATE INDEX asset_search_size ON asset_search (size);
CREATE INDEX asset_search_rating ON asset_search (rating);
CREATE INDEX asset_search_state ON asset_search (state) WHERE state <> 'present';
CREATE INDEX asset_search_error ON asset_search (has_error) WHERE has_error = 1;

CREATE VIRTUAL TABLE asset_fts USING fts5 (
  name, folder, title, description, keywords, creator, camera, lens, date,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3 4'
);

-- Every token the full-text index has seen. A typed word is expanded to the tokens it starts
-- ("fest" → festival, festivals): FTS5 evaluates a list of terms lazily in rowid order, while a
-- long prefix query would first materialise every match. Never pruned: a stale term matches nothing.
CREATE TABLE fts_terms (
  term TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

-- Pending work. A row exists while work is owed; it is deleted in the same transaction that
-- stores the work's result, so a crash can only ever leave work to redo, never work lost.
CREATE TABLE jobs (
  id          INTEGER PRIMARY KEY,
  kind        TEXT    NOT NULL,
  file_id     INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
  state       TEXT    NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  run_after   INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,
  created_at  INTEGER NOT NULL,
  UNIQUE (kind, file_id)
) STRICT;
-- Claimed oldest first: read in id order within the queued state, never sorted.
CREATE INDEX jobs_queue ON jobs (state, id);

CREATE TABLE settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) STRICT;
`;
