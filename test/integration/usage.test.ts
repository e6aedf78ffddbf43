// Usage figures (issue 12): views from the loupe's operation, downloads from exports, publications
// from the publications table; the reports (most used, never used, licences ending) through the
// contract and `dam report`, and their CSV.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEndpoint } from '../../electron/core/catalog/endpoints.repository';
import { recordPublished } from '../../electron/core/catalog/publications.repository';
import { recordShareEvent } from '../../electron/core/catalog/shares.repository';
import { createHandlers } from '../../electron/core/api';
import { Library } from '../../electron/core/library';
import type { UsageReport } from '../../shared/usage';
import { reportCsv } from '../../shared/usage-csv';
import { makePhoto } from '../fixtures/make-fixtures';
import { tempDir } from '../helpers/corpus';
import { dam } from '../helpers/serve';

const NAMES = ['used.jpg', 'published.jpg', '=SUM(A1).jpg', 'idle.jpg'];
const DAY = 24 * 60 * 60 * 1000;

describe('usage figures', () => {
  const photos = tempDir('dam-usage-photos-');
  const catalog = tempDir('dam-usage-catalog-');
  const out = tempDir('dam-usage-out-');
  let lib: Library;
  const id = new Map<string, number>();

  beforeAll(async () => {
    for (const [i, name] of NAMES.entries()) await makePhoto(photos, name, { seed: 40 + i });
    dam(catalog, 'add-root', photos);
    dam(catalog, 'scan');
    for (const name of NAMES)
      id.set(
        name,
        (JSON.parse(dam(catalog, 'show', path.join(photos, name), '--json')) as { id: number }).id,
      );
    // Two exports of used.jpg and one of the formula-named file: three downloads.
    dam(catalog, 'export', String(id.get('used.jpg')), '--preset', 'thumb', '--to', path.join(out, 'a'));
    dam(
      catalog,
      'export',
      String(id.get('used.jpg')),
      String(id.get('=SUM(A1).jpg')),
      '--preset',
      'thumb',
      '--to',
      path.join(out, 'b.zip'),
    );
    dam(
      catalog,
      'set',
      String(id.get('published.jpg')),
      `licenseEnd=${new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10)}`,
    );
    // A share link of a collection holding used.jpg; its visitor downloads the file once.
    dam(catalog, 'collection', 'create', 'Client');
    dam(catalog, 'collection', 'add', 'Client', String(id.get('used.jpg')));
    dam(catalog, 'share', 'create', 'Client', '--download', 'original');
    lib = Library.open(catalog);
    const share = lib.db.prepare(`SELECT id FROM shares`).pluck().get() as number;
    recordShareEvent(lib.db, share, 'download', id.get('used.jpg')!, Date.now());
    // A delivered copy, as the publish job records it (its delivery is tested against WordPress elsewhere).
    const endpoint = insertEndpoint(lib.db, {
      name: 'site',
      type: 'wordpress',
      url: 'http://127.0.0.1:9/',
      user: 'editor',
      channel: 'web',
      select: '',
      preset: null,
      fieldMap: {},
      required: [],
      delivery: 'manual',
      options: {},
    });
    recordPublished(lib.db, id.get('published.jpg')!, endpoint, {
      remoteId: '17',
      url: 'http://127.0.0.1:9/wp-content/uploads/published.jpg',
      versionHash: 'a'.repeat(64),
      fieldsHash: 'b'.repeat(64),
      by: 'ana',
      warnings: [],
    });
  }, 120_000);
  afterAll(async () => {
    await lib?.close();
    for (const d of [photos, catalog, out]) fs.rmSync(d, { recursive: true, force: true });
  });

  it('counts a view once per person within half an hour, and refuses an unknown asset', async () => {
    const h = createHandlers(lib);
    const used = id.get('used.jpg')!;
    expect(await h['usage.viewed']({ id: used })).toEqual({ recorded: true });
    expect(await h['usage.viewed']({ id: used })).toEqual({ recorded: false });
    await expect(Promise.resolve().then(() => h['usage.viewed']({ id: 999_999 }))).rejects.toThrow(
      /no asset/,
    );
    const u = await h['usage.asset']({ id: used });
    expect(u.totals).toEqual({ views: 1, downloads: 3, shares: 1, publications: 0 });
    expect(u.events.map((e) => [e.kind, e.detail])).toEqual(
      expect.arrayContaining([
        ['view', 'app'],
        ['download', 'export'],
        ['share', 'link "Client"'],
        ['download', 'link "Client"'],
      ]),
    );
    expect(u.events[0]!.by).toBe(lib.governance.actor.user);
  });

  it('shows the figures in dam show --json', () => {
    const shown = JSON.parse(dam(catalog, 'show', String(id.get('published.jpg')), '--json')) as {
      usage: { publications: number; views: number; lastUsedAt: number | null };
    };
    expect(shown.usage).toMatchObject({ publications: 1, views: 0 });
    expect(shown.usage.lastUsedAt).toBeGreaterThan(0);
  });

  it('reports the most used first, with every kind of use', async () => {
    const r = await createHandlers(lib)['usage.report']({ kind: 'usage' });
    expect(r.rows.map((x) => [x.name, x.views, x.downloads, x.publications])).toEqual([
      ['used.jpg', 1, 3, 0],
      // One use each: the most recent first (the copy was published after the exports).
      ['published.jpg', 0, 0, 1],
      ['=SUM(A1).jpg', 0, 1, 0],
    ]);
    const month = new Date().toISOString().slice(0, 7);
    expect(r.months).toEqual([{ month, views: 1, downloads: 4, shares: 1, publications: 1 }]);
    const cli = JSON.parse(dam(catalog, 'report', 'usage', '--json')) as UsageReport;
    expect(cli.rows.map((x) => x.assetId)).toEqual(r.rows.map((x) => x.assetId));
  });

  it('reports what was never used, and from later on, what has not been used since', () => {
    expect(lib.usage.report('unused').rows).toEqual([]); // everything was catalogued today
    const later = lib.usage.report('unused', { months: 1, now: Date.now() + 45 * DAY }).rows;
    // Never used first, then the longest unused.
    expect(later[0]).toMatchObject({ name: 'idle.jpg', lastUsedAt: null, views: 0 });
    expect(later.map((x) => x.name).sort()).toEqual([...NAMES].sort());
    expect(later.find((x) => x.name === 'used.jpg')).toMatchObject({ views: 1, downloads: 3, shares: 1 });
  });

  it('reports published assets whose licence ends soon, with where they are published', () => {
    const r = JSON.parse(dam(catalog, 'report', 'expiring', '--days', '30', '--json')) as UsageReport;
    expect(r.expiring).toEqual([
      {
        assetId: id.get('published.jpg'),
        name: 'published.jpg',
        licenseEnd: new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10),
        endpoints: ['site'],
      },
    ]);
    expect(
      (JSON.parse(dam(catalog, 'report', 'expiring', '--days', '5', '--json')) as UsageReport).expiring,
    ).toEqual([]);
  });

  it('writes CSV a spreadsheet opens as data, never as a formula', () => {
    const csv = dam(catalog, 'report', 'usage', '--csv');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toBe('asset_id,name,views,downloads,shares,publications,last_used');
    expect(lines).toHaveLength(4);
    expect(csv).toContain(`${id.get('=SUM(A1).jpg')},'=SUM(A1).jpg,0,1,0,0,`);
    expect(reportCsv(lib.usage.report('usage')).trimEnd()).toBe(csv.trimEnd());
    expect(csv).toContain('\r\n');
  });

  it('refuses a report it does not know and out-of-range figures, with a clear line', async () => {
    expect(() => dam(catalog, 'report', 'popular')).toThrow(/report expects one of usage, unused, expiring/);
    expect(() => dam(catalog, 'report', 'unused', '--months', '0')).toThrow(
      /--months expects a whole number/,
    );
    const { operations } = await import('../../shared/contract');
    expect(operations['usage.report'].input.safeParse({ kind: 'usage', months: 9999 }).success).toBe(false);
    expect(operations['usage.report'].input.safeParse({ kind: 'all' }).success).toBe(false);
  });
});
