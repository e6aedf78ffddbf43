import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePhoto } from '../fixtures/make-fixtures';
import { labelInNameFaults } from '../helpers/a11y';
import { PROJECT, waitFor } from '../helpers/library';
import { browserSession } from '../helpers/serve';

/** Three pictures, one of them in two versions (a stack): four files, three items to show. */
const SHOOT = ['harbour.jpg', 'harbour_v2.jpg', 'market.jpg', 'bridge.jpg'];

// A new user's first minutes in a browser on `dam serve`: adding a folder by typing and by
// browsing the server's folders, the counts the library then shows, and the toasts. The server
// gets a home folder of the test's own (HOME), so "~" and the folder browser see generated files.
describe('adding a first folder in a browser', () => {
  const ui = browserSession({
    name: 'add',
    shotPrefix: 'add-folder-',
    dirs: ['home'],
    async prepare(_catalog, { home }) {
      const shoot = path.join(home, 'Pictures', 'Shoot');
      fs.mkdirSync(shoot, { recursive: true });
      fs.mkdirSync(path.join(home, 'Pictures', 'Archive'));
      fs.mkdirSync(path.join(home, '.cache'));
      fs.mkdirSync(path.join(home, 'Documents'));
      for (const [i, name] of SHOOT.entries()) await makePhoto(shoot, name, { seed: i + 1 });
    },
    env: ({ home }) => ({ HOME: home }),
  });
  const { errors, shot, tiles } = ui;
  const { home } = ui.dirs;

  it('suggests a path of the server platform, refuses a relative one, and browses to the folder', async () => {
    const { page, url } = ui;
    await page.goto(url);
    await page.getByRole('heading', { name: 'Add a folder to start' }).waitFor();
    const input = page.getByRole('textbox', { name: 'Folder path' });
    const example = path.join(home, 'Pictures');
    await waitFor(
      async () => (await input.getAttribute('placeholder')) === example,
      10_000,
      'the placeholder',
    );
    await page.getByText(`for example ${example}`).waitFor();

    // A relative path is refused, saying what to type instead (not "folder not found: <cwd>/...").
    await input.fill('Pictures/Shoot');
    await page.getByRole('button', { name: 'Add folder' }).click();
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/full path/);
    expect(await refusal.textContent()).not.toContain(PROJECT);
    await shot('1-relative');
    // The refusal is an HTTP error status, which Chromium logs: that one is expected.
    await waitFor(() => errors.length > 0, 10_000, 'the refusal logged');
    expect(errors).toEqual([expect.stringMatching(/status of 422/)]);
    errors.length = 0;

    // The folder browser: the home folder's sub-folders, no hidden ones, no files.
    await input.fill('');
    await page.getByRole('button', { name: 'Browse folders…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Choose a folder' });
    await dialog.waitFor();
    const folders = dialog.getByRole('list', { name: /^Folders in/ });
    await folders.getByRole('button', { name: 'Pictures' }).waitFor();
    expect(await folders.getByRole('button').allInnerTexts()).toEqual(['Documents', 'Pictures']);
    await folders.getByRole('button', { name: 'Pictures' }).click();
    await folders.getByRole('button', { name: 'Shoot' }).click();
    await dialog.getByRole('navigation', { name: 'Folder path' }).getByText('Shoot').waitFor();
    // Nothing but folders: the pictures inside are not listed.
    expect(await folders.getByRole('button').allInnerTexts()).toEqual(['Up one level']);
    await shot('2-browser');
    expect(await labelInNameFaults(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Add this folder' }).click();
    await dialog.waitFor({ state: 'detached' });
    await waitFor(async () => (await tiles().count()) === SHOOT.length - 1, 60_000, 'the current versions');
  });

  it('replaces the cataloguing toast when the work is done', async () => {
    const { page } = ui;
    // The toast settles when the scan ends; tagging, below ingest, may keep the status bar busy
    // for a while after, long enough for the settled toast to have gone when it says "Up to date".
    const status = page.getByRole('status').filter({ hasText: 'Shoot' });
    await status.getByText('Shoot is catalogued: 4 files').waitFor({ timeout: 60_000 });
    expect(await page.getByText('cataloguing…').count()).toBe(0);
    await page.getByText('Up to date').waitFor({ timeout: 120_000 });
    await shot('3-catalogued');
  });

  it('counts All items as the grid shows them and says how many versions are stacked behind', async () => {
    const { page } = ui;
    const allItems = page
      .getByRole('navigation', { name: 'Library' })
      .getByRole('button', { name: /^All items/ });
    await waitFor(
      async () => (await allItems.innerText()).replace(/\s+/g, ' ').trim() === 'All items 3',
      30_000,
      'All items 3',
    );
    await page
      .locator('.status-count')
      .getByText('3 items (1 more version in a stack)')
      .waitFor({ timeout: 30_000 });
    // The folder tree counts every file (4); its view says where the fourth is.
    await page.getByRole('button', { name: /Shoot 4$/ }).click();
    await page
      .locator('.status-count')
      .getByText('3 items (1 more version in a stack)')
      .waitFor({ timeout: 30_000 });
    expect(await labelInNameFaults(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
