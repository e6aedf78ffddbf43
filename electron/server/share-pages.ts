import type http from 'node:http';
import type { Library } from '../core/library';
import type { GalleryItem } from '../core/sharing/shares';
import type { ShareRow } from '../core/catalog/shares.repository';
import {
  PUBLIC_HEADERS,
  cookie,
  esc,
  page,
  publicStatus,
  readSmallBody,
  sameOrigin,
  sendLinkRefused,
  sendNotice,
  sendPage,
} from './public-html';
import { sendFile, type Semaphore } from './send-file';

// The share gallery at /s/TOKEN: a server-rendered page (no app UI, no script), its pictures,
// one picture at a time, and downloads as the link allows. Everything is decided again on each
// request: the link's state, the password proof, and which assets its rights allow today.

const PROOF_COOKIE = 'dam_share';
const DOWNLOAD_TYPES: Record<string, string> = { jpg: 'image/jpeg', webp: 'image/webp', avif: 'image/avif' };

export interface PublicContext {
  lib: Library;
  files: Semaphore;
}

/** Answers a request under a public route's prefix: its link token and the rest of the path. */
export type PublicHandler = (
  ctx: PublicContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  token: string,
  rest: string,
) => Promise<void>;

function linkWords(share: ShareRow, item: GalleryItem, base: string): string {
  const links: string[] = [];
  if (share.download !== 'none')
    links.push(
      `<a class="button" href="${base}/download/${item.id}?as=preview" download>Download (${esc(share.preset)})</a>`,
    );
  if (share.download === 'original')
    links.push(
      `<a class="button" href="${base}/download/${item.id}?as=original" download>Download original</a>`,
    );
  return links.length ? `<div class="actions">${links.join('')}</div>` : '';
}

function caption(item: GalleryItem): string {
  return item.title ?? item.name;
}

function galleryPage(share: ShareRow, items: GalleryItem[], base: string): string {
  const expires = share.expires_at
    ? ` · until ${new Date(share.expires_at - 86_400_000).toISOString().slice(0, 10)}`
    : '';
  const tiles = items
    .map(
      (i) =>
        `<li><a href="${base}/a/${i.id}"><img src="${base}/img/grid/${i.id}" alt="${esc(caption(i))}" loading="lazy"></a>` +
        `<span>${esc(caption(i))}</span>${linkWords(share, i, base)}</li>`,
    )
    .join('\n');
  return page(
    share.label,
    `<header><h1>${esc(share.label)}</h1><p class="muted">${items.length} item${items.length === 1 ? '' : 's'}, shared by ${esc(share.created_by)}${expires}</p></header>
<main>${items.length ? `<ul class="grid" aria-label="Shared pictures">${tiles}</ul>` : '<p>Nothing is shared here at the moment.</p>'}</main>`,
  );
}

function viewPage(share: ShareRow, items: GalleryItem[], item: GalleryItem, base: string): string {
  const at = items.findIndex((i) => i.id === item.id);
  const prev = at > 0 ? items[at - 1] : undefined;
  const next = at >= 0 && at < items.length - 1 ? items[at + 1] : undefined;
  const nav = [
    `<a href="${base}">All items</a>`,
    prev ? `<a href="${base}/a/${prev.id}" rel="prev">Previous</a>` : '',
    next ? `<a href="${base}/a/${next.id}" rel="next">Next</a>` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return page(
    `${caption(item)} · ${share.label}`,
    `<nav>${nav}</nav><main class="view"><h1>${esc(caption(item))}</h1>
<img src="${base}/img/view/${item.id}" alt="${esc(caption(item))}">
${item.description ? `<p>${esc(item.description)}</p>` : ''}${item.credit ? `<p class="muted">Credit: ${esc(item.credit)}</p>` : ''}
${linkWords(share, item, base)}</main>`,
  );
}

function passwordPage(share: ShareRow, base: string, message: string | null): string {
  return page(
    share.label,
    `<main><h1>${esc(share.label)}</h1><p>This link is protected by a password.</p>
${message ? `<p class="error" role="alert">${esc(message)}</p>` : ''}
<form class="stack" method="post" action="${base}"><label>Password <input type="password" name="password" autocomplete="current-password" required autofocus></label>
<button type="submit">Open</button></form></main>`,
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Answers every request under /s/TOKEN. */
export const handleShare: PublicHandler = async (ctx, req, res, token, rest) => {
  const { lib } = ctx;
  const access = lib.shares.open(token);
  if (!access.ok) return sendLinkRefused(res, access);
  const share = access.share;
  const base = `/s/${token}`;

  if (req.method === 'POST' && rest === '') {
    if (!sameOrigin(req))
      return sendNotice(res, 403, 'Refused', 'A form on another site cannot open this link.');
    const body = await readSmallBody(req, 8192);
    const given = body === null ? '' : (new URLSearchParams(body).get('password') ?? '');
    const check = await lib.shares.checkPassword(share, given);
    if (check.result === 'ok') {
      res.writeHead(303, {
        ...PUBLIC_HEADERS,
        Location: base,
        'Set-Cookie': `${PROOF_COOKIE}=${check.proof}; HttpOnly; SameSite=Lax; Path=${base}`,
      });
      return void res.end();
    }
    if (check.result === 'locked')
      return sendPage(res, 429, passwordPage(share, base, 'Too many wrong passwords: try again later.'), {
        headers: { 'Retry-After': String(check.retryAfterS) },
      });
    // Slowed after a few wrong ones: guessing costs time, a typo does not.
    if (check.delayMs) await sleep(check.delayMs);
    return sendPage(res, 401, passwordPage(share, base, 'Wrong password.'));
  }
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return sendNotice(res, 405, 'Not allowed', 'Not allowed here.');

  if (!lib.shares.unlocked(share, cookie(req, PROOF_COOKIE))) {
    if (rest === '') return sendPage(res, 401, passwordPage(share, base, null));
    return sendNotice(res, 401, 'Password needed', 'Open the link and give its password first.');
  }

  try {
    if (rest === '') {
      const items = lib.shares.items(share);
      if (req.method === 'GET') lib.shares.visited(share);
      return sendPage(res, 200, galleryPage(share, items, base));
    }
    const view = /^\/a\/(\d+)$/.exec(rest);
    if (view) {
      const items = lib.shares.items(share);
      const item = items.find((i) => i.id === Number(view[1]));
      if (!item) return sendNotice(res, 404, 'Not found', 'This item is not in the link.');
      return sendPage(res, 200, viewPage(share, items, item, base));
    }
    const img = /^\/img\/(grid|view)\/(\d+)$/.exec(rest);
    if (img) {
      const data = await lib.shares.preview(share, Number(img[2]), img[1] as 'grid' | 'view');
      res.writeHead(200, { ...PUBLIC_HEADERS, 'Content-Type': 'image/jpeg', 'Content-Length': data.length });
      return void res.end(req.method === 'HEAD' ? undefined : data);
    }
    const dl = /^\/download\/(\d+)$/.exec(rest);
    if (dl) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const as = url.searchParams.get('as') === 'original' ? 'original' : 'preview';
      const got = await lib.shares.download(share, Number(dl[1]), as);
      const disposition = `attachment; filename*=UTF-8''${encodeURIComponent(got.name)}`;
      if ('file' in got)
        return sendFile(ctx.files, req, res, got.file, {
          ...PUBLIC_HEADERS,
          'Content-Type': 'application/octet-stream',
          'Content-Disposition': disposition,
        });
      res.writeHead(200, {
        ...PUBLIC_HEADERS,
        'Content-Type': DOWNLOAD_TYPES[got.name.split('.').pop() ?? ''] ?? 'application/octet-stream',
        'Content-Disposition': disposition,
        'Content-Length': got.data.length,
      });
      return void res.end(req.method === 'HEAD' ? undefined : got.data);
    }
    return sendNotice(res, 404, 'Not found', 'There is nothing at this address.');
  } catch (err) {
    const status = publicStatus(err);
    if (status === 500) throw err;
    return sendNotice(
      res,
      status,
      status === 403 ? 'Not allowed' : 'Not found',
      err instanceof Error ? err.message : '',
    );
  }
};
