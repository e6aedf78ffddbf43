// What people change in the catalogue (not in the file): it overrides what was read from the file,
// field by field; NULL means "as the file says". XMP sidecars will carry these to other machines.
export default /* sql */ `
CREATE TABLE asset_edits (
  asset_id     INTEGER PRIMARY KEY REFERENCES assets (id) ON DELETE CASCADE,
  title        TEXT,
  description  TEXT,
  rating       INTEGER CHECK (rating BETWEEN 0 AND 5),
  label        TEXT CHECK (label IN ('red', 'yellow', 'green', 'blue', 'purple')),
  flag         TEXT CHECK (flag IN ('pick', 'reject')),
  keywords     TEXT,
  updated_at   INTEGER NOT NULL
) STRICT;

ALTER TABLE asset_search ADD COLUMN label TEXT;
ALTER TABLE asset_search ADD COLUMN flag TEXT;
CREATE INDEX asset_search_label ON asset_search (label) WHERE label IS NOT NULL;
CREATE INDEX asset_search_flag ON asset_search (flag) WHERE flag IS NOT NULL;
-- Covers the filters checked on each full-text match, so "rating:>=4 bus" never reads table rows.
CREATE INDEX asset_search_filters ON asset_search (sort_key, rating, type, label, flag, state, has_error, root_id, ext, size);

-- Keyword autocomplete: every keyword in use, with how many assets carry it.
CREATE TABLE keyword_usage (
  keyword  TEXT PRIMARY KEY COLLATE NOCASE,
  uses     INTEGER NOT NULL
) STRICT;
`;
