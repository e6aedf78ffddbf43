import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { AutoTag, TaggingStatus } from '../../shared/auto-tags';
import type { FaceView } from '../../shared/people';
import { labelInNameFaults } from '../helpers/a11y';
import { knownPhoto } from '../helpers/known-photos';
import { waitFor } from '../helpers/library';
import { browserSession, dam, shown } from '../helpers/serve';

/** Grace Hopper's portrait, from Debian's python-matplotlib-data (installed by .ci/run). */
const GRACE = '/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg';

const tagsOf = (catalog: string, file: string) =>
  JSON.parse(dam(catalog, 'tags', file, '--json')) as AutoTag[];
const stateOf = (catalog: string, file: string, label: string) =>
  tagsOf(catalog, file).find((t) => t.label === label)?.state;

// Auto-tags in the UI, in real Chromium against `dam serve`: real photographs (python3-skimage)
// tagged by the real models through `dam tag`, one left for the server to tag in the background;
// accepted and rejected by key and by mouse, checked through the CLI.
describe('auto-tags, face boxes and tagging progress in a browser', () => {
  const ui = browserSession({
    name: 'autotags',
    shotPrefix: 'auto-tags-',
    dirs: ['photos'],
    async prepare(catalog, { photos }) {
      const jpeg = (src: string, name: string) =>
        sharp(knownPhoto(src)).jpeg({ quality: 90 }).toFile(path.join(photos, name));
      await jpeg('astronaut.png', 'astronaut.jpg');
      await jpeg('coffee.png', 'coffee.jpg');
      await jpeg('chelsea.png', 'chelsea.jpg');
      await jpeg('horse.png', 'horse.jpg');
      // A wide picture (letterboxed in the loupe) with another person's face off-centre in it.
      if (!fs.existsSync(GRACE))
        throw new Error(`${GRACE} is missing: apt-get install python-matplotlib-data`);
      const face = await sharp(GRACE).resize({ height: 300 }).toBuffer();
      await sharp({ create: { width: 1000, height: 340, channels: 3, background: '#405060' } })
        .composite([{ input: face, left: 720, top: 20 }])
        .jpeg({ quality: 90 })
        .toFile(path.join(photos, 'wide.jpg'));
      dam(catalog, 'add-root', photos);
      dam(catalog, 'scan');
      // Tagged here, in one process; horse.jpg is left for `dam serve` to tag in the background.
      dam(
        catalog,
        'tag',
        ...['astronaut.jpg', 'coffee.jpg', 'chelsea.jpg', 'wide.jpg'].map((f) => path.join(photos, f)),
      );
      const faces = JSON.parse(
        dam(catalog, 'people', 'faces', path.join(photos, 'astronaut.jpg'), '--json'),
      ) as FaceView[];
      dam(catalog, 'people', 'name', String(faces[0]!.personId), 'Eileen Collins');
    },
  });
  const { catalog, errors, shot, tiles, tile, inspector } = ui;
  const file = (name: string) => path.join(ui.dirs.photos, name);

  it('shows proposed tags apart from keywords; accepts by key and by mouse, rejects, and accepts all on a selection', async () => {
    const { page, url } = ui;
    await page.goto(url);
    await waitFor(async () => (await tiles().count()) === 5, 60_000, 'every picture as a tile');

    await tile('astronaut.jpg').click();
    const person = inspector().getByRole('listitem', { name: /^person, \d+%, proposed/ });
    await person.waitFor();
    await inspector().getByRole('list', { name: 'Faces found' }).waitFor();
    await shot('1-proposed');
    expect(await labelInNameFaults(page)).toEqual([]);

    // Arrow keys move between the chips, not through the grid.
    await person.focus();
    await page.keyboard.press('ArrowRight');
    expect(await person.evaluate((el) => el === document.activeElement)).toBe(false);
    await page.keyboard.press('ArrowLeft');
    expect(await person.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await tile('astronaut.jpg').getAttribute('aria-selected')).toBe('true');

    // By keyboard: Enter on the focused chip accepts it; the keyword editor shows it.
    await page.keyboard.press('Enter');
    await inspector()
      .getByRole('listitem', { name: /^person, \d+%, accepted/ })
      .waitFor();
    await inspector().getByRole('button', { name: 'Remove keyword person' }).waitFor();
    expect(stateOf(catalog, file('astronaut.jpg'), 'person')).toBe('accepted');
    expect(shown<{ keywords: string[] }>(catalog, file('astronaut.jpg')).keywords).toContain('person');

    // Ctrl+Z takes the accept back (proposed again, the keyword gone); Ctrl+Shift+Z does it again.
    await page.keyboard.press('Control+z');
    await inspector()
      .getByRole('listitem', { name: /^person, \d+%, proposed/ })
      .waitFor();
    await inspector().getByRole('button', { name: 'Remove keyword person' }).waitFor({ state: 'detached' });
    await waitFor(() => stateOf(catalog, file('astronaut.jpg'), 'person') === 'proposed', 10_000, 'undone');
    expect(shown<{ keywords: string[] }>(catalog, file('astronaut.jpg')).keywords).not.toContain('person');
    await page.keyboard.press('Control+Shift+z');
    await inspector()
      .getByRole('listitem', { name: /^person, \d+%, accepted/ })
      .waitFor();
    await inspector().getByRole('button', { name: 'Remove keyword person' }).waitFor();
    expect(stateOf(catalog, file('astronaut.jpg'), 'person')).toBe('accepted');
    expect(shown<{ keywords: string[] }>(catalog, file('astronaut.jpg')).keywords).toContain('person');

    // A face is accepted as the person it is: naming her (before the server started) already made
    // her name a keyword, so undoing the accept takes the face back to proposed and keeps the name.
    expect(shown<{ keywords: string[] }>(catalog, file('astronaut.jpg')).keywords).toContain(
      'Eileen Collins',
    );
    await inspector().getByRole('button', { name: 'Accept face' }).click();
    await inspector()
      .getByRole('listitem', { name: /^face, \d+%, accepted/ })
      .waitFor();
    await page.keyboard.press('Control+z');
    await inspector()
      .getByRole('listitem', { name: /^face, \d+%, proposed/ })
      .waitFor();
    await waitFor(
      () => stateOf(catalog, file('astronaut.jpg'), 'face') === 'proposed',
      10_000,
      'face undone',
    );
    expect(shown<{ keywords: string[] }>(catalog, file('astronaut.jpg')).keywords.sort()).toEqual([
      'Eileen Collins',
      'person',
    ]);

    // By mouse: the cup in the coffee picture.
    await tile('coffee.jpg').click();
    await inspector().getByRole('button', { name: 'Accept cup' }).click();
    await inspector()
      .getByRole('listitem', { name: /^cup, \d+%, accepted/ })
      .waitFor();
    await inspector().getByRole('button', { name: 'Remove keyword cup' }).waitFor();
    expect(stateOf(catalog, file('coffee.jpg'), 'cup')).toBe('accepted');

    // Rejected by key (R) on the cat, which the detector takes for a dog.
    await tile('chelsea.jpg').click();
    const dog = inspector().getByRole('listitem', { name: /^dog, \d+%, proposed/ });
    await dog.focus();
    await page.keyboard.press('r');
    await inspector()
      .getByRole('listitem', { name: /^dog, \d+%, rejected/ })
      .waitFor();
    expect(stateOf(catalog, file('chelsea.jpg'), 'dog')).toBe('rejected');
    expect(shown<{ keywords: string[] }>(catalog, file('chelsea.jpg')).keywords).not.toContain('dog');
    await shot('2-decided');

    // Accept all proposed on a selection: the cat's other tags are accepted, its rejected dog stays rejected.
    await tile('coffee.jpg').click({ modifiers: ['Control'] });
    const proposedBefore = tagsOf(catalog, file('chelsea.jpg')).filter((t) => t.state === 'proposed');
    expect(proposedBefore.length).toBeGreaterThan(0);
    await inspector().getByRole('button', { name: 'Accept all proposed' }).click();
    await inspector().getByText('Nothing left to decide').waitFor();
    const after = tagsOf(catalog, file('chelsea.jpg'));
    for (const t of proposedBefore) expect(after.find((a) => a.label === t.label)!.state).toBe('accepted');
    expect(after.find((a) => a.label === 'dog')!.state).toBe('rejected');
    expect(tagsOf(catalog, file('coffee.jpg')).filter((t) => t.state === 'proposed')).toEqual([]);
    const keywords = shown<{ keywords: string[] }>(catalog, file('chelsea.jpg')).keywords;
    // (An unnamed face adds no keyword: a face's keywords are the names of the people in it.)
    const words = proposedBefore.filter((t) => t.kind !== 'face').map((t) => t.label);
    expect(words.length).toBeGreaterThan(0);
    for (const w of words) expect(keywords).toContain(w);

    // Undone as one step: the cat's tags proposed again, their keywords gone, the dog still rejected.
    await page.keyboard.press('Control+z');
    await inspector().getByRole('button', { name: 'Accept all proposed' }).waitFor();
    await waitFor(
      () =>
        tagsOf(catalog, file('chelsea.jpg')).filter((t) => t.state === 'proposed').length ===
        proposedBefore.length,
      10_000,
      'the bulk accept undone',
    );
    expect(stateOf(catalog, file('chelsea.jpg'), 'dog')).toBe('rejected');
    const undone = shown<{ keywords: string[] }>(catalog, file('chelsea.jpg')).keywords;
    for (const w of words) expect(undone).not.toContain(w);
    expect(errors).toEqual([]);
  });

  it('draws the faces over the loupe picture, letterboxed and zoomed, with the name when known', async () => {
    const { page } = ui;
    // The face's box, where it must be over the picture: the image element less its letterboxing.
    const expected = async (f: FaceView) =>
      page.evaluate((box) => {
        const img = document.querySelector<HTMLImageElement>('img.loupe-preview.ready')!;
        const b = img.getBoundingClientRect();
        const scale = Math.min(b.width / img.naturalWidth, b.height / img.naturalHeight);
        const w = img.naturalWidth * scale;
        const h = img.naturalHeight * scale;
        const left = b.left + (b.width - w) / 2;
        const top = b.top + (b.height - h) / 2;
        return { x: left + box.x * w, y: top + box.y * h, width: box.w * w, height: box.h * h };
      }, f.box);
    const near = (a: { x: number; y: number; width: number; height: number }, b: typeof a) => {
      for (const k of ['x', 'y', 'width', 'height'] as const)
        expect(Math.abs(a[k] - b[k]), k).toBeLessThan(2);
    };

    await tile('astronaut.jpg').click();
    await page.keyboard.press('Space');
    const loupe = page.getByRole('dialog', { name: 'astronaut.jpg' });
    await loupe.locator('img.loupe-preview.ready').waitFor();
    const named = loupe.getByRole('img', { name: 'Face: Eileen Collins' });
    expect(await named.count()).toBe(0);
    await page.keyboard.press('f');
    await named.waitFor();
    await expect(loupe.getByRole('button', { name: 'Faces' }).getAttribute('aria-pressed')).resolves.toBe(
      'true',
    );
    await named.getByText('Eileen Collins', { exact: true }).waitFor();
    const [astronaut] = JSON.parse(
      dam(catalog, 'people', 'faces', file('astronaut.jpg'), '--json'),
    ) as FaceView[];
    near((await named.boundingBox())!, await expected(astronaut!));
    await shot('3-face-box');

    // Zoomed to 1:1 the box follows the picture.
    await page.keyboard.press('z');
    await waitFor(async () => (await loupe.locator('.loupe-stage.zoomed').count()) === 1, 10_000, 'zoomed');
    near((await named.boundingBox())!, await expected(astronaut!));
    await page.keyboard.press('z');

    // A wide picture is letterboxed top and bottom; its unnamed face is off-centre. The toggle stays on.
    await page.keyboard.press('Escape');
    await loupe.waitFor({ state: 'detached' });
    await tile('wide.jpg').click();
    await page.keyboard.press('Space');
    const wide = page.getByRole('dialog', { name: 'wide.jpg' });
    await wide.locator('img.loupe-preview.ready').waitFor();
    const unnamed = wide.getByRole('img', { name: 'Face, unnamed' });
    await unnamed.waitFor();
    const [wideFace] = JSON.parse(dam(catalog, 'people', 'faces', file('wide.jpg'), '--json')) as FaceView[];
    expect(wideFace!.box.x).toBeGreaterThan(0.6);
    expect(wideFace!.name).toBeNull();
    near((await unnamed.boundingBox())!, await expected(wideFace!));
    await shot('4-face-box-letterboxed');

    // F again hides them.
    await page.keyboard.press('f');
    await unnamed.waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });

  it('shows tagging in Settings: backend, counts, and pause / resume', async () => {
    const { page, url } = ui;
    if (page.url() === 'about:blank') await page.goto(url); // run alone (-t)
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    const facts = settings.locator('dl[aria-label="Tagging progress"]');
    const fact = async (term: string) => {
      const terms = await facts.getByRole('term').allInnerTexts();
      return facts.getByRole('definition').nth(terms.indexOf(term)).innerText();
    };
    // horse.jpg is tagged by the server itself, which reports its engine.
    await waitFor(
      async () => (await fact('Engine')) === 'WebAssembly (wasm)',
      120_000,
      'the engine the server ran',
    );
    await waitFor(async () => (await fact('Tagged')) === '5', 60_000, 'five tagged');
    expect(await fact('Waiting')).toBe('0');
    expect(await fact('Failed')).toBe('0');
    expect(
      await settings.getByRole('checkbox', { name: /Find objects, faces and colours/ }).isChecked(),
    ).toBe(true);
    await settings.getByRole('spinbutton', { name: /confidence of at least/ }).waitFor();
    await settings.getByRole('button', { name: 'Pause tagging' }).scrollIntoViewIfNeeded();
    await shot('5-settings');

    const status = () =>
      page.evaluate(async () => {
        const res = await fetch('/api/tagging.status', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        });
        return ((await res.json()) as { value: TaggingStatus }).value;
      });
    await settings.getByRole('button', { name: 'Pause tagging' }).click();
    await settings.getByRole('button', { name: 'Resume tagging' }).waitFor();
    expect(await fact('State')).toBe('Paused');
    expect((await status()).paused).toBe(true);
    await settings.getByRole('button', { name: 'Resume tagging' }).click();
    await settings.getByRole('button', { name: 'Pause tagging' }).waitFor();
    expect((await status()).paused).toBe(false);

    // The threshold, as a percent, reaches the catalogue's setting.
    const threshold = settings.getByRole('spinbutton', { name: /confidence of at least/ });
    await threshold.fill('45');
    await threshold.press('Enter');
    await waitFor(async () => (await status()).threshold === 0.45, 10_000, 'the new threshold');
    expect(await labelInNameFaults(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
