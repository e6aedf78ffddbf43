// People: faces found in pictures (by the detector, or read from XMP regions other applications
// wrote), grouped into clusters by descriptor similarity; a cluster is a person once it has a name.
import { FACE_SOURCES } from '../../../../shared/people';
import { sqlIn } from './sql-list';

export default /* sql */ `
-- A cluster of faces; a person when named. Two people never share a name (naming a cluster with a
-- name in use merges it into that person).
CREATE TABLE people (
  id          INTEGER PRIMARY KEY,
  name        TEXT,
  created_at  INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX people_name ON people (name COLLATE NOCASE) WHERE name IS NOT NULL;

-- One face in one asset's picture. The box is normalized to the picture as shown (orientation
-- applied), from its top-left corner. descriptor: 1024 float32 (faceres), little-endian; null for
-- faces read from XMP. assigned: how the face got its person ('auto': clustering; 'user': named,
-- moved or split by the user, or read from XMP): clustering never moves a face the user placed.
-- removed: the user said it is no face (or not to be counted); kept so re-detection does not
-- bring it back.
CREATE TABLE faces (
  id          INTEGER PRIMARY KEY,
  asset_id    INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  file_id     INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
  x           REAL    NOT NULL,
  y           REAL    NOT NULL,
  w           REAL    NOT NULL,
  h           REAL    NOT NULL,
  source      TEXT    NOT NULL CHECK (source IN (${sqlIn(FACE_SOURCES)})),
  confidence  REAL,
  descriptor  BLOB    CHECK (descriptor IS NULL OR length(descriptor) = 4096),
  model       TEXT,
  person_id   INTEGER REFERENCES people (id) ON DELETE SET NULL,
  assigned    TEXT    NOT NULL DEFAULT 'auto' CHECK (assigned IN ('auto', 'user')),
  removed     INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1)),
  created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX faces_asset ON faces (asset_id);
CREATE INDEX faces_person ON faces (person_id) WHERE removed = 0;
`;
