import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makePhoto } from '../fixtures/make-fixtures';
import { waitFor } from '../helpers/library';
import { browserSession, dam, shown } from '../helpers/serve';

// Usage figures in real Chromium against `dam serve`: a picture looked at in the loupe counts as a
// view (checked with the CLI), the inspector shows it, and the Usage view charts and exports it.
describe('usage figures in a browser', () => {
  const ui = browserSession({
    name: 'usage',
    shotPrefix: 'usage-',
    dirs: ['photos'],
    async prepare(catalog, { photos }) {
      for (const [i, name] of ['harbour.jpg', 'market.jpg'].entries())
        await makePhoto(photos, name, { seed: 60 + i });
      dam(catalog, 'add-root', photos);
      dam(catalog, 'scan');
    },
  });
  const { catalog, errors, tiles, tile, inspector } = ui;

  it('counts a picture looked at in the loupe, shows it in the inspector and in the Usage report, and exports CSV', async () => {
    const { page } = ui;
    const harbour = `${ui.dirs.photos}/harbour.jpg`;
    await page.goto(ui.url);
    await waitFor(async () => (await tiles().count()) === 2 || undefined, 30_000, 'both photos as tiles');
    await tile('harbour.jpg').click();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'harbour.jpg' }).waitFor();
    await waitFor(
      () => shown<{ usage: { views: number } }>(catalog, harbour).usage.views === 1 || undefined,
      15_000,
      'the view recorded',
    );
    await page.keyboard.press('Escape');
    expect(shown<{ usage: { views: number } }>(catalog, `${ui.dirs.photos}/market.jpg`).usage.views).toBe(0);

    await inspector().getByRole('tab', { name: 'Approval' }).click();
    const totals = inspector()
      .getByRole('group', { name: 'Usage totals' })
      .or(inspector().getByLabel('Usage totals'));
    await expect.poll(() => totals.innerText()).toMatch(/Views\s*1/);
    await ui.shot('inspector');

    await page.getByRole('button', { name: 'Usage', exact: true }).click();
    const view = page.getByRole('dialog', { name: 'Usage' });
    await view.waitFor();
    const table = view.getByRole('table');
    await expect.poll(() => table.innerText()).toMatch(/harbour\.jpg/);
    expect(await table.innerText()).not.toMatch(/market\.jpg/);
    expect(await view.getByRole('img', { name: /Uses per month/ }).count()).toBe(1);
    await ui.shot('report');

    const download = page.waitForEvent('download');
    await view.getByRole('button', { name: 'Export CSV' }).click();
    const file = await (await download).path();
    const csv = fs.readFileSync(file, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('asset_id,name,views,downloads,shares,publications,last_used');
    expect(csv).toMatch(/,harbour\.jpg,1,0,0,0,/);

    await view.getByRole('tab', { name: 'Never used' }).click();
    await expect
      .poll(() => view.innerText())
      .toMatch(/No asset catalogued before this period has gone unused/);
    await page.keyboard.press('Escape');
    await expect.poll(() => view.count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
