import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../electron/core/api';
import { registerIpc } from '../../electron/main/ipc-adapter';
import { startHttpBridge, type RunningBridge } from '../../electron/server/http-bridge';
import type { OpName } from '../../shared/contract';
import { cameraFile } from '../helpers/camera';
import { tempDir } from '../helpers/corpus';
import { IpcMainStandIn, request } from '../helpers/bridges';
import { freshLibrary } from '../helpers/library';

describe('one contract, two bridges', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let bridge: RunningBridge;
  let root: string;
  let staticDir: string;
  const ipc = new IpcMainStandIn();
  const auth = () => ({ Authorization: `Bearer ${bridge.token}`, 'Content-Type': 'application/json' });

  beforeAll(async () => {
    ctx = freshLibrary();
    root = tempDir('dam-bridge-root-');
    staticDir = tempDir('dam-bridge-static-');
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Tessera</title>');
    fs.copyFileSync(cameraFile('jpg/Canon_40D.jpg'), path.join(root, 'bus.jpg'));
    fs.copyFileSync(cameraFile('jpg/gps/DSCN0010.jpg'), path.join(root, 'map.jpg'));
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    registerIpc(ipc as never, createHandlers(ctx.lib), (url) => url.startsWith('app://tessera'));
    bridge = await startHttpBridge(ctx.lib, { port: 0, staticDir });
  });
  afterAll(async () => {
    await bridge.close();
    await ctx.dispose();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(staticDir, { recursive: true, force: true });
  });

  const viaHttp = async (name: OpName, input: unknown) =>
    JSON.parse(
      (
        await request(bridge.port, `/api/${name}`, {
          method: 'POST',
          body: JSON.stringify(input),
          headers: auth(),
        })
      ).text,
    );
  const viaIpc = (name: string, input: unknown) =>
    ipc.invoke('app://tessera/index.html', 'dam:call', name, input);

  it('answers the same operation identically over IPC and HTTP', async () => {
    const cases: [OpName, unknown][] = [
      ['roots.list', {}],
      ['assets.search', { query: 'canon', limit: 10 }],
      ['assets.ids', { query: '' }],
      ['stats', {}],
      ['assets.search', { query: 'type:spreadsheet' }],
      ['assets.get', { ids: [-1] }],
    ];
    for (const [name, input] of cases) {
      const a = await viaIpc(name, input);
      const b = await viaHttp(name, input);
      expect(b, name).toEqual(a);
    }
    const found = await viaHttp('assets.search', { query: 'canon', limit: 10 });
    expect(found.ok).toBe(true);
    expect(found.value.items.map((i: { name: string }) => i.name)).toEqual(['bus.jpg']);
  });

  it('returns typed errors: invalid input, unknown operation, a query that does not parse', async () => {
    expect(await viaHttp('assets.get', { ids: 'all' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect(await viaHttp('assets.search', { query: 'x', extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect(await viaIpc('fs.readFile', { path: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'unknown-operation' },
    });
    expect(await viaHttp('assets.search', { query: 'date:tomorrow' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', reason: 'query', message: /^date: expects a date/ },
    });
    expect(await viaHttp('desktop.reveal', { id: 1 })).toMatchObject({
      ok: false,
      error: { code: 'unavailable', reason: 'desktop-only', message: /desktop app only/ },
    });
  });

  it('edits through the bridge and undoes with the returned patches', async () => {
    const [id] = (await viaHttp('assets.ids', { query: 'bus' })).value.ids as number[];
    const edit = await viaHttp('assets.edit', {
      ids: [id],
      patch: { rating: 4, keywordsAdd: ['red bus'], label: 'red' },
    });
    expect(edit).toMatchObject({ ok: true, value: { updated: 1 } });
    expect(ctx.lib.asset(id!)).toMatchObject({ rating: 4, label: 'red', keywords: ['red bus'] });
    expect(ctx.lib.search('label:red').total).toBe(1);
    expect((await viaHttp('keywords.suggest', { prefix: 're' })).value).toContain('red bus');
    await viaHttp('assets.editEach', { edits: edit.value.previous });
    expect(ctx.lib.asset(id!)).toMatchObject({ label: null, keywords: [] });
    expect(ctx.lib.asset(id!)!.rating).not.toBe(4);
  });

  it('refuses IPC calls from frames that are not our renderer', async () => {
    expect(await ipc.invoke('https://evil.example/', 'dam:call', 'stats', {})).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
  });

  it('requires the token, checks the Host header, and refuses cross-origin calls', async () => {
    expect((await request(bridge.port, '/api/stats', { method: 'POST', body: '{}' })).status).toBe(401);
    expect(
      (
        await request(bridge.port, '/api/stats', {
          method: 'POST',
          body: '{}',
          headers: { Authorization: 'Bearer nope' },
        })
      ).status,
    ).toBe(401);
    expect((await request(bridge.port, '/', { headers: { ...auth(), Host: 'evil.example' } })).status).toBe(
      421,
    );
    const xo = await request(bridge.port, '/api/stats', {
      method: 'POST',
      body: '{}',
      headers: { ...auth(), Origin: 'http://evil.example' },
    });
    expect(xo.status).toBe(403);
    // The token in the URL is traded for an HttpOnly cookie and removed from the address bar.
    const login = await request(bridge.port, `/?token=${bridge.token}`);
    expect(login.status).toBe(303);
    expect(login.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict/);
    const page = await request(bridge.port, '/', { headers: { Cookie: `dam_token=${bridge.token}` } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
  });

  it('serves media only from the catalogue, and never a path from the request', async () => {
    const [id] = (await viaHttp('assets.ids', { query: 'bus' })).value.ids as number[];
    const thumb = await request(bridge.port, `/media/thumb/${id}`, { headers: auth() });
    expect(thumb.status).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    const preview = await request(bridge.port, `/media/preview/${id}`, { headers: auth() });
    expect(preview.status).toBe(200);
    expect((await request(bridge.port, '/media/thumb/999999', { headers: auth() })).status).toBe(404);
    for (const evil of [
      '/media/thumb/..%2F..%2Fetc%2Fpasswd',
      '/media/thumb/1/../../../../etc/passwd',
      '/..%2F..%2F..%2Fetc%2Fpasswd',
      '/%2e%2e/%2e%2e/etc/passwd',
    ]) {
      const r = await request(bridge.port, evil, { headers: auth() });
      expect(r.text, evil).not.toMatch(/root:x:0:0/);
    }
  });

  it('pushes core events over server-sent events', async () => {
    const got = await new Promise<string>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port: bridge.port, path: '/api/events', headers: auth() },
        (res) => {
          let buf = '';
          res.on('data', (c: Buffer) => {
            buf += c.toString();
            if (buf.includes('event: catalog-changed')) {
              req.destroy();
              resolve(buf);
            }
          });
          setTimeout(() => ctx.lib.events.emit('catalog-changed', { assetIds: [42] }), 100);
        },
      );
      req.on('error', reject);
    });
    expect(got).toMatch(/event: catalog-changed\ndata: \{"assetIds":\[42\]\}/);
  });
});
