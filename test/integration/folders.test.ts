import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../electron/core/api';
import { tempDir } from '../helpers/corpus';
import { freshLibrary } from '../helpers/library';

describe('roots.folders', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let root: string;
  let rootId: number;
  const call = (input: unknown) => dispatch(createHandlers(ctx.lib), 'roots.folders', input);

  beforeAll(async () => {
    ctx = freshLibrary();
    root = tempDir('dam-folders-');
    const files = [
      'top.txt',
      '2024/a.txt',
      '2024/b.txt',
      '2024/05/c.txt',
      '2024/05/x/d.txt',
      '2024-old/e.txt',
      'B/f.txt',
      // Names that sort between "B" and "B/…", a folder holding only folders, and a name past U+FFFF.
      'B c/g.txt',
      'B-d/deep/h.txt',
      '📷/i.txt',
      // More children than the skip-scan takes: the grouped pass answers this level.
      ...Array.from({ length: 240 }, (_, i) => `many/shoot ${i + 1}/j.txt`),
      'many/shoot 7/picks/k.txt',
    ];
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      fs.writeFileSync(path.join(root, f), f);
    }
    rootId = ctx.lib.addRoot(root).id;
    await ctx.lib.scan();
  });
  afterAll(async () => {
    await ctx.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('lists one level at a time, counting everything below each folder', async () => {
    const top = await call({ rootId });
    expect(top).toEqual({
      ok: true,
      value: [
        { rootId, path: '📷', name: '📷', count: 1, hasChildren: false },
        { rootId, path: '2024', name: '2024', count: 4, hasChildren: true },
        { rootId, path: '2024-old', name: '2024-old', count: 1, hasChildren: false },
        { rootId, path: 'B', name: 'B', count: 1, hasChildren: false },
        { rootId, path: 'B c', name: 'B c', count: 1, hasChildren: false },
        { rootId, path: 'B-d', name: 'B-d', count: 1, hasChildren: true },
        { rootId, path: 'many', name: 'many', count: 241, hasChildren: true },
      ],
    });
    // '2024-old' sorts inside the range of '2024' without the trailing slash: it must not leak in.
    const inside = await call({ rootId, parent: '2024' });
    expect(inside).toEqual({
      ok: true,
      value: [{ rootId, path: '2024/05', name: '05', count: 2, hasChildren: true }],
    });
    const deeper = await call({ rootId, parent: '/2024/05/' });
    expect(deeper).toEqual({
      ok: true,
      value: [{ rootId, path: '2024/05/x', name: 'x', count: 1, hasChildren: false }],
    });
    expect(await call({ rootId, parent: 'nowhere' })).toEqual({ ok: true, value: [] });
    expect(await call({ rootId, parent: 'B-d' })).toEqual({
      ok: true,
      value: [{ rootId, path: 'B-d/deep', name: 'deep', count: 1, hasChildren: false }],
    });
  });

  it('answers a level with hundreds of folders in one grouped pass, with the same counts', async () => {
    const res = await call({ rootId, parent: 'many' });
    if (!res.ok) throw new Error(res.error.message);
    const level = res.value as { name: string; count: number; hasChildren: boolean }[];
    expect(level).toHaveLength(240);
    // Numeric order, as a file manager shows it: "shoot 2" before "shoot 10".
    expect(level.slice(0, 3).map((f) => f.name)).toEqual(['shoot 1', 'shoot 2', 'shoot 3']);
    expect(level.find((f) => f.name === 'shoot 7')).toMatchObject({ count: 2, hasChildren: true });
    expect(level.filter((f) => f.hasChildren).map((f) => f.name)).toEqual(['shoot 7']);
    expect(level.reduce((n, f) => n + f.count, 0)).toBe(241);
  });

  it('refuses malformed input with a typed error', async () => {
    const bad = await call({ rootId, parent: 7 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const extra = await call({ rootId, depth: 3 });
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});
