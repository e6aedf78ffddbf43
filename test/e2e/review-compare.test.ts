import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Approval, Rights } from '../../shared/governance';
import { makePhoto } from '../fixtures/make-fixtures';
import { labelInNameFaults } from '../helpers/a11y';
import { waitFor } from '../helpers/library';
import { browserSession, dam, shown } from '../helpers/serve';

/** Two versions of one picture (a stack of two, of different sizes and dates). */
const V1 = 'portrait.jpg';
const V2 = 'portrait_v2.jpg';
/** The same bytes in both roots. */
const COPY = 'pier.jpg';
/** Waiting in review without any rights: approving them is refused until credit and licence are set. */
const REVIEW = ['review-a.jpg', 'review-b.jpg'];

interface Shown {
  approval: Approval;
  rights: Rights;
}

// What a new user met in the version compare, review mode, duplicates and labels, in real
// Chromium against `dam serve`, on generated photos; checked through the CLI.
describe('versions, review and duplicates in a browser', () => {
  const ui = browserSession({
    name: 'review',
    shotPrefix: 'review-',
    dirs: ['studio', 'backup'],
    async prepare(catalog, { studio, backup }) {
      const camera = { make: 'Canon', model: 'Canon EOS R5' };
      await makePhoto(studio, V1, {
        seed: 1,
        width: 640,
        height: 427,
        ...camera,
        taken: '2024:05:01 10:00:00',
      });
      await makePhoto(studio, V2, {
        seed: 2,
        width: 960,
        height: 640,
        ...camera,
        taken: '2024:05:01 10:00:00',
      });
      await makePhoto(studio, COPY, { seed: 3 });
      fs.copyFileSync(path.join(studio, COPY), path.join(backup, COPY));
      await makePhoto(studio, REVIEW[0]!, {
        seed: 4,
        width: 900,
        height: 600,
        make: 'NIKON CORPORATION',
        model: 'NIKON Z 6',
        taken: '2023:08:14 18:30:00',
      });
      await makePhoto(studio, REVIEW[1]!, {
        seed: 5,
        make: 'FUJIFILM',
        model: 'X-T4',
        taken: '2023:08:15 09:00:00',
      });
      dam(catalog, 'add-root', studio);
      dam(catalog, 'add-root', backup);
      dam(catalog, 'scan');
      for (const f of REVIEW) dam(catalog, 'submit', path.join(studio, f));
    },
  });
  const { catalog, errors, shot, tiles, tile, inspector, search } = ui;
  const { studio, backup } = ui.dirs;
  const show = (name: string) => shown<Shown>(catalog, path.join(studio, name));

  it('has a label-in-name check that finds the faults the issue named', async () => {
    const { page } = ui;
    await page.setContent(`
      <label for="c">Comment (optional)</label><textarea id="c" aria-label="Approval comment"></textarea>
      <button aria-label="Close">Library</button>
      <label>Credit line <input aria-label="Credit line"></label>`);
    expect(await labelInNameFaults(page)).toEqual([
      'textarea shows "comment (optional)" but is named "approval comment"',
      'button shows "library" but is named "close"',
    ]);
  });

  it('marks identical files in two roots, finds them with is:duplicate and lists the other location', async () => {
    const { page, url } = ui;
    await page.goto(url);
    // Five items: the stack shows once, the copy in each root.
    await waitFor(async () => (await tiles().count()) === 5, 60_000, 'every item as a tile');
    const badges = page.getByRole('img', { name: /^Duplicate: the same file is also at 1 other place$/ });
    await waitFor(async () => (await badges.count()) === 2, 30_000, 'a duplicate badge on both copies');
    await search().fill('is:duplicate');
    await waitFor(async () => (await tiles().count()) === 2, 30_000, 'the two copies');
    await tiles().first().click();
    const others = inspector().getByRole('list', { name: 'Other locations of the same file' });
    await others.waitFor();
    const listed = await others.getByRole('listitem').allInnerTexts();
    expect(listed).toHaveLength(1);
    expect([path.join(studio, COPY), path.join(backup, COPY)]).toContain(listed[0]);
    await shot('1-duplicates');
    expect(await labelInNameFaults(page)).toEqual([]);
    await search().fill('');
    await waitFor(async () => (await tiles().count()) === 5, 30_000, 'every tile again');
  });

  it('compares the two versions of a stack at once, fitted, with the details of each side', async () => {
    const { page } = ui;
    await tile(V2).click();
    await inspector().getByRole('tab', { name: 'Versions' }).click();
    const versions = inspector().getByRole('list', { name: 'Versions' });
    await versions.getByRole('listitem').nth(1).waitFor();
    // Nothing ticked: with two versions, Compare compares those two.
    const compareButton = inspector().getByRole('button', { name: 'Compare', exact: true });
    expect(await compareButton.isEnabled()).toBe(true);
    expect(await labelInNameFaults(page)).toEqual([]);
    await compareButton.click();
    const compare = page.getByRole('dialog', { name: 'Compare versions' });
    await compare.waitFor();
    await page.waitForFunction(() => {
      const imgs = [...document.querySelectorAll<HTMLImageElement>('[role=dialog] .compare-side img')];
      return imgs.length === 2 && imgs.every((i) => i.complete && i.naturalWidth > 0);
    });
    const figures = compare.getByRole('figure');
    expect(await figures.count()).toBe(2);
    const [left, right] = [figures.nth(0), figures.nth(1)];
    await left.getByText('640 × 427').waitFor();
    await right.getByText('960 × 640').waitFor();
    for (const [side, name] of [
      [left, V1],
      [right, V2],
    ] as const) {
      await side.getByRole('heading', { name }).waitFor();
      for (const k of ['Dimensions', 'Size', 'Captured', 'Modified', 'Approval'])
        await side.getByText(k, { exact: true }).waitFor();
    }
    expect(await compare.getByRole('status').innerText()).toMatch(/^Differs in dimensions, size/);
    // Fitted to the screen: each picture is drawn far larger than its own pixels would be at 1:1
    // on its half of a 1440-wide window (the element fills its stage; object-fit keeps the ratio).
    const boxes = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLImageElement>('[role=dialog] .compare-side img')].map((i) => {
        const r = i.getBoundingClientRect();
        const scale = Math.min(r.width / i.naturalWidth, r.height / i.naturalHeight);
        return { shownWidth: i.naturalWidth * scale, stage: i.parentElement!.clientWidth };
      }),
    );
    for (const b of boxes) expect(b.shownWidth).toBeGreaterThan(b.stage * 0.6);
    await shot('2-compare');
    expect(await labelInNameFaults(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await compare.waitFor({ state: 'detached' });
  });

  it('names every control by (at least) its visible label: approval comment, rights, loupe, settings, filters', async () => {
    const { page } = ui;
    await tile(COPY).first().click();
    await inspector().getByRole('tab', { name: 'Approval' }).click();
    await inspector().getByRole('textbox', { name: 'Comment (optional)' }).waitFor();
    const faults = new Set(await labelInNameFaults(page));
    await inspector().getByRole('tab', { name: 'Rights' }).click();
    await inspector().getByRole('textbox', { name: 'Credit line' }).waitFor();
    (await labelInNameFaults(page)).forEach((f) => faults.add(`rights: ${f}`));
    // A selection of two: the rights fields say "mixed" beside their label.
    await page.keyboard.press('Control+a');
    await inspector()
      .getByRole('heading', { name: /items selected/ })
      .waitFor();
    (await labelInNameFaults(page)).forEach((f) => faults.add(`selection: ${f}`));
    await tile(V2).click();
    await page.keyboard.press('Enter');
    const loupe = page.getByRole('dialog', { name: V2 });
    await loupe.waitFor();
    (await labelInNameFaults(page)).forEach((f) => faults.add(`loupe: ${f}`));
    await page.keyboard.press('Escape');
    await loupe.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.waitFor();
    (await labelInNameFaults(page)).forEach((f) => faults.add(`settings: ${f}`));
    await settings.getByRole('button', { name: 'Done' }).click();
    for (const facet of ['Camera', 'Rating', 'Approval']) {
      await page.getByRole('button', { name: facet, exact: true }).click();
      (await labelInNameFaults(page)).forEach((f) => faults.add(`${facet} filter: ${f}`));
      await page.keyboard.press('Escape');
    }
    expect([...faults]).toEqual([]);
  });

  it('reviews with the picture facts beside it, edits missing rights in place, and undoes a reject', async () => {
    const { page } = ui;
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+r');
    const review = page.getByRole('dialog', { name: 'Review' });
    await review.waitFor();
    const side = review.getByRole('complementary', { name: 'Review details' });
    // The oldest first: review-a, from the Nikon.
    const facts = side.getByRole('definition');
    await side.getByText('NIKON Z 6').waitFor({ timeout: 30_000 });
    expect(await facts.allInnerTexts()).toEqual(
      expect.arrayContaining([
        'review-a.jpg',
        'NIKON Z 6',
        expect.stringMatching(/2023/),
        '900 × 600 · 0.5 MP',
      ]),
    );
    expect(await labelInNameFaults(page)).toEqual([]);

    // Approving without rights is refused, and the rights open right here.
    await page.keyboard.press('a');
    await side.getByRole('alert').waitFor();
    expect(await side.getByRole('alert').innerText()).toMatch(/no credit line, no licence type/);
    const credit = side.getByRole('textbox', { name: 'Credit line' });
    await credit.fill('Harbour Agency');
    await credit.press('Enter');
    await side.getByRole('combobox', { name: 'Licence type' }).selectOption('royalty-free');
    await waitFor(
      () => {
        const r = show(REVIEW[0]!).rights;
        return r.credit === 'Harbour Agency' && r.licenseType === 'royalty-free';
      },
      30_000,
      'rights set from review',
    );
    // The refusal has nothing left to say once the rights are there.
    await side.getByRole('alert').waitFor({ state: 'detached' });
    await shot('3-review-rights');
    expect(await labelInNameFaults(page)).toEqual([]);
    await review.getByRole('button', { name: /^Approve/ }).click();
    await waitFor(() => show(REVIEW[0]!).approval.state === 'approved', 30_000, 'approved');

    // On to review-b: a reject by key, then Ctrl+Z sends it back to review, logged.
    await side.getByText('X-T4').waitFor({ timeout: 30_000 });
    await review.focus();
    await page.keyboard.press('x');
    await waitFor(() => show(REVIEW[1]!).approval.state === 'rejected', 30_000, 'rejected');
    await page.keyboard.press('Control+z');
    await waitFor(() => show(REVIEW[1]!).approval.state === 'in-review', 30_000, 'the reject undone');
    await page.getByRole('status').getByText(`Undone: ${REVIEW[1]} rejected`).waitFor();
    // Shown again, waiting for a decision.
    await side.getByText('X-T4').waitFor();
    await review.getByRole('button', { name: /^Reject/ }).waitFor();
    const history = dam(catalog, 'history', path.join(studio, REVIEW[1]!));
    expect(history).toMatch(/Undone: review-b\.jpg rejected/);
    await shot('4-review-undone');
    // Redo decides again.
    await page.keyboard.press('Control+Shift+z');
    await waitFor(() => show(REVIEW[1]!).approval.state === 'rejected', 30_000, 'the reject redone');
    // Every decision undoes: the reject again, then the approval (the log keeps all of it).
    await page.keyboard.press('Control+z');
    await waitFor(() => show(REVIEW[1]!).approval.state === 'in-review', 30_000, 'the reject undone again');
    await page.keyboard.press('Control+z');
    await waitFor(() => show(REVIEW[0]!).approval.state === 'in-review', 30_000, 'the approval undone');
    expect(dam(catalog, 'history', path.join(studio, REVIEW[0]!))).toMatch(/Undone: review-a\.jpg approved/);
    expect(show(REVIEW[0]!).rights.credit).toBe('Harbour Agency');
    expect(errors).toEqual([]);
  });
});
