import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/corpus';
import { CLI, waitFor } from '../helpers/library';
import { FaultProxy, freePort } from '../helpers/fault-proxy';
import { useWordPress } from '../helpers/wordpress';

const route = (url: string) => new URL(url, 'http://x').searchParams.get('rest_route') ?? '';

/** What a CMS that silently drops a field does to an update of a media item's fields. */
function dropAltText(method: string, url: string, body: Buffer): Buffer {
  if (method !== 'POST' || !/^\/wp\/v2\/media\/\d+$/.test(route(url))) return body;
  const json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  delete json.alt_text;
  return Buffer.from(JSON.stringify(json));
}

/** The same CMS at an upload that carries the fields in its query. */
function dropAltTextParam(method: string, url: string): string {
  if (method !== 'POST' || route(url) !== '/wp/v2/media') return url;
  const u = new URL(url, 'http://x');
  u.searchParams.delete('alt_text');
  return `${u.pathname}${u.search}`;
}

/** A forwarded request as "METHOD route" (the REST route without its query). */
const call = (forwarded: string) => {
  const [method, url] = forwarded.split(' ');
  return `${method} ${route(url!)}`;
};

// Faults against the real WordPress: down at first then up (delivered by `dam watch` once it is
// back), 500s, an answer that never comes after the upload was made, a wrong password, a field the
// CMS drops. Each time: exactly one remote copy per asset, nothing lost, the failure visible with its reason.
describe('publishing faults', () => {
  const wp = useWordPress();
  let work: string;
  let cat: string;
  let photos: string;
  let proxy: FaultProxy;
  const env = { DAM_PUBLISH_TIMEOUT_MS: '20000', DAM_PUBLISH_WAIT_MS: '300' };

  /** The CLI, run without blocking this process: the proxy lives here and must keep answering. */
  function run(
    args: string[],
    input = '',
  ): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [CLI, '--catalog', cat, ...args], {
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(input);
    return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  }
  async function dam(...args: string[]): Promise<string> {
    const r = await run(args);
    if (r.status !== 0) throw new Error(`dam ${args.join(' ')} (${r.status}): ${r.stderr}`);
    return r.stdout;
  }
  const damJson = async <T>(...args: string[]): Promise<T> => JSON.parse(await dam(...args, '--json')) as T;
  const file = (n: string) => path.join(photos, n);
  const idOf = async (name: string) => (await damJson<{ id: number }>('show', file(name))).id;
  const copiesOf = async (assetId: number) =>
    (await wp.site.media()).filter((m) => new RegExp(`^dam-[a-z0-9]+-${assetId}-`).test(m.slug));
  /** Rights, alt text and approval: what the gate asks for. */
  async function approve(name: string): Promise<void> {
    await dam('set', file(name), 'credit=North Studio', 'licenseType=cc-by', `altText=${name} in the rain`);
    await dam('submit', file(name));
    await dam('approve', file(name));
  }
  const publications = (name: string) =>
    damJson<{ endpoint: string; state: string; error: string | null; warnings: string[] }[]>(
      'publications',
      file(name),
    );

  beforeAll(async () => {
    work = tempDir('dam-publish-faults-');
    cat = path.join(work, 'catalog');
    photos = path.join(work, 'photos');
    fs.mkdirSync(photos);
    const colours = ['#a33', '#3a3', '#33a', '#aa3', '#3aa', '#a3a', '#777', '#555'];
    for (const [i, n] of ['down', 'flaky', 'broken', 'lost', 'dropped', 'manual', 'lean', 'long'].entries())
      await sharp({ create: { width: 400, height: 300, channels: 3, background: colours[i]! } })
        .jpeg()
        .toFile(file(`${n}.jpg`));
    await dam('add-root', photos);
    await dam('scan');
    proxy = new FaultProxy(await freePort(), new URL(wp.site.url));
    const url = `http://127.0.0.1:${proxy.port}`;
    const add = await run(
      ['endpoint', 'add', 'site', '--url', url, '--user', wp.site.user, '--password-stdin'],
      wp.site.appPassword,
    );
    expect(add.status, add.stderr).toBe(0);
  });
  afterAll(async () => {
    await proxy.down();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('waits for an endpoint that is down, and dam watch delivers once it is up: one copy', async () => {
    await approve('down.jpg');
    const report = JSON.parse(await dam('sync', '--json')) as Record<string, number>;
    expect(report).toMatchObject({ published: 0, failed: 1 });
    const [waiting] = await publications('down.jpg');
    expect(waiting).toMatchObject({ endpoint: 'site', state: 'pending' });
    expect(waiting!.error).toMatch(/waiting: cannot reach .*ECONNREFUSED/);

    const watch = spawn(process.execPath, [CLI, '--catalog', cat, 'watch'], {
      stdio: 'ignore',
      env: { ...process.env, ...env },
    });
    try {
      await new Promise((r) => setTimeout(r, 1000));
      await proxy.up();
      await waitFor(
        async () => (await publications('down.jpg'))[0]?.state === 'published',
        60_000,
        'dam watch to deliver',
      );
    } finally {
      const exited = new Promise((r) => watch.once('exit', r));
      watch.kill('SIGTERM');
      await exited;
    }
    expect(await copiesOf(await idOf('down.jpg'))).toHaveLength(1);
  });

  it('rides out a few 500s within one sync, and reports a server that keeps failing, then delivers', async () => {
    await approve('flaky.jpg');
    proxy.fail500 = 2;
    const first = await run(['sync']);
    expect(first.stdout, first.stderr).toMatch(/→ site: published/);
    expect(first.stdout).toMatch(/1 published, 0 replaced, 0 retracted, 0 refused, 0 failed/);
    expect(await copiesOf(await idOf('flaky.jpg'))).toHaveLength(1);

    await approve('broken.jpg');
    proxy.always500 = true;
    const out = await run(['sync']);
    expect(out.stdout).toMatch(/asset \d+ → site: failed \(.*Injected server error \(HTTP 500\)\)/);
    expect((await publications('broken.jpg'))[0]).toMatchObject({ state: 'failed' });
    expect(
      (await damJson<{ items: { id: number }[] }>('search', 'publication:failed')).items.map((a) => a.id),
    ).toContain(await idOf('broken.jpg'));
    proxy.always500 = false;
    proxy.rewrite = null;
    expect(JSON.parse(await dam('sync', '--json'))).toMatchObject({ published: 1, failed: 0 });
    expect(await copiesOf(await idOf('broken.jpg'))).toHaveLength(1);
    expect((await publications('broken.jpg'))[0]).toMatchObject({ state: 'published', error: null });
  });

  it('finds the copy an upload made when its answer never came (timeout), instead of uploading again', async () => {
    await approve('lost.jpg');
    proxy.swallowNext = (method, url) => method === 'POST' && route(url) === '/wp/v2/media';
    expect(JSON.parse(await dam('sync', '--json'))).toMatchObject({ published: 1, failed: 0 });
    expect(await copiesOf(await idOf('lost.jpg'))).toHaveLength(1);
  });

  it('warns about a field the CMS dropped, visibly', async () => {
    await approve('dropped.jpg');
    proxy.rewrite = dropAltText;
    proxy.rewriteUrl = dropAltTextParam;
    const out = await run(['sync']);
    proxy.always500 = false;
    proxy.rewrite = null;
    proxy.rewriteUrl = null;
    expect(out.status).toBe(0);
    expect(out.stderr).toMatch(/warning: asset \d+ on site: the CMS dropped alt_text/);
    expect((await publications('dropped.jpg'))[0]).toMatchObject({
      state: 'published',
      warnings: ['the CMS dropped alt_text'],
    });
    expect(await copiesOf(await idOf('dropped.jpg'))).toHaveLength(1);
  });

  it('delivers a new asset with one lookup and one upload that carries its fields, read back from its answer', async () => {
    await proxy.up(); // up already unless this test runs alone
    await approve('lean.jpg');
    const from = proxy.forwarded.length;
    expect(JSON.parse(await dam('sync', '--json'))).toMatchObject({ published: 1, failed: 0 });
    // The companion plugin is asked for at most once per run; nothing else but the slug lookup
    // (a copy an earlier run made) and the upload: no separate request for the fields.
    const calls = proxy.forwarded.slice(from).map(call);
    expect(calls.filter((c) => c !== 'GET /tessera/v1')).toEqual(['GET /wp/v2/media', 'POST /wp/v2/media']);
    const copies = await copiesOf(await idOf('lean.jpg'));
    expect(copies.map((m) => m.alt_text)).toEqual(['lean.jpg in the rain']);
    expect((await publications('lean.jpg'))[0]).toMatchObject({ state: 'published', warnings: [] });

    // Fields too long for a URL go in an update after the upload, and read back the same.
    const long = `${'A long story of the rain. '.repeat(300)}The end.`;
    await dam('set', file('long.jpg'), `extendedDescription=${long}`);
    await approve('long.jpg');
    const next = proxy.forwarded.length;
    expect(JSON.parse(await dam('sync', '--json'))).toMatchObject({ published: 1, failed: 0 });
    expect(
      proxy.forwarded
        .slice(next)
        .map(call)
        .filter((c) => c !== 'GET /tessera/v1'),
    ).toEqual([
      'GET /wp/v2/media',
      'POST /wp/v2/media',
      expect.stringMatching(/^POST \/wp\/v2\/media\/\d+$/),
    ]);
    expect((await publications('long.jpg'))[0]).toMatchObject({ state: 'published', warnings: [] });
  });

  it('refuses a wrong password with the reason, and delivers nothing there', async () => {
    const add = await run(
      [
        'endpoint',
        'add',
        'badpass',
        '--url',
        wp.site.url,
        '--user',
        wp.site.user,
        '--password-stdin',
        '--manual',
      ],
      'abcd abcd abcd abcd abcd abcd',
    );
    expect(add.status).toBe(0);
    await approve('manual.jpg');
    const before = (await wp.site.media()).length;
    const out = await run(['publish', file('manual.jpg'), '--to', 'badpass']);
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/→ badpass: failed \(.*refused the user or application password/);
    expect((await publications('manual.jpg')).find((p) => p.endpoint === 'badpass')).toMatchObject({
      state: 'failed',
    });
    // The automatic endpoint took it as usual; the one with the wrong password has nothing.
    expect((await wp.site.media()).length).toBe(before + 1);
    expect(await copiesOf(await idOf('manual.jpg'))).toHaveLength(1);
    await dam('endpoint', 'remove', 'badpass');
  });
});
