import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Approval, Rights, Warning } from '../../shared/governance';
import { cameraFile } from '../helpers/camera';
import { waitFor } from '../helpers/library';
import { browserSession, dam, shown } from '../helpers/serve';

/** One to govern by hand, two waiting in review, one whose licence runs out. */
const EDIT = 'Canon_40D.jpg';
const REVIEW = ['Nikon_COOLPIX_P1.jpg', 'Olympus_C8080WZ.jpg'];
const EXPIRE = 'Fujifilm_FinePix_E500.jpg';
const FILES = [EDIT, ...REVIEW, EXPIRE];

interface Snapshot {
  hash: string;
  stored: boolean;
  current: boolean;
}

const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

interface Shown {
  contentHash: string | null;
  rights: Rights;
  approval: Approval;
  warnings: Warning[];
  stack: { id: number; size: number; current: boolean; position: number } | null;
}

// Rights, approvals, review mode and warnings in real Chromium against `dam serve`, checked
// through the CLI (what another client of the same catalogue sees).
describe('governance in a browser', () => {
  const ui = browserSession({
    name: 'gov',
    shotPrefix: 'gov-',
    dirs: ['root'],
    prepare(catalog, { root }) {
      for (const f of FILES) fs.copyFileSync(cameraFile(`jpg/${f}`), path.join(root, f));
      dam(catalog, 'add-root', root);
      dam(catalog, 'scan');
      for (const f of REVIEW) {
        const file = path.join(root, f);
        dam(catalog, 'set', file, 'credit=Agency North', 'licenseType=royalty-free', 'channels=web,print');
        dam(catalog, 'submit', file, '--comment', 'for the spring campaign');
      }
    },
  });
  const { catalog, errors, shot, tiles, tile, inspector } = ui;
  const file = (name: string) => path.join(ui.dirs.root, name);
  const show = (name: string) => shown<Shown>(catalog, file(name));

  it('edits rights, refuses and then grants approval, reviews by keyboard and flags an expired licence', async () => {
    const { page, url } = ui;
    await page.goto(url);
    await waitFor(async () => (await tiles().count()) === FILES.length, 60_000, 'every file as a tile');
    // Two assets in review carry the state dot.
    await expect(tile(REVIEW[0]!).getByRole('img', { name: 'In review' }).count()).resolves.toBe(1);

    // Approving without a credit line is refused, with the reason.
    await tile(EDIT).click();
    await inspector().getByRole('tab', { name: 'Approval' }).click();
    await inspector().getByRole('button', { name: 'Submit for review' }).click();
    await waitFor(() => show(EDIT).approval.state === 'in-review', 30_000, 'submitted');
    await inspector().getByRole('button', { name: 'Approve', exact: true }).click();
    const refusal = inspector().getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/Cannot approve: no credit line/);
    expect(show(EDIT).approval.state).toBe('in-review');
    await shot('1-approval-refused');

    // Credit and licence in the rights panel reach the catalogue.
    await inspector().getByRole('tab', { name: 'Rights' }).click();
    const credit = inspector().getByRole('textbox', { name: 'Credit line' });
    await credit.fill('North Studio / Agency');
    await credit.press('Enter');
    await inspector().getByRole('combobox', { name: 'Licence type' }).selectOption('cc-by');
    await waitFor(
      () => {
        const r = show(EDIT).rights;
        return r.credit === 'North Studio / Agency' && r.licenseType === 'cc-by';
      },
      30_000,
      'credit and licence in the catalogue',
    );
    await inspector().getByRole('button', { name: 'Web', exact: true }).click();
    await waitFor(() => show(EDIT).rights.channels.includes('web'), 30_000, 'the web channel');
    // A rights edit undoes like any other: Ctrl+Z takes the channel off again, Ctrl+Shift+Z puts it back.
    await tile(EDIT).focus();
    await page.keyboard.press('Control+z');
    await waitFor(() => !show(EDIT).rights.channels.includes('web'), 30_000, 'the channel undone');
    expect(show(EDIT).rights.credit).toBe('North Studio / Agency');
    await page.keyboard.press('Control+Shift+z');
    await waitFor(() => show(EDIT).rights.channels.includes('web'), 30_000, 'the channel redone');
    await shot('2-rights');

    // Now approval goes through, and the timeline says so.
    await inspector().getByRole('tab', { name: 'Approval' }).click();
    await inspector().getByRole('textbox', { name: 'Comment (optional)' }).fill('Cleared for the web');
    await inspector().getByRole('button', { name: 'Approve', exact: true }).click();
    await waitFor(() => show(EDIT).approval.state === 'approved', 30_000, 'approved');
    const history = inspector().getByRole('list', { name: 'History' });
    await history.getByText(/approved it/).waitFor();
    await history.getByText(/set credit line to “North Studio \/ Agency”/).waitFor();
    expect(show(EDIT).approval.comment).toBe('Cleared for the web');
    await shot('3-timeline');

    // Review mode steps through what is in review: A approves the first, X rejects the second.
    await tile(EDIT).focus();
    await page.keyboard.press('Control+Shift+R');
    const review = page.getByRole('dialog', { name: 'Review' });
    await review.waitFor();
    const heading = review.locator('.loupe-heading .muted');
    await waitFor(async () => /1 of 2/.test((await heading.textContent()) ?? ''), 30_000, 'the queue');
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[role=dialog] img.review-preview');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    await review.getByRole('heading', { name: 'Rights' }).waitFor();
    const firstName = ((await heading.textContent()) ?? '').split(' · ')[0]!;
    expect(REVIEW).toContain(firstName);
    await shot('4-review');
    await page.keyboard.press('a');
    await waitFor(async () => /2 of 2/.test((await heading.textContent()) ?? ''), 30_000, 'the next asset');
    const secondName = ((await heading.textContent()) ?? '').split(' · ')[0]!;
    expect(secondName).not.toBe(firstName);
    await page.keyboard.press('x');
    await review.getByRole('heading', { name: 'All reviewed' }).waitFor();
    await shot('5-review-done');
    expect(show(firstName).approval.state).toBe('approved');
    expect(show(secondName).approval.state).toBe('rejected');
    await page.keyboard.press('Escape');
    await review.waitFor({ state: 'detached' });

    // An expired licence set in the panel shows as a badge, and the warning facet finds it.
    await tile(EXPIRE).click();
    await inspector().getByRole('tab', { name: 'Rights' }).click();
    const end = inspector().getByLabel('Licence end');
    await end.fill('2020-01-31');
    await end.press('Enter');
    await waitFor(() => show(EXPIRE).warnings.includes('expired'), 30_000, 'the expired warning');
    const badge = tile(EXPIRE).getByRole('img', { name: /Licence expired/ });
    await badge.waitFor();
    expect(
      await tile(EDIT)
        .getByRole('img', { name: /Warnings/ })
        .count(),
    ).toBe(0);
    await shot('6-warning-badge');
    await page.getByRole('button', { name: 'Warnings', exact: true }).click();
    const values = page.getByRole('listbox', { name: 'Warning values' });
    await values.getByRole('button', { name: /^Licence expired\s*1$/ }).waitFor();
    await shot('7-warning-facet');
    await values.getByRole('button', { name: /^Licence expired/ }).click();
    await waitFor(async () => (await tiles().count()) === 1, 30_000, 'the warning facet');
    await expect(page.getByRole('searchbox', { name: 'Search' }).inputValue()).resolves.toBe(
      'warning:expired',
    );
    expect(await tile(EXPIRE).isVisible()).toBe(true);

    // A bulk action on the whole library: what moved and why the rest were refused.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await waitFor(async () => (await tiles().count()) === FILES.length, 30_000, 'every tile again');
    await tile(EDIT).click();
    await page.keyboard.press('Control+a');
    await inspector().getByRole('tab', { name: 'Approval' }).click();
    await inspector()
      .getByRole('button', { name: `Submit for review ${FILES.length}` })
      .click();
    const summary = inspector().getByRole('status').filter({ hasText: 'refused' });
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/2 items submitted for review; 2 items refused/);
    await shot('8-bulk');

    // An asset alone is its only version; its governed content is kept.
    await tile(EDIT).click();
    await inspector().getByRole('tab', { name: 'Versions' }).click();
    await inspector()
      .getByText(/This is the only version/)
      .waitFor();
    await inspector().getByRole('list', { name: 'Content history' }).waitFor();
    await shot('9-versions');

    // A template saved from one asset's rights applies to another; a mixed selection says so.
    await tile(EDIT).click();
    await inspector().getByRole('tab', { name: 'Rights' }).click();
    await inspector().getByRole('button', { name: 'Save as template…' }).click();
    await inspector().getByRole('textbox', { name: 'Template name' }).fill('North web');
    await inspector().getByRole('button', { name: 'Save', exact: true }).click();
    await inspector().getByRole('combobox', { name: 'Rights template' }).waitFor();
    await tile(EXPIRE).click();
    await inspector().getByRole('combobox', { name: 'Rights template' }).selectOption('North web');
    await inspector().getByRole('button', { name: 'Apply', exact: true }).click();
    await waitFor(
      () =>
        show(EXPIRE).rights.credit === 'North Studio / Agency' && show(EXPIRE).rights.licenseType === 'cc-by',
      30_000,
      'the template applied',
    );
    await tile(REVIEW[0]!).click({ modifiers: ['Control'] });
    await inspector().getByRole('heading', { name: '2 items selected' }).waitFor();
    const mixedCredit = inspector().getByRole('textbox', { name: 'Credit line' });
    await waitFor(
      async () => (await mixedCredit.getAttribute('placeholder')) === 'Mixed: type to set on all',
      30_000,
      'the credit shown as mixed',
    );
    // The inspector shows what it has until the template's change event brings EXPIRE afresh (the
    // credit reads mixed before and after): wait for the channels, which only the fresh copy has.
    const pressed = (name: string) =>
      inspector().getByRole('button', { name, exact: true }).getAttribute('aria-pressed');
    await waitFor(
      async () => (await pressed('Web')) === 'true' && (await pressed('Print')) === 'mixed',
      30_000,
      'Web on for both and Print mixed',
    );
    await shot('10-rights-mixed');

    // The loupe has the same panels.
    await tile(EDIT).click();
    await tile(EDIT).focus();
    await page.keyboard.press('Enter');
    const loupe = page.getByRole('dialog', { name: EDIT });
    await loupe.waitFor();
    await loupe.getByRole('tab', { name: 'Rights' }).click();
    await expect(loupe.getByRole('textbox', { name: 'Credit line' }).inputValue()).resolves.toBe(
      'North Studio / Agency',
    );
    await shot('11-loupe-rights');
    await page.keyboard.press('Escape');

    expect(errors).toEqual([]);
  });

  it('groups two assets into a version stack, compares them, changes the current one and ungroups', async () => {
    const { page } = ui;
    const pair = [EXPIRE, REVIEW[1]!];
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await waitFor(async () => (await tiles().count()) === FILES.length, 30_000, 'every tile');
    await tile(pair[0]!).click();
    await tile(pair[1]!).click({ modifiers: ['Control'] });
    await inspector().getByRole('tab', { name: 'Versions' }).click();
    await inspector().getByRole('button', { name: 'Group into a stack' }).click();
    await waitFor(() => pair.every((f) => show(f).stack?.size === 2), 30_000, 'the stack in the catalogue');
    // Search shows the stack's current version only, with a stack badge.
    await waitFor(async () => (await tiles().count()) === FILES.length - 1, 30_000, 'one tile for the stack');
    const current = pair.find((f) => show(f).stack!.current)!;
    const other = pair.find((f) => f !== current)!;
    const badge = tile(current).getByRole('img', { name: /^Stack of 2, current version$/ });
    await badge.waitFor();
    await tile(current).click();
    const versions = inspector().getByRole('list', { name: 'Versions' });
    await versions.getByRole('listitem').nth(1).waitFor();
    expect(await versions.getByRole('listitem').count()).toBe(2);
    await shot('12-versions');

    // Two versions side by side.
    for (const f of pair) await versions.getByRole('checkbox', { name: `Compare ${f}` }).check();
    await inspector().getByRole('button', { name: 'Compare', exact: true }).click();
    const compare = page.getByRole('dialog', { name: 'Compare versions' });
    await compare.waitFor();
    await page.waitForFunction(() => {
      const imgs = [...document.querySelectorAll<HTMLImageElement>('[role=dialog] .compare-side img')];
      return imgs.length === 2 && imgs.every((i) => i.complete && i.naturalWidth > 0);
    });
    await shot('13-compare');
    await page.keyboard.press('Escape');
    await compare.waitFor({ state: 'detached' });

    // The other version becomes current: the grid now shows it in the stack's place.
    await versions
      .getByRole('listitem')
      .filter({ hasText: other })
      .getByRole('button', { name: 'Make current' })
      .click();
    await waitFor(() => show(other).stack?.current === true, 30_000, 'the new current version');
    await tile(other).waitFor();
    // The whole stack in the grid, and back.
    await tile(other)
      .getByRole('img', { name: /^Stack of 2/ })
      .click();
    await waitFor(async () => (await tiles().count()) === 2, 30_000, 'the stack in the grid');
    await expect(page.getByRole('searchbox', { name: 'Search' }).inputValue()).resolves.toMatch(
      /^stack:\d+$/,
    );
    await shot('14-stack-grid');

    // Ungrouped, each stands alone again.
    await tile(other).click();
    await page.keyboard.press('Control+a');
    await inspector().getByRole('button', { name: 'Ungroup' }).click();
    await waitFor(() => pair.every((f) => show(f).stack === null), 30_000, 'ungrouped');
    await page.getByRole('button', { name: 'Close the stack' }).click();
    await waitFor(async () => (await tiles().count()) === FILES.length, 30_000, 'every tile again');
    expect(errors).toEqual([]);
  });

  it('keeps the content a governed file had, compares it with the new one and restores it', async () => {
    const { page } = ui;
    const before = sha(file(EDIT));
    const snapshots = () => JSON.parse(dam(catalog, 'snapshots', file(EDIT), '--json')) as Snapshot[];
    await waitFor(
      () => snapshots().some((x) => x.hash === before && x.stored),
      30_000,
      'the governed content kept',
    );

    // Another application overwrites the file: the watcher sees new bytes, the old ones stay kept.
    fs.copyFileSync(cameraFile('jpg/Sony_HDR-HC3.jpg'), file(EDIT));
    await waitFor(() => show(EDIT).contentHash !== before, 60_000, 'the new content catalogued');
    await waitFor(() => snapshots().length >= 2, 30_000, 'two contents');
    expect(show(EDIT).approval.state).toBe('in-review');

    await tile(EDIT).click();
    await inspector().getByRole('tab', { name: 'Versions' }).click();
    const list = inspector().getByRole('list', { name: 'Content history' });
    await list.getByRole('listitem').nth(1).waitFor({ timeout: 30_000 });
    const earlier = list
      .getByRole('listitem')
      .filter({ has: page.getByRole('button', { name: 'Restore…' }) });
    await expect(earlier.count()).resolves.toBe(1);
    await earlier.getByRole('button', { name: 'Compare' }).click();
    const compare = page.getByRole('dialog', { name: 'Compare with an earlier content' });
    await compare.waitFor();
    await page.waitForFunction(() => {
      const imgs = [...document.querySelectorAll<HTMLImageElement>('[role=dialog] .compare-side img')];
      return imgs.length === 2 && imgs.every((i) => i.complete && i.naturalWidth > 0);
    });
    await shot('15-content-compare');
    await page.keyboard.press('Escape');
    await compare.waitFor({ state: 'detached' });

    // Restoring asks first, then writes the kept bytes back: the approved content is approved again.
    await earlier.getByRole('button', { name: 'Restore…' }).click();
    const confirm = inspector().getByRole('alertdialog', { name: 'Restore this content?' });
    await confirm.waitFor();
    await shot('16-restore-confirm');
    await confirm.getByRole('button', { name: 'Restore', exact: true }).click();
    await waitFor(() => sha(file(EDIT)) === before, 30_000, 'the kept bytes back in the file');
    await waitFor(() => show(EDIT).contentHash === before, 30_000, 'the restored content catalogued');
    await waitFor(() => show(EDIT).approval.state === 'approved', 30_000, 'approved again');

    // The timeline tells the story.
    await inspector().getByRole('tab', { name: 'Approval' }).click();
    const history = inspector().getByRole('list', { name: 'History' });
    await history
      .getByText(/content changed/i)
      .first()
      .waitFor({ timeout: 30_000 });
    await history
      .getByText(/restored (the|an earlier) content/)
      .first()
      .waitFor({ timeout: 30_000 });
    await shot('17-content-timeline');
    expect(errors).toEqual([]);
  });
});
