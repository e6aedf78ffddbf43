import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useDirectus } from '../helpers/directus';
import { PublishBench } from '../helpers/publish-cli';

interface DxFile {
  id: string;
  title: string | null;
  description: string | null;
  filename_download: string;
  folder: string | null;
  alt_text?: string | null;
  credit?: string | null;
  license?: string | null;
  license_end?: string | null;
  tessera_asset_id?: string | null;
  tessera_version?: string | null;
}

// Publishing to a Directus files library: a real Directus 11.3.5 (from npm, SQLite, on a loopback
// port; te../helpers/directus.ts), driven through the CLI with a static token. Custom fields are
// made on `endpoint test`, the file is replaced in place (same id, same URL) by a new version,
// deleted when its licence ends, found again after a kill -9 between upload and commit, and a wrong
// token is refused with a clear reason.
const EDITOR_TOKEN = 'editor-token-8f3a1c';

describe('publishing to Directus', () => {
  const dx = useDirectus();
  const bench = new PublishBench({ DAM_PUBLISH_TIMEOUT_MS: '20000', DAM_PUBLISH_WAIT_MS: '300' });

  /** The files Directus holds for an asset (by the tie field Tessera writes). */
  const filesOf = async (assetId: number): Promise<DxFile[]> => {
    const filter = encodeURIComponent(JSON.stringify({ tessera_asset_id: { _eq: String(assetId) } }));
    const r = await dx.site.api('GET', `/files?filter=${filter}&fields=*`);
    expect(r.status).toBe(200);
    return (r.json as { data: DxFile[] }).data;
  };
  const redOverBlue = async (bytes: Buffer) => {
    const { channels } = await sharp(bytes).stats();
    return channels[0]!.mean - channels[2]!.mean;
  };

  beforeAll(async () => {
    await bench.setUp({ 'Harbour Café.jpg': '#c33', 'ferry.jpg': '#3c3', 'tram.jpg': '#cc3' });
  });
  afterAll(() => bench.cleanUp());

  it('with a token that may not add fields: a warning naming them, and a delivery whose read-back says what was dropped', async () => {
    // An editor: files and folders only (a policy of its own), no schema changes.
    const policy = await dx.site.api('POST', '/policies', {
      name: 'Files only',
      app_access: false,
      admin_access: false,
    });
    const policyId = (policy.json as { data: { id: string } }).data.id;
    for (const collection of ['directus_files', 'directus_folders'])
      for (const action of ['create', 'read', 'update', 'delete'])
        expect(
          (
            await dx.site.api('POST', '/permissions', {
              policy: policyId,
              collection,
              action,
              fields: ['*'],
              permissions: {},
            })
          ).status,
        ).toBe(200);
    const user = await dx.site.api('POST', '/users', {
      email: 'editor@example.com',
      token: EDITOR_TOKEN,
      status: 'active',
    });
    const userId = (user.json as { data: { id: string } }).data.id;
    expect((await dx.site.api('POST', '/access', { user: userId, policy: policyId })).status).toBe(200);
    const add = await bench.run(
      [
        'endpoint',
        'add',
        'editor',
        '--type',
        'directus',
        '--url',
        dx.site.url,
        '--password-stdin',
        '--manual',
      ],
      EDITOR_TOKEN,
    );
    expect(add.status, add.stderr).toBe(0);

    const test = (await bench.run(['endpoint', 'test', 'editor'])).stdout;
    expect(test).toMatch(
      /as the token's user; warning: directus_files has no field alt_text, credit, creator, license, license_end, tessera_asset_id, tessera_version, tessera_origin and this token may not add them/,
    );
    const name = 'tram.jpg';
    await bench.dam(
      'set',
      bench.file(name),
      'credit=North Studio',
      'licenseType=cc-by',
      'altText=A yellow tram',
    );
    await bench.dam('submit', bench.file(name));
    await bench.dam('approve', bench.file(name));
    const out = await bench.run(['publish', bench.file(name), '--to', 'editor', '--json']);
    expect(out.status, out.stderr).toBe(0);
    const [pub] = (await bench.publications(name)).filter((p) => p.endpoint === 'editor');
    expect(pub).toMatchObject({ state: 'published' });
    expect(pub!.warnings).toEqual(
      expect.arrayContaining(['the CMS dropped alt_text', 'the CMS dropped credit']),
    );
    // Found again by its file name (no asset id field): a second run makes no second file.
    const byName = async () => {
      const all = (await dx.site.api('GET', '/files?fields=*&limit=-1')).json as { data: DxFile[] };
      const mine = all.data.filter((f) => f.filename_download.endsWith(`-${tramId}-tram.jpg`));
      return mine;
    };
    const tramId = await bench.idOf(name);
    expect(await byName()).toHaveLength(1);
    await bench.dam('set', bench.file(name), 'title=Yellow tram');
    expect((await bench.run(['publish', bench.file(name), '--to', 'editor'])).status).toBe(0);
    const files = await byName();
    expect(files).toMatchObject([{ id: pub!.remoteId, title: 'Yellow tram' }]);
    // Retired: pulled with the editor's token, so the tests below start from an empty library.
    await bench.dam('retire', bench.file(name));
    expect(await bench.sync()).toMatchObject({ retracted: 1 });
    expect(await byName()).toEqual([]);
    await bench.dam('endpoint', 'remove', 'editor');
  });

  it('tests the connection (making its custom fields), publishes with the fields read back into them', async () => {
    const add = await bench.run(
      [
        'endpoint',
        'add',
        'library',
        '--type',
        'directus',
        '--url',
        dx.site.url,
        '--password-stdin',
        '--folder',
        'Web',
      ],
      dx.site.token,
    );
    expect(add.status, add.stderr).toBe(0);
    const test = await bench.dam('endpoint', 'test', 'library');
    expect(test).toMatch(
      /logged in to .* as admin@example\.com; made the fields .*alt_text.*tessera_asset_id/,
    );
    const fields = await dx.site.api('GET', '/fields/directus_files');
    const names = (fields.json as { data: { field: string }[] }).data.map((f) => f.field);
    for (const f of ['alt_text', 'credit', 'license', 'license_end', 'tessera_asset_id', 'tessera_version'])
      expect(names).toContain(f);
    // Asked again: nothing left to make.
    expect(await bench.dam('endpoint', 'test', 'library')).not.toMatch(/made the fields/);

    const name = 'Harbour Café.jpg';
    await bench.approve(name, [
      'title=Harbour at noon',
      'description=Boats in the harbour',
      'licenseEnd=2099-12-31',
    ]);
    expect(await bench.sync()).toMatchObject({ published: 1, failed: 0 });
    const id = await bench.idOf(name);
    const [file, ...more] = await filesOf(id);
    expect(more).toEqual([]);
    expect(file).toMatchObject({
      title: 'Harbour at noon',
      description: 'Boats in the harbour — Credit: North Studio',
      alt_text: `${name} in the rain`,
      credit: 'North Studio',
      license: 'cc-by',
      license_end: '2099-12-31',
      tessera_version: await bench.contentHash(name),
    });
    expect(file!.filename_download).toMatch(new RegExp(`-${id}-harbour-cafe\\.jpg$`));
    const folder = await dx.site.api('GET', `/folders/${file!.folder}`);
    expect((folder.json as { data: { name: string } }).data.name).toBe('Web');
    const [pub] = await bench.publications(name);
    expect(pub).toMatchObject({
      state: 'published',
      remoteId: file!.id,
      url: `${dx.site.url}/assets/${file!.id}`,
      warnings: [],
    });
    const served = await dx.site.asset(file!.id);
    expect(Buffer.isBuffer(served)).toBe(true);
    expect(await redOverBlue(served as Buffer)).toBeGreaterThan(50);

    // An edit reaches the same file's fields.
    await bench.dam('set', bench.file(name), 'altText=Red boats at noon');
    expect(await bench.sync()).toMatchObject({ published: 1, failed: 0 });
    expect(await filesOf(id)).toMatchObject([{ id: file!.id, alt_text: 'Red boats at noon' }]);
  });

  it('replaces a new version in place (same id and URL, new bytes) and deletes the file when the licence ends', async () => {
    const name = 'Harbour Café.jpg';
    const id = await bench.idOf(name);
    const [before] = await filesOf(id);
    await bench.newVersion(name, '#36c');
    expect(await bench.sync()).toMatchObject({ replaced: 1, failed: 0 });
    const after = await filesOf(id);
    expect(after.map((f) => f.id)).toEqual([before!.id]);
    expect(after[0]!.tessera_version).toBe(await bench.contentHash(name));
    const served = await dx.site.asset(before!.id);
    expect(await redOverBlue(served as Buffer)).toBeLessThan(-50);
    const pubs = await bench.publications(name);
    expect(pubs.find((p) => p.state === 'published')).toMatchObject({
      remoteId: before!.id,
      url: `${dx.site.url}/assets/${before!.id}`,
    });

    await bench.dam('set', bench.file(name), 'licenseEnd=2020-01-31');
    expect(await bench.sync()).toMatchObject({ retracted: 1 });
    expect(await filesOf(id)).toEqual([]);
    expect(await dx.site.asset(before!.id)).not.toBeInstanceOf(Buffer);
  });

  it('never makes a second file when killed between the upload and its commit (kill -9)', async () => {
    const name = 'ferry.jpg';
    const id = await bench.idOf(name);
    await bench.dam(
      'set',
      bench.file(name),
      'credit=North Studio',
      'licenseType=cc-by',
      'altText=A green ferry',
    );
    await bench.dam('submit', bench.file(name));
    await bench.dam('approve', bench.file(name));
    const crashed = await bench.run(['sync', '--json'], '', { DAM_TEST_CRASH_AT: 'after-upload' });
    expect(crashed.status).toBe(null);
    const uploaded = await filesOf(id);
    expect(uploaded).toHaveLength(1);
    expect((await bench.publications(name)).filter((p) => p.state === 'published')).toEqual([]);

    expect(await bench.sync()).toMatchObject({ published: 1, failed: 0 });
    expect((await filesOf(id)).map((f) => f.id)).toEqual([uploaded[0]!.id]);
    expect(await bench.publications(name)).toMatchObject([{ state: 'published', remoteId: uploaded[0]!.id }]);

    // Killed again after the upload of a new version (its PATCH): still that one file, then replaced.
    await bench.newVersion(name, '#c3c');
    const again = await bench.run(['sync', '--json'], '', { DAM_TEST_CRASH_AT: 'after-upload' });
    expect(again.status).toBe(null);
    expect(await bench.sync()).toMatchObject({ failed: 0 });
    const now = await filesOf(id);
    expect(now.map((f) => f.id)).toEqual([uploaded[0]!.id]);
    expect(now[0]!.tessera_version).toBe(await bench.contentHash(name));
  });

  it('refuses a wrong token clearly, uploads nothing with it, and keeps the token out of every output', async () => {
    const add = await bench.run(
      [
        'endpoint',
        'add',
        'wrong',
        '--type',
        'directus',
        '--url',
        dx.site.url,
        '--password-stdin',
        '--manual',
      ],
      'not-the-token-123',
    );
    expect(add.status, add.stderr).toBe(0);
    const test = await bench.run(['endpoint', 'test', 'wrong']);
    expect(test.stdout + test.stderr).toMatch(/wrong: .*refused the token: .*\(HTTP 401\)/);
    const count = async () =>
      ((await dx.site.api('GET', '/files?aggregate[count]=*')).json as { data: [{ count: number | string }] })
        .data[0].count;
    const files = Number(await count());
    const out = await bench.run(['publish', bench.file('ferry.jpg'), '--to', 'wrong']);
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/→ wrong: failed \(.*refused the token: .*\(HTTP 401\)\)/);
    expect(Number(await count())).toBe(files);

    const printed = [...bench.printed, await bench.dam('endpoint', 'list', '--json')];
    for (const text of printed) expect(text.includes(dx.site.token)).toBe(false);
    for (const f of fs.readdirSync(bench.cat).filter((n) => n.startsWith('catalog.db'))) {
      const bytes = fs.readFileSync(path.join(bench.cat, f)).toString('latin1');
      expect(bytes.includes(dx.site.token), f).toBe(false);
    }
  });
});
