import type http from 'node:http';
import { formatBytes } from '../../shared/format';
import {
  PUBLIC_HEADERS,
  esc,
  page,
  publicStatus,
  readSmallBody,
  sameOrigin,
  sendLinkRefused,
  sendPage,
} from './public-html';
import type { PublicHandler } from './share-pages';
import { PORTAL_SCRIPT } from './upload-portal-script';

// The upload portal at /u/TOKEN: a page with a name, a note and a file input, and a small
// resumable protocol its script speaks (tus-like):
//   POST  /u/TOKEN/files          {name, size, uploader, note} → 201 {key, offset, size}
//   HEAD  /u/TOKEN/files/KEY      → Upload-Offset: bytes received so far, Upload-Length
//   PATCH /u/TOKEN/files/KEY      Upload-Offset: N, Content-Type: application/offset+octet-stream,
//                                 the bytes from N → 204 (more to come) or 200 {complete, path}
// A PATCH cut off mid-body keeps what arrived; HEAD says where to go on from.

/** Bytes per PATCH the page sends; a dropped connection costs at most this much again. */
export const PORTAL_CHUNK = 1024 * 1024;

function json(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
): void {
  res.writeHead(status, { ...PUBLIC_HEADERS, 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function fail(res: http.ServerResponse, err: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const status = publicStatus(err);
  if (status === 500) throw err;
  json(res, status, { error: err instanceof Error ? err.message : String(err) }, headers);
}

export const handleUpload: PublicHandler = async (ctx, req, res, token, rest) => {
  const { lib } = ctx;
  const access = lib.uploads.open(token);
  if (!access.ok) {
    if (rest === '' || rest === '/portal.js') return sendLinkRefused(res, access);
    return json(res, access.status, { error: access.message });
  }
  const link = access.link;
  const base = `/u/${token}`;

  if (rest === '' && (req.method === 'GET' || req.method === 'HEAD')) {
    return sendPage(
      res,
      200,
      page(
        'Send files',
        `<main><h1>Send files</h1>
<p class="muted">Files go to the studio's ${esc(link.folder)} folder, up to ${esc(formatBytes(link.max_size))} each: pictures, RAW, video, audio and design files. An interrupted upload goes on where it stopped.</p>
<form id="portal" class="stack" data-endpoint="${base}/files" data-chunk="${PORTAL_CHUNK}">
<label>Your name <input name="uploader" required maxlength="200" autocomplete="name"></label>
<label>Note <textarea name="note" maxlength="2000" rows="3"></textarea></label>
<label>Files <input type="file" name="files" multiple required></label>
<button type="submit">Upload</button></form>
<ul id="progress" aria-label="Uploads" aria-live="polite"></ul></main>`,
        `${base}/portal.js`,
      ),
      { script: true },
    );
  }
  if (rest === '/portal.js' && req.method === 'GET') {
    res.writeHead(200, { ...PUBLIC_HEADERS, 'Content-Type': 'text/javascript; charset=utf-8' });
    return void res.end(PORTAL_SCRIPT);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD' && !sameOrigin(req))
    return json(res, 403, { error: 'cross-origin request refused' });

  if (rest === '/files' && req.method === 'POST') {
    const body = await readSmallBody(req, 16 * 1024);
    let input: { name?: unknown; size?: unknown; uploader?: unknown; note?: unknown };
    try {
      input = JSON.parse(body ?? '') as typeof input;
    } catch {
      return json(res, 400, { error: 'expects JSON: {name, size, uploader, note}' });
    }
    if (
      typeof input.name !== 'string' ||
      typeof input.size !== 'number' ||
      typeof input.uploader !== 'string'
    )
      return json(res, 422, { error: 'expects a name, a size and who uploads' });
    try {
      const begun = lib.uploads.begin(link, {
        name: input.name,
        size: input.size,
        uploader: input.uploader,
        note: typeof input.note === 'string' ? input.note : null,
      });
      return json(res, 201, begun, {
        Location: `${base}/files/${begun.key}`,
        'Upload-Offset': '0',
        'Upload-Length': String(begun.size),
      });
    } catch (err) {
      return fail(res, err);
    }
  }

  const file = /^\/files\/([A-Za-z0-9_-]{1,64})$/.exec(rest);
  if (!file) return json(res, 404, { error: 'nothing here' });
  const key = file[1]!;
  try {
    if (req.method === 'HEAD' || req.method === 'GET') {
      const s = lib.uploads.status(link, key);
      const headers = { 'Upload-Offset': String(s.offset), 'Upload-Length': String(s.size) };
      if (req.method === 'HEAD') {
        res.writeHead(200, { ...PUBLIC_HEADERS, ...headers });
        return void res.end();
      }
      return json(res, 200, s, headers);
    }
    if (req.method === 'PATCH') {
      if (req.headers['content-type'] !== 'application/offset+octet-stream')
        return json(res, 415, { error: 'expects Content-Type: application/offset+octet-stream' });
      const offset = Number(req.headers['upload-offset']);
      if (!Number.isSafeInteger(offset) || offset < 0)
        return json(res, 400, { error: 'expects an Upload-Offset' });
      const r = await lib.uploads.append(link, key, offset, req);
      if (!r.complete) {
        res.writeHead(204, { ...PUBLIC_HEADERS, 'Upload-Offset': String(r.offset) });
        return void res.end();
      }
      return json(res, 200, r, { 'Upload-Offset': String(r.offset) });
    }
  } catch (err) {
    let headers: http.OutgoingHttpHeaders = {};
    try {
      headers = { 'Upload-Offset': String(lib.uploads.status(link, key).offset) };
    } catch {
      // The upload itself is gone (refused and discarded): no offset to resume from.
    }
    // A body the client is still sending is not read: close so it stops.
    if (!req.complete) headers.Connection = 'close';
    return fail(res, err, headers);
  }
  return json(res, 405, { error: 'method not allowed' });
};
