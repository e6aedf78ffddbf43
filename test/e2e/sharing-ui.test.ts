import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePhoto } from '../fixtures/make-fixtures';
import { waitFor } from '../helpers/library';
import { browserSession, dam } from '../helpers/serve';

// Sharing from the app (Chromium against `dam serve`): Share… from a collection's context menu and
// from a selection gives a link to copy that opens the gallery; Settings makes an upload link; a
// file sent through it shows up as a toast in the app.

describe('sharing from the app', () => {
  const ui = browserSession({
    name: 'sharing-ui',
    shotPrefix: 'sharing-ui-',
    dirs: ['photos'],
    async prepare(catalog, { photos }) {
      await makePhoto(photos, 'alpha.jpg', { seed: 3 });
      await makePhoto(photos, 'bravo.jpg', { seed: 4 });
      dam(catalog, 'add-root', photos);
      dam(catalog, 'scan');
      dam(catalog, 'collection', 'create', 'Client');
      dam(
        catalog,
        'collection',
        'add',
        'Client',
        path.join(photos, 'alpha.jpg'),
        path.join(photos, 'bravo.jpg'),
      );
    },
  });
  const { tiles, tile } = ui;
  const dialog = () => ui.page.getByRole('dialog');

  it('shares a collection from its context menu and a selection from the toolbar; each link opens its gallery', async () => {
    const { page } = ui;
    await page.goto(ui.url);
    await waitFor(async () => (await tiles().count()) === 2 || undefined, 30_000, 'both photos as tiles');
    await page
      .getByRole('list', { name: 'Collections' })
      .getByRole('button', { name: /^Client/ })
      .click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Share…' }).click();
    await dialog().getByLabel('Downloads').selectOption('none');
    await dialog().getByRole('button', { name: 'Create link' }).click();
    const link = dialog().getByRole('textbox', { name: 'Share link' });
    await expect.poll(() => link.inputValue()).toContain('/s/');
    await ui.shot('collection-link');
    const url = await link.inputValue();
    await dialog().getByRole('button', { name: 'Done' }).click();

    const visitor = await page.context().browser()!.newPage();
    await visitor.goto(url);
    await expect.poll(() => visitor.getByRole('img').count()).toBe(2);
    expect(await visitor.getByRole('link', { name: /Download/ }).count()).toBe(0);

    await tile('alpha.jpg').click();
    await page.getByRole('button', { name: 'Share…' }).click();
    await dialog().getByRole('button', { name: 'Create link' }).click();
    const selection = dialog().getByRole('textbox', { name: 'Share link' });
    await expect.poll(() => selection.inputValue()).toContain('/s/');
    await visitor.goto(await selection.inputValue());
    await expect.poll(() => visitor.getByRole('img').count()).toBe(1);
    expect(await visitor.getByRole('img').getAttribute('alt')).toBe('alpha.jpg');
    await visitor.close();
    await dialog().getByRole('button', { name: 'Done' }).click();

    const listed = JSON.parse(dam(ui.catalog, 'share', 'list', '--json')) as {
      visits: number;
      download: string;
    }[];
    expect(listed.map((s) => [s.download, s.visits])).toEqual([
      ['none', 1],
      ['preview', 1],
    ]);
  });

  it('makes an upload link in Settings; a file sent through it is announced by a toast', async () => {
    const { page } = ui;
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect
      .poll(() => page.getByRole('list', { name: 'Share links' }).getByRole('listitem').count())
      .toBe(2);
    await page.getByLabel('Upload folder', { exact: true }).fill('Agency drop');
    await page.getByRole('button', { name: 'Create upload link' }).click();
    const link = page.getByRole('textbox', { name: 'Upload link' });
    await expect.poll(() => link.inputValue()).toContain('/u/');
    await ui.shot('settings');
    const url = await link.inputValue();
    await page.getByRole('button', { name: 'Done' }).click();

    // An agency sends a file (the portal's own protocol, from outside the app).
    const bytes = fs.readFileSync(path.join(ui.dirs.photos, 'bravo.jpg'));
    const begun = await fetch(`${url}/files`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: 'delivery.jpg',
        size: bytes.length,
        uploader: 'Agency X',
        note: 'final picks',
      }),
    });
    const { key } = (await begun.json()) as { key: string };
    const sent = await fetch(`${url}/files/${key}`, {
      method: 'PATCH',
      headers: { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
      body: new Uint8Array(bytes),
    });
    expect(sent.status).toBe(200);
    await expect
      .poll(() => page.getByRole('status').textContent(), { timeout: 30_000 })
      .toContain('Agency X uploaded delivery.jpg: final picks');
    await ui.shot('upload-toast');
    expect(fs.existsSync(path.join(ui.dirs.photos, 'Agency drop', 'Agency X', 'delivery.jpg'))).toBe(true);
    await waitFor(async () => (await tiles().count()) === 3 || undefined, 30_000, 'the upload as a tile');
    expect(ui.errors).toEqual([]);
  });
});
