import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Asset } from '../../shared/model';
import type { VersionInfo, VersionStack } from '../../shared/versions';
import { createHandlers } from '../../electron/core/api';
import { setFields, timeline, transition } from '../../electron/core/governance/set-fields';
import { listApprovalLog } from '../../electron/core/governance/approvals';
import { Library } from '../../electron/core/library';
import { makeCr2 } from '../fixtures/make-fixtures';
import { cameraFile } from '../helpers/camera';
import { tempDir } from '../helpers/corpus';
import { CLI, freshLibrary } from '../helpers/library';

const BUS = cameraFile('jpg/Canon_40D.jpg');
// Three frames from one Nikon on one day: same camera, same size, same format, different pictures.
const NIKON_A = cameraFile('jpg/gps/DSCN0010.jpg');
const NIKON_B = cameraFile('jpg/gps/DSCN0012.jpg');
const NIKON_C = cameraFile('jpg/gps/DSCN0021.jpg');
const D70 = cameraFile('jpg/Nikon_D70.jpg');

type Ctx = ReturnType<typeof freshLibrary> & { root: string };
let ctx: Ctx;

beforeEach(() => {
  ctx = { ...freshLibrary(), root: tempDir('dam-versions-root-') };
});
afterEach(async () => {
  await ctx.dispose();
  fs.rmSync(ctx.root, { recursive: true, force: true });
});

function put(rel: string, from: string): string {
  const to = path.join(ctx.root, rel);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
  return to;
}

/** Close the library and open its catalogue again, as a new process would. */
async function reopen(): Promise<void> {
  await ctx.lib.close();
  const lib = Library.open(ctx.dir, { workers: 2 });
  const dir = ctx.dir;
  ctx = {
    ...ctx,
    lib,
    async dispose() {
      await lib.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function catalogue(): Promise<void> {
  if (ctx.lib.roots().length === 0) ctx.lib.addRoot(ctx.root);
  await ctx.lib.scan();
}

const asset = (rel: string): Asset => {
  const a = ctx.lib.findAsset(path.join(ctx.root, rel));
  if (!a) throw new Error(`not catalogued: ${rel}`);
  return a;
};
const names = (query: string, lib: Library = ctx.lib) =>
  lib
    .search(query, { limit: 1000 })
    .items.map((a) => a.relPath)
    .sort();
const stackOf = (rel: string): VersionStack => ctx.lib.versions.list(asset(rel).id);
const versionNames = (s: VersionStack) => s.versions.map((v) => v.name);
const current = (s: VersionStack): VersionInfo => s.versions.find((v) => v.current)!;

describe('automatic grouping by name', () => {
  it('stacks _v2, _FINAL_v3, " copy" and "(1)" with their base in one folder, and makes the final one current', async () => {
    put('trip.jpg', NIKON_A);
    put('trip_v2.jpg', NIKON_B);
    put('Trip_FINAL_v3.jpg', NIKON_C);
    put('trip copy.jpg', NIKON_A);
    put('trip (1).jpg', BUS);
    put('other.jpg', D70);
    // Same base, another folder: not a version of these.
    put('sub/trip_v4.jpg', NIKON_B);
    await catalogue();

    const s = stackOf('trip.jpg');
    expect(s.stackId).not.toBeNull();
    expect(versionNames(s).sort()).toEqual(
      ['Trip_FINAL_v3.jpg', 'trip (1).jpg', 'trip copy.jpg', 'trip.jpg', 'trip_v2.jpg'].sort(),
    );
    expect(current(s).name).toBe('Trip_FINAL_v3.jpg');
    expect(s.currentAssetId).toBe(asset('Trip_FINAL_v3.jpg').id);
    expect(new Set(s.versions.map((v) => v.reason))).toEqual(new Set(['name']));
    expect(s.versions.map((v) => v.position)).toEqual([1, 2, 3, 4, 5]);
    expect(stackOf('other.jpg')).toMatchObject({ stackId: null, currentAssetId: asset('other.jpg').id });
    expect(stackOf('sub/trip_v4.jpg').stackId).toBeNull();

    // Asset.stack on every member.
    const final = asset('Trip_FINAL_v3.jpg');
    expect(final.stack).toMatchObject({ id: s.stackId, size: 5, current: true });
    expect(asset('trip.jpg').stack).toMatchObject({ id: s.stackId, size: 5, current: false });
    expect(asset('other.jpg').stack).toBeNull();

    // Search shows the current version only, unless asked.
    expect(names('')).toEqual(['Trip_FINAL_v3.jpg', 'other.jpg', 'sub/trip_v4.jpg']);
    expect(names('trip')).toEqual(['Trip_FINAL_v3.jpg', 'sub/trip_v4.jpg']);
    expect(names('versions:all')).toHaveLength(7);
    expect(names('trip versions:all')).toHaveLength(6);
    expect(names('is:stacked')).toEqual(['Trip_FINAL_v3.jpg']);
    expect(names('is:stacked versions:all')).toHaveLength(5);
    expect(names('-is:stacked')).toEqual(['other.jpg', 'sub/trip_v4.jpg']);
    const inStack = ctx.lib.search(`stack:${s.stackId}`, { limit: 100 });
    // In the stack's own order.
    expect(inStack.items.map((a) => a.name)).toEqual(versionNames(s));
    expect(inStack.total).toBe(5);
    expect(ctx.lib.search('stack:999').total).toBe(0);

    // The history says so.
    const h = timeline(ctx.lib, asset('trip_v2.jpg').id);
    expect(h.some((e) => e.kind === 'content' && e.event === 'stacked')).toBe(true);
  });

  it('pairs a RAW with the JPEG of the same base name, the JPEG current', async () => {
    await makeCr2(ctx.root, 'IMG_0001.CR2');
    put('IMG_0001.JPG', NIKON_A);
    await makeCr2(ctx.root, 'IMG_0002.CR2');
    put('IMG_0003.JPG', NIKON_B);
    await catalogue();
    const s = stackOf('IMG_0001.CR2');
    expect(versionNames(s).sort()).toEqual(['IMG_0001.CR2', 'IMG_0001.JPG']);
    expect(current(s).name).toBe('IMG_0001.JPG');
    expect(s.versions.every((v) => v.reason === 'raw-jpeg')).toBe(true);
    expect(stackOf('IMG_0002.CR2').stackId).toBeNull();
    expect(stackOf('IMG_0003.JPG').stackId).toBeNull();
    expect(names('type:raw')).toEqual(['IMG_0002.CR2']);
    expect(names('type:raw versions:all')).toEqual(['IMG_0001.CR2', 'IMG_0002.CR2']);
  });

  it('groups a file added later and records it; a changed file is not grouped again', async () => {
    put('poster.jpg', NIKON_A);
    await catalogue();
    expect(stackOf('poster.jpg').stackId).toBeNull();
    const seen: number[] = [];
    ctx.lib.events.on('catalog-changed', (e) => seen.push(...e.assetIds));
    put('poster_v2.jpg', NIKON_B);
    await catalogue();
    const s = stackOf('poster.jpg');
    // The earlier version changed too (it is now stacked and hidden): the UI is told.
    expect(seen).toContain(asset('poster.jpg').id);
    expect(versionNames(s)).toEqual(['poster.jpg', 'poster_v2.jpg']);
    expect(current(s).name).toBe('poster_v2.jpg');
    const h = timeline(ctx.lib, asset('poster_v2.jpg').id);
    expect(h.filter((e) => e.kind === 'content').map((e) => (e as { event: string }).event)).toContain(
      'stacked',
    );
  });
});

describe('automatic grouping only of new files', () => {
  it('leaves a known file renamed to a version name alone', async () => {
    put('poster.jpg', NIKON_A);
    put('other.jpg', NIKON_B);
    await catalogue();
    const other = asset('other.jpg').id;
    fs.renameSync(path.join(ctx.root, 'other.jpg'), path.join(ctx.root, 'poster_v2.jpg'));
    await catalogue();
    // The same asset under its new name, and no stack: a rename is not a new version.
    expect(asset('poster_v2.jpg').id).toBe(other);
    expect(stackOf('poster_v2.jpg').stackId).toBeNull();
    expect(stackOf('poster.jpg').stackId).toBeNull();
    // A file arriving later still finds the renamed one by its new name.
    put('poster_v3.jpg', NIKON_C);
    await catalogue();
    expect(versionNames(stackOf('poster.jpg')).sort()).toEqual([
      'poster.jpg',
      'poster_v2.jpg',
      'poster_v3.jpg',
    ]);
  });

  it('finds versions among files catalogued before version stacks existed', async () => {
    put('flyer.jpg', NIKON_A);
    await catalogue();
    // What a catalogue from before migration 4 holds: files without version keys or hashes.
    ctx.lib.db.exec(`DELETE FROM file_version_keys; DELETE FROM file_pixels;`);
    await reopen();
    put('flyer_final.jpg', NIKON_B);
    await catalogue();
    expect(versionNames(stackOf('flyer.jpg'))).toEqual(['flyer.jpg', 'flyer_final.jpg']);
  });
});

describe('automatic grouping by pixels', () => {
  it('stacks a resized re-encoded export and a WebP of a photo onto it, not a different photo', async () => {
    put('DSCN0010.jpg', NIKON_A);
    put('DSCN0012.jpg', NIKON_B);
    await catalogue();
    // Exported later, under names that say nothing.
    await sharp(NIKON_A).resize(320).jpeg({ quality: 70 }).toFile(path.join(ctx.root, 'for-web.jpg'));
    await sharp(NIKON_A).webp({ quality: 80 }).toFile(path.join(ctx.root, 'share.webp'));
    // A different photo exported the same way: no original of it here.
    await sharp(NIKON_C).resize(320).jpeg({ quality: 70 }).toFile(path.join(ctx.root, 'elsewhere.jpg'));
    await catalogue();

    const s = stackOf('DSCN0010.jpg');
    expect(versionNames(s).sort()).toEqual(['DSCN0010.jpg', 'for-web.jpg', 'share.webp']);
    expect(s.versions.every((v) => v.reason === 'pixels')).toBe(true);
    expect(stackOf('DSCN0012.jpg').stackId).toBeNull();
    expect(stackOf('elsewhere.jpg').stackId).toBeNull();
    // The newest added is current.
    expect(current(s).name).toBe('share.webp');
  });

  it('never stacks frames of a burst: same camera, format and size, even when nearly identical', async () => {
    put('DSCN0010.jpg', NIKON_A);
    put('DSCN0012.jpg', NIKON_B);
    put('DSCN0021.jpg', NIKON_C);
    // The next frame of a burst: the same scene a touch brighter, same size and format.
    await sharp(NIKON_A)
      .modulate({ brightness: 1.04 })
      .jpeg({ quality: 90 })
      .toFile(path.join(ctx.root, 'DSCN0011.jpg'));
    await catalogue();
    for (const n of ['DSCN0010.jpg', 'DSCN0011.jpg', 'DSCN0012.jpg', 'DSCN0021.jpg'])
      expect(stackOf(n).stackId, n).toBeNull();
    expect(names('')).toHaveLength(4);
  });

  it('a byte copy under another name in another folder is no export either', async () => {
    put('a/photo.jpg', NIKON_A);
    put('b/duplicate.jpg', NIKON_A);
    await catalogue();
    expect(stackOf('a/photo.jpg').stackId).toBeNull();
    expect(stackOf('b/duplicate.jpg').stackId).toBeNull();
  });
});

describe('the version operations', () => {
  let ids: Record<string, number>;
  let events: number[][];

  beforeEach(async () => {
    put('one.jpg', NIKON_A);
    put('two.jpg', NIKON_B);
    put('three.jpg', NIKON_C);
    put('four.jpg', D70);
    await catalogue();
    ids = Object.fromEntries(['one', 'two', 'three', 'four'].map((n) => [n, asset(`${n}.jpg`).id]));
    events = [];
    ctx.lib.events.on('catalog-changed', (e) => events.push(e.assetIds));
  });

  it('groups (current by the default rule or as chosen), merges stacks, reorders and sets the current', async () => {
    const h = createHandlers(ctx.lib);
    const g = await h['versions.group']({ ids: [ids.one!, ids.two!] });
    expect(g.stackId).not.toBeNull();
    expect(g.versions.map((v) => v.assetId)).toEqual([ids.one, ids.two]);
    expect(g.currentAssetId).toBe(ids.two); // the newest added
    expect(g.versions.every((v) => v.reason === 'manual')).toBe(true);
    expect(events.flat()).toEqual(expect.arrayContaining([ids.one, ids.two]));
    expect(names('')).toEqual(['four.jpg', 'three.jpg', 'two.jpg']);

    // Another stack merges into the first.
    const other = await h['versions.group']({ ids: [ids.three!, ids.four!], currentId: ids.three });
    expect(other.currentAssetId).toBe(ids.three);
    const merged = await h['versions.group']({ ids: [ids.one!, ids.four!] });
    expect(merged.stackId).toBe(g.stackId);
    expect(merged.versions.map((v) => v.assetId).sort()).toEqual(Object.values(ids).sort());
    expect(ctx.lib.search(`stack:${other.stackId}`).total).toBe(0);

    const order = [ids.four!, ids.three!, ids.two!, ids.one!];
    const r = await h['versions.reorder']({ stackId: merged.stackId!, order });
    expect(r.versions.map((v) => v.assetId)).toEqual(order);
    expect(r.versions.map((v) => v.position)).toEqual([1, 2, 3, 4]);
    expect(asset('four.jpg').stack?.position).toBe(1);

    events = [];
    const c = await h['versions.setCurrent']({ id: ids.one! });
    expect(c.currentAssetId).toBe(ids.one);
    expect(current(c).assetId).toBe(ids.one);
    expect(events.flat()).toEqual(expect.arrayContaining(Object.values(ids)));
    expect(names('')).toEqual(['one.jpg']);
    const entries = timeline(ctx.lib, ids.one!).filter((e) => e.kind === 'content');
    expect(entries.map((e) => (e as { event: string }).event)).toEqual(
      expect.arrayContaining(['stacked', 'current']),
    );
  });

  it('ungroups: each stands alone again, and a stack of one dissolves', async () => {
    const h = createHandlers(ctx.lib);
    const g = await h['versions.group']({ ids: [ids.one!, ids.two!, ids.three!] });
    expect(await h['versions.ungroup']({ ids: [ids.three!] })).toEqual({ updated: 1 });
    expect(stackOf('three.jpg').stackId).toBeNull();
    expect(stackOf('one.jpg').versions.map((v) => v.position)).toEqual([1, 2]);
    // The current one left: the default rule picks the next.
    expect(await h['versions.ungroup']({ ids: [ids.two!] })).toEqual({ updated: 1 });
    expect(stackOf('one.jpg').stackId).toBeNull();
    expect(asset('one.jpg').stack).toBeNull();
    expect(ctx.lib.search(`stack:${g.stackId}`).total).toBe(0);
    expect(names('')).toHaveLength(4);
    const h1 = timeline(ctx.lib, ids.one!).filter((e) => e.kind === 'content');
    expect(h1.map((e) => (e as { event: string }).event)).toContain('unstacked');
    // Ungrouping an asset alone changes nothing.
    expect(await h['versions.ungroup']({ ids: [ids.four!] })).toEqual({ updated: 0 });
  });

  it('refuses bad input with clear errors and changes nothing', async () => {
    const v = ctx.lib.versions;
    expect(() => v.group([ids.one!, ids.one!])).toThrow(/at least two different assets/);
    expect(() => v.group([ids.one!, 99999])).toThrow(/no asset 99999/);
    expect(() => v.group([ids.one!, ids.two!], 99999)).toThrow(/no asset 99999/);
    expect(() => v.group([ids.one!, ids.two!], ids.three)).toThrow(/not one of the versions/);
    // The refused group left no stack behind (the transaction rolled back).
    expect(stackOf('one.jpg').stackId).toBeNull();
    expect(() => v.ungroup([99999])).toThrow(/no asset 99999/);
    expect(() => v.setCurrent(ids.one!)).toThrow(/not in a version stack/);
    expect(() => v.setCurrent(99999)).toThrow(/no asset 99999/);
    expect(() => v.list(99999)).toThrow(/no asset 99999/);
    const g = v.group([ids.one!, ids.two!, ids.three!]);
    const sid = g.stackId!;
    expect(() => v.reorder(sid, [ids.one!, ids.two!])).toThrow(new RegExp(`missing: ${ids.three}`));
    expect(() => v.reorder(sid, [ids.one!, ids.two!, ids.three!, ids.one!])).toThrow(/listed twice/);
    expect(() => v.reorder(sid, [ids.one!, ids.two!, ids.four!])).toThrow(/not in stack/);
    expect(() => v.reorder(99999, [ids.one!])).toThrow(/no version stack 99999/);
    // Members new to a stack come in the order they were catalogued.
    expect(stackOf('one.jpg').versions.map((x) => x.assetId)).toEqual(
      [ids.one!, ids.two!, ids.three!].sort((a, b) => a - b),
    );
  });

  it('the contract refuses a group of fewer than two ids', async () => {
    const { dispatch } = await import('../../electron/core/api');
    const h = createHandlers(ctx.lib);
    const res = await dispatch(h, 'versions.group', { ids: [ids.one] });
    expect(res).toMatchObject({ ok: false, error: { message: expect.stringMatching(/ids/) } });
  });
});

describe('a new current version and governance', () => {
  it('goes to review when the previous current was approved, and inherits rights and alt text', async () => {
    const bus = put('bus.jpg', NIKON_A);
    await catalogue();
    const a = asset('bus.jpg');
    await setFields(ctx.lib, a.id, {
      credit: 'North Studio',
      licenseType: 'cc-by',
      altText: 'Red bus at dusk',
    });
    await transition(ctx.lib, a.id, 'submit');
    await transition(ctx.lib, a.id, 'approve');
    expect(asset('bus.jpg').approval.state).toBe('approved');

    put('bus_v2.jpg', NIKON_B);
    await catalogue();
    await ctx.lib.governance.flush();
    const v2 = asset('bus_v2.jpg');
    expect(v2.stack).toMatchObject({ current: true, size: 2 });
    expect(v2.approval.state).toBe('in-review');
    expect(v2.credit).toBe('North Studio');
    expect(v2.rights.licenseType).toBe('cc-by');
    expect(v2.altText).toBe('Red bus at dusk');
    const log = listApprovalLog(ctx.lib.db, v2.id);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ from: 'draft', to: 'in-review', actor: ctx.lib.governance.actor.user });
    expect(log[0]!.comment).toMatch(/bus\.jpg\) was approved/);
    // Inherited through the governance path: history and the sidecar carry it.
    const changes = timeline(ctx.lib, v2.id).filter((e) => e.kind === 'change');
    expect(changes.map((e) => (e as { field: string }).field)).toEqual(
      expect.arrayContaining(['credit', 'licenseType', 'altText']),
    );
    const sidecar = path.join(ctx.root, 'bus_v2.xmp');
    expect(fs.existsSync(sidecar)).toBe(true);
    expect(fs.readFileSync(sidecar, 'utf8')).toMatch(/North Studio/);
    // The old version keeps its own decision, also when chosen as current again.
    expect(asset('bus.jpg').approval.state).toBe('approved');
    ctx.lib.versions.setCurrent(a.id);
    expect(asset('bus.jpg').approval.state).toBe('approved');
    expect(asset('bus.jpg').stack).toMatchObject({ current: true });
    expect(listApprovalLog(ctx.lib.db, a.id)).toHaveLength(2);
    // A draft chosen by hand after an approved one goes to review as well.
    put('night.jpg', NIKON_C);
    await catalogue();
    const night = asset('night.jpg');
    ctx.lib.versions.group([a.id, night.id], a.id);
    expect(asset('night.jpg').stack).toMatchObject({ current: false, size: 3 });
    expect(asset('night.jpg').approval.state).toBe('draft');
    ctx.lib.versions.setCurrent(night.id);
    expect(asset('night.jpg').approval.state).toBe('in-review');
    expect(asset('night.jpg').rights.licenseType).toBe('cc-by');
    expect(fs.existsSync(bus)).toBe(true);
  });

  it('keeps a manual choice through rescans and changes; a genuinely new version takes over', async () => {
    put('logo.jpg', NIKON_A);
    put('logo_v2.jpg', NIKON_B);
    await catalogue();
    expect(current(stackOf('logo.jpg')).name).toBe('logo_v2.jpg');
    ctx.lib.versions.setCurrent(asset('logo.jpg').id);
    // logo_v2 changes on disk (new bytes, same file): not a new version file.
    put('logo_v2.jpg', NIKON_C);
    await catalogue();
    expect(current(stackOf('logo.jpg')).name).toBe('logo.jpg');
    put('logo_v3.jpg', BUS);
    await catalogue();
    expect(current(stackOf('logo.jpg')).name).toBe('logo_v3.jpg');
    // A draft predecessor sends nobody to review.
    expect(asset('logo_v3.jpg').approval.state).toBe('draft');
  });
});

describe('dam versions, group, ungroup and show --json', () => {
  let catalog: string;
  let root: string;
  const dam = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, '--catalog', catalog, ...args], {
      encoding: 'utf8',
      env: { ...process.env, DAM_CATALOG: '' },
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const json = <T>(...args: string[]): T => {
    const r = dam(...args, '--json');
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out) as T;
  };

  beforeAll(() => {
    catalog = tempDir('dam-versions-cat-');
    root = tempDir('dam-versions-cli-');
    fs.copyFileSync(NIKON_A, path.join(root, 'card.jpg'));
    fs.copyFileSync(NIKON_B, path.join(root, 'card_v2.jpg'));
    fs.copyFileSync(NIKON_C, path.join(root, 'alone.jpg'));
    fs.copyFileSync(D70, path.join(root, 'spare.jpg'));
    expect(dam('add-root', root).code).toBe(0);
    expect(dam('scan').code).toBe(0);
  });
  afterAll(() => {
    fs.rmSync(catalog, { recursive: true, force: true });
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('prints a stack as JSON and as text, and show --json carries the versions', () => {
    const s = json<VersionStack>('versions', path.join(root, 'card.jpg'));
    expect(s.stackId).toEqual(expect.any(Number));
    expect(s.versions.map((v) => [v.name, v.current, v.position])).toEqual([
      ['card.jpg', false, 1],
      ['card_v2.jpg', true, 2],
    ]);
    expect(s.versions[0]).toMatchObject({
      reason: 'name',
      approval: 'draft',
      path: path.join(root, 'card.jpg'),
    });
    const text = dam('versions', path.join(root, 'card_v2.jpg'));
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^stack \d+: 2 versions/);
    expect(text.out).toMatch(/2 \*\s+\d+\s+card_v2\.jpg\s+draft/);

    const shown = json<Asset & { versions: VersionInfo[] }>('show', path.join(root, 'card.jpg'));
    expect(shown.versions.map((v) => v.name)).toEqual(['card.jpg', 'card_v2.jpg']);
    expect(shown.stack).toMatchObject({ id: s.stackId, size: 2, current: false, position: 1 });
    // An asset alone lists itself as its one version.
    const alone = json<Asset & { versions: VersionInfo[] }>('show', path.join(root, 'alone.jpg'));
    expect(alone.stack).toBeNull();
    expect(alone.versions).toEqual([
      expect.objectContaining({ assetId: alone.id, current: true, position: 1 }),
    ]);
    expect(json<VersionStack>('versions', String(alone.id))).toMatchObject({
      stackId: null,
      currentAssetId: alone.id,
    });
  });

  it('sets the current version, groups and ungroups; history and search follow', () => {
    const card = path.join(root, 'card.jpg');
    const set = json<VersionStack>('versions', card, '--set-current');
    expect(set.versions.find((v) => v.current)?.name).toBe('card.jpg');
    const found = json<{ items: Asset[] }>('search', 'card');
    expect(found.items.map((a) => a.name)).toEqual(['card.jpg']);

    const spare = path.join(root, 'spare.jpg');
    const g = json<VersionStack>('group', card, spare, '--current', spare);
    expect(g.versions.map((v) => v.name)).toEqual(['card.jpg', 'card_v2.jpg', 'spare.jpg']);
    expect(g.currentAssetId).toBe(json<Asset>('show', spare).id);
    const all = json<{ items: Asset[] }>('search', `stack:${g.stackId}`);
    expect(all.items.map((a) => a.name)).toEqual(['card.jpg', 'card_v2.jpg', 'spare.jpg']);

    const h = dam('history', spare);
    expect(h.out).toMatch(/became the current version/);

    const un = dam('ungroup', spare, path.join(root, 'card_v2.jpg'));
    expect(un.code, un.err).toBe(0);
    expect(un.out).toMatch(/2 assets taken out/);
    expect(json<VersionStack>('versions', card).stackId).toBeNull();
    const hist = json<{ kind: string; event?: string }[]>('history', card);
    expect(hist.filter((e) => e.kind === 'content').map((e) => e.event)).toEqual(
      expect.arrayContaining(['stacked', 'current', 'unstacked']),
    );
  });

  it('refuses bad input with one line and exit 1', () => {
    const self = dam('group', path.join(root, 'alone.jpg'), path.join(root, 'alone.jpg'));
    expect(self.code).toBe(1);
    expect(self.err).toMatch(/at least two different assets/);
    const unknown = dam('group', path.join(root, 'alone.jpg'), '424242');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/no asset 424242/);
    const lone = dam('versions', path.join(root, 'alone.jpg'), '--set-current');
    expect(lone.code).toBe(1);
    expect(lone.err).toMatch(/not in a version stack/);
    expect(dam('ungroup').code).toBe(1);
  });
});
