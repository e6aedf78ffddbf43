// Collections: named sets of assets a person makes (client → campaign → shoot), nestable, an asset
// in any number of them. A smart collection holds a query instead of members and stays live.
export default /* sql */ `
CREATE TABLE collections (
  id          INTEGER PRIMARY KEY,
  name        TEXT    NOT NULL CHECK (length(trim(name)) > 0),
  parent_id   INTEGER REFERENCES collections (id) ON DELETE CASCADE,
  -- Not null: a smart collection, whose members are whatever this query finds.
  query       TEXT,
  created_at  INTEGER NOT NULL
) STRICT;
-- Names are unique among siblings, whatever their case (a top-level collection's parent is 0 here).
CREATE UNIQUE INDEX collections_sibling_name ON collections (coalesce(parent_id, 0), name COLLATE NOCASE);
CREATE INDEX collections_parent ON collections (parent_id);

CREATE TABLE collection_assets (
  collection_id INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
  asset_id      INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  added_at      INTEGER NOT NULL,
  PRIMARY KEY (collection_id, asset_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX collection_assets_asset ON collection_assets (asset_id);
`;
