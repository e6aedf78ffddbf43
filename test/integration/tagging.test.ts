import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/corpus';
import { KNOWN_OBJECTS, knownPhoto } from '../helpers/known-photos';
import { createHandlers, dispatch } from '../../electron/core/api';
import { exiftoolJson, freshLibrary } from '../helpers/library';

/** A PNG whose header claims 30000×30000 pixels, with one tiny (wrong) data chunk. */
function hugeClaimPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(30000, 0);
  ihdr.writeUInt32BE(30000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// One catalogue and one running tagging pool for the file: the models load once (seconds).
describe('on-device tagging (real models, real photos)', () => {
  let root: string;
  let ctx: ReturnType<typeof freshLibrary>;
  const idOf = (name: string) => ctx.lib.findAsset(path.join(root, name))!.id;

  beforeAll(async () => {
    root = tempDir('dam-tagging-');
    for (const { file } of KNOWN_OBJECTS) fs.copyFileSync(knownPhoto(file), path.join(root, file));
    const astronaut = sharp(knownPhoto('astronaut.png'));
    // The same photo as a CMYK JPEG and a 16-bit TIFF: converted, then tagged like any other.
    await astronaut.clone().toColourspace('cmyk').jpeg().toFile(path.join(root, 'astronaut-cmyk.jpg'));
    await astronaut.clone().toColourspace('rgb16').tiff().toFile(path.join(root, 'astronaut-16bit.tif'));
    await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } })
      .png()
      .toFile(path.join(root, 'one-pixel.png'));
    fs.writeFileSync(path.join(root, 'huge-claim.png'), hugeClaimPng());
    const jpeg = fs.readFileSync(path.join(root, 'astronaut-cmyk.jpg'));
    fs.writeFileSync(
      path.join(root, 'corrupt.jpg'),
      Buffer.concat([jpeg.subarray(0, 600), Buffer.alloc(4000, 7)]),
    );
    ctx = freshLibrary();
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    ctx.lib.tagging.runInBackground();
    await ctx.lib.tagging.whenIdle();
  });
  afterAll(async () => {
    await ctx?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('finds the objects the photos show, with confidence and a normalized box, on the wasm backend', () => {
    for (const { file, label } of KNOWN_OBJECTS) {
      const tags = ctx.lib.tagging.tagsOf(idOf(file));
      const hit = tags.find((t) => t.label === label);
      expect(hit, `${file}: ${JSON.stringify(tags.map((t) => t.label))}`).toBeDefined();
      expect(hit).toMatchObject({ kind: 'object', model: 'centernet', state: 'proposed' });
      expect(hit!.confidence).toBeGreaterThanOrEqual(ctx.lib.tagging.threshold);
      const b = hit!.box!;
      for (const v of [b.x, b.y, b.w, b.h]) expect(v).toBeGreaterThanOrEqual(0);
      expect(b.x + b.w).toBeLessThanOrEqual(1.0001);
      expect(b.y + b.h).toBeLessThanOrEqual(1.0001);
      expect(b.w * b.h).toBeGreaterThan(0.01);
    }
    // Nothing below the threshold is proposed.
    expect(
      ctx.lib.db
        .prepare(`SELECT count(*) FROM auto_tags WHERE confidence < ?`)
        .pluck()
        .get(ctx.lib.tagging.threshold),
    ).toBe(0);
    const s = ctx.lib.tagging.status();
    expect(s).toMatchObject({ enabled: true, paused: false, backend: 'wasm', pending: 0 });
  });

  it('tags CMYK JPEGs and 16-bit TIFFs, and keeps a readable error for what is not a picture', () => {
    for (const f of ['astronaut-cmyk.jpg', 'astronaut-16bit.tif']) {
      expect(ctx.lib.tagging.errorOf(idOf(f))).toBeNull();
      expect(ctx.lib.tagging.tagsOf(idOf(f)).map((t) => t.label)).toContain('person');
    }
    expect(ctx.lib.tagging.errorOf(idOf('one-pixel.png'))).toMatch(/too small to tag \(1×1 pixels\)/);
    expect(ctx.lib.tagging.errorOf(idOf('huge-claim.png'))).toMatch(
      /cannot read the picture: .*pixel limit/i,
    );
    expect(ctx.lib.tagging.errorOf(idOf('corrupt.jpg'))).toMatch(/cannot read the picture/);
    // Errors are one line, and none of them is owed again until the file changes.
    for (const f of ['one-pixel.png', 'huge-claim.png', 'corrupt.jpg'])
      expect(ctx.lib.tagging.errorOf(idOf(f))).not.toMatch(/\n/);
    expect(ctx.lib.tagging.owe()).toBe(0);
    expect(ctx.lib.tagging.status().failed).toBe(3);
  });

  it('accepting makes a keyword, written to the sidecar as dc:subject and lr:hierarchicalSubject Objects|LABEL', async () => {
    const id = idOf('astronaut.png');
    expect(ctx.lib.tagging.accept([id], ['Person'])).toEqual({ updated: 1 });
    await ctx.lib.governance.flush();
    expect(ctx.lib.asset(id)!.keywords).toEqual(['person']);
    expect(
      ctx.lib.tagging
        .tagsOf(id)
        .filter((t) => t.label === 'person')
        .map((t) => t.state),
    ).toEqual(expect.arrayContaining(['accepted']));
    const [xmp] = exiftoolJson([path.join(root, 'astronaut.xmp')]);
    expect(xmp!.Subject).toBe('person');
    expect(xmp!.HierarchicalSubject).toBe('Objects|person');
    // A label the asset does not have is refused with a clear message.
    expect(() => ctx.lib.tagging.accept([id], ['giraffe'])).toThrow(/asset \d+ has no auto-tag "giraffe"/);
  });

  it('bulk-accepts over a selection through the contract: each asset takes the labels it has', async () => {
    const handlers = createHandlers(ctx.lib);
    const ids = [idOf('horse.png'), idOf('motorcycle_left.png')];
    const res = await dispatch(handlers, 'tags.accept', { ids, labels: ['horse', 'motorcycle'] });
    expect(res).toEqual({ ok: true, value: { updated: 2 } });
    await ctx.lib.governance.flush();
    expect(ctx.lib.asset(ids[0]!)!.keywords).toEqual(['horse']);
    expect(ctx.lib.asset(ids[1]!)!.keywords).toEqual(['motorcycle']);
    const bad = await dispatch(handlers, 'tags.accept', { ids: [], labels: ['x'] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('a rejected tag never comes back for that asset, even when a newer model version tags it again', async () => {
    const id = idOf('coffee.png');
    expect(ctx.lib.tagging.reject([id], ['cup'])).toEqual({ updated: 1 });
    // Tagged by an older model version: owed a re-run of the analyser.
    const astronaut = idOf('astronaut.png');
    ctx.lib.db
      .prepare(`UPDATE tagging_runs SET model_version = 'older' WHERE asset_id IN (?, ?)`)
      .run(id, astronaut);
    const before = ctx.lib.tagging.status().tagged;
    expect(ctx.lib.tagging.owe()).toBe(2);
    await ctx.lib.tagging.whenIdle();
    expect(
      ctx.lib.db.prepare(`SELECT count(*) FROM tagging_runs WHERE model_version = 'older'`).pluck().get(),
    ).toBe(0);
    expect(ctx.lib.tagging.status().tagged).toBe(before);
    const cup = ctx.lib.tagging.tagsOf(id).filter((t) => t.label === 'cup');
    expect(cup.length).toBeGreaterThan(0);
    expect(cup.every((t) => t.state === 'rejected')).toBe(true);
    // The accepted one stays accepted, and its keyword is still there once.
    expect(ctx.lib.tagging.tagsOf(astronaut).find((t) => t.label === 'person')!.state).toBe('accepted');
    expect(ctx.lib.asset(astronaut)!.keywords).toEqual(['person']);
  });

  it('searches tag: (keyword or auto-tag), object: (auto-tag, never a rejected one) and is:untagged', async () => {
    const names = (q: string) =>
      ctx.lib
        .search(`${q} versions:all`, { limit: 100 })
        .items.map((a) => a.name)
        .sort();
    // The astronaut's person is an accepted keyword; the converted copies (stacked with it as its
    // versions) carry it as an auto-tag.
    expect(names('tag:person')).toEqual(['astronaut-16bit.tif', 'astronaut-cmyk.jpg', 'astronaut.png']);
    expect(names('object:Horse')).toEqual(['horse.png']);
    expect(names('object:cup')).toEqual([]);
    expect(names('-object:person type:image')).not.toContain('astronaut.png');
    // A picture that failed keeps its error and counts as looked at; a new one is untagged.
    expect(names('is:untagged')).toEqual([]);
    ctx.lib.db.prepare(`DELETE FROM tagging_runs WHERE asset_id = ?`).run(idOf('coffee.png'));
    expect(names('is:untagged')).toEqual(['coffee.png']);
    expect(ctx.lib.tagging.owe()).toBe(1);
    await ctx.lib.tagging.whenIdle();
    expect(names('is:untagged')).toEqual([]);
  });

  it('pauses and resumes, and reports status through the contract', async () => {
    const handlers = createHandlers(ctx.lib);
    expect(await dispatch(handlers, 'tagging.pause', {})).toMatchObject({
      ok: true,
      value: { paused: true },
    });
    ctx.lib.db.prepare(`DELETE FROM tagging_runs WHERE asset_id = ?`).run(idOf('horse.png'));
    expect(ctx.lib.tagging.owe()).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(ctx.lib.tagging.status().pending).toBe(1);
    expect(await dispatch(handlers, 'tagging.resume', {})).toMatchObject({
      ok: true,
      value: { paused: false },
    });
    await ctx.lib.tagging.whenIdle();
    const status = await dispatch(handlers, 'tagging.status', {});
    expect(status).toMatchObject({ ok: true, value: { pending: 0, backend: 'wasm', enabled: true } });
    const facet = await dispatch(handlers, 'tags.facet', {});
    expect(facet.ok && facet.value).toEqual(expect.arrayContaining([{ label: 'person', count: 3 }]));
  });
});
