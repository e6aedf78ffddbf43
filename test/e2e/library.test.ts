import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusFile, tempDir } from '../helpers/corpus';
import { CLI, PROJECT, waitFor } from '../helpers/library';

const SHOTS = path.join(PROJECT, 'test-results', 'screenshots');
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

function dam(catalog: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, '--catalog', catalog, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

// The real UI in real Chromium against a real `dam serve` on real files.
describe('the library in a browser', () => {
  let catalog: string;
  let root: string;
  let server: ChildProcess;
  let browser: Browser;
  let page: Page;
  let url: string;
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    catalog = tempDir('dam-e2e-cat-');
    root = tempDir('dam-e2e-root-');
    fs.mkdirSync(path.join(root, 'trip'));
    for (const f of FILES) {
      const dest = f.startsWith('jpg/gps/')
        ? path.join(root, 'trip', path.basename(f))
        : path.join(root, path.basename(f));
      fs.copyFileSync(corpusFile(f), dest);
    }
    server = spawn(process.execPath, [CLI, '--catalog', catalog, 'serve', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    url = await new Promise<string>((resolve, reject) => {
      let buf = '';
      server.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
      });
      server.once('exit', (c) => reject(new Error(`serve exited ${c}`)));
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
    fs.rmSync(catalog, { recursive: true, force: true });
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('walks a new user from an empty library to searching, rating, keywording and undo', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(url);
    await page.getByText('Add a folder to start').waitFor();
    await shot('1-empty');

    // Add a root through the UI; the grid fills as the scan runs.
    await page.getByLabel('Folder path').fill(root);
    await page.getByRole('button', { name: 'Add folder' }).click();
    const grid = page.getByRole('grid');
    await grid.waitFor();
    await page.getByRole('gridcell', { name: 'Canon_40D.jpg' }).waitFor({ timeout: 60_000 });
    await waitFor(
      async () => (await page.getByRole('gridcell').count()) === FILES.length,
      60_000,
      'all tiles',
    );
    await page.waitForFunction(() => {
      const imgs = [...document.querySelectorAll<HTMLImageElement>('[role=gridcell] img')];
      return imgs.length >= 10 && imgs.every((i) => i.complete && i.naturalWidth > 0);
    });
    await shot('2-grid');

    // Search narrows the grid as you type.
    await page.getByRole('searchbox', { name: 'Search' }).fill('canon');
    await waitFor(async () => (await page.getByRole('gridcell').count()) === 2, 30_000, 'search results');
    await expect(page.getByRole('gridcell', { name: 'Canon_40D.jpg' }).isVisible()).resolves.toBe(true);
    await shot('3-search');

    // Facets compose into the query: camera and year.
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await waitFor(
      async () => (await page.getByRole('gridcell').count()) === FILES.length,
      30_000,
      'all tiles',
    );
    await page.getByLabel('Camera').selectOption('Canon EOS 40D');
    await waitFor(async () => (await page.getByRole('gridcell').count()) === 1, 30_000, 'camera facet');
    await expect(page.getByRole('searchbox', { name: 'Search' }).inputValue()).resolves.toBe(
      'camera:"Canon EOS 40D"',
    );
    await page.getByLabel('Camera').selectOption('');
    await page.getByLabel('Year').selectOption('2008');
    await waitFor(async () => (await page.getByRole('gridcell').count()) >= 4, 30_000, 'year facet');
    await page.getByLabel('Year').selectOption('');
    await page.getByRole('searchbox', { name: 'Search' }).fill('canon');
    await waitFor(async () => (await page.getByRole('gridcell').count()) === 2, 30_000, 'search again');

    // Open the loupe with the keyboard; the metadata shows the camera.
    await page.getByRole('gridcell', { name: 'Canon_40D.jpg' }).click();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await expect(dialog.getByText('Canon EOS 40D').first().isVisible()).resolves.toBe(true);
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[role=dialog] img');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    await shot('4-loupe');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // Rate with the keyboard: the catalogue has it, as the CLI shows.
    await page.keyboard.press('4');
    const canonPath = path.join(fs.realpathSync(root), 'Canon_40D.jpg');
    await waitFor(
      () => JSON.parse(dam(catalog, 'show', canonPath, '--json')).rating === 4,
      30_000,
      'rating stored',
    );

    // Keywords on a multi-selection: three tiles by click and ctrl/shift-click.
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await waitFor(
      async () => (await page.getByRole('gridcell').count()) === FILES.length,
      30_000,
      'all tiles again',
    );
    await page.getByRole('gridcell', { name: 'DSCN0010.jpg' }).click();
    await page.getByRole('gridcell', { name: 'DSCN0012.jpg' }).click({ modifiers: ['Control'] });
    await page.getByRole('gridcell', { name: 'DSCN0021.jpg' }).click({ modifiers: ['Control'] });
    await expect(page.getByRole('gridcell', { selected: true }).count()).resolves.toBe(3);
    await page.getByLabel('Add keyword').fill('tuscany');
    await page.getByLabel('Add keyword').press('Enter');
    const tripPaths = ['DSCN0010.jpg', 'DSCN0012.jpg', 'DSCN0021.jpg'].map((n) =>
      path.join(fs.realpathSync(root), 'trip', n),
    );
    await waitFor(
      () =>
        tripPaths.every((p) => JSON.parse(dam(catalog, 'show', p, '--json')).keywords.includes('tuscany')),
      30_000,
      'keywords stored',
    );
    await shot('5-keywords');

    // Undo takes the keyword off all three again.
    await page.getByRole('gridcell', { name: 'DSCN0010.jpg' }).focus();
    await page.keyboard.press('Control+z');
    await waitFor(
      () =>
        tripPaths.every((p) => !JSON.parse(dam(catalog, 'show', p, '--json')).keywords.includes('tuscany')),
      30_000,
      'keywords undone',
    );
    await shot('6-undone');

    expect(errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });
});
