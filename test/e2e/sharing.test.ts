import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { CreatedShare, CreatedUploadLink } from '../../shared/sharing';
import { waitFor } from '../helpers/library';
import { SHOTS, browserSession, dam } from '../helpers/serve';

// Share galleries and the upload portal in real Chromium against `dam serve`: a link after its
// expiry, with a wrong password, with download off, the watermark in the pixels of a preview, and
// an upload through the portal's file input that survives a dropped connection.

const DARK = { r: 24, g: 28, b: 32 };

/** The brightest pixel of a region of a PNG (the watermark is near-white over a dark picture). */
async function brightest(png: Buffer, region: { left: number; top: number; width: number; height: number }) {
  const { data, info } = await sharp(png).extract(region).raw().toBuffer({ resolveWithObject: true });
  let max = 0;
  for (let i = 0; i < data.length; i += info.channels)
    max = Math.max(max, (data[i]! + data[i + 1]! + data[i + 2]!) / 3);
  return max;
}

describe('share links and the upload portal in a browser', () => {
  const links: Record<string, CreatedShare> = {};
  let upload: CreatedUploadLink;
  const ui = browserSession({
    name: 'sharing',
    shotPrefix: 'sharing-',
    dirs: ['photos', 'sources'],
    async prepare(catalog, { photos }) {
      // A dark, even picture: anything bright on it is the watermark.
      await sharp({ create: { width: 1200, height: 800, channels: 3, background: DARK } })
        .jpeg({ quality: 92 })
        .toFile(path.join(photos, 'night.jpg'));
      await sharp({ create: { width: 900, height: 600, channels: 3, background: { r: 120, g: 90, b: 60 } } })
        .jpeg()
        .toFile(path.join(photos, 'dusk.jpg'));
      dam(catalog, 'add-root', photos);
      dam(catalog, 'scan');
      dam(catalog, 'collection', 'create', 'Client');
      dam(
        catalog,
        'collection',
        'add',
        'Client',
        path.join(photos, 'night.jpg'),
        path.join(photos, 'dusk.jpg'),
      );
      const share = (...args: string[]) =>
        JSON.parse(dam(catalog, 'share', 'create', 'Client', '--json', ...args)) as CreatedShare;
      links.marked = share('--watermark', 'NORTH STUDIO', '--download', 'preview');
      links.plain = share('--download', 'none');
      links.expiring = share('--expires', '2099-12-31');
      const { spawnSync } = await import('node:child_process');
      const { CLI } = await import('../helpers/library');
      const r = spawnSync(
        process.execPath,
        [CLI, '--catalog', catalog, 'share', 'create', 'Client', '--password-stdin', '--json'],
        { input: 'open sesame\n', encoding: 'utf8' },
      );
      if (r.status !== 0) throw new Error(r.stderr);
      links.locked = JSON.parse(r.stdout) as CreatedShare;
      upload = JSON.parse(
        dam(catalog, 'upload-link', 'create', photos, '--folder', 'Inbox', '--max-size', '50MB', '--json'),
      ) as CreatedUploadLink;
    },
  });
  const origin = () => new URL(ui.url).origin;

  it('shows the gallery with watermarked previews (the words are in the pixels) and downloads what it allows', async () => {
    const { page } = ui;
    const res = await page.goto(origin() + links.marked!.path);
    expect(res!.status()).toBe(200);
    await expect.poll(() => page.getByRole('img').count()).toBe(2);
    await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
    await ui.shot('gallery');
    // The single view of the dark picture: its bottom right corner carries the words, its top left does not.
    await page.getByRole('link', { name: 'night.jpg' }).click();
    const img = page.getByRole('img', { name: 'night.jpg' });
    await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
    const shot = await img.screenshot({ path: path.join(SHOTS, 'sharing-watermark.png') });
    const { width, height } = await sharp(shot).metadata();
    const corner = await brightest(shot, {
      left: Math.round(width! * 0.45),
      top: Math.round(height! * 0.85),
      width: Math.round(width! * 0.5),
      height: Math.round(height! * 0.13),
    });
    const away = await brightest(shot, {
      left: Math.round(width! * 0.05),
      top: Math.round(height! * 0.05),
      width: Math.round(width! * 0.4),
      height: Math.round(height! * 0.4),
    });
    expect(away).toBeLessThan(60);
    expect(corner).toBeGreaterThan(150);
    // The same picture on a link without a watermark stays dark there.
    await page.goto(`${origin()}${links.plain!.path}`);
    await page.getByRole('link', { name: 'night.jpg' }).click();
    await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
    const clean = await page.getByRole('img', { name: 'night.jpg' }).screenshot();
    const m = await sharp(clean).metadata();
    expect(
      await brightest(clean, {
        left: Math.round(m.width! * 0.45),
        top: Math.round(m.height! * 0.85),
        width: Math.round(m.width! * 0.5),
        height: Math.round(m.height! * 0.13),
      }),
    ).toBeLessThan(60);

    // The watermarked link's download button gives the web rendition.
    await page.goto(origin() + links.marked!.path);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download (web)' }).first().click(),
    ]);
    const saved = await download.path();
    expect((await sharp(saved).metadata()).format).toBe('jpeg');
    expect(ui.errors).toEqual([]);
  });

  it('download off: no download link on the page, and the download address refused', async () => {
    const { page } = ui;
    await page.goto(origin() + links.plain!.path);
    await expect.poll(() => page.getByRole('img').count()).toBe(2);
    expect(await page.getByRole('link', { name: /Download/ }).count()).toBe(0);
    const ids = await page
      .locator('img')
      .evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src.split('/').pop()!));
    const refused = await page.request.get(`${origin()}${links.plain!.path}/download/${ids[0]}?as=preview`);
    expect(refused.status()).toBe(403);
    const original = await page.request.get(`${origin()}${links.plain!.path}/download/${ids[0]}?as=original`);
    expect(original.status()).toBe(403);
  });

  it('a wrong password: 401 and the form again; the right one opens the gallery', async () => {
    const { page } = ui;
    const first = await page.goto(origin() + links.locked!.path);
    expect(first!.status()).toBe(401);
    expect(await page.getByRole('img').count()).toBe(0);
    await page.getByLabel('Password').fill('not it');
    const [wrong] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Open' }).click(),
    ]);
    expect(wrong.status()).toBe(401);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong password');
    await ui.shot('wrong-password');
    await page.getByLabel('Password').fill('open sesame');
    await page.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.getByRole('img').count()).toBe(2);
  });

  it('after its expiry the link answers 410 with a page that says so', async () => {
    const { page } = ui;
    expect((await page.goto(origin() + links.expiring!.path))!.status()).toBe(200);
    // The last day passes: moved into the past in the catalogue the server reads.
    const db = new Database(path.join(ui.catalog, 'catalog.sqlite'));
    db.pragma('busy_timeout = 10000');
    db.prepare(`UPDATE shares SET expires_at = ? WHERE id = ?`).run(
      Date.now() - 1000,
      links.expiring!.share.id,
    );
    db.close();
    const res = await page.goto(origin() + links.expiring!.path);
    expect(res!.status()).toBe(410);
    expect(await page.getByRole('heading').first().textContent()).toContain('no longer available');
    expect(await page.textContent('body')).toContain('expired');
    await ui.shot('expired');
  });

  it('uploads through the portal by the file input, resumes after a dropped connection, arrives whole', async () => {
    const { page } = ui;
    // Noise does not compress: a few megabytes, so several chunks.
    const w = 2000;
    const h = 1400;
    const file = path.join(ui.dirs.sources, 'delivery.jpg');
    await sharp(crypto.randomBytes(w * h * 3), { raw: { width: w, height: h, channels: 3 } })
      .jpeg({ quality: 95 })
      .toFile(file);
    const bytes = fs.readFileSync(file);
    expect(bytes.length).toBeGreaterThan(2 * 1024 * 1024);

    // The second chunk's connection drops once before it reaches the server.
    let patches = 0;
    let dropped = 0;
    const heads: number[] = [];
    await page.route('**/files/*', async (route) => {
      const method = route.request().method();
      if (method === 'HEAD') heads.push(patches);
      if (method === 'PATCH' && ++patches === 2 && dropped === 0) {
        dropped++;
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    const res = await page.goto(origin() + upload.path);
    expect(res!.status()).toBe(200);
    await page.getByLabel('Your name').fill('Ana Lima');
    await page.getByLabel('Note').fill('Spring delivery');
    await page.getByLabel('Files').setInputFiles(file);
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect
      .poll(() => page.getByRole('list', { name: 'Uploads' }).textContent(), { timeout: 60_000 })
      .toContain('received');
    await ui.shot('portal');
    await page.unroute('**/files/*');
    expect(dropped).toBe(1);
    // It asked where to go on from after the drop.
    expect(heads.length).toBeGreaterThan(0);
    const landed = path.join(ui.dirs.photos, 'Inbox', 'Ana Lima', 'delivery.jpg');
    const hash = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
    expect(hash(fs.readFileSync(landed))).toBe(hash(bytes));
    const history = await waitFor(() => {
      const out = dam(ui.catalog, 'history', landed);
      return out.includes('uploaded by') ? out : undefined;
    });
    expect(history).toContain('uploaded by Ana Lima: Spring delivery');
    // The refusals above (401, 403, 410) and the dropped connection are logged as failed loads;
    // nothing else (no script error, no CSP violation).
    expect(ui.errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
