import crypto from 'node:crypto';
import type http from 'node:http';
import { isCoreError } from '../core/errors';

// What the public pages (share galleries, the upload portal) have in common: no app UI and no app
// script, their own strict CSP (an inline style allowed by its hash only), no referrer to other
// sites (the token is in the address), never cached.

export function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const STYLE = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0 auto; max-width: 1200px; padding: 1.5rem; line-height: 1.4; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
.muted { opacity: .7; }
.grid { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 1rem; }
.grid li { display: flex; flex-direction: column; gap: .35rem; }
.grid img { width: 100%; height: 200px; object-fit: contain; background: #8882; border-radius: 4px; }
.view img { max-width: 100%; max-height: 75vh; display: block; margin: 1rem auto; }
.actions { display: flex; gap: .75rem; flex-wrap: wrap; }
a.button, button { font: inherit; padding: .4rem .8rem; border-radius: 4px; border: 1px solid currentColor; text-decoration: none; color: inherit; background: none; cursor: pointer; }
form.stack { display: flex; flex-direction: column; gap: .75rem; max-width: 28rem; }
label { display: flex; flex-direction: column; gap: .25rem; }
input, textarea { font: inherit; padding: .4rem; }
.error { color: #c62828; }
.done { color: #2e7d32; }
progress { width: 100%; }
`;
const STYLE_HASH = crypto.createHash('sha256').update(STYLE).digest('base64');

/** No script at all (the gallery), or only the page's own file from this origin (the portal). */
export function publicCsp(withScript: boolean): string {
  return [
    "default-src 'none'",
    `style-src 'sha256-${STYLE_HASH}'`,
    // data: for the empty icon only, so the browser does not ask the app's (token-guarded) one.
    "img-src 'self' data:",
    ...(withScript ? ["script-src 'self'", "connect-src 'self'"] : []),
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function page(title: string, body: string, script?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin"><meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body>${body}${script ? `<script src="${esc(script)}"></script>` : ''}</body></html>`;
}

export const PUBLIC_HEADERS: http.OutgoingHttpHeaders = {
  'X-Content-Type-Options': 'nosniff',
  // Not no-referrer: with it a browser sends \`Origin: null\` on the page's own form, which the
  // same-origin check could not tell from a cross-site one. Other sites never see the address.
  'Referrer-Policy': 'same-origin',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
};

export function sendPage(
  res: http.ServerResponse,
  status: number,
  html: string,
  opts: { script?: boolean; headers?: http.OutgoingHttpHeaders } = {},
): void {
  res.writeHead(status, {
    ...PUBLIC_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': publicCsp(opts.script ?? false),
    ...opts.headers,
  });
  res.end(html);
}

/** A page that only says why (gone, not found, refused). */
export function sendNotice(res: http.ServerResponse, status: number, title: string, message: string): void {
  sendPage(res, status, page(title, `<main><h1>${esc(title)}</h1><p>${esc(message)}</p></main>`));
}

/** A share or upload link that cannot be opened: gone (410) or never there (404), and why. */
export function sendLinkRefused(
  res: http.ServerResponse,
  refused: { status: 404 | 410; message: string },
): void {
  sendNotice(
    res,
    refused.status,
    refused.status === 410 ? 'Link no longer available' : 'Not found',
    refused.message,
  );
}

/** The status of a core refusal on a public route. */
export function publicStatus(err: unknown): number {
  if (!isCoreError(err) || !('code' in err)) return 500;
  const reason = 'reason' in err ? err.reason : undefined;
  if (reason === 'too-large') return 413;
  if (reason === 'wrong-type') return 415;
  if (reason === 'link-gone') return 410;
  switch (err.code) {
    case 'not-found':
      return 404;
    case 'refused':
      return 403;
    case 'conflict':
      return 409;
    case 'unavailable':
      return 503;
    default:
      return 422;
  }
}

/** A cross-site form or script may not post to a public route (the Origin, when sent, is this host). */
export function sameOrigin(req: http.IncomingMessage): boolean {
  const origin = req.headers.origin;
  return !origin || origin.replace(/^https?:\/\//, '') === req.headers.host;
}

export function readSmallBody(req: http.IncomingMessage, max: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= max) chunks.push(c);
    });
    req.on('end', () => resolve(size > max ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function cookie(req: http.IncomingMessage, name: string): string | undefined {
  return new RegExp(`(?:^|;\\s*)${name}=([^;]+)`).exec(req.headers.cookie ?? '')?.[1];
}
