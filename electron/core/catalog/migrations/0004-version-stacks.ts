// Version stacks: assets (each one file with its own approval, rights and history) grouped as
// versions of one picture, like Lightroom stacks or digiKam groups. A stack never merges assets.
import { STACK_REASONS } from '../../../../shared/versions';
import { sqlIn } from './sql-list';

export default /* sql */ `
-- current_manual: the user chose the current version; automatic grouping then leaves it alone
-- unless a genuinely new version file arrives.
CREATE TABLE stacks (
  id               INTEGER PRIMARY KEY,
  current_asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  current_manual   INTEGER NOT NULL DEFAULT 0 CHECK (current_manual IN (0, 1)),
  created_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX stacks_current ON stacks (current_asset_id);

CREATE TABLE stack_members (
  asset_id  INTEGER PRIMARY KEY REFERENCES assets (id) ON DELETE CASCADE,
  stack_id  INTEGER NOT NULL REFERENCES stacks (id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  reason    TEXT    NOT NULL CHECK (reason IN (${sqlIn(STACK_REASONS)})),
  added_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX stack_members_stack ON stack_members (stack_id, position);

-- A file's name with its version marks stripped (photo_FINAL_v3.jpg → photo), lowercased: files of
-- one folder sharing a base are versions of one another. Kept with the file's name so a rename
-- is noticed (a stale row is ignored).
CREATE TABLE file_version_keys (
  file_id  INTEGER PRIMARY KEY REFERENCES files (id) ON DELETE CASCADE,
  base     TEXT    NOT NULL,
  name     TEXT    NOT NULL
) STRICT;
CREATE INDEX file_version_keys_base ON file_version_keys (base);

-- A 64-bit difference hash of the upright picture, from the pixels the thumbnail was made of.
-- band0..band4 are its 13/13/13/13/12-bit slices: two hashes within 4 bits of one another share
-- at least one slice exactly, so candidates come off an index rather than a scan of the root.
-- width/height: the upright thumbnail's, for the aspect ratio.
CREATE TABLE file_pixels (
  file_id  INTEGER PRIMARY KEY REFERENCES files (id) ON DELETE CASCADE,
  dhash    INTEGER NOT NULL,
  width    INTEGER NOT NULL,
  height   INTEGER NOT NULL,
  band0    INTEGER NOT NULL,
  band1    INTEGER NOT NULL,
  band2    INTEGER NOT NULL,
  band3    INTEGER NOT NULL,
  band4    INTEGER NOT NULL
) STRICT;
CREATE INDEX file_pixels_band0 ON file_pixels (band0);
CREATE INDEX file_pixels_band1 ON file_pixels (band1);
CREATE INDEX file_pixels_band2 ON file_pixels (band2);
CREATE INDEX file_pixels_band3 ON file_pixels (band3);
CREATE INDEX file_pixels_band4 ON file_pixels (band4);

-- Stack changes for the asset's history (kind 'content': stacked, unstacked, current).
CREATE TABLE stack_log (
  id        INTEGER PRIMARY KEY,
  asset_id  INTEGER NOT NULL,
  stack_id  INTEGER,
  event     TEXT    NOT NULL CHECK (event IN ('stacked', 'unstacked', 'current')),
  detail    TEXT,
  actor     TEXT    NOT NULL,
  machine   TEXT    NOT NULL,
  at        INTEGER NOT NULL
) STRICT;
CREATE INDEX stack_log_asset ON stack_log (asset_id, at);
`;
