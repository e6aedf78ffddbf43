import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/corpus';
import { knownPhoto } from '../helpers/known-photos';
import { freshLibrary } from '../helpers/library';

/** Grace Hopper's portrait, from Debian's python-matplotlib-data (installed by .ci/run). */
const GRACE = '/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg';

// Real faces through the real engine (blazeface + faceres on wasm): one catalogue, models loaded once.
describe('faces of real people: detected, described and clustered', () => {
  let root: string;
  let ctx: ReturnType<typeof freshLibrary>;
  const idOf = (name: string) => ctx.lib.findAsset(path.join(root, name))!.id;
  /** The cluster of the most confident face in a picture. */
  const personIn = (name: string) =>
    ctx.lib.faces({ assetId: idOf(name) }).sort((a, b) => (b.confidence ?? 0) - (a.confidence ?? 0))[0]
      ?.personId;

  beforeAll(async () => {
    if (!fs.existsSync(GRACE)) throw new Error(`${GRACE} is missing: apt-get install python-matplotlib-data`);
    root = tempDir('dam-faces-');
    const astronaut = knownPhoto('astronaut.png');
    // "The same person in two photos": the same face re-framed, mirrored, rescaled and re-compressed.
    fs.copyFileSync(astronaut, path.join(root, 'eileen-1.png'));
    await sharp(astronaut)
      .extract({ left: 51, top: 0, width: 410, height: 435 })
      .flop()
      .resize(300)
      .jpeg({ quality: 70 })
      .toFile(path.join(root, 'eileen-2.jpg'));
    fs.copyFileSync(GRACE, path.join(root, 'grace-1.jpg'));
    const g = await sharp(GRACE).metadata();
    await sharp(GRACE)
      .extract({ left: 0, top: 0, width: Math.round(g.width! * 0.85), height: Math.round(g.height! * 0.8) })
      .flop()
      .toFile(path.join(root, 'grace-2.png'));
    fs.copyFileSync(knownPhoto('camera.png'), path.join(root, 'cameraman.png'));
    fs.copyFileSync(knownPhoto('coffee.png'), path.join(root, 'coffee.png'));
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

  it('finds each face, as a face auto-tag with a box, and none in a cup of coffee', () => {
    for (const name of ['eileen-1.png', 'eileen-2.jpg', 'grace-1.jpg', 'grace-2.png', 'cameraman.png']) {
      const faces = ctx.lib.faces({ assetId: idOf(name) });
      expect(faces.length, name).toBeGreaterThanOrEqual(1);
      const tags = ctx.lib.tagging.tagsOf(idOf(name)).filter((t) => t.kind === 'face');
      expect(tags.length, name).toBe(faces.length);
      expect(tags[0]!.box!.w).toBeGreaterThan(0.05);
    }
    expect(ctx.lib.faces({ assetId: idOf('coffee.png') })).toEqual([]);
    // Eileen Collins's face is in the upper middle of the astronaut photo.
    const [eileen] = ctx.lib.faces({ assetId: idOf('eileen-1.png') });
    expect(eileen!.box.x).toBeGreaterThan(0.2);
    expect(eileen!.box.x + eileen!.box.w).toBeLessThan(0.75);
    expect(eileen!.box.y).toBeLessThan(0.3);
    expect(ctx.lib.assets([idOf('eileen-1.png')])[0]!.faces).toBe(1);
  });

  it('puts the same person in two photos in one cluster, and different people apart', () => {
    const eileen = personIn('eileen-1.png');
    const grace = personIn('grace-1.jpg');
    const cameraman = personIn('cameraman.png');
    expect(eileen).toBeTypeOf('number');
    expect(personIn('eileen-2.jpg')).toBe(eileen);
    expect(personIn('grace-2.png')).toBe(grace);
    expect(new Set([eileen, grace, cameraman]).size).toBe(3);
  });

  it('a named person is recognised in a new photo', async () => {
    ctx.lib.people.name(personIn('eileen-1.png')!, 'Eileen Collins');
    await sharp(knownPhoto('astronaut.png'))
      .rotate(6, { background: '#808080' })
      .resize(400)
      .jpeg()
      .toFile(path.join(root, 'eileen-3.jpg'));
    await ctx.lib.scan();
    await ctx.lib.tagging.whenIdle();
    expect(ctx.lib.assets([idOf('eileen-3.jpg')])[0]!.people).toEqual(['Eileen Collins']);
    expect(ctx.lib.assets([idOf('grace-1.jpg')])[0]!.people).toEqual([]);
  });
});
