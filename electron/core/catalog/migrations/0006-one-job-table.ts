// One job table for every kind of deferred work (ingest's 'process', content history's 'snapshot',
// sidecar writes' 'sidecar', and the kinds tagging and publishing will add), keyed by kind + subject
// (a file id or an asset id, as the kind says). Jobs record the process that claimed them (owner,
// lease), so that two processes on one catalogue never take each other's live work, and work of a
// process that died is taken up again. The owed sidecar writes (sidecar_pending) move in as jobs.
export default /* sql */ `
CREATE TABLE jobs_v6 (
  id            INTEGER PRIMARY KEY,
  kind          TEXT    NOT NULL,
  subject_type  TEXT    NOT NULL CHECK (subject_type IN ('file', 'asset')),
  subject       INTEGER NOT NULL,
  -- Higher first within a kind: a user's edit before background work of the same kind.
  priority      INTEGER NOT NULL DEFAULT 0,
  -- 'held': owed, but waiting for something outside (an unreadable sidecar) rather than for a slot.
  state         TEXT    NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'held')),
  -- Owed again while it ran: queued again when the run ends, never run twice at once.
  again         INTEGER NOT NULL DEFAULT 0 CHECK (again IN (0, 1)),
  attempts      INTEGER NOT NULL DEFAULT 0,
  run_after     INTEGER NOT NULL DEFAULT 0,
  -- The claiming process ("pid:token") and until when its claim holds without a heartbeat.
  owner         TEXT,
  lease_until   INTEGER,
  last_error    TEXT,
  created_at    INTEGER NOT NULL,
  UNIQUE (kind, subject)
) STRICT;

INSERT INTO jobs_v6 (id, kind, subject_type, subject, priority, state, attempts, run_after, last_error, created_at)
  SELECT id, kind, 'file', file_id, CASE kind WHEN 'process' THEN 30 ELSE 20 END, 'queued', attempts,
         run_after, last_error, created_at
    FROM jobs;
INSERT OR IGNORE INTO jobs_v6 (kind, subject_type, subject, priority, state, created_at)
  SELECT 'sidecar', 'asset', asset_id, 20, 'queued', since FROM sidecar_pending;

DROP TABLE jobs;
ALTER TABLE jobs_v6 RENAME TO jobs;
DROP TABLE sidecar_pending;

-- Claimed per kind, highest priority then oldest first, without sorting.
CREATE INDEX jobs_claim ON jobs (kind, state, priority DESC, id);
CREATE INDEX jobs_subject ON jobs (subject_type, subject);
CREATE INDEX jobs_running ON jobs (owner) WHERE state = 'running';

-- A job goes with its subject (what the foreign keys did when every job was a file's).
CREATE TRIGGER jobs_of_file AFTER DELETE ON files
BEGIN DELETE FROM jobs WHERE subject_type = 'file' AND subject = old.id; END;
CREATE TRIGGER jobs_of_asset AFTER DELETE ON assets
BEGIN DELETE FROM jobs WHERE subject_type = 'asset' AND subject = old.id; END;
`;
