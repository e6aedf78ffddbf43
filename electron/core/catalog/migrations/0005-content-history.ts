// Content history: past contents of files, kept as blobs in a content-addressed store in the
// catalogue folder (history/ab/abcdef…), with a record of every change. Depends only on 0001-0003:
// version stacks (0004) may be applied before or after it.
export default /* sql */ `
-- One row per stored blob: the unit of deduplication and of eviction (least recently used first).
CREATE TABLE history_blobs (
  hash       TEXT    PRIMARY KEY CHECK (length(hash) = 64),
  size       INTEGER NOT NULL,
  stored_at  INTEGER NOT NULL,
  last_used  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX history_blobs_lru ON history_blobs (last_used);

-- A content an asset's file had, once per asset and hash; at is when it was first kept. format is
-- the file's format then: a blob has no extension, and the preview renderer needs to know. state:
-- pending (owed a copy), stored, evicted (removed for space: the record stays), missed (the file
-- changed before it could be copied, or the store was full).
CREATE TABLE content_snapshots (
  id        INTEGER PRIMARY KEY,
  asset_id  INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  file_id   INTEGER REFERENCES files (id) ON DELETE SET NULL,
  hash      TEXT    NOT NULL CHECK (length(hash) = 64),
  size      INTEGER NOT NULL,
  format    TEXT    NOT NULL,
  at        INTEGER NOT NULL,
  actor     TEXT    NOT NULL,
  machine   TEXT    NOT NULL,
  reason    TEXT    NOT NULL CHECK (reason IN ('ingest', 'changed', 'approved', 'governed', 'restore')),
  state     TEXT    NOT NULL CHECK (state IN ('pending', 'stored', 'evicted', 'missed')),
  UNIQUE (asset_id, hash)
) STRICT;
CREATE INDEX content_snapshots_hash ON content_snapshots (hash);
CREATE INDEX content_snapshots_file ON content_snapshots (file_id, state);

-- Assets whose every new content is kept under the 'governed' scope: marked when rights or alt
-- text are set, at an approval transition, or when the asset joins a version stack. Kept apart from
-- those tables so that any of them (stacks included) can mark an asset without this one knowing it.
CREATE TABLE history_governed (
  asset_id  INTEGER PRIMARY KEY REFERENCES assets (id) ON DELETE CASCADE,
  since     INTEGER NOT NULL
) STRICT;

-- What happened to an asset's content, for the timeline: never changed or removed (it outlives its
-- asset, like the approval log). event covers the version-stack events of the contract too.
CREATE TABLE content_log (
  id        INTEGER PRIMARY KEY,
  asset_id  INTEGER NOT NULL,
  file_id   INTEGER,
  event     TEXT    NOT NULL CHECK (event IN ('changed', 'restored', 'stacked', 'unstacked', 'current')),
  hash      TEXT,
  size      INTEGER,
  old_hash  TEXT,
  old_size  INTEGER,
  actor     TEXT    NOT NULL,
  machine   TEXT    NOT NULL,
  at        INTEGER NOT NULL,
  detail    TEXT
) STRICT;
CREATE INDEX content_log_asset ON content_log (asset_id, at);
CREATE TRIGGER content_log_no_update BEFORE UPDATE ON content_log
BEGIN SELECT RAISE(ABORT, 'content_log is append-only'); END;
CREATE TRIGGER content_log_no_delete BEFORE DELETE ON content_log
BEGIN SELECT RAISE(ABORT, 'content_log is append-only'); END;

-- Snapshot copies go through the job table (kind 'snapshot') beside ingest's 'process' jobs: each
-- kind is claimed on its own without walking the other's queue.
CREATE INDEX jobs_kind_queue ON jobs (kind, state, id);

-- Assets already governed before this version: their future contents are kept, and their present
-- content is owed a copy now.
INSERT OR IGNORE INTO history_governed (asset_id, since)
  SELECT asset_id, CAST(unixepoch('subsec') * 1000 AS INTEGER) FROM asset_rights
  UNION SELECT asset_id, CAST(unixepoch('subsec') * 1000 AS INTEGER) FROM approvals;
INSERT OR IGNORE INTO jobs (kind, file_id, state, attempts, run_after, created_at)
  SELECT 'snapshot', s.file_id, 'queued', 0, 0, CAST(unixepoch('subsec') * 1000 AS INTEGER)
    FROM history_governed g JOIN asset_search s ON s.asset_id = g.asset_id;

INSERT OR IGNORE INTO settings (key, value) VALUES ('history-limit-mb', '10240');
INSERT OR IGNORE INTO settings (key, value) VALUES ('history-scope', 'governed');
`;
