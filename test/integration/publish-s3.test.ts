import path from 'node:path';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy, freePort } from '../helpers/fault-proxy';
import { PublishBench } from '../helpers/publish-cli';

// Publishing to S3-compatible storage: a real S3 server (s3rver, in this process on 127.0.0.1)
// behind a fault-injecting proxy, driven through the CLI. The object's key is kept across versions
// (replaced in place), its fields are its metadata, and every fault leaves exactly one object.
describe('publishing to S3-compatible storage', () => {
  const bench = new PublishBench({ DAM_PUBLISH_TIMEOUT_MS: '3000', DAM_PUBLISH_WAIT_MS: '300' });
  let server: S3rver;
  let proxy: FaultProxy;
  let s3: S3Client;
  const BUCKET = 'photos';

  const objects = async () =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key!);
  /** The object's metadata, its RFC 2047-encoded values (what is not ASCII) decoded. */
  const head = async (key: string) => {
    const h = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    const meta: Record<string, string> = {};
    for (const [k, v] of Object.entries(h.Metadata ?? {}))
      meta[k] = v.replace(/^=\?UTF-8\?B\?(.*)\?=$/, (_, b: string) => Buffer.from(b, 'base64').toString());
    return { ...h, raw: h.Metadata ?? {}, Metadata: meta };
  };
  const bytes = async (key: string) =>
    Buffer.from(
      await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToByteArray(),
    );
  const keyOf = async (name: string) => `web/${await bench.idOf(name)}-${path.parse(name).name}.jpg`;

  beforeAll(async () => {
    const port = await freePort();
    server = new S3rver({
      address: '127.0.0.1',
      port,
      silent: true,
      directory: path.join(bench.work, 's3'),
      configureBuckets: [{ name: BUCKET }],
    });
    await server.run();
    const direct = `http://127.0.0.1:${port}`;
    s3 = new S3Client({
      endpoint: direct,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    proxy = await FaultProxy.start(direct);
    await bench.setUp({
      'Harbour Café.jpg': '#c33',
      'down.jpg': '#3c3',
      'flaky.jpg': '#33c',
      'lost.jpg': '#cc3',
      'manual.jpg': '#3cc',
    });
    const add = await bench.run(
      [
        'endpoint',
        'add',
        'bucket',
        '--type',
        's3',
        '--url',
        `${proxy.url}/${BUCKET}/web`,
        '--user',
        'S3RVER',
        '--password-stdin',
      ],
      'S3RVER',
    );
    expect(add.status, add.stderr).toBe(0);
  });
  afterAll(async () => {
    s3?.destroy();
    await proxy?.down();
    await server?.close();
    bench.cleanUp();
  });

  it('tests the bucket, refuses a URL without one, and a key template without the asset id', async () => {
    expect(await bench.dam('endpoint', 'test', 'bucket')).toMatch(
      /bucket photos at .* answers to this access key/,
    );
    const noBucket = await bench.run([
      'endpoint',
      'add',
      'nb',
      '--type',
      's3',
      '--url',
      proxy.url,
      '--user',
      'x',
    ]);
    expect(noBucket.status).toBe(1);
    expect(noBucket.stderr).toMatch(/names its bucket/);
    const badKey = await bench.run([
      'endpoint',
      'add',
      'bk',
      '--type',
      's3',
      '--url',
      `${proxy.url}/${BUCKET}`,
      '--user',
      'x',
      '--key',
      '{slug}.{ext}',
    ]);
    expect(badKey.status).toBe(1);
    expect(badKey.stderr).toMatch(/must hold \{assetId\}/);
  });

  it('puts the rendition at its key with the fields as object metadata, read back; an edit rewrites the metadata', async () => {
    const name = 'Harbour Café.jpg';
    await bench.approve(name, ['title=Harbour café at dawn', 'description=Boats — and gulls']);
    expect(await bench.sync()).toMatchObject({ published: 1, failed: 0 });
    const key = `web/${await bench.idOf(name)}-harbour-cafe.jpg`;
    expect(await objects()).toEqual([key]);
    const h = await head(key);
    expect(h.ContentType).toBe('image/jpeg');
    const meta = h.Metadata!;
    expect(meta).toMatchObject({
      alt: `${name} in the rain`,
      credit: 'North Studio',
      'asset-id': String(await bench.idOf(name)),
      'version-hash': await bench.contentHash(name),
    });
    // Not ASCII: carried RFC 2047-encoded, as S3 itself answers such values.
    expect(h.raw.title).toMatch(/^=\?UTF-8\?B\?/);
    expect(meta.title).toBe('Harbour café at dawn');
    expect(meta.caption).toBe('Boats — and gulls');
    expect((await sharp(await bytes(key)).metadata()).format).toBe('jpeg');
    expect(await bench.publications(name)).toMatchObject([
      {
        endpoint: 'bucket',
        state: 'published',
        remoteId: key,
        url: `${proxy.url}/${BUCKET}/${key}`,
        warnings: [],
      },
    ]);

    await bench.dam('set', bench.file(name), 'altText=Fishing boats at the harbour');
    expect(await bench.sync()).toMatchObject({ published: 1, failed: 0 });
    expect((await head(key)).Metadata).toMatchObject({
      alt: 'Fishing boats at the harbour',
      'version-hash': await bench.contentHash(name),
    });
    expect(await objects()).toEqual([key]);
  });

  it('replaces a new version in place (same key, new bytes) and deletes the object when the licence ends', async () => {
    const name = 'Harbour Café.jpg';
    const key = `web/${await bench.idOf(name)}-harbour-cafe.jpg`;
    const before = await bytes(key);
    await bench.newVersion(name, '#36c');
    expect(await bench.sync()).toMatchObject({ replaced: 1, failed: 0 });
    expect(await objects()).toEqual([key]);
    const after = await bytes(key);
    expect(after.equals(before)).toBe(false);
    const { channels } = await sharp(after).stats();
    expect(channels[2]!.mean).toBeGreaterThan(channels[0]!.mean);
    expect((await head(key)).Metadata!['version-hash']).toBe(await bench.contentHash(name));
    expect((await bench.publications(name)).map((p) => [p.state, p.remoteId])).toEqual([
      ['published', key],
      ['replaced', key],
    ]);

    await bench.dam('set', bench.file(name), 'licenseEnd=2020-01-31');
    expect(await bench.sync()).toMatchObject({ retracted: 1 });
    expect(await objects()).toEqual([]);
    expect((await bench.publications(name))[0]).toMatchObject({ state: 'retracted' });
  });

  it('waits while the server is down and delivers once it is up: one object', async () => {
    await proxy.down();
    await bench.approve('down.jpg');
    expect(await bench.sync()).toMatchObject({ published: 0, failed: 1 });
    const [waiting] = await bench.publications('down.jpg');
    expect(waiting).toMatchObject({ state: 'pending' });
    expect(waiting!.error).toMatch(/waiting: cannot reach .*ECONNREFUSED/);
    await proxy.up();
    expect(await bench.sync()).toMatchObject({ published: 1, failed: 0 });
    expect(await objects()).toEqual([await keyOf('down.jpg')]);
  });

  it('rides out a few 500s, reports a server that keeps failing with the reason, then delivers', async () => {
    await bench.approve('flaky.jpg');
    proxy.always500 = true;
    const out = await bench.run(['sync']);
    expect(out.stdout).toMatch(/→ bucket: failed \(.*HTTP 500/);
    expect((await bench.publications('flaky.jpg'))[0]).toMatchObject({ state: 'failed' });
    proxy.always500 = false;
    proxy.fail500 = 2;
    expect(await bench.sync()).toMatchObject({ published: 1, failed: 0 });
    expect((await bench.publications('flaky.jpg'))[0]).toMatchObject({ state: 'published', error: null });
    expect((await objects()).filter((k) => k.includes('flaky'))).toHaveLength(1);
  });

  it('finds the object an upload made when its answer never came (timeout), instead of putting it again', async () => {
    await bench.approve('lost.jpg');
    const key = await keyOf('lost.jpg');
    proxy.swallowNext = (method, url) => method === 'PUT' && url.includes('lost');
    expect(await bench.sync()).toMatchObject({ published: 1, failed: 0 });
    expect(proxy.forwarded.filter((r) => r.startsWith('PUT') && r.includes('lost'))).toHaveLength(1);
    expect((await objects()).filter((k) => k.includes('lost'))).toEqual([key]);
    expect((await head(key)).Metadata!['version-hash']).toBe(await bench.contentHash('lost.jpg'));
  });

  it('refuses a wrong access key with the reason, and keeps the secret out of the catalogue and outputs', async () => {
    const add = await bench.run(
      [
        'endpoint',
        'add',
        'wrong',
        '--type',
        's3',
        '--url',
        `${proxy.url}/${BUCKET}/other`,
        '--user',
        'NOBODY',
        '--password-stdin',
        '--manual',
      ],
      'not-the-secret-0123',
    );
    expect(add.status).toBe(0);
    await bench.approve('manual.jpg');
    const out = await bench.run(['publish', bench.file('manual.jpg'), '--to', 'wrong']);
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/→ wrong: failed \(.*refused the access key or secret/);
    expect((await objects()).filter((k) => k.startsWith('other/'))).toEqual([]);
    const test = await bench.run(['endpoint', 'test', 'wrong']);
    expect(test.status).toBe(1);
    bench.printed.push(await bench.dam('endpoint', 'list', '--json'));
    for (const text of bench.printed) expect(text.includes('not-the-secret-0123')).toBe(false);
  });
});
