import crypto from 'node:crypto';
import type http from 'node:http';
import type { RequestUser } from '../../shared/contract';
import { csrfToken, type Accounts } from '../core/accounts/service';

export const SESSION_COOKIE = 'dam_session';
/** Readable by the page's script (not HttpOnly): it sends the value back as X-CSRF-Token. */
export const CSRF_COOKIE = 'dam_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function readCookie(req: http.IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function cookie(
  name: string,
  value: string,
  secure: boolean,
  opts: { httpOnly: boolean; maxAge?: number },
): string {
  return [
    `${name}=${value}`,
    'Path=/',
    'SameSite=Strict',
    ...(opts.httpOnly ? ['HttpOnly'] : []),
    ...(secure ? ['Secure'] : []),
    ...(opts.maxAge !== undefined ? [`Max-Age=${opts.maxAge}`] : []),
  ].join('; ');
}

export function sessionCookies(sessionId: string, secure: boolean): string[] {
  return [
    cookie(SESSION_COOKIE, sessionId, secure, { httpOnly: true }),
    cookie(CSRF_COOKIE, csrfToken(sessionId), secure, { httpOnly: false }),
  ];
}

export function clearedCookies(secure: boolean): string[] {
  return [
    cookie(SESSION_COOKIE, '', secure, { httpOnly: true, maxAge: 0 }),
    cookie(CSRF_COOKIE, '', secure, { httpOnly: false, maxAge: 0 }),
  ];
}

/** The session of a request: its id (from the HttpOnly cookie) and its user, or undefined. */
export function requestSession(
  accounts: Accounts,
  req: http.IncomingMessage,
): { id: string; user: RequestUser } | undefined {
  const id = readCookie(req, SESSION_COOKIE);
  if (!id) return undefined;
  const user = accounts.session(id);
  return user ? { id, user } : undefined;
}

/** The X-CSRF-Token header is the one derived from this session (a page of another site cannot read it). */
export function csrfOk(req: http.IncomingMessage, sessionId: string): boolean {
  const given = req.headers[CSRF_HEADER];
  return typeof given === 'string' && safeEqual(given, csrfToken(sessionId));
}

/** A request a browser sent from a page of another origin (its Origin header names another host). */
export function crossOrigin(req: http.IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

/** Where the login page may send the visitor after: a path of this server only. */
export function safeNext(pathname: string, search: string): string {
  const next = pathname + search;
  return /^\/(?![/\\])/.test(next) ? next : '/';
}
