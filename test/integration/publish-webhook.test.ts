import crypto from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/fault-proxy';
import { PublishBench } from '../helpers/publish-cli';

const SECRET = 'whsec-3f9a0c1d2e4b5a69';

interface Delivery {
  event: string;
  deliveryId: string;
  sentAt: number;
  key: string;
  asset: { id: number; catalogue: string; version: string | null };
  fields: Record<string, string>;
  file: { name: string; mime: string; size: number; sha256: string; base64: string } | null;
  reason?: string;
}

/**
 * A receiver as a site would write one: it checks the signature (HMAC-SHA256 of the raw body with
 * the shared secret) and that the timestamp header matches the body, keeps the first of each
 * delivery id, and holds one copy per key. It can answer 500s, or keep an answer back after it has
 * taken a delivery (the sender times out and sends it again).
 */
class Receiver {
  server: http.Server | null = null;
  port = 0;
  fail500 = 0;
  holdNext = false;
  readonly seen = new Map<string, number>();
  readonly events: Delivery[] = [];
  readonly copies = new Map<
    string,
    { version: string | null; fields: Record<string, string>; bytes: Buffer }
  >();
  refusedSignatures = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/tessera`;
  }

  /** Listens (again, on the same port after a stop). */
  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    const server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => server.listen(this.port, '127.0.0.1', () => r()));
    this.server = server;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    if (this.fail500 > 0) {
      this.fail500--;
      res.writeHead(500).end('try later');
      return;
    }
    const expected = `sha256=${crypto.createHmac('sha256', SECRET).update(raw).digest('hex')}`;
    const given = String(req.headers['x-tessera-signature'] ?? '');
    if (
      given.length !== expected.length ||
      !crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected))
    ) {
      this.refusedSignatures++;
      res.writeHead(401).end('bad signature');
      return;
    }
    const d = JSON.parse(raw.toString('utf8')) as Delivery;
    if (
      String(d.sentAt) !== req.headers['x-tessera-timestamp'] ||
      Math.abs(Date.now() / 1000 - d.sentAt) > 300
    ) {
      res.writeHead(400).end('stale');
      return;
    }
    this.seen.set(d.deliveryId, (this.seen.get(d.deliveryId) ?? 0) + 1);
    if (this.seen.get(d.deliveryId) === 1) {
      this.events.push(d);
      if (d.event === 'retracted') this.copies.delete(d.key);
      else if (d.event === 'updated') Object.assign(this.copies.get(d.key)?.fields ?? {}, d.fields);
      else if (d.file) {
        const bytes = Buffer.from(d.file.base64, 'base64');
        expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(d.file.sha256);
        this.copies.set(d.key, { version: d.asset.version, fields: d.fields, bytes });
      }
    }
    if (this.holdNext) {
      this.holdNext = false;
      return; // Taken, never answered: the sender gives up and sends it again.
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ url: `https://cdn.example.test/${d.key}` }));
  }
}

// Publishing to a generic webhook: signed JSON to a real HTTP receiver in this process, driven
// through the CLI. Published, updated, replaced and retracted events; faults: receiver down then up,
// 500s, an answer that never comes after the receiver took the delivery, a wrong secret.
describe('publishing to a webhook', () => {
  const bench = new PublishBench({ DAM_PUBLISH_TIMEOUT_MS: '3000', DAM_PUBLISH_WAIT_MS: '300' });
  const receiver = new Receiver();

  beforeAll(async () => {
    await receiver.start();
    await bench.setUp({ 'pier.jpg': '#c33', 'down.jpg': '#3c3', 'lost.jpg': '#cc3' });
    const add = await bench.run(
      ['endpoint', 'add', 'hook', '--type', 'webhook', '--url', receiver.url, '--password-stdin'],
      SECRET,
    );
    expect(add.status, add.stderr).toBe(0);
  });
  afterAll(async () => {
    await receiver.stop();
    bench.cleanUp();
  });

  it('sends a signed ping on test, then published with the rendition inline, updated, replaced and retracted', async () => {
    expect(await bench.dam('endpoint', 'test', 'hook')).toMatch(/accepted a signed ping/);
    await bench.approve('pier.jpg', ['title=The pier']);
    expect(await bench.sync()).toMatchObject({ published: 1, failed: 0 });
    const id = await bench.idOf('pier.jpg');
    const [published] = receiver.events.filter((e) => e.asset.id === id);
    expect(published).toMatchObject({
      event: 'published',
      asset: { id, version: await bench.contentHash('pier.jpg') },
      fields: { title: 'The pier', alt: 'pier.jpg in the rain', credit: 'North Studio' },
      file: { mime: 'image/jpeg' },
    });
    const key = published!.key;
    expect(await bench.publications('pier.jpg')).toMatchObject([
      { state: 'published', remoteId: key, url: `https://cdn.example.test/${key}` },
    ]);

    await bench.dam('set', bench.file('pier.jpg'), 'altText=The old pier at low tide');
    expect(await bench.sync()).toMatchObject({ published: 1, failed: 0 });
    expect(receiver.events.at(-1)).toMatchObject({ event: 'updated', key, file: null });
    expect(receiver.copies.get(key)!.fields.alt).toBe('The old pier at low tide');

    await bench.newVersion('pier.jpg', '#36c');
    expect(await bench.sync()).toMatchObject({ replaced: 1, failed: 0 });
    expect(receiver.events.at(-1)).toMatchObject({
      event: 'replaced',
      key,
      asset: { version: await bench.contentHash('pier.jpg') },
    });

    await bench.dam('set', bench.file('pier.jpg'), 'licenseEnd=2020-01-31');
    expect(await bench.sync()).toMatchObject({ retracted: 1 });
    expect(receiver.events.at(-1)).toMatchObject({
      event: 'retracted',
      key,
      reason: expect.stringMatching(/licence ended/),
    });
    expect(receiver.copies.has(key)).toBe(false);
  });

  it('waits while the receiver is down, then delivers through 500s: one copy', async () => {
    await receiver.stop();
    await bench.approve('down.jpg');
    expect(await bench.sync()).toMatchObject({ published: 0, failed: 1 });
    expect((await bench.publications('down.jpg'))[0]!.error).toMatch(/waiting: cannot reach .*ECONNREFUSED/);
    await receiver.start();
    receiver.fail500 = 2;
    expect(await bench.sync()).toMatchObject({ published: 1, failed: 0 });
    const id = await bench.idOf('down.jpg');
    expect(receiver.events.filter((e) => e.asset.id === id).map((e) => e.event)).toEqual(['published']);
  });

  it('sends a delivery whose answer never came again with the same id, which the receiver keeps once', async () => {
    await bench.approve('lost.jpg');
    receiver.holdNext = true;
    expect(await bench.sync()).toMatchObject({ published: 1, failed: 0 });
    const id = await bench.idOf('lost.jpg');
    const mine = receiver.events.filter((e) => e.asset.id === id);
    expect(mine.map((e) => e.event)).toEqual(['published']);
    expect(receiver.seen.get(mine[0]!.deliveryId)).toBe(2);
    expect([...receiver.copies.keys()].filter((k) => k.endsWith(`-${id}`))).toHaveLength(1);
  });

  it('fails with the reason when the receiver refuses the signature (a wrong secret), and keeps the secret out of outputs', async () => {
    const add = await bench.run(
      [
        'endpoint',
        'add',
        'wrong',
        '--type',
        'webhook',
        '--url',
        receiver.url,
        '--password-stdin',
        '--manual',
      ],
      'not-the-secret',
    );
    expect(add.status).toBe(0);
    const before = receiver.refusedSignatures;
    const out = await bench.run(['publish', bench.file('lost.jpg'), '--to', 'wrong']);
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/→ wrong: failed \(.*refused the signature \(HTTP 401\)/);
    expect(receiver.refusedSignatures).toBeGreaterThan(before);
    bench.printed.push(await bench.dam('endpoint', 'list', '--json'));
    for (const text of bench.printed) expect(text.includes(SECRET)).toBe(false);
  });
});
