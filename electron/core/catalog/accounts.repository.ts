import type { Role } from '../../../shared/accounts';
import type { Db } from './open';
import { stmt } from './statements';

/** A stored password: the scrypt hash with the salt and parameters it was made with. */
export interface StoredPassword {
  hash: Buffer;
  salt: Buffer;
  /** JSON of the scrypt parameters. */
  params: string;
}

export interface UserRow {
  id: number;
  name: string;
  role: Role;
  password_hash: Buffer | null;
  password_salt: Buffer | null;
  password_params: string | null;
  disabled: number;
  failed_logins: number;
  locked_until: number | null;
  created_at: number;
}

const USER_COLUMNS = `id, name, role, password_hash, password_salt, password_params, disabled, failed_logins, locked_until, created_at`;

export function countUsers(db: Db): number {
  return stmt(db, `SELECT count(*) FROM users`).pluck().get() as number;
}

export function allUsers(db: Db): (UserRow & { sessions: number })[] {
  return stmt(
    db,
    `SELECT ${USER_COLUMNS}, (SELECT count(*) FROM sessions s WHERE s.user_id = u.id AND s.expires_at > ?) AS sessions
       FROM users u ORDER BY name COLLATE NOCASE`,
  ).all(Date.now()) as (UserRow & { sessions: number })[];
}

/** By name, in any case (names are unique whatever their case). */
export function userByName(db: Db, name: string): UserRow | undefined {
  return stmt(db, `SELECT ${USER_COLUMNS} FROM users WHERE name = ? COLLATE NOCASE`).get(name) as
    UserRow | undefined;
}

export function userById(db: Db, id: number): UserRow | undefined {
  return stmt(db, `SELECT ${USER_COLUMNS} FROM users WHERE id = ?`).get(id) as UserRow | undefined;
}

export function insertUser(db: Db, name: string, role: Role, password: StoredPassword | null): number {
  return Number(
    stmt(
      db,
      `INSERT INTO users (name, role, password_hash, password_salt, password_params, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(name, role, password?.hash ?? null, password?.salt ?? null, password?.params ?? null, Date.now())
      .lastInsertRowid,
  );
}

export function deleteUser(db: Db, id: number): void {
  stmt(db, `DELETE FROM users WHERE id = ?`).run(id);
}

export function setUserRole(db: Db, id: number, role: Role): void {
  stmt(db, `UPDATE users SET role = ? WHERE id = ?`).run(role, id);
}

export function setUserDisabled(db: Db, id: number, disabled: boolean): void {
  stmt(db, `UPDATE users SET disabled = ? WHERE id = ?`).run(disabled ? 1 : 0, id);
}

/** A new password also lifts a lockout: whoever set it knows who they gave it to. */
export function setUserPassword(db: Db, id: number, p: StoredPassword): void {
  stmt(
    db,
    `UPDATE users SET password_hash = ?, password_salt = ?, password_params = ?, failed_logins = 0, locked_until = NULL WHERE id = ?`,
  ).run(p.hash, p.salt, p.params, id);
}

export function recordLoginFailure(db: Db, id: number, failures: number, lockedUntil: number | null): void {
  stmt(db, `UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?`).run(
    failures,
    lockedUntil,
    id,
  );
}

export function clearLoginFailures(db: Db, id: number): void {
  stmt(db, `UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?`).run(id);
}

export function scopeOfUser(db: Db, userId: number): number[] {
  return stmt(db, `SELECT collection_id FROM user_collections WHERE user_id = ? ORDER BY collection_id`)
    .pluck()
    .all(userId) as number[];
}

export function setScopeOfUser(db: Db, userId: number, collectionIds: readonly number[]): void {
  stmt(db, `DELETE FROM user_collections WHERE user_id = ?`).run(userId);
  const add = stmt(db, `INSERT OR IGNORE INTO user_collections (user_id, collection_id) VALUES (?, ?)`);
  for (const c of collectionIds) add.run(userId, c);
}

export interface SessionRow {
  user_id: number;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export function insertSession(db: Db, idHash: Buffer, userId: number, now: number, expiresAt: number): void {
  stmt(
    db,
    `INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
  ).run(idHash, userId, now, now, expiresAt);
}

export function sessionByHash(db: Db, idHash: Buffer): SessionRow | undefined {
  return stmt(db, `SELECT user_id, created_at, last_seen_at, expires_at FROM sessions WHERE id_hash = ?`).get(
    idHash,
  ) as SessionRow | undefined;
}

export function touchSession(db: Db, idHash: Buffer, now: number, expiresAt: number): void {
  stmt(db, `UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id_hash = ?`).run(
    now,
    expiresAt,
    idHash,
  );
}

export function deleteSession(db: Db, idHash: Buffer): void {
  stmt(db, `DELETE FROM sessions WHERE id_hash = ?`).run(idHash);
}

export function deleteSessionsOfUser(db: Db, userId: number): number {
  return stmt(db, `DELETE FROM sessions WHERE user_id = ?`).run(userId).changes;
}

export function deleteExpiredSessions(db: Db, now: number): void {
  stmt(db, `DELETE FROM sessions WHERE expires_at <= ?`).run(now);
}
