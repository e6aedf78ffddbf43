// Rights, approvals and the history that answers "who said so". Each machine keeps its own catalogue;
// XMP sidecars carry these fields between machines, merged field by field with version clocks.
import { APPROVAL_STATES, CHANGE_SOURCES } from '../../../../shared/governance';
import { sqlIn } from './sql-list';

export default /* sql */ `
-- Per asset. creator, credit and copyright_notice override what the file says (NULL = as the file
-- says, '' = cleared); the rest exist only here. channels and territories are JSON arrays.
CREATE TABLE asset_rights (
  asset_id             INTEGER PRIMARY KEY REFERENCES assets (id) ON DELETE CASCADE,
  alt_text             TEXT,
  extended_description TEXT,
  creator              TEXT,
  credit               TEXT,
  copyright_notice     TEXT,
  copyright_owner      TEXT,
  licensor             TEXT,
  license_type         TEXT,
  usage_terms          TEXT,
  channels             TEXT NOT NULL DEFAULT '[]',
  territories          TEXT NOT NULL DEFAULT '[]',
  license_start        TEXT CHECK (license_start IS NULL OR license_start GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  license_end          TEXT CHECK (license_end IS NULL OR license_end GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  model_release        TEXT,
  property_release     TEXT,
  restrictions         TEXT,
  updated_at           INTEGER NOT NULL
) STRICT;
CREATE INDEX asset_rights_license_end ON asset_rights (license_end) WHERE license_end IS NOT NULL;
CREATE INDEX asset_rights_license_type ON asset_rights (license_type);
-- The few files that carry a credit line of their own, for warning:no-credit over a large catalogue.
CREATE INDEX file_metadata_credit ON file_metadata (file_id) WHERE credit IS NOT NULL AND credit <> '';

-- The approval of each version (file) of an asset. content_hash is the approved bytes: an asset whose
-- current file differs from them is back in review.
CREATE TABLE approvals (
  asset_id     INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  file_id      INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
  state        TEXT    NOT NULL CHECK (state IN (${sqlIn(APPROVAL_STATES)})),
  actor        TEXT    NOT NULL,
  machine      TEXT    NOT NULL,
  at           INTEGER NOT NULL,
  comment      TEXT,
  content_hash TEXT,
  PRIMARY KEY (asset_id, file_id)
) STRICT;
CREATE INDEX approvals_state ON approvals (state, asset_id);

-- Every transition, never changed or removed (not even with its asset: it is the audit trail).
-- uid identifies an entry across catalogues so that entries merged from sidecars are stored once.
CREATE TABLE approval_log (
  id           INTEGER PRIMARY KEY,
  uid          TEXT    NOT NULL UNIQUE,
  asset_id     INTEGER NOT NULL,
  file_id      INTEGER,
  content_hash TEXT,
  from_state   TEXT    NOT NULL,
  to_state     TEXT    NOT NULL,
  actor        TEXT    NOT NULL,
  machine      TEXT    NOT NULL,
  at           INTEGER NOT NULL,
  comment      TEXT
) STRICT;
CREATE INDEX approval_log_asset ON approval_log (asset_id, at);
CREATE TRIGGER approval_log_no_update BEFORE UPDATE ON approval_log
BEGIN SELECT RAISE(ABORT, 'approval_log is append-only'); END;
CREATE TRIGGER approval_log_no_delete BEFORE DELETE ON approval_log
BEGIN SELECT RAISE(ABORT, 'approval_log is append-only'); END;

-- Field changes: made here (local), taken from a sidecar (sidecar), or a value that lost to a newer
-- edit of the same field on another machine (merge-conflict; ref identifies the lost edit so that
-- every catalogue records it once).
CREATE TABLE change_log (
  id         INTEGER PRIMARY KEY,
  asset_id   INTEGER NOT NULL,
  field      TEXT    NOT NULL,
  old_value  TEXT,
  new_value  TEXT,
  actor      TEXT    NOT NULL,
  machine    TEXT    NOT NULL,
  at         INTEGER NOT NULL,
  source     TEXT    NOT NULL CHECK (source IN (${sqlIn(CHANGE_SOURCES)})),
  ref        TEXT
) STRICT;
CREATE INDEX change_log_asset ON change_log (asset_id, at);
CREATE UNIQUE INDEX change_log_ref ON change_log (asset_id, ref) WHERE ref IS NOT NULL;

-- Per field, the version clock of its current value: {catalogue id: edits} plus when and by whom.
-- Two values whose clocks do not contain one another were edited concurrently: a conflict.
CREATE TABLE field_stamps (
  asset_id  INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  field     TEXT    NOT NULL,
  clock     TEXT    NOT NULL,
  at        INTEGER NOT NULL,
  origin    TEXT    NOT NULL,
  actor     TEXT    NOT NULL,
  machine   TEXT    NOT NULL,
  PRIMARY KEY (asset_id, field)
) STRICT, WITHOUT ROWID;

-- Sidecars as last read or written here: an event for content we wrote ourselves is ignored, and a
-- scan re-reads only sidecars whose size or mtime moved. error: why it could not be read.
CREATE TABLE sidecar_files (
  root_id   INTEGER NOT NULL REFERENCES roots (id) ON DELETE CASCADE,
  rel_path  TEXT    NOT NULL,
  asset_id  INTEGER REFERENCES assets (id) ON DELETE SET NULL,
  hash      TEXT,
  size      INTEGER NOT NULL,
  mtime_ms  INTEGER NOT NULL,
  error     TEXT,
  PRIMARY KEY (root_id, rel_path)
) STRICT, WITHOUT ROWID;
CREATE INDEX sidecar_files_asset ON sidecar_files (asset_id) WHERE asset_id IS NOT NULL;

-- Assets whose sidecar is owed a write: inserted with the edit, removed once written (a crash or an
-- unreachable share leaves it owed, never lost).
CREATE TABLE sidecar_pending (
  asset_id  INTEGER PRIMARY KEY REFERENCES assets (id) ON DELETE CASCADE,
  since     INTEGER NOT NULL
) STRICT;

CREATE TABLE rights_templates (
  name        TEXT PRIMARY KEY COLLATE NOCASE,
  fields      TEXT NOT NULL,
  updated_at  INTEGER NOT NULL
) STRICT;

-- This catalogue's identity in version clocks: two catalogues on one machine are still two replicas.
INSERT OR IGNORE INTO settings (key, value) VALUES ('catalog-id', lower(hex(randomblob(6))));
INSERT OR IGNORE INTO settings (key, value) VALUES ('sidecar-naming', 'photo.xmp');
INSERT OR IGNORE INTO settings (key, value) VALUES ('require-rights-for-approval', '1');
INSERT OR IGNORE INTO settings (key, value) VALUES ('expiry-warning-days', '30');
`;
