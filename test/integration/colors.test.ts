import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../electron/core/api';
import { replaceColors } from '../../electron/core/catalog/colors.repository';
import { tempDir } from '../helpers/corpus';
import { CLI, freshLibrary } from '../helpers/library';

// Dominant colours in the catalogue: stored per asset, found with color:FAMILY, color:NAME and
// color:#HEX (distance in Lab), counted in the colour facet, and carried by show --json; made by
// the colour analyser in the tagging job, from the pictures' own pixels.
describe('dominant colours in the catalogue', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let dir: string;
  const names = (q: string) =>
    ctx.lib
      .search(q)
      .items.map((i) => i.name)
      .sort();

  const solid = (name: string, hex: string) =>
    sharp({ create: { width: 160, height: 120, channels: 3, background: hex } })
      .png()
      .toFile(path.join(dir, name));
  const svg = (name: string, body: string) =>
    sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200">${body}</svg>`))
      .png()
      .toFile(path.join(dir, name));

  beforeAll(async () => {
    ctx = freshLibrary();
    dir = fs.realpathSync(tempDir('dam-colors-'));
    await solid('poppy.png', '#c81e1e');
    await solid('sky.png', '#3366cc');
    await solid('fog.png', '#8a8a8a');
    // Mostly navy with a yellow band; a small red dot (under the share that counts) in the corner.
    await svg(
      'flag.png',
      '<rect width="200" height="200" fill="#000080"/><rect y="120" width="200" height="80" fill="#f5d000"/>' +
        '<rect width="16" height="16" fill="#d00000"/>',
    );
    ctx.lib.addRoot(dir);
    await ctx.lib.scan();
    // The colour analyser runs in the one tagging job kind, beside the object detector.
    ctx.lib.tagging.runInBackground();
    await ctx.lib.tagging.whenIdle();
  });

  afterAll(async () => {
    await ctx.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('color:FAMILY finds pictures where that family covers enough of the picture', () => {
    expect(names('color:red')).toEqual(['poppy.png']);
    expect(names('color:blue')).toEqual(['flag.png', 'sky.png']);
    expect(names('color:yellow')).toEqual(['flag.png']);
    expect(names('colour:grey')).toEqual(['fog.png']);
    expect(names('-color:blue')).toEqual(['fog.png', 'poppy.png']);
    expect(names('color:blue color:yellow')).toEqual(['flag.png']);
    expect(names('color:green')).toEqual([]);
  });

  it('color:NAME finds by the palette name, color:#HEX by closeness in Lab', () => {
    expect(names('color:navy')).toEqual(['flag.png']);
    expect(names('color:#3366cc')).toEqual(['sky.png']);
    expect(names('color:#36c')).toEqual(['sky.png']);
    // Near, not equal: a slightly different blue still finds the sky; a far one does not.
    expect(names('color:#3a6ad0')).toEqual(['sky.png']);
    expect(names('color:#cc3366')).toEqual([]);
    expect(names('color:#c01818')).toEqual(['poppy.png']);
  });

  it('proposes a color auto-tag per family that covers enough of the picture, its share as confidence', () => {
    const tags = (name: string) =>
      ctx.lib.tagging.tagsOf(ctx.lib.search(`name:${name}`).items[0]!.id).filter((t) => t.kind === 'color');
    expect(tags('poppy.png')).toEqual([
      expect.objectContaining({ label: 'red', confidence: 1, box: null, state: 'proposed' }),
    ]);
    const flag = tags('flag.png');
    expect(flag.map((t) => t.label).sort()).toEqual(['blue', 'yellow']);
    expect(flag.find((t) => t.label === 'blue')!.confidence).toBeGreaterThan(0.5);
  });

  it('an unknown colour is a clear query error that points at label: for the colour label', () => {
    expect(() => ctx.lib.search('color:blurple')).toThrow(/color: expects red, orange.*label:/);
  });

  it('the colour facet counts what each family finds', async () => {
    const counts = Object.fromEntries(
      (await createHandlers(ctx.lib).facets({})).colors.map((c) => [c.family, c.count]),
    );
    expect(counts).toMatchObject({ red: 1, blue: 2, yellow: 1, gray: 1, green: 0 });
  });

  it('show --json carries the palette, most covering first', () => {
    const r = spawnSync(
      process.execPath,
      [CLI, '--catalog', ctx.dir, 'show', path.join(dir, 'flag.png'), '--json'],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(0);
    const colors = (
      JSON.parse(r.stdout) as { colors: { hex: string; name: string; family: string; share: number }[] }
    ).colors;
    // Where the bands meet, the decode blends a row or two: a sliver may follow, never lead.
    expect(colors.map((c) => c.family).slice(0, 2)).toEqual(['blue', 'yellow']);
    expect(colors.slice(2).every((c) => c.share < 0.1)).toBe(true);
    expect(colors[0]).toMatchObject({ name: 'navy' });
    expect(colors[0]!.hex).toMatch(/^#[0-9a-f]{6}$/);
    expect(colors[0]!.share).toBeGreaterThan(0.5);
    const plain = spawnSync(
      process.execPath,
      [CLI, '--catalog', ctx.dir, 'show', path.join(dir, 'sky.png')],
      {
        encoding: 'utf8',
      },
    );
    expect(plain.stdout).toMatch(/colours\s+.*#3366cc/i);
  });

  it('a new palette replaces the old one; deleting the asset takes its colours', () => {
    const [sky] = ctx.lib.search('name:sky.png').items;
    replaceColors(ctx.lib.db, sky!.id, [{ hex: '#1a9c3a', name: 'forest green', family: 'green', share: 1 }]);
    expect(names('color:green')).toEqual(['sky.png']);
    expect(names('color:#3366cc')).toEqual([]);
    ctx.lib.db.prepare(`DELETE FROM assets WHERE id = ?`).run(sky!.id);
    expect(
      ctx.lib.db.prepare(`SELECT count(*) FROM asset_colors WHERE asset_id = ?`).pluck().get(sky!.id),
    ).toBe(0);
  });
});
