import crypto from 'node:crypto';
import {
  ROLES,
  passwordProblem,
  roleAtLeast,
  userNameProblem,
  type Role,
  type ScopeCollection,
  type UserInfo,
} from '../../../shared/accounts';
import {
  allUsers,
  clearLoginFailures,
  countUsers,
  deleteExpiredSessions,
  deleteSession,
  deleteSessionsOfUser,
  deleteUser,
  insertSession,
  insertUser,
  recordLoginFailure,
  scopeOfUser,
  sessionByHash,
  setScopeOfUser,
  setUserDisabled,
  setUserPassword,
  setUserRole,
  touchSession,
  userById,
  userByName,
  type StoredPassword,
  type UserRow,
} from '../catalog/accounts.repository';
import { allCollections } from '../catalog/collections.repository';
import type { Db } from '../catalog/open';
import { conflict, invalidInput, notFound, refused } from '../errors';
import { collectionPaths } from '../search/collection-sql';
import { ACCOUNT_POLICY, ADDRESS_POLICY, MemoryThrottle, isLock, nextTryAt } from './login-throttle';
import { hashPassword, verifyPassword } from './passwords';

/** Who a request comes from, as the adapters pass it to the handlers. */
export interface SessionUser {
  id: number;
  name: string;
  role: Role;
  /** Collection ids the user is limited to; null: the whole catalogue. */
  scope: number[] | null;
}

export type LoginOutcome =
  | { ok: true; sessionId: string; csrf: string; user: SessionUser }
  | { ok: false; status: 401 | 429; message: string; retryAfterS?: number };

/** A session ends after this long unused, and after ABSOLUTE_MS whatever its use. */
const IDLE_MS = 7 * 24 * 3600_000;
const ABSOLUTE_MS = 30 * 24 * 3600_000;
/** last_seen is written at most this often (a page load makes dozens of requests). */
const TOUCH_EVERY_MS = 60_000;
const WRONG = 'wrong name or password';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest();

/** The CSRF token of a session: derived from its id, so nothing more is stored and it dies with it. */
export function csrfToken(sessionId: string): string {
  return crypto.createHmac('sha256', sessionId).update('tessera csrf').digest('base64url');
}

function when(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19) + ' UTC';
}

/**
 * Accounts, passwords, sessions and the login throttle of `dam serve`. Passwords are kept as
 * scrypt hashes only; a session id only as its SHA-256. The clock is injectable so tests count
 * attempts instead of waiting.
 */
export class Accounts {
  private readonly now: () => number;
  private readonly byAddress = new MemoryThrottle(ADDRESS_POLICY);
  /** Names with no account fail exactly as names with one: counted here instead of in the catalogue. */
  private readonly unknownNames = new MemoryThrottle(ACCOUNT_POLICY);
  /** Verified against when the name is unknown, so both answers take as long. */
  private decoy: Promise<StoredPassword> | null = null;

  constructor(
    private readonly db: Db,
    opts: { now?: () => number } = {},
  ) {
    this.now = opts.now ?? Date.now;
  }

  hasAccounts(): boolean {
    return countUsers(this.db) > 0;
  }

  list(): UserInfo[] {
    const paths = collectionPaths(allCollections(this.db));
    return allUsers(this.db).map((u) => this.info(u, u.sessions, paths));
  }

  private info(u: UserRow, sessions: number, paths = collectionPaths(allCollections(this.db))): UserInfo {
    return {
      id: u.id,
      name: u.name,
      role: u.role,
      collections: scopeOfUser(this.db, u.id).map((id) => ({ id, path: paths.get(id) ?? String(id) })),
      disabled: u.disabled === 1,
      failedLogins: u.failed_logins,
      lockedUntil:
        u.locked_until !== null && u.locked_until > this.now()
          ? new Date(u.locked_until).toISOString()
          : null,
      hasPassword: u.password_hash !== null,
      sessions,
      createdAt: new Date(u.created_at).toISOString(),
    };
  }

  /** An account by id or name (any case). */
  find(idOrName: number | string): UserRow {
    const u = typeof idOrName === 'number' ? userById(this.db, idOrName) : userByName(this.db, idOrName);
    if (!u) throw notFound(`no user ${typeof idOrName === 'number' ? idOrName : `"${idOrName}"`}`);
    return u;
  }

  get(idOrName: number | string): UserInfo {
    const u = this.find(idOrName);
    return this.list().find((x) => x.id === u.id)!;
  }

  private validScope(role: Role, collections: readonly number[]): number[] {
    if (collections.length && roleAtLeast(role, 'approver'))
      throw invalidInput(`only a viewer or a contributor can be limited to collections (not an ${role})`);
    const known = new Set(allCollections(this.db).map((c) => c.id));
    for (const c of collections) if (!known.has(c)) throw notFound(`no collection ${c}`);
    return [...new Set(collections)];
  }

  private static validRole(role: string): Role {
    if (!(ROLES as readonly string[]).includes(role))
      throw invalidInput(`a role is one of ${ROLES.join(', ')} (got "${role}")`);
    return role as Role;
  }

  private static async stored(password: string): Promise<StoredPassword> {
    const problem = passwordProblem(password);
    if (problem) throw invalidInput(problem);
    return hashPassword(password);
  }

  async add(input: {
    name: string;
    role: string;
    password?: string | null;
    collections?: readonly number[];
  }): Promise<UserInfo> {
    const problem = userNameProblem(input.name);
    if (problem) throw invalidInput(problem);
    const role = Accounts.validRole(input.role);
    const scope = this.validScope(role, input.collections ?? []);
    const stored = input.password != null ? await Accounts.stored(input.password) : null;
    const id = this.db.transaction(() => {
      if (userByName(this.db, input.name)) throw conflict(`there is already a user named "${input.name}"`);
      const id = insertUser(this.db, input.name, role, stored);
      setScopeOfUser(this.db, id, scope);
      return id;
    })();
    return this.get(id);
  }

  /** The last admin stays while others have accounts: someone must be able to manage them. */
  private keepAnAdmin(u: UserRow, becomes: Role | null): void {
    if (u.role !== 'admin' || becomes === 'admin') return;
    const users = allUsers(this.db);
    const admins = users.filter((x) => x.role === 'admin' && x.disabled === 0);
    if (admins.length === 1 && admins[0]!.id === u.id && users.length > 1)
      throw refused('last-admin', `${u.name} is the last admin: make another user admin first`);
  }

  remove(idOrName: number | string): UserInfo {
    const u = this.find(idOrName);
    const info = this.get(u.id);
    this.keepAnAdmin(u, null);
    deleteUser(this.db, u.id);
    return info;
  }

  update(
    idOrName: number | string,
    patch: { role?: string; collections?: readonly number[]; disabled?: boolean },
  ): UserInfo {
    this.db.transaction(() => {
      const u = this.find(idOrName);
      const role = patch.role !== undefined ? Accounts.validRole(patch.role) : u.role;
      const scope = this.validScope(role, patch.collections ?? scopeOfUser(this.db, u.id));
      if (patch.role !== undefined) this.keepAnAdmin(u, role);
      if (patch.disabled) this.keepAnAdmin(u, null);
      setUserRole(this.db, u.id, role);
      setScopeOfUser(this.db, u.id, scope);
      if (patch.disabled !== undefined) {
        setUserDisabled(this.db, u.id, patch.disabled);
        if (patch.disabled) deleteSessionsOfUser(this.db, u.id);
      }
    })();
    return this.get(idOrName);
  }

  /** A new password (also lifts a lockout); every session of the account ends. */
  async setPassword(idOrName: number | string, password: string): Promise<UserInfo> {
    const u = this.find(idOrName);
    const stored = await Accounts.stored(password);
    this.db.transaction(() => {
      setUserPassword(this.db, u.id, stored);
      deleteSessionsOfUser(this.db, u.id);
    })();
    this.unknownNames.clear(u.name.toLowerCase());
    return this.get(u.id);
  }

  unlock(idOrName: number | string): UserInfo {
    const u = this.find(idOrName);
    clearLoginFailures(this.db, u.id);
    return this.get(u.id);
  }

  private sessionUser(u: UserRow): SessionUser {
    const scope = u.role === 'viewer' || u.role === 'contributor' ? scopeOfUser(this.db, u.id) : [];
    return { id: u.id, name: u.name, role: u.role, scope: scope.length ? scope : null };
  }

  /**
   * Check a name and password from `address`. Too many failures from the address or for the name
   * answer 429 before the password is even looked at (and do not count); an unknown name and a
   * wrong password give the same answer, after the same work.
   */
  async login(name: string, password: string, address: string): Promise<LoginOutcome> {
    const now = this.now();
    const key = name.trim().toLowerCase();
    const user = userByName(this.db, name.trim());
    const addrWait = this.byAddress.waitUntil(address, now);
    const nameWait = user
      ? user.locked_until !== null && user.locked_until > now
        ? user.locked_until
        : null
      : this.unknownNames.waitUntil(key, now);
    const wait = Math.max(addrWait ?? 0, nameWait ?? 0);
    if (wait > now) {
      const failures = user ? user.failed_logins : this.unknownNames.failures(key);
      const locked = nameWait !== null && isLock(ACCOUNT_POLICY, failures);
      return {
        ok: false,
        status: 429,
        retryAfterS: Math.ceil((wait - now) / 1000),
        message: locked
          ? `this account is locked after ${failures} failed logins until ${when(wait)}; an admin can unlock it (dam user unlock NAME)`
          : `too many failed logins: try again after ${when(wait)}`,
      };
    }
    const stored: StoredPassword | null =
      user?.password_hash && user.password_salt && user.password_params
        ? { hash: user.password_hash, salt: user.password_salt, params: user.password_params }
        : null;
    this.decoy ??= hashPassword(crypto.randomBytes(16).toString('hex'));
    const good = await verifyPassword(password, stored ?? (await this.decoy));
    if (!good || !stored || !user) {
      this.byAddress.fail(address, now);
      if (user) {
        const failures = (userById(this.db, user.id)?.failed_logins ?? user.failed_logins) + 1;
        recordLoginFailure(this.db, user.id, failures, nextTryAt(ACCOUNT_POLICY, failures, now));
      } else this.unknownNames.fail(key, now);
      return { ok: false, status: 401, message: WRONG };
    }
    if (user.disabled) return { ok: false, status: 401, message: 'this account is disabled: ask an admin' };
    clearLoginFailures(this.db, user.id);
    const sessionId = crypto.randomBytes(32).toString('base64url');
    this.db.transaction(() => {
      deleteExpiredSessions(this.db, now);
      insertSession(this.db, sha256(sessionId), user.id, now, now + IDLE_MS);
    })();
    return { ok: true, sessionId, csrf: csrfToken(sessionId), user: this.sessionUser(user) };
  }

  /** The user of a live session (its idle expiry pushed on), or undefined. */
  session(sessionId: string): SessionUser | undefined {
    if (!sessionId || sessionId.length > 200) return undefined;
    const hash = sha256(sessionId);
    const s = sessionByHash(this.db, hash);
    const now = this.now();
    if (!s) return undefined;
    if (s.expires_at <= now || s.created_at + ABSOLUTE_MS <= now) {
      deleteSession(this.db, hash);
      return undefined;
    }
    const u = userById(this.db, s.user_id);
    if (!u || u.disabled) return undefined;
    if (now - s.last_seen_at >= TOUCH_EVERY_MS)
      touchSession(this.db, hash, now, Math.min(now + IDLE_MS, s.created_at + ABSOLUTE_MS));
    return this.sessionUser(u);
  }

  logout(sessionId: string): void {
    deleteSession(this.db, sha256(sessionId));
  }

  /** Ends every session of the user (every browser, every machine). */
  logoutEverywhere(userId: number): number {
    return deleteSessionsOfUser(this.db, userId);
  }

  /** The collections of a scope, with their paths (session.me). */
  scopeCollections(scope: readonly number[] | null): ScopeCollection[] | null {
    if (!scope) return null;
    const paths = collectionPaths(allCollections(this.db));
    return scope.map((id) => ({ id, path: paths.get(id) ?? String(id) }));
  }
}
