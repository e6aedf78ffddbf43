// Accounts for `dam serve` on the network: users with a role and a scrypt hash (its salt and
// parameters stored with it, so they can be raised later without locking anyone out), the
// collections a user is limited to, and sessions (only a hash of a session id is stored: a copy of
// the catalogue lets no one in).
import { ROLES } from '../../../../shared/accounts';
import { sqlIn } from './sql-list';

export default /* sql */ `
CREATE TABLE users (
  id              INTEGER PRIMARY KEY,
  name            TEXT    NOT NULL CHECK (length(trim(name)) > 0 AND length(name) <= 64),
  role            TEXT    NOT NULL CHECK (role IN (${sqlIn(ROLES)})),
  -- Null until a password is set: such an account cannot log in.
  password_hash   BLOB,
  password_salt   BLOB,
  -- JSON: {"N":…,"r":…,"p":…,"keylen":…}, the scrypt parameters the hash was made with.
  password_params TEXT,
  disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  failed_logins   INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
  locked_until    INTEGER,
  created_at      INTEGER NOT NULL,
  CHECK ((password_hash IS NULL) = (password_salt IS NULL) AND (password_hash IS NULL) = (password_params IS NULL))
) STRICT;
-- One account per name, whatever its case (the login page takes the name in any case).
CREATE UNIQUE INDEX users_name ON users (name COLLATE NOCASE);

-- The collections a viewer or contributor is limited to (none: the whole catalogue).
CREATE TABLE user_collections (
  user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  collection_id INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, collection_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE sessions (
  -- SHA-256 of the session id the browser holds; the id itself is never stored.
  id_hash      BLOB    PRIMARY KEY CHECK (length(id_hash) = 32),
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);
`;
