// On-device tagging (issue 11): what analysers proposed for each asset, the user's decisions on
// them (which outlive re-tagging), which analyser and model version last looked at each asset, and
// the per-root switch. The tagging jobs themselves live in the one job table (kind 'tagging').
import { AUTO_TAG_KINDS, AUTO_TAG_STATES } from '../../../../shared/auto-tags';
import { sqlIn } from './sql-list';

export default /* sql */ `
-- One row per detection (two people are two rows with one label); box normalized to the upright
-- picture, all four NULL when the tag is about the whole picture. Replaced whole, per analyser, on
-- each run; state is copied from auto_tag_decisions when stored.
CREATE TABLE auto_tags (
  id             INTEGER PRIMARY KEY,
  asset_id       INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  file_id        INTEGER REFERENCES files (id) ON DELETE SET NULL,
  analyser       TEXT    NOT NULL,
  kind           TEXT    NOT NULL CHECK (kind IN (${sqlIn(AUTO_TAG_KINDS)})),
  label          TEXT    NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
  confidence     REAL    NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  box_x          REAL,
  box_y          REAL,
  box_w          REAL,
  box_h          REAL,
  model          TEXT    NOT NULL,
  model_version  TEXT    NOT NULL,
  state          TEXT    NOT NULL DEFAULT 'proposed' CHECK (state IN (${sqlIn(AUTO_TAG_STATES)})),
  -- What an analyser keeps beside the tag (JSON; e.g. a colour's hex), never read by search.
  extra          TEXT,
  CHECK ((box_x IS NULL) = (box_w IS NULL) AND (box_y IS NULL) = (box_h IS NULL) AND (box_x IS NULL) = (box_y IS NULL))
) STRICT;
CREATE INDEX auto_tags_asset ON auto_tags (asset_id, analyser);
CREATE INDEX auto_tags_label ON auto_tags (kind, label COLLATE NOCASE, asset_id);

-- The user's word on a label of an asset: it survives re-tagging (a rejected label never comes
-- back for that asset, an accepted one stays accepted).
CREATE TABLE auto_tag_decisions (
  asset_id  INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  kind      TEXT    NOT NULL CHECK (kind IN (${sqlIn(AUTO_TAG_KINDS)})),
  label     TEXT    NOT NULL,
  decision  TEXT    NOT NULL CHECK (decision IN ('accepted', 'rejected')),
  at        INTEGER NOT NULL,
  PRIMARY KEY (asset_id, kind, label)
) STRICT, WITHOUT ROWID;

-- Which analyser at which model version last looked at which content of an asset: a tagging job
-- re-runs an analyser only when its model version or the content changed. error: why the picture
-- could not be tagged (kept for the user; the run counts as done until the content changes).
CREATE TABLE tagging_runs (
  asset_id       INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  analyser       TEXT    NOT NULL,
  model_version  TEXT    NOT NULL,
  content_hash   TEXT,
  at             INTEGER NOT NULL,
  error          TEXT,
  PRIMARY KEY (asset_id, analyser)
) STRICT, WITHOUT ROWID;

-- Tagging per root (on unless switched off); the global switch is the 'tagging' setting.
ALTER TABLE roots ADD COLUMN tagging INTEGER NOT NULL DEFAULT 1 CHECK (tagging IN (0, 1));

INSERT OR IGNORE INTO settings (key, value) VALUES ('tagging', 'on');
`;
