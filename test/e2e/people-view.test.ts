import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { labelInNameFaults } from '../helpers/a11y';
import { knownPhoto } from '../helpers/known-photos';
import { waitFor } from '../helpers/library';
import { browserSession, dam, shown } from '../helpers/serve';

/** Grace Hopper's portrait, from Debian's python-matplotlib-data (installed by .ci/run). */
const GRACE = '/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg';

interface PersonJson {
  id: number;
  name: string | null;
  faces: number;
  assets: number;
  sampleAssetId: number;
}

// The People view in real Chromium against `dam serve`, over faces the real engine found (as in
// people-real-faces.test.ts): the same face in two photos is one cluster; name it, split a face out
// and merge it back, remove a face; checked through the CLI.
describe('People view in a browser', () => {
  const ui = browserSession({
    name: 'people',
    shotPrefix: 'people-',
    dirs: ['photos'],
    async prepare(catalog, { photos }) {
      if (!fs.existsSync(GRACE))
        throw new Error(`${GRACE} is missing: apt-get install python-matplotlib-data`);
      const astronaut = knownPhoto('astronaut.png');
      await sharp(astronaut).jpeg({ quality: 90 }).toFile(path.join(photos, 'eileen-1.jpg'));
      // The same face re-framed, mirrored, rescaled and re-compressed.
      await sharp(astronaut)
        .extract({ left: 51, top: 0, width: 410, height: 435 })
        .flop()
        .resize(300)
        .jpeg({ quality: 70 })
        .toFile(path.join(photos, 'eileen-2.jpg'));
      fs.copyFileSync(GRACE, path.join(photos, 'grace.jpg'));
      dam(catalog, 'add-root', photos);
      dam(catalog, 'scan');
      dam(catalog, 'tag');
    },
  });
  const { catalog, errors, shot, tiles } = ui;
  const people = () => JSON.parse(dam(catalog, 'people', '--json')) as PersonJson[];
  const idOf = (name: string) => shown<{ id: number }>(catalog, path.join(ui.dirs.photos, name)).id;

  // A longer limit than the default (a limit, not a timed assertion): each step answers through dam serve and the CLI.
  it(
    'names a cluster, splits a face out and merges it back, and removes a face',
    { timeout: 400_000 },
    async () => {
      const { page, url } = ui;
      const eileen1 = idOf('eileen-1.jpg');
      const eileen2 = idOf('eileen-2.jpg');
      const grace = idOf('grace.jpg');
      // The engine put the two photos of one face in one cluster.
      const cluster = people().find((p) => p.sampleAssetId === eileen1 || p.sampleAssetId === eileen2)!;
      expect(cluster).toMatchObject({ name: null, faces: 2, assets: 2 });
      const graceCluster = people().find((p) => p.sampleAssetId === grace)!;
      expect(graceCluster.id).not.toBe(cluster.id);

      await page.goto(url);
      await waitFor(async () => (await tiles().count()) === 3, 60_000, 'every picture as a tile');
      await page.getByRole('button', { name: 'People', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'People' });
      const status = dialog.getByRole('status');
      await waitFor(async () => /0 people named/.test(await status.innerText()), 30_000, 'the clusters');
      const cards = dialog.getByRole('list', { name: 'People' }).getByRole('listitem');
      expect(await cards.count()).toBe(people().length);
      const faceImgs = () =>
        page.waitForFunction(() =>
          [...document.querySelectorAll<HTMLImageElement>('.people-view .face-crop img')].every(
            (i) => i.complete && i.naturalWidth > 0 && i.style.visibility !== 'hidden',
          ),
        );
      await faceImgs();
      await shot('1-clusters');

      // Name the cluster in place: type, Enter.
      const card = dialog.getByRole('listitem', { name: `Unnamed ${cluster.id}` });
      const name = card.getByRole('textbox', { name: `Name of Unnamed ${cluster.id}` });
      await name.fill('Eileen Collins');
      await name.press('Enter');
      await waitFor(async () => /^1 person named/.test(await status.innerText()), 30_000, 'the name saved');
      expect(people().find((p) => p.id === cluster.id)!.name).toBe('Eileen Collins');
      for (const id of [eileen1, eileen2]) {
        const a = shown<{ people: string[]; faces: number; keywords: string[] }>(catalog, String(id));
        expect(a.people).toEqual(['Eileen Collins']);
        expect(a.keywords).toContain('Eileen Collins');
      }

      // Open the person (keyboard): its two faces; take one out (Not this person).
      const named = dialog.getByRole('listitem', { name: 'Eileen Collins' });
      await named.getByRole('button', { name: 'Show the faces of Eileen Collins' }).focus();
      await page.keyboard.press('Enter');
      const facesPanel = dialog.getByRole('region', { name: 'Faces of Eileen Collins' });
      const faceItems = facesPanel.getByRole('listitem');
      await waitFor(async () => (await faceItems.count()) === 2, 30_000, 'two faces');
      await faceImgs();
      await shot('2-person');
      expect(await labelInNameFaults(page)).toEqual([]);
      const before = people().length;
      await faceItems.nth(1).getByRole('button', { name: 'Not this person' }).click();
      await waitFor(async () => (await cards.count()) === before + 1, 60_000, 'split');
      expect(people()).toHaveLength(before + 1);
      await waitFor(async () => (await faceItems.count()) === 1, 30_000, 'one face left');
      const split = people().find(
        (p) =>
          p.name === null &&
          p.id !== graceCluster.id &&
          p.faces === 1 &&
          [eileen1, eileen2].includes(p.sampleAssetId),
      )!;
      expect(split).toBeDefined();
      expect(people().find((p) => p.id === cluster.id)!.faces).toBe(1);

      // Merge it back: select the named person, then the split face's cluster, Merge.
      await named.getByRole('checkbox', { name: 'Select' }).check();
      await dialog
        .getByRole('listitem', { name: `Unnamed ${split.id}` })
        .getByRole('checkbox', { name: 'Select' })
        .check();
      await dialog.getByRole('button', { name: `Merge Unnamed ${split.id} into Eileen Collins` }).click();
      await waitFor(async () => (await cards.count()) === before, 60_000, 'merged');
      await waitFor(async () => (await faceItems.count()) === 2, 60_000, 'two faces again');
      expect(people().find((p) => p.id === cluster.id)!.faces).toBe(2);
      expect(people().some((p) => p.id === split.id)).toBe(false);

      // Remove a face that is not one: Grace's picture counts one face less.
      const graceBefore = shown<{ faces: number }>(catalog, String(grace)).faces;
      const graceCard = dialog.getByRole('listitem', { name: `Unnamed ${graceCluster.id}` });
      const gracePanel = dialog.getByRole('region', { name: `Faces of Unnamed ${graceCluster.id}` });
      const graceItems = gracePanel.getByRole('listitem');
      // A faces list that cannot be loaded says so instead of "Loading…" for ever. The answer is
      // replaced by a refusal here: a stand-in, as this test cannot make that one request fail.
      await page.route('**/api/people.faces', (route) =>
        route.fulfill({
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify({
            ok: false,
            error: { code: 'unavailable', message: 'The catalogue is busy' },
          }),
        }),
      );
      await graceCard.getByRole('button').first().click();
      await gracePanel.getByText('Faces could not be loaded').waitFor({ timeout: 10_000 });
      expect(await graceItems.count()).toBe(0);
      await page.unrouteAll({ behavior: 'wait' });
      await named.getByRole('button', { name: 'Show the faces of Eileen Collins' }).click();
      await waitFor(async () => (await faceItems.count()) === 2, 30_000, "Eileen Collins' faces again");

      // Opened while Eileen Collins' faces are shown: until Grace's own faces come (held here, then
      // let through unchanged), none of Eileen's may stand under Grace's name.
      let release = () => {};
      const held = new Promise<void>((r) => (release = r));
      await page.route('**/api/people.faces', async (route) => {
        await held;
        await route.continue();
      });
      await graceCard.getByRole('button').first().click();
      await gracePanel.getByText('Loading…').waitFor({ timeout: 10_000 });
      expect(await graceItems.count()).toBe(0);
      release();
      await graceItems.first().waitFor();
      // The only route in this test; 'wait' lets the held requests finish passing through.
      await page.unrouteAll({ behavior: 'wait' });
      expect(await gracePanel.getByText('Loading…').count()).toBe(0);
      // One face at a time until the cluster is gone (its panel closes with its last face).
      let graceFaces = 0;
      while ((await gracePanel.count()) > 0 && (await graceItems.count()) > 0 && graceFaces < 10) {
        const left = await graceItems.count();
        await graceItems.first().getByRole('button', { name: 'Not a face' }).click();
        graceFaces++;
        await waitFor(
          async () => (await gracePanel.count()) === 0 || (await graceItems.count()) === left - 1,
          30_000,
          'the face gone',
        );
      }
      expect(graceFaces).toBeGreaterThanOrEqual(1);
      await waitFor(async () => (await cards.count()) === before - 1, 60_000, 'the cluster gone');
      expect(people().some((p) => p.id === graceCluster.id)).toBe(false);
      expect(shown<{ faces: number }>(catalog, String(grace)).faces).toBe(graceBefore - graceFaces);
      await shot('3-after');

      // A face opens its picture in the loupe.
      await named.getByRole('button', { name: 'Show the faces of Eileen Collins' }).click();
      await facesPanel
        .getByRole('listitem')
        .first()
        .getByRole('button', { name: 'Open this picture' })
        .click();
      await dialog.waitFor({ state: 'detached' });
      await page.waitForFunction(() => {
        const img = document.querySelector<HTMLImageElement>('[role=dialog] img.loupe-preview');
        return img !== null && img.complete && img.naturalWidth > 0;
      });
      expect(await page.getByRole('searchbox', { name: 'Search' }).inputValue()).toBe(
        'person:"Eileen Collins"',
      );
      await shot('4-opened');
      expect(errors).toEqual([]);
    },
  );
});
