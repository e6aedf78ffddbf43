import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { CoreEventName } from '../../shared/events';
import { createHandlers, dispatch } from '../core/api';
import type { Library } from '../core/library';
import { MediaError, isInside, previewFile, snapshotPreviewFile, thumbnailFile } from '../core/media';

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

const EVENTS: CoreEventName[] = ['scan-progress', 'job-progress', 'catalog-changed', 'root-state', 'warning'];
const MAX_BODY = 4 * 1024 * 1024;
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

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * `dam serve`: the same contract as the Electron IPC adapter, over HTTP (operations as POST
 * /api/NAME, events as server-sent events), plus the built UI and the asset media.
 */
export async function startHttpBridge(lib: Library, opts: BridgeOptions): Promise<RunningBridge> {
  const token = opts.token ?? crypto.randomBytes(24).toString('base64url');
  const host = opts.host ?? '127.0.0.1';
  const handlers = createHandlers(lib);
  const clients = new Set<http.ServerResponse>();
  const unsubscribe = EVENTS.map((name) =>
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
    const given = bearer ?? cookieToken(req) ?? url.searchParams.get('token') ?? '';
    return safeEqual(given, token);
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
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (!authorised(req, url))
      return send(res, 401, 'missing or wrong token: open the URL that dam serve printed');

    if (url.searchParams.has('token') && req.method === 'GET' && !url.pathname.startsWith('/api/')) {
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
        return send(
          res,
          400,
          JSON.stringify({
            ok: false,
            error: {
              code: 'invalid-input',
              message: `request body: ${err instanceof Error ? err.message : 'not JSON'}`,
            },
          }),
          'application/json',
        );
      }
      const result = await dispatch(handlers, decodeURIComponent(url.pathname.slice('/api/'.length)), input);
      return send(res, 200, JSON.stringify(result), 'application/json');
    }

    const media = /^\/media\/(thumb|preview|snapshot)\/(\d+)$/.exec(url.pathname);
    if (media && req.method === 'GET') {
      try {
        const id = Number(media[2]);
        const file =
          media[1] === 'thumb'
            ? thumbnailFile(lib, id)
            : media[1] === 'preview'
              ? await previewFile(lib, id)
              : await snapshotPreviewFile(lib, id, url.searchParams.get('v'));
        res.writeHead(200, {
          'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
          'Cache-Control': 'private, max-age=31536000, immutable',
          'X-Content-Type-Options': 'nosniff',
        });
        fs.createReadStream(file).pipe(res);
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
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    let file = path.join(opts.staticDir, rel);
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory())
      file = path.join(opts.staticDir, 'index.html');
    if (!isInside(opts.staticDir, file)) return send(res, 403, 'forbidden');
    if (!fs.existsSync(file)) return send(res, 404, 'the UI is not built: run npm run build:renderer');
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-store',
    });
    fs.createReadStream(file).pipe(res);
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
