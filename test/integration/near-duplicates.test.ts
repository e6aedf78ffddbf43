import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../electron/core/api';
import type { DuplicateGroup } from '../../shared/duplicates';
import { tempDir } from '../helpers/corpus';
import { CLI, freshLibrary } from '../helpers/library';

const SKIMAGE = '/usr/lib/python3/dist-packages/skimage/data';

// The duplicates review over real photographs (python3-skimage data): the same bytes in two
// roots, a burst frame that came out blurred, and a smaller re-save in another root; each group
// with the keeper a person would choose, and the groups gone once dealt with.
describe('duplicates review', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let studio: string;
  let backup: string;
  let handlers: ReturnType<typeof createHandlers>;
  const id = (name: string) => ctx.lib.search(`name:"${name}"`).items[0]!.id;
  const names = (g: DuplicateGroup) => g.members.map((m) => m.name);
  const list = (near: boolean) => Promise.resolve(handlers['duplicates.list']({ near }));

  beforeAll(async () => {
    ctx = freshLibrary();
    handlers = createHandlers(ctx.lib);
    studio = fs.realpathSync(tempDir('dam-dups-studio-'));
    backup = fs.realpathSync(tempDir('dam-dups-backup-'));
    const jpeg = (src: string, out: string, edit = (s: Sharp) => s, quality = 92) =>
      edit(sharp(path.join(SKIMAGE, src)))
        .jpeg({ quality })
        .toFile(out);
    await jpeg('chelsea.png', path.join(studio, 'cat-1.jpg'));
    await jpeg('chelsea.png', path.join(studio, 'cat-2.jpg'), (s) => s.blur(2.5));
    await jpeg('coffee.png', path.join(studio, 'coffee.jpg'));
    fs.copyFileSync(path.join(studio, 'coffee.jpg'), path.join(backup, 'coffee copy.jpg'));
    await jpeg('astronaut.png', path.join(studio, 'astronaut.jpg'));
    await jpeg('astronaut.png', path.join(backup, 'astronaut-web.jpg'), (s) => s.resize(256), 70);
    await jpeg('rocket.jpg', path.join(studio, 'rocket.jpg'));
    ctx.lib.addRoot(studio);
    ctx.lib.addRoot(backup);
    await ctx.lib.scan();
  });

  afterAll(async () => {
    await ctx.dispose();
    for (const d of [studio, backup]) fs.rmSync(d, { recursive: true, force: true });
  });

  /** Of two copies of the same bytes, the one catalogued first is kept. */
  const coffee = () => Math.min(id('coffee.jpg'), id('coffee copy.jpg'));

  it('without near: only the same bytes, the copy catalogued first kept', async () => {
    const groups = await list(false);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ kind: 'identical', keeperId: coffee(), reason: 'catalogued first' });
    expect(names(groups[0]!).sort()).toEqual(['coffee copy.jpg', 'coffee.jpg']);
    expect(groups[0]!.members.every((m) => m.distance === 0)).toBe(true);
  });

  it('with near: the blurred burst frame and the smaller re-save join their originals; nothing else', async () => {
    const groups = await list(true);
    const byKeeper = new Map(groups.map((g) => [g.members.find((m) => m.assetId === g.keeperId)!.name, g]));
    expect(groups).toHaveLength(3);
    expect(byKeeper.has('astronaut.jpg') && byKeeper.has('cat-1.jpg')).toBe(true);
    const burst = byKeeper.get('cat-1.jpg')!;
    expect(burst).toMatchObject({ kind: 'similar', reason: 'sharpest' });
    expect(names(burst)).toEqual(['cat-1.jpg', 'cat-2.jpg']);
    expect(burst.members[0]!.sharpness!).toBeGreaterThan(burst.members[1]!.sharpness!);
    expect(burst.members[1]!.distance!).toBeLessThanOrEqual(6);
    const resave = byKeeper.get('astronaut.jpg')!;
    expect(resave).toMatchObject({ kind: 'similar', reason: 'most pixels' });
    expect(names(resave)).toEqual(['astronaut.jpg', 'astronaut-web.jpg']);
    expect(resave.members[0]).toMatchObject({ width: 512, height: 512 });
    expect(groups.flatMap(names)).not.toContain('rocket.jpg');
  });

  it('a rating outweighs resolution: the user’s five stars make the re-save the keeper', async () => {
    await handlers['assets.setFields']({ ids: [id('astronaut-web.jpg')], patch: { rating: 5 } });
    const g = (await list(true)).find((x) => names(x).includes('astronaut.jpg'))!;
    expect(g).toMatchObject({ keeperId: id('astronaut-web.jpg'), reason: 'highest rating' });
  });

  it('rejecting the others or stacking them takes the group off the review', async () => {
    await handlers['assets.setFields']({ ids: [id('cat-2.jpg')], patch: { flag: 'reject' } });
    await handlers['versions.group']({
      ids: [id('astronaut-web.jpg'), id('astronaut.jpg')],
      currentId: id('astronaut-web.jpg'),
    });
    const groups = await list(true);
    expect(groups.map((g) => g.keeperId)).toEqual([coffee()]);
  });

  it('dam duplicates lists the groups, the keeper starred; --json gives the same groups', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [CLI, '--catalog', ctx.dir, 'duplicates', ...args], { encoding: 'utf8' });
    const text = run('--near');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^group 1: 2 identical, keep \d+ \(catalogued first\)$/m);
    expect(text.stdout).toMatch(new RegExp(`^  \\* +${coffee()}  .*coffee`, 'm'));
    const json = JSON.parse(run('--near', '--json').stdout) as DuplicateGroup[];
    expect(json.map((g) => g.keeperId)).toEqual([coffee()]);
    expect(run('extra').status).not.toBe(0);
  });
});
