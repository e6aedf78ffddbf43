import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectionNode } from '../../shared/collections';
import { createHandlers } from '../../electron/core/api';
import { dispatch } from '../../electron/core/api';
import { openCatalog } from '../../electron/core/catalog/open';
import { tempDir } from '../helpers/corpus';
import { CLI, freshLibrary } from '../helpers/library';

// Collections over a real catalogue of real files: made, nested, filled, searched, smart, through
// the core, the contract and the `dam` command.

let ctx: ReturnType<typeof freshLibrary>;
let root: string;
const ids: Record<string, number> = {};

async function photo(name: string, colour: string): Promise<void> {
  await sharp({ create: { width: 64, height: 48, channels: 3, background: colour } })
    .jpeg()
    .toFile(path.join(root, name));
}

beforeAll(async () => {
  ctx = freshLibrary();
  root = tempDir('dam-collections-root-');
  await photo('beach.jpg', '#2277ee');
  await photo('forest.jpg', '#22aa44');
  await photo('sunset.jpg', '#ee6622');
  await photo('portrait.jpg', '#aa7766');
  ctx.lib.addRoot(root);
  await ctx.lib.scan();
  for (const a of ctx.lib.search('').items) ids[a.name.replace('.jpg', '')] = a.id;
});
afterAll(async () => {
  await ctx.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});

const names = (query: string) =>
  ctx.lib
    .search(query)
    .items.map((a) => a.name)
    .sort();

describe('collections', () => {
  it('nest, hold assets in any number of them, and are found by collection: with the ones inside', () => {
    const c = ctx.lib.collections;
    const client = c.create({ name: 'Acme' });
    const spring = c.create({ name: 'Spring campaign', parentId: client.id });
    const shoot = c.create({ name: 'Day 1', parentId: spring.id });
    expect(shoot.path).toBe('Acme/Spring campaign/Day 1');
    expect(c.addAssets(spring.id, [ids.beach!, ids.forest!]).added).toBe(2);
    expect(c.addAssets(shoot.id, [ids.sunset!, ids.beach!]).added).toBe(2);
    // Already in it: not added twice.
    expect(c.addAssets(spring.id, [ids.beach!]).added).toBe(0);

    expect(names('collection:"Spring campaign"')).toEqual(['beach.jpg', 'forest.jpg', 'sunset.jpg']);
    expect(names('collection:"Acme/Spring campaign/Day 1"')).toEqual(['beach.jpg', 'sunset.jpg']);
    expect(names('collection:acme')).toEqual(['beach.jpg', 'forest.jpg', 'sunset.jpg']);
    expect(names('-collection:Acme')).toEqual(['portrait.jpg']);
    expect(names('collection:"Day 1" type:image')).toEqual(['beach.jpg', 'sunset.jpg']);

    const counts = Object.fromEntries(c.list().map((n) => [n.path, n.count]));
    expect(counts).toEqual({ Acme: 3, 'Acme/Spring campaign': 3, 'Acme/Spring campaign/Day 1': 2 });

    expect(c.removeAssets(shoot.id, [ids.sunset!]).removed).toBe(1);
    expect(names('collection:"Day 1"')).toEqual(['beach.jpg']);
  });

  it('refuse what would break the tree or a name, with a clear error', () => {
    const c = ctx.lib.collections;
    const acme = c.find('Acme');
    const day = c.find('Day 1');
    expect(() => c.create({ name: 'acme' })).toThrow(/already a collection named "acme"/);
    expect(() => c.create({ name: 'a/b' })).toThrow(/slash/);
    expect(() => c.create({ name: 'The "best" ones' })).toThrow(/double quote/);
    expect(() => c.update({ id: acme.id, parentId: day.id })).toThrow(/inside itself/);
    expect(() => ctx.lib.search('collection:Acmee')).toThrow(
      /no collection named "Acmee" — did you mean collection:"Acme"/,
    );
  });

  it('smart collections hold what their query finds, stay live, and cannot be filled by hand', async () => {
    const c = ctx.lib.collections;
    const smart = c.create({ name: 'Warm', query: 'name:sunset' });
    expect(names('collection:Warm')).toEqual(['sunset.jpg']);
    expect(() => c.addAssets(smart.id, [ids.beach!])).toThrow(/smart collection/);
    expect(() => c.create({ name: 'Broken', query: 'rating:lots' })).toThrow(/rating/);
    // Live: a new file the query matches is in it after the next scan.
    await photo('sunset-2.jpg', '#ff5511');
    await ctx.lib.scan();
    expect(names('collection:Warm')).toEqual(['sunset-2.jpg', 'sunset.jpg']);
    // A smart collection may name another collection, but not itself.
    const nested = c.create({ name: 'Warm in Acme', query: 'collection:Warm -name:sunset-2' });
    expect(names('collection:"Warm in Acme"')).toEqual(['sunset.jpg']);
    c.update({ id: nested.id, query: 'collection:"Warm in Acme"' });
    expect(() => ctx.lib.search('collection:"Warm in Acme"')).toThrow(/refers back to itself/);
    // The sidebar still lists it, counting nothing, rather than failing the whole list.
    expect(c.list().find((n) => n.id === nested.id)!.count).toBe(0);
    c.remove(nested.id);
  });

  it('go with their assets and their parents, leaving the assets themselves alone', () => {
    const c = ctx.lib.collections;
    const acme = c.find('Acme');
    c.remove(acme.id);
    expect(c.list().map((n) => n.path)).toEqual(['Warm']);
    expect(names('')).toHaveLength(5);
    const db = openCatalog(ctx.dir);
    expect(db.prepare(`SELECT count(*) FROM collection_assets`).pluck().get()).toBe(0);
    db.close();
  });

  it('are operations of the contract, their input validated', async () => {
    const h = createHandlers(ctx.lib);
    const made = await dispatch(h, 'collections.create', { name: 'Picks' });
    expect(made.ok).toBe(true);
    const id = (made as { value: CollectionNode }).value.id;
    expect(await dispatch(h, 'collections.addAssets', { id, ids: [ids.forest!] })).toEqual({
      ok: true,
      value: { added: 1, ids: [ids.forest] },
    });
    const bad = await dispatch(h, 'collections.create', { name: 'x', parentId: -1 });
    expect(bad.ok).toBe(false);
    const missing = await dispatch(h, 'collections.addAssets', { id: 999_999, ids: [1] });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('are made, filled and listed from the command line', () => {
    const dam = (...args: string[]) =>
      spawnSync(process.execPath, [CLI, '--catalog', ctx.dir, ...args], { encoding: 'utf8' });
    expect(dam('collection', 'create', 'Client X').status).toBe(0);
    expect(dam('collection', 'create', 'Shoot', '--parent', 'Client X').stdout).toMatch(
      /created collection "Client X\/Shoot"/,
    );
    const add = dam('collection', 'add', 'Client X/Shoot', path.join(root, 'beach.jpg'), String(ids.forest));
    expect(add.stdout.trim()).toBe('2 assets added to "Shoot"');
    expect(dam('collection', 'list').stdout).toMatch(/^Client X {2}2\n {2}Shoot {2}2$/m);
    const listed = JSON.parse(dam('collection', 'list', '--json').stdout) as CollectionNode[];
    expect(listed.find((n) => n.path === 'Client X/Shoot')).toMatchObject({ count: 2, query: null });
    const found = dam('search', 'collection:"Client X"', '--json');
    expect(
      (JSON.parse(found.stdout) as { items: { name: string }[] }).items.map((a) => a.name).sort(),
    ).toEqual(['beach.jpg', 'forest.jpg']);
    const wrong = dam('collection', 'add', 'Nope', '1');
    expect([wrong.status, wrong.stderr.trim()]).toEqual([1, 'dam: no collection named "Nope"']);
  });
});
