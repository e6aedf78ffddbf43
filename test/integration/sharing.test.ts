import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../electron/core/api';
import { startHttpBridge, type RunningBridge } from '../../electron/server/http-bridge';
import type { HistoryEntry } from '../../shared/governance';
import type { CreatedShare, CreatedUploadLink, ShareInfo } from '../../shared/sharing';
import { makeImage } from '../fixtures/make-fixtures';
import { tempDir } from '../helpers/corpus';
import { freshLibrary, waitFor } from '../helpers/library';

// Share links and the upload portal against a real catalogue and a real HTTP bridge (in this
// process): what a gallery shows and refuses, counts, and uploads landing inside the inbox.

const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

describe('share links and the upload portal', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let handlers: ReturnType<typeof createHandlers>;
  let bridge: RunningBridge;
  let root: string;
  let staticDir: string;
  let base: string;
  const ids: Record<string, number> = {};
  let collectionId: number;

  async function call<T>(name: string, input: unknown): Promise<T> {
    const r = await dispatch(handlers, name, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value as T;
  }
  const get = (p: string, headers: Record<string, string> = {}) =>
    fetch(base + p, { redirect: 'manual', headers });

  beforeAll(async () => {
    ctx = freshLibrary();
    handlers = createHandlers(ctx.lib);
    root = fs.realpathSync(tempDir('dam-share-root-'));
    staticDir = tempDir('dam-share-static-');
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Tessera</title>');
    for (const [i, name] of ['harbour', 'market', 'webonly'].entries())
      await makeImage(root, `${name}.jpg`, 'jpeg', 320 + i * 8, 200);
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    for (const name of ['harbour', 'market', 'webonly']) ids[name] = ctx.lib.searchIds(`name:${name}`)[0]!;
    collectionId = (await call<{ id: number }>('collections.create', { name: 'Client' })).id;
    await call('collections.addAssets', { id: collectionId, ids: Object.values(ids) });
    // Its rights allow the web only: never on a partners link.
    await call('assets.setFields', { ids: [ids.webonly], patch: { channels: ['web'] } });
    bridge = await startHttpBridge(ctx.lib, { port: 0, staticDir });
    base = `http://127.0.0.1:${bridge.port}`;
  });
  afterAll(async () => {
    await bridge.close();
    await ctx.dispose();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(staticDir, { recursive: true, force: true });
  });

  it('a collection link shows what its channel and licences allow, re-checked on each request, and counts', async () => {
    const made = await call<CreatedShare>('shares.create', { collectionId, download: 'original' });
    expect(made.path).toBe(`/s/${made.token}`);
    // The token is not kept: only its hash is in the catalogue.
    const kept = ctx.lib.db.prepare(`SELECT * FROM shares WHERE id = ?`).get(made.share.id) as Record<
      string,
      unknown
    >;
    expect(JSON.stringify(kept)).not.toContain(made.token);

    const page = await get(made.path);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('content-security-policy')).not.toContain('script-src');
    const html = await page.text();
    expect(html).toContain(`/img/grid/${ids.harbour}`);
    expect(html).toContain(`/img/grid/${ids.market}`);
    expect(html).not.toContain(`/img/grid/${ids.webonly}`);
    expect(html).not.toContain('<script');

    const grid = await get(`${made.path}/img/grid/${ids.harbour}`);
    expect(grid.status).toBe(200);
    expect(grid.headers.get('content-type')).toBe('image/jpeg');
    // The web-only asset, and one that is in no link at all, are refused like missing ones.
    expect((await get(`${made.path}/img/grid/${ids.webonly}`)).status).toBe(404);
    expect((await get(`${made.path}/a/${ids.webonly}`)).status).toBe(404);
    expect((await get(`${made.path}/download/999999?as=original`)).status).toBe(404);

    const original = await get(`${made.path}/download/${ids.harbour}?as=original`);
    expect(original.status).toBe(200);
    expect(Buffer.from(await original.arrayBuffer())).toEqual(
      fs.readFileSync(path.join(root, 'harbour.jpg')),
    );
    const preview = await get(`${made.path}/download/${ids.market}?as=preview`);
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-disposition')).toContain('market.jpg');

    // The licence of one ends: gone from the page and its files at the next request.
    await call('assets.setFields', { ids: [ids.market], patch: { licenseEnd: yesterday() } });
    const after = await (await get(made.path)).text();
    expect(after).not.toContain(`/img/grid/${ids.market}`);
    expect((await get(`${made.path}/img/view/${ids.market}`)).status).toBe(404);
    await call('assets.setFields', { ids: [ids.market], patch: { licenseEnd: null } });

    const listed = (await call<ShareInfo[]>('shares.list', {})).find((s) => s.id === made.share.id)!;
    expect(listed).toMatchObject({ visits: 2, downloads: 2, state: 'active', channel: 'partners' });
  });

  it('a revoked link and an expired one answer 410 with a page that says so', async () => {
    const revoked = await call<CreatedShare>('shares.create', { collectionId });
    expect((await get(revoked.path)).status).toBe(200);
    await call('shares.revoke', { id: revoked.share.id });
    const gone = await get(revoked.path);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain('withdrawn');
    expect((await get(`${revoked.path}/img/grid/${ids.harbour}`)).status).toBe(410);

    const expiring = await call<CreatedShare>('shares.create', { collectionId, expires: '2099-12-31' });
    expect((await get(expiring.path)).status).toBe(200);
    // The day passes (the clock is the catalogue's: the link's end moved into the past).
    ctx.lib.db
      .prepare(`UPDATE shares SET expires_at = ? WHERE id = ?`)
      .run(Date.now() - 1000, expiring.share.id);
    const expired = await get(expiring.path);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('expired');
    expect((await call<ShareInfo[]>('shares.list', {})).find((s) => s.id === expiring.share.id)!.state).toBe(
      'expired',
    );
    // A date already past is refused when the link is made.
    const r = await dispatch(handlers, 'shares.create', { collectionId, expires: '2020-01-01' });
    expect(r.ok).toBe(false);
    // An unknown token is not found.
    expect((await get('/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
  });

  it('a password link: 401 with a form, wrong passwords slowed and then locked, the right one opens it', async () => {
    const made = await call<CreatedShare>('shares.create', { collectionId, password: 'open sesame' });
    expect(
      JSON.stringify(ctx.lib.db.prepare(`SELECT * FROM shares WHERE id = ?`).get(made.share.id)),
    ).not.toContain('open sesame');
    const locked = await get(made.path);
    expect(locked.status).toBe(401);
    expect(await locked.text()).toContain('type="password"');
    expect((await get(`${made.path}/img/grid/${ids.harbour}`)).status).toBe(401);

    const post = (password: string, origin?: string) =>
      fetch(base + made.path, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          ...(origin ? { Origin: origin } : {}),
        },
        body: new URLSearchParams({ password }).toString(),
      });
    const wrong = await post('guess');
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Wrong password');
    expect((await post('open sesame', 'http://evil.example')).status).toBe(403);
    const right = await post('open sesame');
    expect(right.status).toBe(303);
    const cookie = right.headers.get('set-cookie')!.split(';')[0]!;
    expect(right.headers.get('set-cookie')).toContain('HttpOnly');
    expect((await get(made.path, { Cookie: cookie })).status).toBe(200);
    expect((await get(`${made.path}/img/grid/${ids.harbour}`, { Cookie: cookie })).status).toBe(200);
    // A proof made for another link does not open this one.
    expect((await get(made.path, { Cookie: 'dam_share=forged' })).status).toBe(401);

    // Guessing: each wrong answer after the third is delayed longer, the tenth locks the link for a while.
    const share = ctx.lib.shares.open(made.token);
    if (!share.ok) throw new Error('the link should be open');
    const delays: number[] = [];
    let last;
    for (let i = 0; i < 10; i++) {
      last = await ctx.lib.shares.checkPassword(share.share, `guess ${i}`);
      if (last.result === 'wrong') delays.push(last.delayMs);
    }
    expect(delays.slice(0, 3)).toEqual([0, 0, 0]);
    expect(delays.at(-1)!).toBeGreaterThan(delays[3]!);
    expect(last!.result).toBe('locked');
    // Locked means the right password too, until the lock ends.
    expect((await ctx.lib.shares.checkPassword(share.share, 'open sesame')).result).toBe('locked');
    expect((await post('open sesame')).status).toBe(429);
  });

  it('download off: no download link on the page and the download URL refused', async () => {
    const made = await call<CreatedShare>('shares.create', { assetIds: [ids.harbour], download: 'none' });
    const html = await (await get(made.path)).text();
    expect(html).toContain(`/img/grid/${ids.harbour}`);
    expect(html).not.toContain('/download/');
    expect((await get(`${made.path}/download/${ids.harbour}?as=preview`)).status).toBe(403);
    expect((await get(`${made.path}/download/${ids.harbour}?as=original`)).status).toBe(403);
    // A selection link: an asset outside it is not found.
    expect((await get(`${made.path}/img/grid/${ids.market}`)).status).toBe(404);
    const preview = await call<CreatedShare>('shares.create', {
      assetIds: [ids.harbour],
      download: 'preview',
    });
    expect((await get(`${preview.path}/download/${ids.harbour}?as=original`)).status).toBe(403);
    expect((await get(`${preview.path}/download/${ids.harbour}?as=preview`)).status).toBe(200);
  });

  describe('the upload portal', () => {
    let link: CreatedUploadLink;
    const photo = () => fs.readFileSync(path.join(root, 'harbour.jpg'));

    beforeAll(async () => {
      link = await call<CreatedUploadLink>('uploadLinks.create', {
        rootId: ctx.lib.roots()[0]!.id,
        maxSize: 64 * 1024,
      });
    });

    async function begin(name: string, size: number, uploader = 'Ana Lima', note = 'first batch') {
      return fetch(`${base}${link.path}/files`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name, size, uploader, note }),
      });
    }
    async function patch(key: string, offset: number, body: Buffer) {
      return fetch(`${base}${link.path}/files/${key}`, {
        method: 'PATCH',
        headers: { 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
        body: new Uint8Array(body),
      });
    }
    async function upload(name: string, bytes: Buffer, uploader?: string): Promise<string> {
      const b = await begin(name, bytes.length, uploader);
      expect(b.status).toBe(201);
      const { key } = (await b.json()) as { key: string };
      const r = await patch(key, 0, bytes);
      expect(r.status).toBe(200);
      return ((await r.json()) as { path: string }).path;
    }

    it('lands names with ../, absolute paths, odd Unicode and device names inside FOLDER/UPLOADER/', async () => {
      const bytes = photo();
      const landed = [
        await upload('../../escape.jpg', bytes),
        await upload('/etc/absolute.jpg', bytes),
        await upload('C:\\Windows\\win.jpg', bytes),
        await upload('Cafe\u0301.jpg', bytes),
        await upload('\u202Eevil\u0000name.jpg', bytes),
        await upload('CON.jpg', bytes),
        await upload('escape.jpg', bytes),
        await upload('.hidden.jpg', bytes, '../../Mallory'),
      ];
      expect(landed).toEqual([
        'Inbox/Ana Lima/escape.jpg',
        'Inbox/Ana Lima/absolute.jpg',
        'Inbox/Ana Lima/win.jpg',
        'Inbox/Ana Lima/Caf\u00e9.jpg',
        'Inbox/Ana Lima/evilname.jpg',
        'Inbox/Ana Lima/_CON.jpg',
        'Inbox/Ana Lima/escape-2.jpg',
        'Inbox/Mallory/hidden.jpg',
      ]);
      for (const rel of landed) {
        const abs = path.join(root, rel);
        expect(fs.readFileSync(abs)).toEqual(bytes);
        expect(path.relative(path.join(root, 'Inbox'), abs).startsWith('..')).toBe(false);
      }
      // Nothing was written next to the root or in the catalogue's parts folder.
      expect(fs.readdirSync(path.dirname(root)).some((n) => n === 'escape.jpg' || n === 'Mallory')).toBe(
        false,
      );
      expect(fs.readdirSync(path.join(ctx.dir, 'uploads'))).toEqual([]);
    });

    it('arrives as a draft with "uploaded by" in its history, and the studio is told', async () => {
      const told: { assetId: number | null; path: string }[] = [];
      const off = ctx.lib.events.on('upload-received', (e) => told.push(e));
      const rel = await upload('arrival.jpg', photo());
      const event = await waitFor(() => told.find((e) => e.path === rel) as { assetId: number } | undefined);
      off();
      expect(event).toMatchObject({ uploader: 'Ana Lima', path: rel, note: 'first batch' });
      const asset = ctx.lib.asset(event.assetId)!;
      expect(asset.path).toBe(path.join(root, rel));
      expect(asset.approval.state).toBe('draft');
      const history = await call<HistoryEntry[]>('assets.history', { id: event.assetId });
      expect(history).toContainEqual(
        expect.objectContaining({
          kind: 'content',
          event: 'uploaded',
          detail: 'uploaded by Ana Lima: first batch',
        }),
      );
    });

    it('refuses what is over the size limit, of another type, or lies about its type', async () => {
      expect((await begin('huge.jpg', 65 * 1024)).status).toBe(413);
      expect((await begin('tool.exe', 100)).status).toBe(415);
      // Named .jpg, but its bytes are text: refused once its first bytes arrive, and discarded.
      const text = Buffer.from('this is not a picture at all\n'.repeat(20));
      const b = await begin('fake.jpg', text.length);
      const { key } = (await b.json()) as { key: string };
      expect((await patch(key, 0, text)).status).toBe(415);
      expect(fs.existsSync(path.join(root, 'Inbox', 'Ana Lima', 'fake.jpg'))).toBe(false);
      // More bytes than announced.
      const bytes = photo();
      const m = await begin('more.jpg', 100);
      const more = (await m.json()) as { key: string };
      expect((await patch(more.key, 0, bytes)).status).toBe(413);
      // A cross-site script may not start one.
      const cross = await fetch(`${base}${link.path}/files`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' },
        body: JSON.stringify({ name: 'x.jpg', size: 10, uploader: 'x' }),
      });
      expect(cross.status).toBe(403);
    });

    it('resumes after a connection dropped mid-PATCH: HEAD gives the offset, the file arrives whole', async () => {
      const bytes = Buffer.concat([photo(), crypto.randomBytes(20_000)]);
      const b = await begin('resumed.jpg', bytes.length);
      const { key } = (await b.json()) as { key: string };
      // Send the headers and half the body, then cut the connection.
      await new Promise<void>((resolve) => {
        const req = http.request(`${base}${link.path}/files/${key}`, {
          method: 'PATCH',
          headers: {
            'Upload-Offset': '0',
            'Content-Type': 'application/offset+octet-stream',
            'Content-Length': String(bytes.length),
          },
        });
        req.on('error', () => resolve());
        req.write(bytes.subarray(0, 15_000), () => setTimeout(() => req.destroy(), 200));
      });
      const offset = await waitFor(async () => {
        const h = await fetch(`${base}${link.path}/files/${key}`, { method: 'HEAD' });
        const at = Number(h.headers.get('upload-offset'));
        return at > 0 ? at : undefined;
      });
      expect(offset).toBeLessThanOrEqual(15_000);
      // Resuming from the wrong offset is refused with the right one.
      const wrongAt = await patch(key, 0, bytes);
      expect(wrongAt.status).toBe(409);
      expect(Number(wrongAt.headers.get('upload-offset'))).toBe(offset);
      const done = await patch(key, offset, bytes.subarray(offset));
      expect(done.status).toBe(200);
      const rel = ((await done.json()) as { path: string }).path;
      const hash = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
      expect(hash(fs.readFileSync(path.join(root, rel)))).toBe(hash(bytes));
    });

    it('an upload abandoned for a week is given up: its part removed, its key unknown', async () => {
      const b = await begin('abandoned.jpg', 5000);
      const { key } = (await b.json()) as { key: string };
      await patch(key, 0, photo().subarray(0, 1000));
      const part = path.join(ctx.dir, 'uploads', `${key}.part`);
      expect(fs.statSync(part).size).toBe(1000);
      expect(ctx.lib.uploads.cleanAbandoned()).toBe(0);
      ctx.lib.db
        .prepare(`UPDATE uploads SET created_at = ? WHERE key = ?`)
        .run(Date.now() - 8 * 86_400_000, key);
      expect(ctx.lib.uploads.cleanAbandoned()).toBe(1);
      expect(fs.existsSync(part)).toBe(false);
      expect((await fetch(`${base}${link.path}/files/${key}`, { method: 'HEAD' })).status).toBe(404);
    });

    it('a revoked upload link answers 410', async () => {
      const other = await call<CreatedUploadLink>('uploadLinks.create', { rootId: ctx.lib.roots()[0]!.id });
      expect((await get(other.path)).status).toBe(200);
      await call('uploadLinks.revoke', { id: other.link.id });
      expect((await get(other.path)).status).toBe(410);
      expect((await begin('x.jpg', 10)).status).toBe(201);
      const r = await fetch(`${base}${other.path}/files`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'x.jpg', size: 10, uploader: 'x' }),
      });
      expect(r.status).toBe(410);
    });
  });
});
