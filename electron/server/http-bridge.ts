import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { MediaKind } from '../../shared/contract';
import type { ApiError } from '../../shared/errors';
import { createHandlers, dispatch } from '../core/api';
import type { Library } from '../core/library';
import { MediaError, mediaFile } from '../core/media';
import { CORE_EVENTS } from '../core/port-adapter';
import { Semaphore, sendFile } from './send-file';
import { handleShare, type PublicContext } from './share-pages';
import { decodePath, uiFile } from './ui-files';
import { handleUpload } from './upload-portal';

export interface BridgeOptions {
  port?: number;
  host?: string;
  /** The built renderer (index.html and assets). */
  staticDir: string;
  /** Fixed token for tests; a random one per start otherwise. */
  token?: string;
}

export interface RunningBridge {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 4 * 1024 * 1024;
/** A body over MAX_BODY is read and dropped up to this much, so the 413 reaches the client; beyond it the connection is cut. */
const MAX_DRAIN = 256 * 1024 * 1024;
/** Files open at once for media and UI answers; more requests wait their turn. */
const MAX_OPEN_FILES = 16;
const COOKIE = 'dam_token';

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

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function cookieToken(req: http.IncomingMessage): string | undefined {
  const m = new RegExp(`(?:^|;\\s*)${COOKIE}=([^;]+)`).exec(req.headers.cookie ?? '');
  return m?.[1];
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
): void {
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(JSON.stringify({ ok: false, error: { code: 'invalid-input', message } }));
}

type PublicHandler = (
  ctx: PublicContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  token: string,
  rest: string,
) => Promise<void>;

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
    !url.pathname.startsWith('/media/')
  );
}

/**
 * `dam serve`: the same contract as the Electron IPC adapter, over HTTP (operations as POST
 * /api/NAME, events as server-sent events), plus the built UI and the asset media.
 */
export async function startHttpBridge(lib: Library, opts: BridgeOptions): Promise<RunningBridge> {
  const token = opts.token ?? crypto.randomBytes(24).toString('base64url');
  const host = opts.host ?? '127.0.0.1';
  const handlers = createHandlers(lib);
  const files = new Semaphore(MAX_OPEN_FILES);
  const clients = new Set<http.ServerResponse>();
  const unsubscribe = CORE_EVENTS.map((name) =>
    lib.events.on(name, (payload) => {
      const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const c of clients) c.write(frame);
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

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent)
        send(res, 500, `internal error: ${err instanceof Error ? err.message : String(err)}`);
      else res.end();
    });
  });

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
    if (!authorised(req, url))
      return send(res, 401, 'missing or wrong token: open the URL that dam serve printed');

    if (url.searchParams.has('token') && isPageLoad(req, url)) {
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
      clients.add(res);
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
      const result = await dispatch(handlers, name, input);
      return send(
        res,
        result.ok ? 200 : httpStatus(result.error),
        JSON.stringify(result),
        'application/json',
      );
    }

    const media = /^\/media\/(thumb|preview|snapshot)\/(\d+)$/.exec(url.pathname);
    if (media && req.method === 'GET') {
      try {
        const file = await mediaFile(lib, media[1] as MediaKind, Number(media[2]), url.searchParams.get('v'));
        await sendFile(files, req, res, file, {
          'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
          'Cache-Control': 'private, max-age=31536000, immutable',
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
  return {
    url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}/?token=${token}`,
    token,
    port,
    close: async () => {
      unsubscribe.forEach((u) => u());
      for (const c of clients) c.end();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
