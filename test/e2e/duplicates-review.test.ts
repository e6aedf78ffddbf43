import fs from 'node:fs';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { Library } from '../../electron/core/library';
import { replaceColors } from '../../electron/core/catalog/colors.repository';
import { paletteOf } from '../../electron/core/ingest/thumbnails/palette';
import { labelInNameFaults } from '../helpers/a11y';
import { waitFor } from '../helpers/library';
import { browserSession, dam, shown } from '../helpers/serve';

const SKIMAGE = '/usr/lib/python3/dist-packages/skimage/data';

// The duplicates review and the colour facet in real Chromium against `dam serve`: real photographs (python3-skimage)
// as a sharp frame and a blurred one of a burst, and the same bytes in two roots; the suggested
// keeper marked, the others rejected or stacked, checked through the CLI.
describe('duplicates review in a browser', () => {
  const ui = browserSession({
    name: 'dups',
    shotPrefix: 'duplicates-',
    dirs: ['studio', 'backup'],
    async prepare(catalog, { studio, backup }) {
      const jpeg = (src: string, out: string, edit = (s: Sharp) => s) =>
        edit(sharp(path.join(SKIMAGE, src)))
          .jpeg({ quality: 90 })
          .toFile(out);
      await jpeg('chelsea.png', path.join(studio, 'cat-1.jpg'));
      await jpeg('chelsea.png', path.join(studio, 'cat-2.jpg'), (s) => s.blur(2.5));
      await jpeg('coffee.png', path.join(studio, 'coffee.jpg'));
      fs.copyFileSync(path.join(studio, 'coffee.jpg'), path.join(backup, 'coffee.jpg'));
      await jpeg('rocket.jpg', path.join(studio, 'rocket.jpg'));
      dam(catalog, 'add-root', studio);
      dam(catalog, 'add-root', backup);
      dam(catalog, 'scan');
      // Each picture's palette from its own pixels, stored as the colour analyser stores it.
      const lib = Library.open(catalog);
      for (const a of lib.search('').items) {
        const { data, info } = await sharp(a.path)
          .resize(64, 64, { fit: 'inside' })
          .raw()
          .toBuffer({ resolveWithObject: true });
        replaceColors(lib.db, a.id, paletteOf(data, info.width, info.height, info.channels));
      }
      await lib.close();
    },
  });
  const { catalog, errors, shot, tiles } = ui;

  it('shows each group side by side with the suggested keeper, and rejects or stacks the others', async () => {
    const { page, url } = ui;
    const { studio, backup } = ui.dirs;
    await page.goto(url);
    await waitFor(async () => (await tiles().count()) === 5, 60_000, 'every picture as a tile');
    await page.getByRole('button', { name: 'Duplicates', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Duplicates' });
    const status = dialog.getByRole('status');
    await waitFor(async () => /^Group 1 of 2/.test(await status.innerText()), 30_000, 'two groups');

    // Identical copies only, then near-identical pictures too.
    const near = dialog.getByRole('checkbox', { name: 'Near-identical too' });
    await near.uncheck();
    await waitFor(
      async () => /^Group 1 of 1: identical copies/.test(await status.innerText()),
      30_000,
      'one group',
    );
    await near.check();
    await waitFor(async () => /^Group 1 of 2/.test(await status.innerText()), 30_000, 'two groups again');
    if (!/near-identical/.test(await status.innerText()))
      await dialog.getByRole('button', { name: 'Next', exact: true }).click();
    expect(await status.innerText()).toMatch(/near-identical, 2 pictures; suggested keeper by sharpest/);

    // The sharp frame is the suggested keeper, first, and the one ticked.
    const figures = dialog.getByRole('figure');
    expect(await figures.count()).toBe(2);
    const sharpFrame = dialog.getByRole('figure', { name: 'cat-1.jpg' });
    await sharpFrame.getByText('Suggested keeper').waitFor();
    expect(await sharpFrame.getByRole('radio', { name: 'Keep this one' }).isChecked()).toBe(true);
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('[role=dialog] .compare-side img')].every(
        (i) => i.complete && i.naturalWidth > 0,
      ),
    );
    await shot('1-burst');
    expect(await labelInNameFaults(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Reject the others' }).click();
    await waitFor(
      async () => /^Group 1 of 1: identical copies/.test(await status.innerText()),
      30_000,
      'the copies left',
    );
    expect(shown<{ flag: string | null }>(catalog, path.join(studio, 'cat-2.jpg')).flag).toBe('reject');
    expect(shown<{ flag: string | null }>(catalog, path.join(studio, 'cat-1.jpg')).flag).toBeNull();

    // Keep the backup's copy instead of the suggestion, and stack the other under it.
    const copies = dialog.getByRole('figure');
    const notSuggested = (await copies.nth(0).getByText('Suggested keeper').count())
      ? copies.nth(1)
      : copies.nth(0);
    await notSuggested.getByRole('radio', { name: 'Keep this one' }).check();
    const keptPath = (await notSuggested.getByRole('heading').getAttribute('title'))!;
    expect([path.join(studio, 'coffee.jpg'), path.join(backup, 'coffee.jpg')]).toContain(keptPath);
    await dialog.getByRole('button', { name: 'Stack the others' }).click();
    await waitFor(async () => (await status.innerText()) === 'No duplicates found', 30_000, 'nothing left');
    const stack = JSON.parse(dam(catalog, 'versions', keptPath, '--json')) as {
      versions: { path?: string; assetId: number; current: boolean }[];
    };
    expect(stack.versions).toHaveLength(2);
    const kept = shown<{ id: number }>(catalog, keptPath);
    expect(stack.versions.find((v) => v.current)!.assetId).toBe(kept.id);

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  });

  it('filters by dominant colour with swatches and counts, or by a hex value, and shows the palette', async () => {
    const { page } = ui;
    const colour = page.getByRole('button', { name: 'Colour', exact: true });
    await colour.click();
    const swatches = page.getByRole('listbox', { name: 'Colour values' });
    // The rocket's deep blue sky: the only blue picture; nothing is green.
    const blue = swatches.getByRole('button', { name: 'blue, 1' });
    await blue.waitFor();
    await swatches.getByRole('button', { name: 'green, 0' }).waitFor();
    await shot('2-colour-facet');
    expect(await labelInNameFaults(page)).toEqual([]);
    await blue.click();
    await waitFor(async () => (await tiles().count()) === 1, 30_000, 'the blue picture');
    expect(await ui.search().inputValue()).toBe('color:blue');
    await tiles().first().click();
    const palette = ui.inspector().getByRole('img', { name: /navy|denim|blue/ });
    await palette.waitFor();

    // Close to a colour given as hex: the rocket's sky again, and a red nothing is close to.
    await page
      .getByRole('button', { name: /color|blue/i })
      .first()
      .click();
    const hex = page.getByRole('textbox', { name: 'Colour as hex' });
    const sky = shown<{ colors: { hex: string }[] }>(catalog, path.join(ui.dirs.studio, 'rocket.jpg'))
      .colors[0]!.hex;
    await hex.fill(sky);
    await page.getByRole('button', { name: 'Find close' }).click();
    await waitFor(async () => (await ui.search().inputValue()) === `color:${sky}`, 30_000, 'the hex filter');
    await waitFor(async () => (await tiles().count()) === 1, 30_000, 'the picture close to it');
    await ui.search().fill('color:#00ff00');
    await page
      .getByText(/no match|nothing/i)
      .first()
      .waitFor();
    await ui.search().fill('');
    expect(errors).toEqual([]);
  });
});
