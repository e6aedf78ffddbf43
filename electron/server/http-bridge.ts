import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { MediaKind, OpName, OpParsed, RequestContext, RequestUser } from '../../shared/contract';
import type { ApiError } from '../../shared/errors';
import { createHandlers, dispatch } from '../core/api';
import { actorOf, authorize } from '../core/api/access';
import { Accounts } from '../core/accounts/service';
import { refused } from '../core/errors';
import type { Library } from '../core/library';
import { MediaError, mediaFile, originalFile } from '../core/media';
import { CORE_EVENTS } from '../core/port-adapter';
import { eventFor } from '../core/api/event-access';
import { sendExportZip } from './export-zip';
import { LOGIN_CSS, LOGIN_HTML, LOGIN_JS } from './login-page';
import { matchPublic, type PublicRoute } from './public-routes';
import { Semaphore, sendFile } from './send-file';
import { handleShare, type PublicHandler } from './share-pages';
import {
  clearedCookies,
  crossOrigin,
  csrfOk,
  readCookie,
  requestSession,
  safeEqual,
  safeNext,
  sessionCookies,
  SESSION_COOKIE,
} from './session-auth';
import { decodePath, uiFile } from './ui-files';
import { handleUpload } from './upload-portal';

export interface BridgeOptions {
  port?: number;
  host?: string;
  /** The built renderer (index.html and assets). */
  staticDir: string;
  /** Fixed token for tests; a random one per start otherwise. */
  token?: string;
  /** HTTPS with this certificate and key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** The clock of the login throttle and of sessions (tests step it instead of waiting). */
  clock?: () => number;
}

export interface RunningBridge {
  url: string;
  /** The per-start token (local mode; with accounts it opens nothing). */
  token: string;
  port: number;
  /** 'accounts': every request needs a login; 'local': the per-start token, loopback only. */
  mode: 'accounts' | 'local';
  close(): Promise<void>;
}

/** A loopback address: only this machine can connect. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1') return true;
  return net.isIPv4(h) && h.startsWith('127.');
}

const MAX_BODY = 4 * 1024 * 1024;
/** A body over MAX_BODY is read and dropped up to this much, so the 413 reaches the client; beyond it the connection is cut. */
const MAX_DRAIN = 256 * 1024 * 1024;
/** Files open at once for media and UI answers; more requests wait their turn. */
const MAX_OPEN_FILES = 16;
const COOKIE = 'dam_token';
/** The login page's own policy: its script and style, and fetch to /login. */
const LOGIN_CSP = CSP_BASE();
function CSP_BASE(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/** The HTTP status of an error code; the body still carries the typed error itself. */
const STATUS: Record<ApiError['code'], number> = {
  'invalid-input': 422,
  'not-found': 404,
  refused: 403,
  conflict: 409,
  unavailable: 503,
  unauthorized: 401,
  'unknown-operation': 404,
  internal: 500,
};

export function httpStatus(error: ApiError): number {
  // Not a passing outage: this server will never do it, the desktop app will.
  if (error.reason === 'desktop-only') return 501;
  return STATUS[error.code];
}

function cookieToken(req: http.IncomingMessage): string | undefined {
  return readCookie(req, COOKIE);
}

function send(
  res: http.ServerResponse,
  status: number,
  body: string | Buffer,
  type = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

class BodyTooLarge extends Error {
  constructor() {
    super(`request body over ${MAX_BODY / 1024 / 1024} MB`);
  }
}

/**
 * The request body as text. One over MAX_BODY is still read to its end (and dropped) before
 * BodyTooLarge, so the client is reading when the 413 comes instead of meeting a reset.
 */
function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_DRAIN) {
      reject(new BodyTooLarge());
      return;
    }
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_DRAIN) req.destroy();
      else if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () =>
      size > MAX_BODY ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

/** A typed error answer for the API, the same shape dispatch returns. */
function sendApiError(
  res: http.ServerResponse,
  status: number,
  message: string,
  extra: http.OutgoingHttpHeaders = {},
  code: ApiError['code'] = 'invalid-input',
): void {
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(JSON.stringify({ ok: false, error: { code, message } }));
}

/**
 * THE PUBLIC ROUTES: the only paths served without the dam serve token (or a login). Each is
 * guarded by its own unguessable link token, the first segment after the prefix (and a share's
 * password), and renders its own pages with their own CSP; nothing of the app is reachable here.
 */
export const PUBLIC_ROUTES: readonly { prefix: string; what: string; handle: PublicHandler }[] = [
  { prefix: '/s/', what: 'share link gallery', handle: handleShare },
  { prefix: '/u/', what: 'upload portal', handle: handleUpload },
];

/** The public route a path belongs to, with its link token and the rest of the path. */
export function publicRoute(
  pathname: string,
): { handle: PublicHandler; token: string; rest: string } | undefined {
  const route = PUBLIC_ROUTES.find((r) => pathname.startsWith(r.prefix));
  if (!route) return undefined;
  const after = pathname.slice(route.prefix.length);
  const slash = after.indexOf('/');
  const token = slash < 0 ? after : after.slice(0, slash);
  return { handle: route.handle, token, rest: slash < 0 ? '' : after.slice(slash) };
}

/** A page load (not the API, not media): the only place the token may come in the URL. */
function isPageLoad(req: http.IncomingMessage, url: URL): boolean {
  return (
    (req.method === 'GET' || req.method === 'HEAD') &&
    !url.pathname.startsWith('/api/') &&
    !url.pathname.startsWith('/media/') &&
    url.pathname !== '/export.zip'
  );
}

/**
 * `dam serve`: the same contract as the Electron IPC adapter, over HTTP (operations as POST
 * /api/NAME, events as server-sent events), plus the built UI and the asset media.
 */
export async function startHttpBridge(lib: Library, opts: BridgeOptions): Promise<RunningBridge> {
  const token = opts.token ?? crypto.randomBytes(24).toString('base64url');
  const host = opts.host ?? '127.0.0.1';
  const accounts = opts.clock ? new Accounts(lib.db, { now: opts.clock }) : lib.accounts;
  // Fixed for the life of the server: accounts added later take effect at the next start.
  const withAccounts = accounts.hasAccounts();
  if (!withAccounts && !isLoopback(host))
    throw refused(
      'no-accounts',
      `refusing to serve on ${host} without accounts: anyone on the network could open the catalogue; add one first (dam user add NAME --role admin --password-stdin) or serve on 127.0.0.1`,
    );
  const secure = opts.tls !== undefined;
  const handlers = createHandlers(lib);
  const guard = (name: OpName, input: unknown, ctx: RequestContext) =>
    authorize(lib, name, input as OpParsed<typeof name>, ctx);
  const files = new Semaphore(MAX_OPEN_FILES);
  /** Event streams, each with its session id (with accounts): a stream whose session ended is closed. */
  const clients = new Map<http.ServerResponse, string | null>();
  const unsubscribe = CORE_EVENTS.map((name) =>
    lib.events.on(name, (payload) => {
      const frame = (p: unknown) => `event: ${name}\ndata: ${JSON.stringify(p)}\n\n`;
      const all = frame(payload);
      const inScope = (ids: readonly number[], scope: readonly number[]) => lib.inScope(ids, scope);
      for (const [c, session] of clients) {
        if (session === null) {
          c.write(all);
          continue;
        }
        // The account as it is now (a role or scope changed since the stream opened counts).
        const user = accounts.session(session);
        if (!user) {
          clients.delete(c);
          c.end();
          continue;
        }
        // Only what this account may see: nothing of assets outside its collections.
        const seen = eventFor(name, payload, user, inScope);
        if (seen !== null) c.write(seen === payload ? all : frame(seen));
      }
    }),
  );
  // Bound to every interface on purpose (browsing from another machine): any Host, token still required.
  const anyHost = host === '0.0.0.0' || host === '::';
  let allowedHosts = new Set<string>();
  const hostAllowed = (h: string | undefined) => anyHost || allowedHosts.has(h ?? '');

  const authorised = (req: http.IncomingMessage, url: URL): boolean => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const fromUrl = isPageLoad(req, url) ? url.searchParams.get('token') : null;
    // Any of them: a cookie left by an earlier start (another token) must not block the new URL.
    return [bearer, cookieToken(req), fromUrl].some((given) => given != null && safeEqual(given, token));
  };

  /** The other public routes: the login page (PUBLIC_ROUTES above has the link-token ones). */
  const publicRoutes: readonly PublicRoute[] = [
    {
      path: '/login',
      why: 'the login page and its form: nothing of the catalogue',
      handle: (req, res) => login(req, res),
    },
    {
      path: '/login.js',
      why: 'the login page script',
      handle: (_q, res) => asset(res, LOGIN_JS, 'text/javascript'),
    },
    {
      path: '/login.css',
      why: 'the login page style',
      handle: (_q, res) => asset(res, LOGIN_CSS, 'text/css'),
    },
  ];

  function asset(res: http.ServerResponse, body: string, type: string): void {
    res.writeHead(200, {
      'Content-Type': `${type}; charset=utf-8`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': LOGIN_CSP,
    });
    res.end(body);
  }

  /** GET: the page. POST: name and password as JSON → a new session (any earlier one of this browser ends). */
  async function login(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!withAccounts) return send(res, 404, 'no accounts here: open the URL that dam serve printed');
    if (req.method === 'GET' || req.method === 'HEAD') {
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': LOGIN_CSP,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-store',
      });
      return void res.end(req.method === 'HEAD' ? undefined : LOGIN_HTML);
    }
    if (req.method !== 'POST') return send(res, 405, 'method not allowed');
    if (crossOrigin(req)) return sendApiError(res, 403, 'cross-origin request refused', {}, 'unauthorized');
    // JSON only: a form on another site can post url-encoded fields, never JSON without asking first.
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? ''))
      return sendApiError(res, 415, 'log in with a JSON body: {"name","password"}');
    let body: { name?: unknown; password?: unknown };
    try {
      body = JSON.parse(await readBody(req)) as typeof body;
    } catch (err) {
      if (err instanceof BodyTooLarge) return sendApiError(res, 413, err.message, { Connection: 'close' });
      return sendApiError(res, 400, 'request body: not JSON');
    }
    if (typeof body?.name !== 'string' || typeof body.password !== 'string' || body.password.length > 1024)
      return sendApiError(res, 400, 'log in with a name and a password');
    // A session id this browser held before is never valid after a login (fixation).
    const before = readCookie(req, SESSION_COOKIE);
    if (before) accounts.logout(before);
    const outcome = await accounts.login(body.name, body.password, req.socket.remoteAddress ?? 'unknown');
    if (!outcome.ok)
      return sendApiError(
        res,
        outcome.status,
        outcome.message,
        outcome.retryAfterS !== undefined ? { 'Retry-After': String(outcome.retryAfterS) } : {},
        'unauthorized',
      );
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Set-Cookie': sessionCookies(outcome.sessionId, secure),
    });
    res.end(JSON.stringify({ ok: true, value: { name: outcome.user.name, role: outcome.user.role } }));
  }

  const requestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent)
        send(res, 500, `internal error: ${err instanceof Error ? err.message : String(err)}`);
      else res.end();
    });
  };
  const server = opts.tls
    ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, requestHandler)
    : http.createServer(requestHandler);

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // DNS rebinding: a page on another name that resolves here must not reach the catalogue.
    if (!hostAllowed(req.headers.host)) return send(res, 421, 'unknown host');
    let url: URL;
    try {
      // Parsed as a path on a fixed origin: a request line like //host/x stays a path.
      const raw = req.url ?? '/';
      url = new URL(raw.startsWith('/') ? `http://localhost${raw}` : raw);
    } catch {
      return send(res, 400, 'malformed request URL');
    }
    const pub = publicRoute(url.pathname);
    if (pub) return pub.handle({ lib, files }, req, res, pub.token, pub.rest);
    const open = matchPublic(publicRoutes, url.pathname);
    if (open) return open.handle(req, res, url);

    // Who asks: with accounts, the session's user (or nobody); without, the token's holder (the owner).
    let user: RequestUser | undefined;
    let session: string | null = null;
    if (withAccounts) {
      const s = requestSession(accounts, req);
      if (!s) {
        if (isPageLoad(req, url)) {
          res.writeHead(303, {
            Location: `/login?next=${encodeURIComponent(safeNext(url.pathname, url.search))}`,
            'Cache-Control': 'no-store',
          });
          return void res.end();
        }
        return sendApiError(
          res,
          401,
          "log in first: open this server's address in a browser",
          { 'X-Login': '/login' },
          'unauthorized',
        );
      }
      user = s.user;
      session = s.id;
      // Every state-changing request: from our own pages (Origin) and carrying the session's CSRF token.
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        if (crossOrigin(req)) return send(res, 403, 'cross-origin request refused');
        if (!csrfOk(req, s.id))
          return sendApiError(res, 403, 'missing or wrong X-CSRF-Token: reload the page', {}, 'unauthorized');
      }
    } else if (!authorised(req, url))
      return send(res, 401, 'missing or wrong token: open the URL that dam serve printed');

    if (url.pathname === '/logout' && req.method === 'POST' && session !== null) {
      accounts.logout(session);
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Cache-Control': 'no-store',
        'Set-Cookie': clearedCookies(secure),
      });
      return void res.end(JSON.stringify({ ok: true, value: { loggedOut: true } }));
    }

    if (!withAccounts && url.searchParams.has('token') && isPageLoad(req, url)) {
      // Trade the token in the URL for a cookie so it leaves the address bar and history.
      res.writeHead(303, {
        Location: url.pathname,
        'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        'Cache-Control': 'no-store',
      });
      return void res.end();
    }

    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      clients.set(res, session);
      req.on('close', () => clients.delete(res));
      return;
    }

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, 'use POST');
      const origin = req.headers.origin;
      if (origin && origin.replace(/^https?:\/\//, '') !== req.headers.host)
        return send(res, 403, 'cross-origin request refused');
      let input: unknown;
      try {
        const body = await readBody(req);
        input = body ? JSON.parse(body) : {};
      } catch (err) {
        if (err instanceof BodyTooLarge) return sendApiError(res, 413, err.message, { Connection: 'close' });
        return sendApiError(res, 400, `request body: ${err instanceof Error ? err.message : 'not JSON'}`);
      }
      const name = decodePath(url.pathname.slice('/api/'.length));
      if (name === undefined) return sendApiError(res, 400, 'malformed % escape in the operation name');
      const result = await dispatch(handlers, name, input, user ? { user } : {}, guard);
      return send(
        res,
        result.ok ? 200 : httpStatus(result.error),
        JSON.stringify(result),
        'application/json',
      );
    }

    if (url.pathname === '/export.zip' && req.method === 'GET')
      return sendExportZip(lib, url, res, user, (r, error) =>
        send(r, httpStatus(error), JSON.stringify({ ok: false, error }), 'application/json'),
      );

    const media = /^\/media\/(thumb|preview|snapshot|original)\/(\d+)$/.exec(url.pathname);
    if (media && (req.method === 'GET' || req.method === 'HEAD')) {
      try {
        const assetId = Number(media[2]);
        // Role and scope as for assets.get: an asset outside the account's collections is a missing one.
        if (user?.scope && !lib.inScope([assetId], user.scope).has(assetId))
          throw new MediaError('no such asset', 404);
        if (media[1] === 'original') {
          const { file, name } = originalFile(lib, assetId);
          await sendFile(files, req, res, file, {
            'Content-Type': 'application/octet-stream',
            'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
            'Cache-Control': 'private, no-store',
            'X-Content-Type-Options': 'nosniff',
          });
          // A copy left the catalogue: counted as the account's download (a HEAD only asked about it).
          if (req.method === 'GET' && res.statusCode === 200)
            lib.usage.downloaded([assetId], 'app', actorOf(lib, user ? { user } : {}).user);
          return;
        }
        const file = await mediaFile(lib, media[1] as MediaKind, assetId, url.searchParams.get('v'));
        await sendFile(files, req, res, file, {
          'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
          // Private to this browser; with accounts not kept past the session (a shared computer).
          'Cache-Control': withAccounts ? 'private, no-store' : 'private, max-age=31536000, immutable',
          'X-Content-Type-Options': 'nosniff',
        });
      } catch (err) {
        send(
          res,
          err instanceof MediaError ? err.status : 500,
          err instanceof Error ? err.message : String(err),
        );
      }
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
    const ui = uiFile(opts.staticDir, url.pathname);
    if (!ui) return send(res, 400, 'malformed % escape in the URL');
    const { file, rel } = ui;
    if (!fs.existsSync(file)) return send(res, 404, 'the UI is not built: run npm run build:renderer');
    await sendFile(files, req, res, file, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-store',
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const names =
    host === '0.0.0.0' || host === '::'
      ? ['127.0.0.1', 'localhost']
      : [host, ...(host === '127.0.0.1' ? ['localhost'] : [])];
  allowedHosts = new Set(names.map((h) => `${h.includes(':') ? `[${h}]` : h}:${port}`));
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const origin = `${secure ? 'https' : 'http'}://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  return {
    // With accounts the token opens nothing: the address alone, which leads to the login page.
    url: withAccounts ? `${origin}/` : `${origin}/?token=${token}`,
    token,
    port,
    mode: withAccounts ? 'accounts' : 'local',
    close: async () => {
      unsubscribe.forEach((u) => u());
      for (const c of clients.keys()) c.end();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
