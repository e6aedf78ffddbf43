import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZipDirectory, readZipEntry } from '../../electron/core/formats/zip';
import { bufferSource } from '../../electron/core/formats/byte-source';
import { tempDir } from '../helpers/corpus';
import { CLI, PROJECT } from '../helpers/library';
import { restUrl, useWordPress } from '../helpers/wordpress';

// Publishing to a real WordPress with the companion plugin (resources/wordpress/tessera-dam)
// installed and active: the credit, licence, expiry and asset id arrive as registered meta and read
// back; a new version approved replaces the file in place (same attachment id and URL, the served
// bytes change, posts are not touched); the plugin lists where an attachment is used.
describe('publishing to WordPress with the companion plugin', () => {
  const wp = useWordPress({ plugin: true });
  let work: string;
  let cat: string;
  let photos: string;

  function dam(...args: string[]): string {
    const r = spawnSync(process.execPath, [CLI, '--catalog', cat, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`dam ${args.join(' ')} (${r.status}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  }
  const damJson = <T>(...args: string[]): T => JSON.parse(dam(...args, '--json')) as T;
  const file = (n: string) => path.join(photos, n);
  const idOf = (name: string) => damJson<{ id: number }>('show', file(name)).id;
  async function photo(name: string, colour: string, width = 900, height = 600): Promise<void> {
    await sharp({ create: { width, height, channels: 3, background: colour } })
      .jpeg({ quality: 90 })
      .toFile(file(name));
  }
  async function served(url: string): Promise<{ bytes: Buffer; red: number; blue: number }> {
    const res = await fetch(url, { cache: 'no-store' });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    const { channels } = await sharp(bytes).stats();
    return { bytes, red: channels[0]!.mean, blue: channels[2]!.mean };
  }
  interface Media {
    id: number;
    slug: string;
    source_url: string;
    meta: Record<string, string>;
    media_details: { sizes: Record<string, { source_url: string }> };
  }
  const media = async (id: number) =>
    (await wp.site.rest('GET', `/wp/v2/media/${id}?context=edit`)).json as Media;

  beforeAll(async () => {
    work = tempDir('dam-wp-plugin-');
    cat = path.join(work, 'catalog');
    photos = path.join(work, 'photos');
    fs.mkdirSync(photos);
    await photo('bus.jpg', '#c33');
    dam('add-root', photos);
    dam('scan');
    const add = spawnSync(
      process.execPath,
      [
        CLI,
        '--catalog',
        cat,
        'endpoint',
        'add',
        'site',
        '--type',
        'wordpress',
        '--url',
        wp.site.url,
        '--user',
        wp.site.user,
        '--password-stdin',
      ],
      { encoding: 'utf8', input: wp.site.appPassword },
    );
    expect(add.status, add.stderr).toBe(0);
  });
  afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('packages the plugin as an installable zip with one tessera-dam/ folder', async () => {
    const zip = path.join(work, 'tessera-dam.zip');
    const r = spawnSync('npm', ['run', '--silent', 'wp-plugin', '--', zip], {
      cwd: PROJECT,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const src = bufferSource(fs.readFileSync(zip));
    const entries = await readZipDirectory(src);
    expect([...entries.keys()].sort()).toEqual([
      'tessera-dam/LICENSE',
      'tessera-dam/media-filter.js',
      'tessera-dam/readme.txt',
      'tessera-dam/tessera-dam.php',
    ]);
    const main = (await readZipEntry(src, entries.get('tessera-dam/tessera-dam.php')!)).toString('utf8');
    expect(main).toMatch(/Plugin Name:\s+Tessera DAM/);
    expect(main).toMatch(/License:\s+MIT/);
  });

  it('sends credit, licence, expiry and asset id as registered meta, which read back', async () => {
    const bus = idOf('bus.jpg');
    dam(
      'set',
      file('bus.jpg'),
      'credit=North Studio',
      'licenseType=cc-by',
      'licenseEnd=2099-12-31',
      'altText=A red bus at dusk',
      'title=Red bus',
    );
    dam('submit', file('bus.jpg'));
    dam('approve', file('bus.jpg'));
    expect(JSON.parse(dam('sync', '--json'))).toEqual({
      published: 1,
      replaced: 0,
      retracted: 0,
      refused: 0,
      failed: 0,
    });
    const [pub] = damJson<{ remoteId: string; state: string; warnings: string[] }[]>(
      'publications',
      file('bus.jpg'),
    );
    expect(pub).toMatchObject({ state: 'published', warnings: [] });
    const m = await media(Number(pub!.remoteId));
    expect(m.meta).toMatchObject({
      tessera_credit: 'North Studio',
      tessera_licence: 'cc-by',
      tessera_expiry: '2099-12-31',
      tessera_asset_id: String(bus),
    });
    // "From the DAM": only what carries an asset id, over REST as in the media library.
    const other = await fetch(restUrl(wp.site.url, '/wp/v2/media'), {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${wp.site.user}:${wp.site.appPassword}`).toString('base64')}`,
        'content-type': 'image/jpeg',
        'content-disposition': 'attachment; filename="typed-in.jpg"',
      },
      body: new Uint8Array(fs.readFileSync(file('bus.jpg'))),
    });
    expect(other.status).toBe(201);
    const all = (await wp.site.rest('GET', '/wp/v2/media?per_page=100')).json as { id: number }[];
    const fromDam = (await wp.site.rest('GET', '/wp/v2/media?per_page=100&tessera_dam=1')).json as {
      id: number;
    }[];
    expect(all).toHaveLength(2);
    expect(fromDam.map((x) => x.id)).toEqual([m.id]);

    // A credit edit reaches the meta of the copy there.
    dam('set', file('bus.jpg'), 'credit=North Studio / Agency');
    expect(JSON.parse(dam('sync', '--json'))).toMatchObject({ published: 1, failed: 0 });
    expect((await media(m.id)).meta.tessera_credit).toBe('North Studio / Agency');
  });

  it('replaces the file in place when a new version is approved: same id and URL, new bytes, posts untouched', async () => {
    const [pub] = damJson<{ remoteId: string; url: string }[]>('publications', file('bus.jpg'));
    const before = await media(Number(pub!.remoteId));
    const large = Object.values(before.media_details.sizes)[0]!.source_url;
    const content =
      `<!-- wp:image {"id":${before.id},"sizeSlug":"medium"} --><figure class="wp-block-image size-medium">` +
      `<img src="${large}" alt="" class="wp-image-${before.id}"/></figure><!-- /wp:image -->`;
    const post = await wp.site.rest('POST', '/wp/v2/posts', { title: 'Buses', content, status: 'publish' });
    expect(post.status).toBe(201);
    const { id: postId, link } = post.json as { id: number; link: string };
    const postBefore = (await wp.site.rest('GET', `/wp/v2/posts/${postId}?context=edit`)).json as {
      content: { raw: string };
      modified_gmt: string;
    };
    const old = await served(before.source_url);
    expect(old.red).toBeGreaterThan(old.blue);

    // The plugin lists the post as a place the image is used.
    const usage = await wp.site.rest('GET', `/tessera/v1/usage/${before.id}`);
    expect(usage.status).toBe(200);
    expect(usage.json).toEqual([
      expect.objectContaining({ id: postId, type: 'post', title: 'Buses', how: 'content' }),
    ]);

    // A new version (blue) approved: replaced in place.
    await photo('bus.jpg', '#36c');
    dam('scan');
    dam('approve', file('bus.jpg'));
    expect(JSON.parse(dam('sync', '--json'))).toMatchObject({ replaced: 1, failed: 0 });

    const after = await media(before.id);
    expect(after.id).toBe(before.id);
    expect(after.source_url).toBe(before.source_url);
    expect(after.meta.tessera_asset_id).toBe(before.meta.tessera_asset_id);
    const now = await served(before.source_url);
    expect(now.bytes.equals(old.bytes)).toBe(false);
    expect(now.blue).toBeGreaterThan(now.red);
    // The size variant the post embeds is made again from the new version, at the same URL.
    const variant = await served(large);
    expect(variant.blue).toBeGreaterThan(variant.red);
    // Exactly one media item of the asset, and the post is as it was.
    const fromDam = (await wp.site.rest('GET', '/wp/v2/media?per_page=100&tessera_dam=1')).json as unknown[];
    expect(fromDam).toHaveLength(1);
    const postAfter = (await wp.site.rest('GET', `/wp/v2/posts/${postId}?context=edit`)).json as {
      content: { raw: string };
      modified_gmt: string;
    };
    expect(postAfter.content.raw).toBe(postBefore.content.raw);
    expect(postAfter.modified_gmt).toBe(postBefore.modified_gmt);
    const page = await (await fetch(link)).text();
    expect(page).toContain(large);

    const pubs = damJson<{ state: string; remoteId: string; url: string; versionHash: string }[]>(
      'publications',
      file('bus.jpg'),
    );
    const hash = damJson<{ contentHash: string }>('show', file('bus.jpg')).contentHash;
    expect(pubs.map((p) => [p.state, p.remoteId, p.url])).toEqual([
      ['published', String(before.id), before.source_url],
      ['replaced', String(before.id), before.source_url],
    ]);
    expect(pubs[0]!.versionHash).toBe(hash);
  });

  it('refuses a replacement without credentials, and lists the post when the copy is pulled', async () => {
    const [pub] = damJson<{ remoteId: string }[]>('publications', file('bus.jpg'));
    const anonymous = await fetch(restUrl(wp.site.url, `/tessera/v1/replace/${pub!.remoteId}`), {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg' },
      body: new Uint8Array(fs.readFileSync(file('bus.jpg'))),
    });
    expect(anonymous.status).toBe(401);
    expect((await wp.site.rest('GET', `/tessera/v1/usage/999999`)).status).toBe(404);

    dam('set', file('bus.jpg'), 'licenseEnd=2020-01-31');
    expect(dam('sync')).toMatch(/retracted \(its licence ended on 2020-01-31\)/);
    const [latest] = damJson<{ state: string; usedIn: string[] }[]>('publications', file('bus.jpg'));
    expect(latest!.state).toBe('retracted');
    expect(latest!.usedIn.join()).toMatch(/post \d+ "Buses"/);
    expect((await wp.site.rest('GET', `/wp/v2/media/${pub!.remoteId}`)).status).toBe(404);
  });
});
