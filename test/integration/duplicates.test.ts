import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePhoto } from '../fixtures/make-fixtures';
import { tempDir } from '../helpers/corpus';
import { freshLibrary } from '../helpers/library';

// The same bytes catalogued at two paths (a copy on another drive, a second import): each copy
// names the other, `is:duplicate` finds them, and a copy that went missing no longer counts.
describe('identical files in two roots', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let a: string;
  let b: string;
  const names = (q: string) =>
    ctx.lib
      .search(q)
      .items.map((i) => path.relative(path.dirname(a), i.path))
      .sort();

  beforeAll(async () => {
    ctx = freshLibrary();
    a = fs.realpathSync(tempDir('dam-dup-a-'));
    b = fs.realpathSync(tempDir('dam-dup-b-'));
    await makePhoto(a, 'pier.jpg', { seed: 7 });
    fs.mkdirSync(path.join(b, 'backup'));
    fs.copyFileSync(path.join(a, 'pier.jpg'), path.join(b, 'backup', 'pier copy.jpg'));
    await makePhoto(a, 'dunes.jpg', { seed: 8 });
    await makePhoto(b, 'cliffs.jpg', { seed: 9 });
    ctx.lib.addRoot(a);
    ctx.lib.addRoot(b);
    await ctx.lib.scan();
  });

  afterAll(async () => {
    await ctx.dispose();
    fs.rmSync(a, { recursive: true, force: true });
    fs.rmSync(b, { recursive: true, force: true });
  });

  it('finds both copies with is:duplicate, and only them', () => {
    const rel = (root: string, p: string) => path.relative(path.dirname(a), path.join(root, p));
    expect(names('is:duplicate')).toEqual([rel(a, 'pier.jpg'), rel(b, 'backup/pier copy.jpg')].sort());
    expect(names('-is:duplicate')).toEqual([rel(a, 'dunes.jpg'), rel(b, 'cliffs.jpg')].sort());
  });

  it('lists the other locations on each copy', () => {
    const [pier] = ctx.lib.search('name:pier.jpg').items;
    const [copy] = ctx.lib.search('name:"pier copy.jpg"').items;
    expect(pier!.duplicates).toEqual([
      { assetId: copy!.id, rootId: copy!.rootId, path: path.join(b, 'backup', 'pier copy.jpg') },
    ]);
    expect(copy!.duplicates.map((d) => d.path)).toEqual([path.join(a, 'pier.jpg')]);
    const [dunes] = ctx.lib.search('name:dunes.jpg').items;
    expect(dunes!.duplicates).toEqual([]);
  });

  it('stops counting a copy once it is missing from disk (the missing one still says where its bytes are)', async () => {
    fs.rmSync(path.join(b, 'backup', 'pier copy.jpg'));
    await ctx.lib.scan();
    const [pier] = ctx.lib.search('name:pier.jpg').items;
    expect(pier!.duplicates).toEqual([]);
    const [gone] = ctx.lib.search('name:"pier copy.jpg" is:missing').items;
    expect(gone!.duplicates.map((d) => d.path)).toEqual([path.join(a, 'pier.jpg')]);
    expect(names('is:duplicate')).toEqual([path.relative(path.dirname(a), gone!.path)]);
  });
});
