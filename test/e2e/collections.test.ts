import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CollectionNode } from '../../shared/collections';
import { makePhoto } from '../fixtures/make-fixtures';
import { waitFor } from '../helpers/library';
import { browserSession, dam } from '../helpers/serve';

const PHOTOS = ['alpha.jpg', 'bravo.jpg', 'charlie.jpg', 'delta.jpg'];

// Collections in real Chromium against `dam serve`: made from the sidebar, filled by B and by
// dragging tiles, opened, undone, and a smart one from the current search; checked through the CLI.
describe('collections in a browser', () => {
  const ui = browserSession({
    name: 'collections',
    shotPrefix: 'collections-',
    dirs: ['photos'],
    async prepare(catalog, { photos }) {
      for (const [i, name] of PHOTOS.entries()) await makePhoto(photos, name, { seed: 10 + i });
      dam(catalog, 'add-root', photos);
      dam(catalog, 'scan');
    },
  });
  const { catalog, errors, tiles, tile, search } = ui;
  const listed = () => JSON.parse(dam(catalog, 'collection', 'list', '--json')) as CollectionNode[];
  const count = (name: string) => listed().find((c) => c.name === name)?.count;
  const sidebar = () => ui.page.getByRole('list', { name: 'Collections' });

  it('makes a collection, fills it with B and by dragging, opens it and undoes an addition', async () => {
    const { page } = ui;
    await page.goto(ui.url);
    await waitFor(async () => (await tiles().count()) === 4 || undefined, 30_000, 'every photo as a tile');
    await page.getByRole('button', { name: 'New collection' }).click();
    await page.getByRole('textbox', { name: 'Name of the new collection' }).fill('Client picks');
    await page.keyboard.press('Enter');
    await expect
      .poll(() =>
        sidebar()
          .getByRole('button', { name: /^Client picks/ })
          .count(),
      )
      .toBe(1);

    // A new collection is the target: B puts the selection in it.
    await tile('alpha.jpg').click();
    await tile('bravo.jpg').click({ modifiers: ['Control'] });
    await page.keyboard.press('b');
    await waitFor(() => count('Client picks') === 2 || undefined, 10_000);

    // Dragging a tile onto the collection adds it too.
    await tile('charlie.jpg').dragTo(page.locator('[data-collection="Client picks"]'));
    await waitFor(() => count('Client picks') === 3 || undefined, 10_000);
    await expect.poll(() => sidebar().getByLabel('3 items').count()).toBe(1);

    // Ctrl+Z takes out exactly what the last addition put in.
    await page.keyboard.press('Control+z');
    await waitFor(() => count('Client picks') === 2 || undefined, 10_000);

    await sidebar()
      .getByRole('button', { name: /^Client picks/ })
      .click();
    await expect.poll(() => search().inputValue()).toBe('collection:"Client picks"');
    await expect.poll(() => tiles().count()).toBe(2);
    expect((await tiles().allInnerTexts()).join(' ')).toMatch(/alpha.*bravo|bravo.*alpha/s);
    await ui.shot('filled');
  });

  it('keeps the current search as a smart collection that counts what it finds', async () => {
    const { page } = ui;
    await search().fill('name:delta');
    await search().press('Enter');
    await expect.poll(() => tiles().count()).toBe(1);
    await page.getByRole('button', { name: 'Smart collection from this search' }).click();
    await page.getByRole('textbox', { name: 'Name of the new collection' }).fill('Deltas');
    await page.keyboard.press('Enter');
    await waitFor(
      () => listed().find((c) => c.name === 'Deltas' && c.query === 'name:delta') ?? undefined,
      10_000,
    );
    expect(count('Deltas')).toBe(1);
    // Smart collections take no hand-picked items: B does not add to one, it is never the target.
    expect(
      await sidebar()
        .getByRole('button', { name: /Target collection for B: Deltas/ })
        .count(),
    ).toBe(0);
    expect(errors).toEqual([]);
    expect(path.basename(ui.dirs.photos)).toMatch(/photos/);
  });
});
