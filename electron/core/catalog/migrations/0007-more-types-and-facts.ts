// Audio and 3D files become asset types of their own, and a file's metadata gains the facts only
// some formats have (codec, frame rate, album, sample rate, page count, vertex count…: the keys
// are listed in shared/facts.ts), as one JSON object rather than a column per format.
//
// SQLite cannot change a CHECK in place, so `assets` is rebuilt (the migration runs with foreign
// keys off: see `rebuildsTables`). The old table is renamed with legacy_alter_table on, so the
// twelve tables referencing assets keep naming the rebuilt one.
import { ASSET_TYPES } from '../../../../shared/model';
import { sqlIn } from './sql-list';

export default /* sql */ `
DROP TRIGGER IF EXISTS jobs_of_asset;
PRAGMA legacy_alter_table = ON;
ALTER TABLE assets RENAME TO assets_v6;
CREATE TABLE assets (
  id          INTEGER PRIMARY KEY,
  type        TEXT    NOT NULL CHECK (type IN (${sqlIn(ASSET_TYPES)})),
  created_at  INTEGER NOT NULL
) STRICT;
INSERT INTO assets (id, type, created_at) SELECT id, type, created_at FROM assets_v6;
DROP TABLE assets_v6;
PRAGMA legacy_alter_table = OFF;

CREATE TRIGGER jobs_of_asset AFTER DELETE ON assets
BEGIN DELETE FROM jobs WHERE subject_type = 'asset' AND subject = old.id; END;

ALTER TABLE file_metadata ADD COLUMN facts TEXT NOT NULL DEFAULT '{}';
`;
