// People who log in to `dam serve` from other machines: their roles and what each may do. The
// server is the guard (every operation declares the role it needs in contract.ts); the UI reads
// the same table to hide what a role cannot do.

/** Lowest first: each role may do everything the roles before it may. */
export const ROLES = ['viewer', 'contributor', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a role may do beyond the one before it (README, the user list, Settings → Users). */
export const ROLE_MEANS: Record<Role, string> = {
  viewer: 'browse and download what is allowed',
  contributor: 'plus edit metadata and upload',
  approver: 'plus approval decisions',
  admin: 'plus roots, settings and users',
};

export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** Account names: what a person types at the login page and what history records as the actor. */
export const USER_NAME_MAX = 64;
export function userNameProblem(name: string): string | null {
  if (!name.trim()) return 'a user needs a name';
  if (name !== name.trim()) return 'a user name cannot start or end with a space';
  if (name.length > USER_NAME_MAX) return `a user name is at most ${USER_NAME_MAX} characters`;
  // Recorded as the actor in sidecars and logs, and shown as "name@machine".
  if (/[@/\\"\u0000-\u001f\u007f]/.test(name))
    return 'a user name cannot hold @, a slash, a double quote or a control character';
  return null;
}

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 1024;
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `a password needs at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `a password is at most ${PASSWORD_MAX} characters`;
  return null;
}

/** A collection a user is limited to. */
export interface ScopeCollection {
  id: number;
  path: string;
}

/** An account as the user list shows it: never its password, hash or sessions. */
export interface UserInfo {
  id: number;
  name: string;
  role: Role;
  /** The collections the user is limited to; empty: the whole catalogue. */
  collections: ScopeCollection[];
  disabled: boolean;
  /** Failed logins since the last good one. */
  failedLogins: number;
  /** ISO time until which logins are refused, or null. */
  lockedUntil: string | null;
  /** False for an account made without a password: it cannot log in until one is set. */
  hasPassword: boolean;
  sessions: number;
  createdAt: string;
}

/** Who is asking (`session.me`): the UI shows and hides by it. */
export interface SessionInfo {
  name: string;
  role: Role;
  /** Null: the whole catalogue. */
  scope: ScopeCollection[] | null;
  /**
   * 'account': logged in with a name and password (log out is offered); 'local': the desktop app
   * or `dam serve`'s per-start token on loopback, which act as the catalogue's owner.
   */
  mode: 'account' | 'local';
}
