import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/corpus';
import { waitFor } from '../helpers/library';
import { browserSession, dam } from '../helpers/serve';
import { useWordPress } from '../helpers/wordpress';

/** The number of files a zip's end-of-central-directory record says it holds. */
function zipEntries(zip: Buffer): number {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip: no end of central directory');
  return zip.readUInt16LE(eocd + 10);
}

// Publishing in real Chromium against `dam serve` and a real WordPress: an endpoint added and tested
// in Settings, an asset published from the inspector's Publish panel (and one refused, with the
// gate's reason), the WordPress REST API holding the media with its alt text, bulk publish and a
// bulk export downloaded as a zip.
describe('publishing in a browser', () => {
  const wp = useWordPress();
  const ui = browserSession({
    name: 'pubui',
    shotPrefix: 'publish-',
    dirs: ['root'],
    async prepare(catalog, { root }) {
      for (const [name, colour] of [
        ['bus.jpg', '#c33'],
        ['tram.jpg', '#3c3'],
      ] as const)
        await sharp({ create: { width: 800, height: 520, channels: 3, background: colour } })
          .jpeg()
          .toFile(path.join(root, name));
      dam(catalog, 'add-root', root);
      dam(catalog, 'scan');
      dam(catalog, 'set', path.join(root, 'bus.jpg'), 'credit=North Studio', 'licenseType=cc-by');
      dam(catalog, 'set', path.join(root, 'bus.jpg'), 'altText=A red bus at dusk', 'title=Red bus');
      dam(catalog, 'set', path.join(root, 'tram.jpg'), 'credit=North Studio', 'licenseType=cc-by');
      for (const f of ['bus.jpg', 'tram.jpg']) dam(catalog, 'submit', path.join(root, f));
    },
  });
  const { errors, shot, tiles, tile, inspector } = ui;

  it('adds and tests an endpoint in Settings, publishes from the Publish panel, and WordPress has the media with its alt text', async () => {
    const { page, url, catalog } = ui;
    await page.goto(url);
    await waitFor(async () => (await tiles().count()) === 2, 60_000, 'both files as tiles');
    await shot('0-library');

    // Settings → Endpoints: add the WordPress site (manual delivery: only what is published by hand).
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('button', { name: 'Add endpoint…' }).click();
    const form = settings.getByRole('form', { name: 'New endpoint' });
    await form.getByRole('textbox', { name: 'Name' }).fill('site');
    await form.getByRole('textbox', { name: 'URL' }).fill(wp.site.url);
    await form.getByRole('textbox', { name: 'User' }).fill(wp.site.user);
    await form.getByLabel('Application password').fill(wp.site.appPassword);
    await form.getByRole('checkbox', { name: /Manual delivery/ }).check();
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const row = settings.getByRole('listitem', { name: 'Endpoint site' });
    await row.waitFor();
    expect(await row.textContent()).toContain('manual');
    await row.getByRole('button', { name: 'Test connection' }).click();
    const result = row.getByRole('status');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/Connection OK: .*logged in .* as admin/);
    await settings.scrollIntoViewIfNeeded();
    await shot('1-endpoint-tested');
    // The password never comes back to the page.
    expect(await page.content()).not.toContain(wp.site.appPassword);
    await settings.getByRole('button', { name: 'Done' }).click();

    // Approved by the CLI (another client of the same catalogue).
    for (const f of ['bus.jpg', 'tram.jpg']) dam(catalog, 'approve', path.join(ui.dirs.root, f));

    // The tram lacks alt text: the panel says so before anything is sent.
    await tile('tram.jpg').click();
    await inspector().getByRole('tab', { name: 'Publish' }).click();
    const refusal = inspector().getByRole('note', { name: 'Refusal' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe('Cannot publish: site requires alt text, which it lacks');
    expect(await inspector().getByRole('button', { name: 'Publish to site' }).isDisabled()).toBe(true);
    await shot('2-refused');

    // The bus goes out from the Publish panel; the panel shows it published, with its URL.
    await tile('bus.jpg').click();
    await inspector().getByRole('button', { name: 'Publish to site' }).click();
    const published = inspector().getByRole('listitem', { name: 'site published' });
    await published.waitFor({ timeout: 60_000 });
    const link = await published.getByRole('link').getAttribute('href');
    expect(link).toMatch(new RegExp(`^${wp.site.url}/wp-content/uploads/`));
    await shot('3-published');

    const media = (await wp.site.media()).filter((m) => m.source_url === link);
    expect(media).toHaveLength(1);
    expect(media[0]!.alt_text).toBe('A red bus at dusk');
    // The status bar's queue: nothing pending or failing.
    await waitFor(
      async () =>
        /Published: up to date/.test(
          (await page.getByRole('status', { name: 'Publishing queue' }).textContent()) ?? '',
        ),
      30_000,
      'the queue up to date',
    );
  });

  it('publishes the selection in bulk (refusals said) and exports it as a zip download', async () => {
    const { page } = ui;
    await tile('bus.jpg').click();
    await page.keyboard.press('Control+a');
    await page.getByRole('button', { name: 'Publish…' }).click();
    const bulk = page.getByRole('dialog', { name: 'Publish 2 items' });
    await bulk.getByRole('combobox', { name: 'Endpoint' }).selectOption('site');
    await bulk.getByRole('button', { name: 'Publish', exact: true }).click();
    const out = bulk.getByRole('list', { name: 'Result' });
    await out.waitFor({ timeout: 60_000 });
    const text = (await out.textContent()) ?? '';
    expect(text).toContain('1 published, 1 refused');
    expect(text).toContain('site: site requires alt text, which it lacks');
    await shot('4-bulk-publish');
    await bulk.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('button', { name: 'Export…' }).click();
    const exp = page.getByRole('dialog', { name: 'Export 2 items' });
    await exp.getByRole('combobox', { name: 'Preset' }).selectOption('social');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      exp.getByRole('button', { name: 'Download zip' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('tessera-social-2.zip');
    const saved = path.join(tempDir('dam-pubui-zip-'), 'export.zip');
    await download.saveAs(saved);
    const zip = fs.readFileSync(saved);
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    expect(zipEntries(zip)).toBe(2);
    await exp.getByRole('list', { name: 'Result' }).waitFor();
    expect(await exp.getByRole('list', { name: 'Result' }).textContent()).toContain(
      'Downloaded a zip of 2 files',
    );
    await shot('5-export');
    fs.rmSync(path.dirname(saved), { recursive: true, force: true });
    expect(errors).toEqual([]);
  });
});
