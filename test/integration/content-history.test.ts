import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiResult, OpInput, OpName, OpResult } from '../../shared/contract';
import { formatBytes } from '../../shared/format';
import type { ContentSnapshot } from '../../shared/versions';
import type { HistoryEntry } from '../../shared/governance';
import { createHandlers, dispatch, type Handlers } from '../../electron/core/api';
import { setFields, timeline, transition } from '../../electron/core/governance/set-fields';
import {
  listSnapshots,
  markGoverned,
  wantSnapshot,
  writeHistorySettings,
} from '../../electron/core/history/history.repository';
import { enqueue } from '../../electron/core/catalog/jobs.repository';
import { Library } from '../../electron/core/library';
import { startHttpBridge, type RunningBridge } from '../../electron/server/http-bridge';
import { cameraFile } from '../helpers/camera';
import { tempDir } from '../helpers/corpus';
import { CLI, freshLibrary } from '../helpers/library';

const BUS = fs.readFileSync(cameraFile('jpg/Canon_40D.jpg'));
const NIKON = fs.readFileSync(cameraFile('jpg/Nikon_D70.jpg'));
const MB = 1024 * 1024;

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const shaFile = (f: string) => sha(fs.readFileSync(f));
const blobPath = (catalog: string, hash: string) => path.join(catalog, 'history', hash.slice(0, 2), hash);

/** A real JPEG followed by distinct padding, exactly `size` bytes (decoders stop at the JPEG's end). */
function jpegOf(size: number, seed: string): Buffer {
  const pad = Buffer.alloc(size - BUS.length);
  let block = crypto.createHash('sha256').update(seed).digest();
  for (let o = 0; o < pad.length; o += block.length) {
    block.copy(pad, o);
    block = crypto.createHash('sha256').update(block).digest();
  }
  return Buffer.concat([BUS, pad]);
}

let clock = 1_700_000_000;
/** Write a file with a fresh mtime, so that a scan sees the change whatever the size. */
function write(file: string, bytes: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  clock += 10;
  fs.utimesSync(file, clock, clock);
}

function call<K extends OpName>(h: Handlers, name: K, input: OpInput<K>) {
  return dispatch(h, name, input) as Promise<ApiResult<OpResult<K>>>;
}

function request(
  port: number,
  pathName: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: Buffer; type: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathName, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, body: Buffer.concat(chunks), type: res.headers['content-type'] }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const contentEvents = (entries: HistoryEntry[]) =>
  entries.filter((e): e is Extract<HistoryEntry, { kind: 'content' }> => e.kind === 'content');

describe('content history of a governed asset', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let root: string;
  let handlers: Handlers;
  let bridge: RunningBridge;
  let staticDir: string;
  const ann = { user: 'ann', machine: 'studio-7' };

  beforeAll(async () => {
    ctx = freshLibrary();
    ctx.lib.governance.actor = ann;
    root = tempDir('dam-hist-root-');
    staticDir = tempDir('dam-hist-static-');
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Tessera</title>');
    write(path.join(root, 'bus.jpg'), BUS);
    write(path.join(root, 'other.jpg'), NIKON);
    write(path.join(root, 'plain.jpg'), jpegOf(20_000, 'plain'));
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    handlers = createHandlers(ctx.lib);
    bridge = await startHttpBridge(ctx.lib, { port: 0, staticDir });
  });
  afterAll(async () => {
    await bridge.close();
    await ctx.dispose();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(staticDir, { recursive: true, force: true });
  });

  const idOf = (name: string) => ctx.lib.findAsset(path.join(root, name))!.id;
  const auth = () => ({ Authorization: `Bearer ${bridge.token}` });

  it('keeps nothing of an ungoverned asset under the default scope', async () => {
    expect(ctx.lib.history.status()).toMatchObject({ scope: 'governed', usedBytes: 0, entries: 0 });
    expect(listSnapshots(ctx.lib.db, idOf('plain.jpg'))).toEqual([]);
    write(path.join(root, 'plain.jpg'), jpegOf(21_000, 'plain 2'));
    await ctx.lib.scan();
    expect(listSnapshots(ctx.lib.db, idOf('plain.jpg'))).toEqual([]);
    // The change itself is recorded all the same, with who noticed it.
    const changed = contentEvents(timeline(ctx.lib, idOf('plain.jpg')));
    expect(changed).toMatchObject([{ event: 'changed', actor: 'ann', machine: 'studio-7', size: 21_000 }]);
  });

  it('keeps the old bytes of a governed file that is overwritten, and restores them byte for byte', async () => {
    const id = idOf('bus.jpg');
    const file = path.join(root, 'bus.jpg');
    await setFields(ctx.lib, id, { credit: 'North Studio', licenseType: 'cc-by' });
    await transition(ctx.lib, id, 'submit');
    await transition(ctx.lib, id, 'approve');
    await ctx.lib.history.whenIdle();
    const oldHash = sha(BUS);
    expect(listSnapshots(ctx.lib.db, id)).toMatchObject([
      { hash: oldHash, size: BUS.length, current: true, stored: true, actor: 'ann', machine: 'studio-7' },
    ]);
    expect(shaFile(blobPath(ctx.dir, oldHash))).toBe(oldHash);
    expect(ctx.lib.asset(id)!.approval.state).toBe('approved');

    const edited = jpegOf(30_000, 'edited bus');
    write(file, edited);
    await ctx.lib.scan();
    // The approval was of the old bytes: the asset is back in review.
    expect(ctx.lib.asset(id)!.approval.state).toBe('in-review');
    const snaps = listSnapshots(ctx.lib.db, id);
    expect(snaps.map((s) => [s.hash, s.current, s.stored])).toEqual([
      [sha(edited), true, true],
      [oldHash, false, true],
    ]);
    expect(shaFile(blobPath(ctx.dir, sha(edited)))).toBe(sha(edited));
    const changed = contentEvents(timeline(ctx.lib, id)).at(-1)!;
    expect(changed).toMatchObject({
      event: 'changed',
      hash: sha(edited),
      size: 30_000,
      actor: 'ann',
      machine: 'studio-7',
    });
    expect(changed.detail).toContain(`${formatBytes(BUS.length)} → 29.3 KB`);

    const mode = 0o640;
    fs.chmodSync(file, mode);
    const r = await call(handlers, 'history.restore', { id, hash: oldHash });
    expect(r).toEqual({ ok: true, value: { restored: true, hash: oldHash } });
    expect(fs.readFileSync(file).equals(BUS)).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(mode);
    // No temp file left beside it.
    expect(fs.readdirSync(root).filter((n) => n.includes('tessera-restore'))).toEqual([]);
    // Re-ingested: the catalogue, and the approval of these very bytes, follow.
    const after = ctx.lib.asset(id)!;
    expect(after.contentHash).toBe(oldHash);
    expect(after.size).toBe(BUS.length);
    expect(after.approval.state).toBe('approved');
    const events = contentEvents(timeline(ctx.lib, id));
    expect(events.at(-1)).toMatchObject({
      event: 'restored',
      hash: oldHash,
      actor: 'ann',
      machine: 'studio-7',
    });
    // Its re-ingest is not recorded as a second change.
    expect(events.map((e) => e.event)).toEqual(['changed', 'restored']);

    // Undo: the content it replaced was kept first, and restoring it brings it back.
    const undo = await call(handlers, 'history.restore', { id, hash: sha(edited) });
    expect(undo).toEqual({ ok: true, value: { restored: true, hash: sha(edited) } });
    expect(fs.readFileSync(file).equals(edited)).toBe(true);
    expect(ctx.lib.asset(id)!.contentHash).toBe(sha(edited));
    expect(ctx.lib.asset(id)!.approval.state).toBe('in-review');
    // Restoring what the file already holds changes nothing.
    expect(await call(handlers, 'history.restore', { id, hash: sha(edited) })).toEqual({
      ok: true,
      value: { restored: false, hash: sha(edited) },
    });
    // assets.history, what the UI reads, carries the content entries too.
    const viaApi = await call(handlers, 'assets.history', { id });
    expect(viaApi.ok && contentEvents(viaApi.value).map((e) => e.event)).toEqual([
      'changed',
      'restored',
      'restored',
    ]);
  });

  it('refuses a hash that is not one of this asset’s, with the reason', async () => {
    const id = idOf('bus.jpg');
    const other = sha(NIKON);
    const r = await call(handlers, 'history.restore', { id, hash: other });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(/not one of the contents kept for asset/);
    const bad = await call(handlers, 'history.restore', { id, hash: '../../catalog.sqlite' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('serves a preview of a kept content over HTTP, only for this asset’s hashes', async () => {
    const id = idOf('bus.jpg');
    const oldHash = sha(BUS);
    const ok = await request(bridge.port, `/media/snapshot/${id}?v=${oldHash}`, auth());
    expect(ok.status).toBe(200);
    expect(ok.type).toBe('image/webp');
    expect(ok.body.subarray(0, 4).toString()).toBe('RIFF');
    expect(ok.body.subarray(8, 12).toString()).toBe('WEBP');

    // other.jpg becomes governed: its content is kept, but it is not bus.jpg's.
    const otherId = idOf('other.jpg');
    await setFields(ctx.lib, otherId, { altText: 'A Nikon test shot' });
    await ctx.lib.history.whenIdle();
    expect(fs.existsSync(blobPath(ctx.dir, sha(NIKON)))).toBe(true);
    const foreign = await request(bridge.port, `/media/snapshot/${id}?v=${sha(NIKON)}`, auth());
    expect(foreign.status).toBe(404);
    expect((await request(bridge.port, `/media/snapshot/${otherId}?v=${sha(NIKON)}`, auth())).status).toBe(
      200,
    );

    for (const v of [
      '../../catalog.sqlite',
      encodeURIComponent('../../catalog.sqlite'),
      `${oldHash.slice(0, 2)}/${oldHash}`,
      encodeURIComponent(blobPath(ctx.dir, oldHash)),
      oldHash.toUpperCase(),
      '',
    ]) {
      const r = await request(bridge.port, `/media/snapshot/${id}?v=${v}`, auth());
      expect(r.status, v).toBe(400);
      expect(r.body.toString()).not.toMatch(/SQLite format/);
    }
    expect((await request(bridge.port, `/media/snapshot/${id}`, auth())).status).toBe(400);
    expect((await request(bridge.port, `/media/snapshot/999999?v=${oldHash}`, auth())).status).toBe(404);
    for (const evil of [
      `/media/snapshot/..%2F..%2Fcatalog.sqlite?v=${oldHash}`,
      `/media/snapshot/${id}/../../../catalog.sqlite?v=${oldHash}`,
      `/media/snapshot/%2e%2e/history/${oldHash.slice(0, 2)}/${oldHash}`,
    ]) {
      const r = await request(bridge.port, evil, auth());
      expect(r.body.toString(), evil).not.toMatch(/SQLite format/);
      expect(r.body.equals(BUS), evil).toBe(false);
    }
    // Without the token, nothing.
    expect((await request(bridge.port, `/media/snapshot/${id}?v=${oldHash}`, {})).status).toBe(401);
  });

  it('says why a restore cannot be done when the root is offline, and changes nothing', async () => {
    const id = idOf('bus.jpg');
    const away = `${root}-away`;
    fs.renameSync(root, away);
    try {
      await ctx.lib.scan();
      const r = await call(handlers, 'history.restore', { id, hash: sha(BUS) });
      expect(!r.ok && r.error.message).toMatch(/offline/);
    } finally {
      fs.renameSync(away, root);
    }
    await ctx.lib.scan();
    expect(ctx.lib.roots()[0]!.state).toBe('online');
    expect(shaFile(path.join(root, 'bus.jpg'))).toBe(ctx.lib.asset(id)!.contentHash);
  });

  it('lists snapshots and the store status through the contract', async () => {
    const id = idOf('bus.jpg');
    const r = await call(handlers, 'history.snapshots', { id });
    expect(r.ok).toBe(true);
    const list = (r as { value: ContentSnapshot[] }).value;
    expect(list.filter((s) => s.current)).toHaveLength(1);
    expect(list.every((s) => /^\d{4}-\d\d-\d\dT/.test(s.at))).toBe(true);
    expect(list.map((s) => s.reason)).toEqual(['changed', 'governed']);
    const status = await call(handlers, 'history.status', {});
    expect(status).toMatchObject({ ok: true, value: { scope: 'governed', warning: null } });
    const used = (status as { value: { usedBytes: number } }).value.usedBytes;
    expect(used).toBe(BUS.length + 30_000 + NIKON.length);
    // The contract's bounds hold for clients.
    expect(await call(handlers, 'history.settings', { limitMb: 5 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect(await call(handlers, 'history.settings', { limitMb: 2048 })).toMatchObject({
      ok: true,
      value: { limitBytes: 2048 * MB },
    });
  });

  it('keeps the present content before a restore, even when no scope kept it', async () => {
    const id = idOf('bus.jpg');
    const file = path.join(root, 'bus.jpg');
    await ctx.lib.history.configure({ scope: 'off' });
    const third = jpegOf(25_000, 'third bus');
    write(file, third);
    await ctx.lib.scan();
    expect(listSnapshots(ctx.lib.db, id).some((s) => s.hash === sha(third))).toBe(false);
    expect(await call(handlers, 'history.restore', { id, hash: sha(BUS) })).toMatchObject({ ok: true });
    expect(shaFile(file)).toBe(sha(BUS));
    expect(listSnapshots(ctx.lib.db, id).find((s) => s.hash === sha(third))).toMatchObject({
      reason: 'restore',
      stored: true,
      current: false,
      actor: 'ann',
    });
    expect(await call(handlers, 'history.restore', { id, hash: sha(third) })).toMatchObject({ ok: true });
    expect(fs.readFileSync(file).equals(third)).toBe(true);
    await ctx.lib.history.configure({ scope: 'governed' });
  });
});

describe('what each scope keeps, and deduplication', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let root: string;
  beforeEach(() => {
    ctx = freshLibrary();
    root = tempDir('dam-hist-scope-');
  });
  afterEach(async () => {
    await ctx.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("'all' keeps every file at ingest, two files with the same bytes as one blob", async () => {
    writeHistorySettings(ctx.lib.db, { scope: 'all' });
    write(path.join(root, 'a.jpg'), BUS);
    write(path.join(root, 'copy/a.jpg'), BUS);
    write(path.join(root, 'b.jpg'), NIKON);
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    const ids = ['a.jpg', 'copy/a.jpg', 'b.jpg'].map((n) => ctx.lib.findAsset(path.join(root, n))!.id);
    for (const id of ids)
      expect(listSnapshots(ctx.lib.db, id)).toMatchObject([
        { reason: 'ingest', stored: true, current: true },
      ]);
    const blobs = fs
      .readdirSync(path.join(ctx.dir, 'history'))
      .flatMap((d) => (d === '.tmp' ? [] : fs.readdirSync(path.join(ctx.dir, 'history', d))));
    expect(blobs.sort()).toEqual([sha(BUS), sha(NIKON)].sort());
    expect(ctx.lib.history.status()).toMatchObject({ entries: 2, usedBytes: BUS.length + NIKON.length });
  });

  it('keeps the contents of assets that become versions in a stack, by name or by hand', async () => {
    write(path.join(root, 'poster.jpg'), BUS);
    write(path.join(root, 'poster_v2.jpg'), jpegOf(BUS.length + 1000, 'v2'));
    write(path.join(root, 'alone.jpg'), NIKON);
    write(path.join(root, 'other.jpg'), jpegOf(BUS.length + 2000, 'other'));
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    await ctx.lib.history.whenIdle();
    const id = (n: string) => ctx.lib.findAsset(path.join(root, n))!.id;
    // Stacked automatically by their names: both governed, both kept.
    expect(ctx.lib.asset(id('poster.jpg'))!.stack).not.toBeNull();
    for (const n of ['poster.jpg', 'poster_v2.jpg'])
      expect(listSnapshots(ctx.lib.db, id(n)), n).toMatchObject([{ reason: 'governed', stored: true }]);
    expect(listSnapshots(ctx.lib.db, id('alone.jpg'))).toEqual([]);
    // Grouped by hand.
    await call(createHandlers(ctx.lib), 'versions.group', { ids: [id('alone.jpg'), id('other.jpg')] });
    await ctx.lib.history.whenIdle();
    for (const n of ['alone.jpg', 'other.jpg'])
      expect(listSnapshots(ctx.lib.db, id(n)), n).toMatchObject([{ reason: 'governed', stored: true }]);
  });

  it("'off' keeps nothing, not even for a governed asset", async () => {
    writeHistorySettings(ctx.lib.db, { scope: 'off' });
    write(path.join(root, 'a.jpg'), BUS);
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    const id = ctx.lib.findAsset(path.join(root, 'a.jpg'))!.id;
    await setFields(ctx.lib, id, { credit: 'Someone' });
    write(path.join(root, 'a.jpg'), NIKON);
    await ctx.lib.scan();
    await ctx.lib.history.whenIdle();
    expect(listSnapshots(ctx.lib.db, id)).toEqual([]);
    expect(fs.existsSync(path.join(ctx.dir, 'history', sha(BUS).slice(0, 2)))).toBe(false);
    expect(ctx.lib.history.status()).toMatchObject({ entries: 0, usedBytes: 0, scope: 'off' });
    const r = await dispatch(createHandlers(ctx.lib), 'history.restore', { id, hash: sha(BUS) });
    expect(!r.ok && r.error.message).toMatch(/not one of the contents kept/);
    // Back to 'governed': the asset governed meanwhile has its present content kept.
    await ctx.lib.history.configure({ scope: 'governed' });
    await ctx.lib.history.whenIdle();
    expect(listSnapshots(ctx.lib.db, id)).toMatchObject([{ hash: sha(NIKON), current: true, stored: true }]);
  });
});

describe('an asset governed on another machine', () => {
  it('is governed here too once its sidecar is read: its contents are kept', async () => {
    const here = freshLibrary();
    const there = freshLibrary();
    const root = tempDir('dam-hist-shared-');
    try {
      write(path.join(root, 'bus.jpg'), BUS);
      here.lib.addRoot(root);
      there.lib.addRoot(root);
      await here.lib.scan();
      await there.lib.scan();
      const idThere = there.lib.findAsset(path.join(root, 'bus.jpg'))!.id;
      const idHere = here.lib.findAsset(path.join(root, 'bus.jpg'))!.id;
      await setFields(there.lib, idThere, { credit: 'North Studio' });
      expect(listSnapshots(here.lib.db, idHere)).toEqual([]);
      await here.lib.scan();
      expect(here.lib.asset(idHere)!.credit).toBe('North Studio');
      await here.lib.history.whenIdle();
      expect(listSnapshots(here.lib.db, idHere)).toMatchObject([
        { hash: sha(BUS), stored: true, current: true },
      ]);
    } finally {
      await here.dispose();
      await there.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the size limit', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let root: string;
  const warnings: string[] = [];
  let handlers: Handlers;

  beforeAll(async () => {
    ctx = freshLibrary();
    root = tempDir('dam-hist-limit-');
    ctx.lib.events.on('warning', (w) => warnings.push(w.message));
    handlers = createHandlers(ctx.lib);
    // 500,000 bytes: below the contract's 100 MB floor, so set through the core directly.
    writeHistorySettings(ctx.lib.db, { scope: 'all', limitMb: 500_000 / MB });
    write(path.join(root, 'f1.jpg'), jpegOf(100_000, 'x1'));
    write(path.join(root, 'f2.jpg'), jpegOf(100_000, 'x2'));
    write(path.join(root, 'f3.jpg'), jpegOf(50_000, 'x3'));
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
  });
  afterAll(async () => {
    await ctx.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const id = (n: string) => ctx.lib.findAsset(path.join(root, n))!.id;
  const stored = (n: string, seed: string, size: number) =>
    listSnapshots(ctx.lib.db, id(n)).find((s) => s.hash === sha(jpegOf(size, seed)))?.stored;

  it('warns once when the store passes 90 % of the limit', async () => {
    expect(ctx.lib.history.status()).toMatchObject({ usedBytes: 250_000, warning: null });
    write(path.join(root, 'f1.jpg'), jpegOf(100_000, 'y1'));
    await ctx.lib.scan();
    expect(ctx.lib.history.status()).toMatchObject({ usedBytes: 350_000, warning: null });
    expect(warnings).toEqual([]);
    write(path.join(root, 'f2.jpg'), jpegOf(100_000, 'y2'));
    await ctx.lib.scan();
    const status = ctx.lib.history.status();
    expect(status.usedBytes).toBe(450_000);
    expect(status.warning).toMatch(/uses 439\.5 KB of its 488\.3 KB limit \(90 %\)/);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/content history uses/);
  });

  it('evicts the least recently used blobs that are no file’s current content', async () => {
    // x1 and x3 are used (their previews are looked at): x2 is now the least recently used
    // blob that is no file's current content once f3 changes.
    const { snapshotPreviewFile } = await import('../../electron/core/media');
    await snapshotPreviewFile(ctx.lib, id('f1.jpg'), sha(jpegOf(100_000, 'x1')));
    await snapshotPreviewFile(ctx.lib, id('f3.jpg'), sha(jpegOf(50_000, 'x3')));
    write(path.join(root, 'f3.jpg'), jpegOf(100_000, 'z3'));
    await ctx.lib.scan();
    expect(stored('f2.jpg', 'x2', 100_000)).toBe(false);
    expect(fs.existsSync(blobPath(ctx.dir, sha(jpegOf(100_000, 'x2'))))).toBe(false);
    expect(stored('f1.jpg', 'x1', 100_000)).toBe(true);
    expect(stored('f3.jpg', 'z3', 100_000)).toBe(true);
    // The record of the evicted content stays.
    expect(listSnapshots(ctx.lib.db, id('f2.jpg'))).toHaveLength(2);
    expect(ctx.lib.history.status().usedBytes).toBe(450_000);
    // Still the same crossing: no second warning.
    expect(warnings).toHaveLength(1);
    const r = await dispatch(handlers, 'history.restore', {
      id: id('f2.jpg'),
      hash: sha(jpegOf(100_000, 'x2')),
    });
    expect(!r.ok && r.error.message).toMatch(/removed to make room/);
  });

  it('skips a new content that cannot fit, with a warning, and evicts nothing for it', async () => {
    write(path.join(root, 'big.jpg'), jpegOf(300_000, 'big'));
    await ctx.lib.scan();
    expect(stored('big.jpg', 'big', 300_000)).toBe(false);
    // x1 and x3 could have gone, but would not have made room: they stay.
    expect(stored('f1.jpg', 'x1', 100_000)).toBe(true);
    expect(stored('f3.jpg', 'x3', 50_000)).toBe(true);
    expect(ctx.lib.history.status().usedBytes).toBe(450_000);
    expect(warnings.at(-1)).toMatch(/content history is full.*big\.jpg.*was not kept/);
  });

  it('a lower limit evicts at once; a higher one clears the warning', async () => {
    await ctx.lib.history.configure({ limitMb: 350_000 / MB });
    expect(stored('f1.jpg', 'x1', 100_000)).toBe(false);
    expect(ctx.lib.history.status().usedBytes).toBeLessThanOrEqual(350_000);
    // Current contents are never evicted.
    expect(stored('f1.jpg', 'y1', 100_000)).toBe(true);
    expect(stored('f2.jpg', 'y2', 100_000)).toBe(true);
    expect(stored('f3.jpg', 'z3', 100_000)).toBe(true);
    const s = await ctx.lib.history.configure({ limitMb: 10 });
    expect(s.warning).toBeNull();
  });
});

describe('a crash mid-copy', () => {
  it('leaves only a temp file, which is cleaned at open and never served', async () => {
    const catalog = tempDir('dam-hist-crash-cat-');
    const root = tempDir('dam-hist-crash-root-');
    try {
      const bytes = jpegOf(200_000, 'crash');
      const hash = sha(bytes);
      write(path.join(root, 'a.jpg'), bytes);
      let lib = Library.open(catalog, { create: true, workers: 1 });
      lib.addRoot(root);
      await lib.scan();
      const id = lib.findAsset(path.join(root, 'a.jpg'))!.id;
      const fileId = lib.db
        .prepare(`SELECT file_id FROM asset_search WHERE asset_id = ?`)
        .pluck()
        .get(id) as number;
      // The state a kill -9 leaves: the copy owed (job and record), half the bytes in a temp file
      // named for a process that is gone.
      markGoverned(lib.db, id);
      wantSnapshot(lib.db, {
        asset_id: id,
        file_id: fileId,
        hash,
        size: bytes.length,
        format: 'jpeg',
        at: Date.now(),
        actor: 'ann',
        machine: 'm',
        reason: 'governed',
      });
      enqueue(lib.db, 'snapshot', fileId);
      lib.db.prepare(`UPDATE jobs SET state = 'running' WHERE kind = 'snapshot'`).run();
      await lib.close();
      const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
      const tmpDir = path.join(catalog, 'history', '.tmp');
      fs.mkdirSync(tmpDir, { recursive: true });
      const tmp = path.join(tmpDir, `${dead}-0123456789abcdef`);
      fs.writeFileSync(tmp, bytes.subarray(0, 70_000));

      lib = Library.open(catalog, { workers: 1 });
      const handlers = createHandlers(lib);
      try {
        expect(fs.existsSync(tmp)).toBe(false);
        expect(fs.existsSync(blobPath(catalog, hash))).toBe(false);
        const { snapshotPreviewFile } = await import('../../electron/core/media');
        await expect(snapshotPreviewFile(lib, id, hash)).rejects.toThrow(/no longer kept/);
        const r = await dispatch(handlers, 'history.restore', { id, hash });
        expect(!r.ok && r.error.message).toMatch(/never copied/);
        // The owed copy was requeued and is done whole on the next run.
        await lib.processPending();
        expect(shaFile(blobPath(catalog, hash))).toBe(hash);
        expect(listSnapshots(lib.db, id)).toMatchObject([{ hash, stored: true }]);
        expect(lib.db.prepare(`SELECT count(*) FROM jobs`).pluck().get()).toBe(0);
      } finally {
        await lib.close();
      }
    } finally {
      fs.rmSync(catalog, { recursive: true, force: true });
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('a real kill -9 during a copy leaves no wrong blob, and the copy is done on the next run', async () => {
    const catalog = tempDir('dam-hist-kill-cat-');
    const root = tempDir('dam-hist-kill-root-');
    const dam = (...args: string[]) =>
      spawnSync(process.execPath, [CLI, '--catalog', catalog, ...args], { encoding: 'utf8' });
    try {
      // Big enough that the copy takes a while; 'other' content, so ingest only hashes it.
      const big = Buffer.alloc(128 * MB, 7);
      big.write('tessera kill test', 0);
      const file = path.join(root, 'big.bin');
      write(file, big);
      expect(dam('add-root', root).status).toBe(0);
      expect(dam('scan').status).toBe(0);
      const child = spawn(process.execPath, [CLI, '--catalog', catalog, 'set', file, 'credit=North'], {
        stdio: 'ignore',
      });
      const tmpDir = path.join(catalog, 'history', '.tmp');
      const exited = new Promise((r) => child.once('exit', r));
      let sawTemp = false;
      let done = false;
      void exited.then(() => (done = true));
      // Kill as soon as a temp file exists (or give up if the copy finished first).
      while (!done) {
        if (fs.existsSync(tmpDir) && fs.readdirSync(tmpDir).length > 0) {
          sawTemp = true;
          child.kill('SIGKILL');
          break;
        }
        await new Promise((r) => setTimeout(r, 2));
      }
      await exited;
      const blobs = () =>
        fs.existsSync(path.join(catalog, 'history'))
          ? fs
              .readdirSync(path.join(catalog, 'history'))
              .filter((d) => d !== '.tmp')
              .flatMap((d) => fs.readdirSync(path.join(catalog, 'history', d)))
          : [];
      // Whatever moment the kill hit, every blob is whole: its name is its hash.
      for (const b of blobs()) expect(shaFile(blobPath(catalog, b))).toBe(b);
      const rerun = dam('scan');
      expect(rerun.status, rerun.stderr).toBe(0);
      if (sawTemp) expect(fs.readdirSync(tmpDir)).toEqual([]);
      expect(blobs()).toEqual([sha(big)]);
      expect(shaFile(blobPath(catalog, sha(big)))).toBe(sha(big));
    } finally {
      fs.rmSync(catalog, { recursive: true, force: true });
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('discards a copy whose bytes are not the catalogued ones', async () => {
    const ctx = freshLibrary({ workers: 1 });
    const root = tempDir('dam-hist-race-');
    try {
      write(path.join(root, 'a.jpg'), BUS);
      ctx.lib.addRoot(root);
      await ctx.lib.scan();
      const id = ctx.lib.findAsset(path.join(root, 'a.jpg'))!.id;
      // Changed on disk, not yet seen by ingest: what the catalogue says is no longer there.
      write(path.join(root, 'a.jpg'), NIKON);
      ctx.lib.history.keepCurrent(id, 'governed');
      await ctx.lib.scan();
      const snaps = listSnapshots(ctx.lib.db, id);
      expect(snaps.find((s) => s.hash === sha(BUS))?.stored).toBe(false);
      expect(snaps.find((s) => s.hash === sha(NIKON))?.stored).toBe(true);
      expect(fs.existsSync(blobPath(ctx.dir, sha(BUS)))).toBe(false);
      expect(shaFile(blobPath(ctx.dir, sha(NIKON)))).toBe(sha(NIKON));
      expect(fs.readdirSync(path.join(ctx.dir, 'history', '.tmp'))).toEqual([]);
    } finally {
      await ctx.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

// Root ignores file permissions, so as root the CLI is run as "nobody" to meet a real EACCES.
const asRoot = process.getuid?.() === 0;
const prefix = asRoot
  ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', '--inh-caps=-all']
  : [];

function dam(catalog: string, ...args: string[]) {
  const [cmd, ...rest] = [...prefix, process.execPath, CLI, '--catalog', catalog, ...args];
  return spawnSync(cmd!, rest, { encoding: 'utf8', env: { ...process.env, DAM_CATALOG: '' } });
}

describe.runIf(process.platform !== 'win32')('dam restore, snapshots and config', () => {
  let root: string;
  let catalog: string;
  let file: string;
  const edited = jpegOf(40_000, 'edited');

  beforeAll(() => {
    root = tempDir('dam-hist-cli-root-');
    const parent = tempDir('dam-hist-cli-cat-');
    fs.chmodSync(parent, 0o777);
    catalog = path.join(parent, 'catalog');
    fs.chmodSync(root, 0o777);
    file = path.join(root, 'bus.jpg');
    write(file, BUS);
    fs.chmodSync(file, 0o666);
  });
  afterAll(() => {
    fs.chmodSync(root, 0o755);
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(path.dirname(catalog), { recursive: true, force: true });
  });

  it('keeps, lists and restores through dam; a file that cannot be written is refused and nothing is lost', () => {
    expect(dam(catalog, 'add-root', root).status).toBe(0);
    expect(dam(catalog, 'scan').status).toBe(0);
    const set = dam(catalog, 'set', file, 'credit=North Studio');
    expect(set.status, set.stderr).toBe(0);
    write(file, edited);
    expect(dam(catalog, 'scan').status).toBe(0);

    const list = dam(catalog, 'snapshots', file, '--json');
    expect(list.status, list.stderr).toBe(0);
    const snaps = JSON.parse(list.stdout) as ContentSnapshot[];
    expect(snaps.map((s) => [s.hash, s.current, s.stored])).toEqual([
      [sha(edited), true, true],
      [sha(BUS), false, true],
    ]);
    const who = asRoot ? 'nobody' : (process.env.USER ?? '');
    if (who) expect(snaps[0]!.actor).toBe(who);
    const text = dam(catalog, 'snapshots', file).stdout;
    expect(text).toMatch(new RegExp(`${sha(BUS).slice(0, 12)}\\s+${formatBytes(BUS.length)}\\s+kept`));

    const hist = dam(catalog, 'history', file);
    expect(hist.stdout).toContain(`content changed on disk (${formatBytes(BUS.length)} → 39.1 KB)`);

    // The folder and the file are read-only to the user running dam.
    fs.chmodSync(file, 0o444);
    fs.chmodSync(root, 0o555);
    try {
      const refused = dam(catalog, 'restore', file, sha(BUS).slice(0, 10));
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/cannot write .*bus\.jpg: permission denied; nothing was changed/);
    } finally {
      fs.chmodSync(root, 0o777);
      fs.chmodSync(file, 0o666);
    }
    expect(shaFile(file)).toBe(sha(edited));
    const still = JSON.parse(dam(catalog, 'snapshots', file, '--json').stdout) as ContentSnapshot[];
    expect(still.map((s) => s.stored)).toEqual([true, true]);

    const restored = dam(catalog, 'restore', file, sha(BUS).slice(0, 10));
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(
      new RegExp(
        `restored ${sha(BUS).slice(0, 12)}.*dam restore \\d+ ${sha(edited).slice(0, 12)} undoes this`,
      ),
    );
    expect(shaFile(file)).toBe(sha(BUS));
    expect(dam(catalog, 'history', file).stdout).toMatch(
      new RegExp(`restored the content of .*\\(${formatBytes(BUS.length)}\\)`),
    );

    const unknown = dam(catalog, 'restore', file, 'abcdef');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/not one of the contents kept/);

    expect(dam(catalog, 'config', 'history-scope', 'all').status).toBe(0);
    expect(dam(catalog, 'config', 'history-limit-mb', '2048').status).toBe(0);
    const cfg = dam(catalog, 'config');
    expect(cfg.stdout).toMatch(/history-limit-mb 2048/);
    expect(cfg.stdout).toMatch(/history-scope all/);
    const bad = dam(catalog, 'config', 'history-limit-mb', '5');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/from 100/);
    expect(dam(catalog, 'config', 'history-scope', 'sometimes').status).toBe(1);
  });
});
