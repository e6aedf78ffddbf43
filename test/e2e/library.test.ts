import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cameraFile } from '../helpers/camera';
import { waitFor } from '../helpers/library';
import { browserSession, dam, shown as showJson } from '../helpers/serve';

/**
 * Camera-like files made at test time (test/fixtures/camera-files.ts): several cameras, GPS, an
 * EXIF-rotated portrait, HEIC and TIFF; the GPS set goes in a subfolder.
 */
const FILES = [
  'jpg/Canon_40D.jpg',
  'jpg/Canon_DIGITAL_IXUS_400.jpg',
  'jpg/Fujifilm_FinePix_E500.jpg',
  'jpg/Nikon_COOLPIX_P1.jpg',
  'jpg/Olympus_C8080WZ.jpg',
  'jpg/Sony_HDR-HC3.jpg',
  'jpg/gps/DSCN0010.jpg',
  'jpg/gps/DSCN0012.jpg',
  'jpg/gps/DSCN0021.jpg',
  'jpg/orientation/portrait_6.jpg',
  'heic/IMG_5195.HEIC',
  'tiff/Arbitro.tiff',
];
const TRIP = ['DSCN0010.jpg', 'DSCN0012.jpg', 'DSCN0021.jpg'];
/** Not an image at all: it must show up as a problem with a readable reason, not break anything. */
const BROKEN = 'broken.jpg';
const TILES = FILES.length + 1;

function shown(catalog: string, file: string): { rating: number | null; keywords: string[] } {
  return showJson(catalog, file);
}

// The real UI in real Chromium, against a real `dam serve` cataloguing real camera files.
describe('the library in a browser', () => {
  const ui = browserSession({
    name: 'e2e',
    shotPrefix: '',
    dirs: ['root'],
    prepare(_catalog, { root }) {
      fs.mkdirSync(path.join(root, 'trip'));
      for (const f of FILES) {
        const into = f.startsWith('jpg/gps/') ? path.join(root, 'trip') : root;
        fs.copyFileSync(cameraFile(f), path.join(into, path.basename(f)));
      }
      fs.writeFileSync(path.join(root, BROKEN), 'this is not a JPEG, whatever its name says\n');
    },
  });
  const { catalog, errors, shot, tiles, tile, search } = ui;
  const { root } = ui.dirs;

  it('takes a new user from an empty library to search, loupe, rating, keywords and undo', async () => {
    const { page, url } = ui;
    await page.goto(url);
    await page.getByRole('heading', { name: 'Add a folder to start' }).waitFor();
    await shot('1-empty');

    // Add the folder through the UI; the grid fills while the scan runs.
    await page.getByLabel('Folder path').fill(root);
    await page.getByRole('button', { name: 'Add folder' }).click();
    await page.getByRole('grid').waitFor();
    await tile('Canon_40D.jpg').waitFor({ timeout: 60_000 });
    await waitFor(async () => (await tiles().count()) === TILES, 60_000, 'every file as a tile');
    await page.waitForFunction(
      (min) => {
        const imgs = [...document.querySelectorAll<HTMLImageElement>('[role=gridcell] img')];
        return imgs.length >= min && imgs.every((i) => i.complete && i.naturalWidth > 0);
      },
      FILES.length - 1,
      { timeout: 60_000 },
    );
    await page.getByText('Up to date').waitFor({ timeout: 60_000 });
    expect(await page.getByRole('grid').getAttribute('aria-rowcount')).not.toBeNull();
    await shot('2-grid');

    // The folder tree filters to the subfolder.
    await page.getByRole('button', { name: /^trip\b/ }).click();
    await waitFor(async () => (await tiles().count()) === TRIP.length, 30_000, 'the trip folder');
    await expect(search().inputValue()).resolves.toContain('folder:trip');

    // Facets compose into the query: a camera, then a year.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await waitFor(async () => (await tiles().count()) === TILES, 30_000, 'every tile');
    await page.getByRole('button', { name: 'Camera', exact: true }).click();
    await page
      .getByRole('listbox', { name: 'Camera values' })
      .getByRole('button', { name: /^Canon EOS 40D/ })
      .click();
    await waitFor(async () => (await tiles().count()) === 1, 30_000, 'the camera facet');
    await expect(search().inputValue()).resolves.toBe('camera:"Canon EOS 40D"');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await waitFor(async () => (await tiles().count()) === TILES, 30_000, 'every tile again');
    await page.getByRole('button', { name: 'Date', exact: true }).click();
    await page.getByRole('listbox', { name: 'Date values' }).getByRole('button', { name: /^2008/ }).click();
    await waitFor(async () => (await search().inputValue()) === 'date:2008', 30_000, 'the year in the query');
    await waitFor(
      async () => {
        const n = await tiles().count();
        return n >= 4 && n < TILES;
      },
      30_000,
      'the year facet',
    );
    // A filter changed while typed text still waits for the typing pause wins: the text is dropped,
    // not sent after the filter. Both in one task, so well inside the pause.
    await page.evaluate(() => {
      const input = document.querySelector<HTMLInputElement>('input[aria-label="Search"]')!;
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, 'nikon');
      input.dispatchEvent(new Event('input', { bubbles: true }));
      [...document.querySelectorAll('button')]
        .find((b) => b.textContent?.trim() === 'Clear filters')!
        .click();
    });
    await waitFor(async () => (await tiles().count()) === TILES, 30_000, 'every tile after clearing');
    // Well past the pause: nothing typed came after the filter.
    await page.waitForTimeout(600);
    expect(await search().inputValue()).toBe('');
    expect(await tiles().count()).toBe(TILES);

    // Search narrows the grid as you type (replacing the filters).
    await search().fill('canon');
    await waitFor(async () => (await tiles().count()) === 2, 30_000, 'search results');
    expect(await tile('Canon_40D.jpg').isVisible()).toBe(true);
    await shot('3-search');

    // The loupe opens from the keyboard and shows the camera.
    await tile('Canon_40D.jpg').click();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Canon_40D.jpg' });
    await dialog.waitFor();
    expect(await dialog.getByText('Canon EOS 40D').isVisible()).toBe(true);
    expect(
      await dialog
        .getByText(/1\/\d+ s/)
        .first()
        .isVisible(),
    ).toBe(true);
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[role=dialog] img.loupe-preview');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    // Zoom needs the picture's size, which the view takes in on the image's load event (the
    // `ready` class comes with it); `complete` can be true a task before that.
    await dialog.locator('img.loupe-preview.ready').waitFor();
    await shot('4-loupe');
    await page.keyboard.press('z');
    await expect(dialog.getByRole('button', { name: '1:1' }).getAttribute('aria-pressed')).resolves.toBe(
      'true',
    );
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // A rating by key reaches the catalogue (as the CLI reads it).
    await page.keyboard.press('4');
    const canon = path.join(root, 'Canon_40D.jpg');
    await waitFor(() => shown(catalog, canon).rating === 4, 30_000, 'the rating in the catalogue');

    // Shift-click selects a range.
    await search().fill('');
    await waitFor(async () => (await tiles().count()) === TILES, 30_000, 'every tile again');
    await tiles().nth(0).click();
    await tiles()
      .nth(2)
      .click({ modifiers: ['Shift'] });
    expect(await page.getByRole('gridcell', { selected: true }).count()).toBe(3);

    // Ctrl-click builds a selection; a keyword goes onto all three.
    await tile(TRIP[0]!).click();
    await tile(TRIP[1]!).click({ modifiers: ['Control'] });
    await tile(TRIP[2]!).click({ modifiers: ['Control'] });
    expect(await page.getByRole('gridcell', { selected: true }).count()).toBe(3);
    await expect(page.getByRole('heading', { name: '3 items selected' }).isVisible()).resolves.toBe(true);
    const keyword = page.getByRole('combobox', { name: 'Add keyword' });
    await keyword.fill('tuscany');
    await keyword.press('Enter');
    const trip = TRIP.map((n) => path.join(root, 'trip', n));
    await waitFor(
      () => trip.every((f) => shown(catalog, f).keywords.includes('tuscany')),
      30_000,
      'the keyword on all three',
    );
    await page.getByRole('button', { name: 'Remove keyword tuscany' }).waitFor();
    await shot('5-keywords');

    // Ctrl+Z takes it off all three again, and leaves the earlier rating alone.
    await tile(TRIP[0]!).focus();
    await page.keyboard.press('Control+z');
    await waitFor(
      () => trip.every((f) => !shown(catalog, f).keywords.includes('tuscany')),
      30_000,
      'the keyword undone',
    );
    expect(shown(catalog, canon).rating).toBe(4);
    await page.getByRole('button', { name: 'Remove keyword tuscany' }).waitFor({ state: 'detached' });
    await shot('6-undone');

    // The unreadable file is listed as a problem, with a reason.
    const broken = tile(BROKEN);
    await broken.waitFor();
    await page.getByRole('button', { name: /^\d+ problems?$/ }).click();
    const problems = page.getByRole('region', { name: 'Problems' });
    await problems.getByText(BROKEN).waitFor();
    await shot('7-problems');
    await problems.getByRole('button', { name: 'Close problems' }).click();

    // Settings: the light theme applies at once and persists.
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByLabel('Light', { exact: true }).check();
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('light');
    // A catalogue setting: stored in the catalogue, so the CLI sees it.
    expect(dam(catalog, 'config', 'embed-xmp').trim()).toBe('embed-xmp off');
    await settings
      .getByRole('checkbox', { name: /Write metadata into JPEG, TIFF and DNG originals/ })
      .check();
    await waitFor(
      () => dam(catalog, 'config', 'embed-xmp').trim() === 'embed-xmp on',
      10_000,
      'setting saved',
    );
    await settings
      .getByRole('checkbox', { name: /Write metadata into JPEG, TIFF and DNG originals/ })
      .uncheck();
    await waitFor(
      () => dam(catalog, 'config', 'embed-xmp').trim() === 'embed-xmp off',
      10_000,
      'setting saved',
    );
    const scope = settings.getByRole('combobox', { name: 'Keep earlier contents of' });
    await scope.selectOption('all');
    await waitFor(
      () => dam(catalog, 'config', 'history-scope').trim() === 'history-scope all',
      10_000,
      'scope saved',
    );
    await scope.selectOption('governed');
    await waitFor(
      () => dam(catalog, 'config', 'history-scope').trim() === 'history-scope governed',
      10_000,
      'scope saved',
    );
    await settings.getByRole('progressbar', { name: 'Content history store in use' }).waitFor();
    await shot('8-settings');
    await settings.getByRole('button', { name: 'Done' }).click();
    await tile('Canon_40D.jpg').click();
    await shot('9-light');
    await page.reload();
    // Read once, at the load event: the saved theme is set before React's first render, so a
    // light-theme user never sees the page dark.
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('light');

    expect(errors).toEqual([]);
  });
});
