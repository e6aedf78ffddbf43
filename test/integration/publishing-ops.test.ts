import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogPath } from '../../electron/core/catalog/open';
import { startHttpBridge, type RunningBridge } from '../../electron/server/http-bridge';
import type { OpName } from '../../shared/contract';
import { request } from '../helpers/bridges';
import { tempDir } from '../helpers/corpus';
import { freshLibrary, waitFor } from '../helpers/library';
import { useWordPress } from '../helpers/wordpress';

// The publishing operations of the contract over the HTTP bridge (`dam serve`), against a real
// WordPress: endpoints added, tested, edited and removed; publish, where used, retry, sync and the
// queue; validation errors as typed values; and the password in no answer, event or catalogue byte.
describe('publishing operations over the HTTP bridge', () => {
  const wp = useWordPress();
  let ctx: ReturnType<typeof freshLibrary>;
  let bridge: RunningBridge;
  let root: string;
  let staticDir: string;
  let events: http.ClientRequest;
  /** Every answer body and every server-sent event: no password may be in any of them. */
  const seen: string[] = [];
  let sse = '';
  const ids: Record<string, number> = {};
  const WRONG = 'abcd efgh ijkl mnop qrst uvwx';

  interface Answer {
    ok: boolean;
    value?: unknown;
    error?: { code: string; message: string };
  }
  async function op(name: OpName, input: unknown): Promise<{ status: number; body: Answer }> {
    const r = await request(bridge.port, `/api/${name}`, {
      method: 'POST',
      body: JSON.stringify(input),
      headers: { Authorization: `Bearer ${bridge.token}`, 'Content-Type': 'application/json' },
    });
    seen.push(r.text);
    return { status: r.status, body: JSON.parse(r.text) as Answer };
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked by shape below
  async function ok<T = any>(name: OpName, input: unknown): Promise<T> {
    const r = await op(name, input);
    if (!r.body.ok) throw new Error(`${name}: ${JSON.stringify(r.body.error)}`);
    return r.body.value as T;
  }

  beforeAll(async () => {
    ctx = freshLibrary();
    root = tempDir('dam-pubops-root-');
    staticDir = tempDir('dam-pubops-static-');
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Tessera</title>');
    for (const [name, colour] of [
      ['bus.jpg', '#c33'],
      ['tram.jpg', '#3c3'],
    ] as const)
      await sharp({ create: { width: 640, height: 400, channels: 3, background: colour } })
        .jpeg()
        .toFile(path.join(root, name));
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    for (const a of ctx.lib.search('').items) ids[a.name] = a.id;
    bridge = await startHttpBridge(ctx.lib, { port: 0, staticDir });
    events = http.get(
      {
        host: '127.0.0.1',
        port: bridge.port,
        path: '/api/events',
        headers: { Authorization: `Bearer ${bridge.token}` },
      },
      (res) => res.on('data', (d: Buffer) => (sse += d.toString())),
    );
    events.on('error', () => undefined);
  });
  afterAll(async () => {
    events?.destroy();
    await bridge?.close();
    await ctx?.dispose();
    fs.rmSync(`${ctx.dir}.credentials.json`, { force: true });
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(staticDir, { recursive: true, force: true });
  });

  it('adds, lists and tests endpoints; a bad input is a typed 422 and the password never comes back', async () => {
    const added = await ok('endpoints.add', {
      name: 'site',
      type: 'wordpress',
      url: wp.site.url,
      user: wp.site.user,
      password: wp.site.appPassword,
    });
    expect(added).toMatchObject({ name: 'site', hasPassword: true, channel: 'web', delivery: 'automatic' });
    expect(added).not.toHaveProperty('password');
    expect(await ok('endpoints.test', { name: 'site' })).toMatchObject({
      ok: true,
      message: expect.stringMatching(/logged in .* as admin/),
    });

    await ok('endpoints.add', {
      name: 'wrong',
      type: 'wordpress',
      url: wp.site.url,
      user: wp.site.user,
      password: WRONG,
      delivery: 'manual',
    });
    const test = await ok<{ ok: boolean; message: string }>('endpoints.test', { name: 'wrong' });
    expect(test.ok).toBe(false);
    expect(test.message).toMatch(/refused the user or application password/);

    const bad: [unknown, RegExp][] = [
      [{ name: 'a b', type: 'wordpress', url: wp.site.url }, /name/],
      [{ name: 'x', type: 'ftp', url: wp.site.url }, /type/],
      [{ name: 'x', type: 'wordpress', url: wp.site.url, password: '' }, /password/],
      [{ name: 'x', type: 'wordpress', url: wp.site.url, pass: 'p' }, /pass/],
      [{ name: 'x', type: 'wordpress', url: wp.site.url, channel: 'radio' }, /channel/],
      [{ name: 'x', type: 'wordpress', url: 'ftp://example.com' }, /only http and https/],
      [{ name: 'x', type: 'wordpress', url: `http://admin:secret@127.0.0.1` }, /not in the URL/],
      [{ name: 'x', type: 'wordpress', url: wp.site.url, select: 'rating:>>' }, /./],
    ];
    for (const [input, message] of bad) {
      const r = await op('endpoints.add', input);
      expect(r.status, JSON.stringify(input)).toBe(422);
      expect(r.body).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      expect(r.body.error!.message).toMatch(message);
    }
    expect((await op('endpoints.add', { name: 'site', type: 'wordpress', url: wp.site.url })).status).toBe(
      409,
    );
    expect((await op('endpoints.update', { name: 'nowhere', channel: 'print' })).status).toBe(404);
    expect((await op('endpoints.update', { name: 'site', preset: 'no-such-preset' })).status).toBe(404);
    expect((await op('endpoints.test', { name: 'nowhere' })).status).toBe(404);
    expect((await op('publish.assets', { ids: [999_999] })).status).toBe(404);
    expect((await op('publications.list', { id: 0 })).status).toBe(422);

    const list = await ok<{ name: string; hasPassword: boolean }[]>('endpoints.list', {});
    expect(list.map((e) => [e.name, e.hasPassword])).toEqual([
      ['site', true],
      ['wrong', true],
    ]);
  });

  it('publishes with the rights gate, shows where used, retries a refusal once fixed, and reports the queue', async () => {
    const { bus, tram } = { bus: ids['bus.jpg']!, tram: ids['tram.jpg']! };
    await ok('assets.setFields', {
      ids: [bus, tram],
      patch: { credit: 'North Studio', licenseType: 'cc-by', title: 'Street' },
    });
    await ok('assets.setFields', { ids: [bus], patch: { altText: 'A red bus at dusk' } });
    for (const action of ['submit', 'approve'] as const)
      expect(
        (await ok<{ ok: boolean }[]>('assets.transition', { ids: [bus, tram], action })).every((t) => t.ok),
      ).toBe(true);

    // A dry run says what would happen, and why not, changing nothing.
    const dry = await ok<{ assetId: number; outcome: string; reason: string | null }[]>('publish.assets', {
      ids: [bus, tram],
      endpoint: 'site',
      dryRun: true,
    });
    expect(dry).toEqual([
      expect.objectContaining({ assetId: bus, outcome: 'would-publish', reason: null }),
      expect.objectContaining({
        assetId: tram,
        outcome: 'refused',
        reason: 'site requires alt text, which it lacks',
      }),
    ]);
    expect(await ok('publications.list', { id: tram })).toEqual([]);

    const out = await ok<{ assetId: number; outcome: string; url: string | null; reason: string | null }[]>(
      'publish.assets',
      { ids: [bus, tram], endpoint: 'site' },
    );
    expect(out.find((r) => r.assetId === bus)).toMatchObject({ outcome: 'published' });
    expect(out.find((r) => r.assetId === tram)).toMatchObject({ outcome: 'refused', reason: /alt text/ });
    const url = out.find((r) => r.assetId === bus)!.url!;
    const media = (await wp.site.media()).find((m) => m.source_url === url);
    expect(media?.alt_text).toBe('A red bus at dusk');

    const where = await ok<
      { endpoint: string; state: string; url: string; versionHash: string; by: string }[]
    >('publications.list', { id: bus });
    expect(where).toMatchObject([{ endpoint: 'site', state: 'published', url }]);
    expect(where[0]!.versionHash).toMatch(/^[0-9a-f]{64}$/);
    expect(where[0]!.by).toBeTruthy();
    expect(await ok('publications.list', { id: tram })).toMatchObject([
      { endpoint: 'site', state: 'failed', error: expect.stringMatching(/alt text/) },
    ]);

    let queue = await ok<{ endpoints: { endpoint: string; failed: number; online: boolean }[] }>(
      'publish.queue',
      {},
    );
    expect(queue.endpoints.find((e) => e.endpoint === 'site')).toMatchObject({ failed: 1, online: true });

    // Fixed, then retried: it goes out and the failure is gone from the queue.
    expect((await op('publications.retry', { id: bus })).status).toBe(404);
    await ok('assets.setFields', { ids: [tram], patch: { altText: 'A green tram' } });
    const retried = await ok<{ outcome: string }[]>('publications.retry', { id: tram });
    expect(retried).toMatchObject([{ outcome: 'published' }]);
    queue = await ok('publish.queue', {});
    expect(queue.endpoints.find((e) => e.endpoint === 'site')).toMatchObject({ failed: 0, online: true });

    // The publication events reached the browser's event stream.
    await waitFor(() => /event: publication\n/.test(sse), 10_000, 'a publication event');
  });

  it('edits an endpoint: a new mapping reaches the CMS on sync, a new password is used, null forgets it', async () => {
    const bus = ids['bus.jpg']!;
    const updated = await ok('endpoints.update', {
      name: 'site',
      fieldMap: { title: '{title}', alt_text: '{altText} (from Tessera)' },
      preset: 'social',
    });
    expect(updated).toMatchObject({ name: 'site', preset: 'social', hasPassword: true });
    expect(updated).not.toHaveProperty('password');
    const sync = await ok<{ published: number; failed: number }>('publish.sync', {});
    expect(sync.failed).toBe(0);
    const [pub] = await ok<{ url: string }[]>('publications.list', { id: bus });
    const media = (await wp.site.media()).find((m) => m.source_url === pub!.url);
    expect(media?.alt_text).toBe('A red bus at dusk (from Tessera)');

    await ok('endpoints.update', { name: 'wrong', password: wp.site.appPassword });
    expect((await ok<{ ok: boolean }>('endpoints.test', { name: 'wrong' })).ok).toBe(true);
    expect(await ok('endpoints.update', { name: 'wrong', password: null })).toMatchObject({
      hasPassword: false,
    });
    expect((await ok<{ ok: boolean; message: string }>('endpoints.test', { name: 'wrong' })).message).toMatch(
      /no password is stored/,
    );
    expect(await ok('endpoints.remove', { name: 'wrong' })).toEqual({ removed: 'wrong' });
    expect((await ok<{ name: string }[]>('endpoints.list', {})).map((e) => e.name)).toEqual(['site']);
  });

  it('says an endpoint that cannot be reached is offline, with the deliveries that wait for it', async () => {
    await ok('endpoints.add', {
      name: 'down',
      type: 'wordpress',
      url: 'http://127.0.0.1:9',
      user: 'admin',
      password: WRONG,
      delivery: 'manual',
    });
    const out = await ok<{ outcome: string; reason: string }[]>('publish.assets', {
      ids: [ids['bus.jpg']!],
      endpoint: 'down',
    });
    expect(out).toMatchObject([{ outcome: 'waiting' }]);
    const queue = await ok<{
      endpoints: { endpoint: string; pending: number; online: boolean; lastError: string }[];
      jobs: number;
    }>('publish.queue', {});
    expect(queue.endpoints.find((e) => e.endpoint === 'down')).toMatchObject({
      pending: 1,
      online: false,
      lastError: expect.stringMatching(/^waiting: /),
    });
    expect(queue.endpoints.find((e) => e.endpoint === 'site')).toMatchObject({ online: true });
    expect(queue.jobs).toBeGreaterThanOrEqual(1);
  });

  it('exports a selection as a zip download from a confined route: checked input, token required, no path taken', async () => {
    const auth = { Authorization: `Bearer ${bridge.token}` };
    const both = `${ids['bus.jpg']},${ids['tram.jpg']}`;
    const zip = await request(bridge.port, `/export.zip?preset=web&ids=${both}`, { headers: auth });
    expect(zip.status).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    expect(zip.headers['content-disposition']).toBe('attachment; filename="tessera-web-2.zip"');
    expect(zip.headers['x-export-files']).toBe('2');
    const eocd = zip.body.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    expect(zip.body.readUInt16LE(eocd + 10)).toBe(2);

    const bad: [string, number][] = [
      [`/export.zip?preset=web&ids=0`, 422],
      [`/export.zip?preset=web&ids=1,x`, 422],
      [`/export.zip?ids=${both}`, 422],
      [`/export.zip?preset=nope&ids=${both}`, 404],
      [`/export.zip?preset=web&ids=999999`, 422],
    ];
    for (const [route, status] of bad) {
      const r = await request(bridge.port, route, { headers: auth });
      expect(r.status, route).toBe(status);
      expect(JSON.parse(r.text)).toMatchObject({ ok: false, error: { message: expect.any(String) } });
    }
    // No token, or the token in the URL (only a page load may carry it there): refused.
    expect((await request(bridge.port, `/export.zip?preset=web&ids=${both}`)).status).toBe(401);
    expect(
      (await request(bridge.port, `/export.zip?preset=web&ids=${both}&token=${bridge.token}`)).status,
    ).toBe(401);
    // A "to" in the query is no part of the route: nothing is written there.
    const elsewhere = path.join(root, 'out.zip');
    await request(bridge.port, `/export.zip?preset=web&ids=${both}&to=${encodeURIComponent(elsewhere)}`, {
      headers: auth,
    });
    expect(fs.existsSync(elsewhere)).toBe(false);
  });

  it('never lets a password out: not in an answer, an event, the catalogue, nor its folder', async () => {
    const secrets = [wp.site.appPassword, WRONG, wp.site.appPassword.replace(/ /g, '')];
    const catalogueBytes = [catalogPath(ctx.dir), `${catalogPath(ctx.dir)}-wal`]
      .filter((f) => fs.existsSync(f))
      .map((f) => fs.readFileSync(f).toString('latin1'));
    expect(seen.length).toBeGreaterThan(20);
    for (const s of secrets) {
      for (const body of seen) expect(body.includes(s), body.slice(0, 200)).toBe(false);
      expect(sse.includes(s)).toBe(false);
      for (const bytes of catalogueBytes) expect(bytes.includes(s)).toBe(false);
    }
    // Where it is: the private file beside the catalogue folder.
    const creds = `${ctx.dir}.credentials.json`;
    expect(fs.statSync(creds).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(creds, 'utf8')).toContain(wp.site.appPassword);
  });
});
