import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogPath } from '../../electron/core/catalog/open';
import { tempDir } from '../helpers/corpus';
import { CLI, exiftoolJson } from '../helpers/library';
import { useWordPress } from '../helpers/wordpress';

// Publishing to a real WordPress (test/helpers/wordpress.ts) through the CLI, as a person would:
// endpoints and their password, the outbox, delivery, fields, refusals, replacement of a new
// version, retraction when a licence ends, and a kill -9 between upload and commit.
describe('publishing to WordPress', () => {
  const wp = useWordPress();
  let work: string;
  let cat: string;
  let photos: string;
  /** Everything the CLI printed (stdout and stderr): the password must be in none of it. */
  const printed: string[] = [];

  function run(args: string[], opts: { input?: string; env?: Record<string, string> } = {}) {
    const r = spawnSync(process.execPath, [CLI, '--catalog', cat, ...args], {
      encoding: 'utf8',
      input: opts.input ?? '',
      env: { ...process.env, ...opts.env },
    });
    printed.push(r.stdout ?? '', r.stderr ?? '');
    return r;
  }
  function dam(...args: string[]): string {
    const r = run(args);
    if (r.status !== 0) throw new Error(`dam ${args.join(' ')} (${r.status}): ${r.stderr}`);
    return r.stdout;
  }
  const damJson = <T>(...args: string[]): T => JSON.parse(dam(...args, '--json')) as T;
  const file = (n: string) => path.join(photos, n);
  async function photo(name: string, colour: string): Promise<void> {
    await sharp({ create: { width: 900, height: 600, channels: 3, background: colour } })
      .jpeg({ quality: 90 })
      .toFile(file(name));
  }
  const mediaOf = async (assetId: number) =>
    (await wp.site.media()).filter((m) => new RegExp(`^dam-[a-z0-9]+-${assetId}-`).test(m.slug));
  const idOf = (name: string) => damJson<{ id: number }>('show', file(name)).id;

  beforeAll(async () => {
    work = tempDir('dam-publish-');
    cat = path.join(work, 'catalog');
    photos = path.join(work, 'photos');
    fs.mkdirSync(photos);
    await photo('bus.jpg', '#c33');
    await photo('tram.jpg', '#3c3');
    await photo('ferry.jpg', '#33c');
    dam('add-root', photos);
    dam('scan');
  });
  afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('adds an endpoint whose password is kept in a private file beside the catalogue, and tests it', () => {
    const add = run(
      [
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
      { input: `${wp.site.appPassword}\n` },
    );
    expect(add.status, add.stderr).toBe(0);
    const creds = `${cat}.credentials.json`;
    expect(fs.statSync(creds).mode & 0o777).toBe(0o600);
    const eps = damJson<{ name: string; hasPassword: boolean; delivery: string }[]>('endpoint', 'list');
    expect(eps).toMatchObject([{ name: 'site', hasPassword: true, delivery: 'automatic' }]);
    expect(dam('endpoint', 'test', 'site')).toMatch(/logged in .* as admin/);

    const bad = run(
      [
        'endpoint',
        'add',
        'wrong',
        '--url',
        wp.site.url,
        '--user',
        wp.site.user,
        '--password-stdin',
        '--manual',
      ],
      { input: 'abcd efgh ijkl mnop qrst uvwx' },
    );
    expect(bad.status).toBe(0);
    const test = run(['endpoint', 'test', 'wrong']);
    expect(test.status).toBe(1);
    expect(test.stdout).toMatch(/wrong: .*refused the user or application password/);
    dam('endpoint', 'remove', 'wrong');
    expect(damJson<unknown[]>('endpoint', 'list')).toHaveLength(1);
  });

  it('owes the delivery in the approval itself, delivers on sync with its fields, and refuses what lacks alt text', async () => {
    const bus = idOf('bus.jpg');
    dam(
      'set',
      file('bus.jpg'),
      'credit=North Studio',
      'licenseType=cc-by',
      'altText=A red bus at dusk',
      'title=Red bus',
      'creator=Ana Lima',
      'copyrightNotice=© 2026 North Studio',
    );
    dam('set', file('tram.jpg'), 'credit=North Studio', 'licenseType=cc-by');
    for (const f of ['bus.jpg', 'tram.jpg']) {
      dam('submit', file(f));
      dam('approve', file(f));
    }
    // The approval committed the outbox entry; nothing was delivered by `dam approve` itself.
    const db = new Database(catalogPath(cat), { readonly: true });
    expect(
      db.prepare(`SELECT subject FROM jobs WHERE kind = 'publish' ORDER BY subject`).pluck().all(),
    ).toEqual([bus, idOf('tram.jpg')]);
    db.close();
    expect(await mediaOf(bus)).toHaveLength(0);

    const report = JSON.parse(dam('sync', '--json')) as Record<string, number>;
    expect(report).toEqual({ published: 1, replaced: 0, retracted: 0, refused: 1, failed: 0 });
    const [m, ...more] = await mediaOf(bus);
    expect(more).toHaveLength(0);
    expect(m!.alt_text).toBe('A red bus at dusk');
    const full = (await wp.site.rest('GET', `/wp/v2/media/${m!.id}?context=edit`)).json as {
      title: { raw: string };
      caption: { raw: string };
      media_details: { width: number };
    };
    expect(full.title.raw).toBe('Red bus');
    expect(full.caption.raw).toBe('Credit: North Studio');
    // The file itself is the endpoint's preset's rendition (web: ≤ 2048 px JPEG) and carries the
    // catalogue's metadata as XMP, read back with exiftool from what WordPress serves.
    const served = path.join(work, 'served-bus.jpg');
    fs.writeFileSync(served, Buffer.from(await (await fetch(m!.source_url)).arrayBuffer()));
    const [xmp] = exiftoolJson([served]);
    expect(xmp).toMatchObject({
      MIMEType: 'image/jpeg',
      Creator: 'Ana Lima',
      Credit: 'North Studio',
      Rights: '© 2026 North Studio',
      AltTextAccessibility: 'A red bus at dusk',
      Title: 'Red bus',
    });
    expect(xmp).not.toHaveProperty('GPSLatitude');

    const pubs = damJson<
      { endpoint: string; state: string; remoteId: string; url: string; versionHash: string }[]
    >('publications', file('bus.jpg'));
    expect(pubs).toMatchObject([
      { endpoint: 'site', state: 'published', remoteId: String(m!.id), url: m!.source_url },
    ]);
    const shown = damJson<{ contentHash: string; publications: { versionHash: string; state: string }[] }>(
      'show',
      file('bus.jpg'),
    );
    expect(shown.publications).toEqual([
      expect.objectContaining({ state: 'published', versionHash: shown.contentHash }),
    ]);

    // The tram lacks alt text: refused, and the reason is said.
    const tram = run(['publish', file('tram.jpg'), '--to', 'site']);
    expect(tram.status).toBe(1);
    expect(tram.stdout).toMatch(/refused \(site requires alt text/);
    expect(await mediaOf(idOf('tram.jpg'))).toHaveLength(0);
    // Where used, in the search syntax.
    const found = (q: string) => damJson<{ items: { id: number }[] }>('search', q).items.map((a) => a.id);
    expect(found('is:published')).toEqual([bus]);
    expect(found('published:site')).toEqual([bus]);
    expect(found('published:elsewhere')).toEqual([]);
    expect(found('publication:failed')).toEqual([idOf('tram.jpg')]);
    expect(found('-is:published type:image').sort()).toEqual([idOf('tram.jpg'), idOf('ferry.jpg')].sort());
    // A sync with nothing new delivers nothing again.
    expect(JSON.parse(dam('sync', '--json'))).toMatchObject({ published: 0, replaced: 0, failed: 0 });
    expect(await mediaOf(bus)).toHaveLength(1);
  });

  it('sends an alt-text edit of a published asset to its copy', async () => {
    const bus = idOf('bus.jpg');
    dam('set', file('bus.jpg'), 'altText=A red double-decker at dusk');
    expect(JSON.parse(dam('sync', '--json'))).toMatchObject({ published: 1, failed: 0 });
    const media = await mediaOf(bus);
    expect(media).toHaveLength(1);
    expect(media[0]!.alt_text).toBe('A red double-decker at dusk');
  });

  it('replaces the copy when a new version is approved: the post that showed it shows the new one', async () => {
    const bus = idOf('bus.jpg');
    const [old] = await mediaOf(bus);
    const block = (m: { id: number; source_url: string }) =>
      `<!-- wp:image {"id":${m.id}} --><figure class="wp-block-image"><img src="${m.source_url}" alt="" class="wp-image-${m.id}"/></figure><!-- /wp:image -->`;
    const post = await wp.site.rest('POST', '/wp/v2/posts', {
      title: 'Buses',
      content: block(old!),
      status: 'publish',
    });
    expect(post.status).toBe(201);
    const postId = (post.json as { id: number }).id;

    // New bytes: back in review; the copy there stays until the new version is approved.
    await photo('bus.jpg', '#36c');
    dam('scan');
    expect(JSON.parse(dam('sync', '--json'))).toMatchObject({ published: 0, replaced: 0, retracted: 0 });
    expect((await mediaOf(bus)).map((m) => m.id)).toEqual([old!.id]);
    dam('approve', file('bus.jpg'));
    expect(JSON.parse(dam('sync', '--json'))).toMatchObject({ replaced: 1, failed: 0 });

    const now = await mediaOf(bus);
    expect(now).toHaveLength(1);
    expect(now[0]!.id).not.toBe(old!.id);
    expect((await wp.site.rest('GET', `/wp/v2/media/${old!.id}`)).status).toBe(404);
    const after = (await wp.site.rest('GET', `/wp/v2/posts/${postId}?context=edit`)).json as {
      content: { raw: string; rendered: string };
    };
    expect(after.content.raw).toContain(now[0]!.source_url);
    expect(after.content.raw).toContain(`wp-image-${now[0]!.id}`);
    expect(after.content.raw).not.toContain(old!.source_url);
    expect(after.content.rendered).toContain(now[0]!.source_url);
    // What the page serves is the new version (blue, where the old one was red).
    const served = Buffer.from(await (await fetch(now[0]!.source_url)).arrayBuffer());
    const { channels } = await sharp(served).stats();
    expect(channels[2]!.mean).toBeGreaterThan(channels[0]!.mean);

    const pubs = damJson<{ state: string; versionHash: string }[]>('publications', file('bus.jpg'));
    const hash = damJson<{ contentHash: string }>('show', file('bus.jpg')).contentHash;
    expect(pubs.map((p) => p.state)).toEqual(['published', 'replaced']);
    expect(pubs[0]!.versionHash).toBe(hash);
  });

  it('pulls the copy when the licence has ended, and lists the posts that used it', async () => {
    const bus = idOf('bus.jpg');
    dam('set', file('bus.jpg'), 'licenseEnd=2020-01-31');
    const out = dam('sync');
    expect(out).toMatch(/retracted \(its licence ended on 2020-01-31\)/);
    expect(await mediaOf(bus)).toHaveLength(0);
    const [latest] = damJson<{ state: string; usedIn: string[]; error: string }[]>(
      'publications',
      file('bus.jpg'),
    );
    expect(latest!.state).toBe('retracted');
    expect(latest!.usedIn.join()).toMatch(/post \d+ "Buses"/);
    expect(damJson<{ total: number }>('search', 'is:published').total).toBe(0);
    expect(
      damJson<{ items: { id: number }[] }>('search', 'publication:retracted').items.map((a) => a.id),
    ).toEqual([bus]);
  });

  it('never makes a second copy when killed between the upload and its commit (kill -9)', async () => {
    const ferry = idOf('ferry.jpg');
    dam('set', file('ferry.jpg'), 'credit=North Studio', 'licenseType=cc-by', 'altText=A blue ferry');
    dam('submit', file('ferry.jpg'));
    dam('approve', file('ferry.jpg'));
    const crashed = run(['sync', '--json'], { env: { DAM_TEST_CRASH_AT: 'after-upload' } });
    expect(crashed.signal).toBe('SIGKILL');
    const uploaded = await mediaOf(ferry);
    expect(uploaded).toHaveLength(1);
    expect(
      damJson<{ state: string }[]>('publications', file('ferry.jpg')).filter((p) => p.state === 'published'),
    ).toEqual([]);

    expect(JSON.parse(dam('sync', '--json'))).toMatchObject({ published: 1, failed: 0 });
    const after = await mediaOf(ferry);
    expect(after.map((m) => m.id)).toEqual([uploaded[0]!.id]);
    expect(after[0]!.alt_text).toBe('A blue ferry');
    expect(damJson<{ state: string; remoteId: string }[]>('publications', file('ferry.jpg'))).toMatchObject([
      { state: 'published', remoteId: String(uploaded[0]!.id) },
    ]);
  });

  it('keeps the password out of the catalogue, the JSON outputs and the logs', () => {
    const secret = wp.site.appPassword;
    const forms = [secret, secret.replace(/ /g, '')];
    for (const f of fs.readdirSync(cat).filter((n) => n.startsWith('catalog.db'))) {
      const bytes = fs.readFileSync(path.join(cat, f)).toString('latin1');
      for (const s of forms) expect(bytes.includes(s), f).toBe(false);
    }
    printed.push(dam('endpoint', 'list', '--json'), dam('show', file('ferry.jpg'), '--json'));
    for (const text of printed) for (const s of forms) expect(text.includes(s)).toBe(false);
    expect(fs.readFileSync(`${cat}.credentials.json`, 'utf8')).toContain(secret);
  });
});
