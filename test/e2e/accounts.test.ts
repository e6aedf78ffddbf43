import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { UserInfo } from '../../shared/accounts';
import { makePhoto } from '../fixtures/make-fixtures';
import { CLI, waitFor } from '../helpers/library';
import { browserSession, dam } from '../helpers/serve';

const PASSWORD = 'a long enough password';

// Accounts in real Chromium against `dam serve`: each role logs in through the login page and
// tries what it may not do, through the UI and straight at the API; the CLI checks nothing changed.
describe('people and roles in a browser', () => {
  const ids: Record<string, number> = {};
  const ui = browserSession({
    name: 'accounts',
    shotPrefix: 'accounts-',
    dirs: ['photos'],
    async prepare(catalog, { photos }) {
      await makePhoto(photos, 'mine.jpg', { seed: 3 });
      await makePhoto(photos, 'theirs.jpg', { seed: 4 });
      dam(catalog, 'add-root', photos);
      dam(catalog, 'scan');
      dam(catalog, 'collection', 'create', 'Client A');
      dam(catalog, 'collection', 'create', 'Client B');
      dam(catalog, 'collection', 'add', 'Client A', path.join(photos, 'mine.jpg'));
      dam(catalog, 'collection', 'add', 'Client B', path.join(photos, 'theirs.jpg'));
      for (const f of ['mine.jpg', 'theirs.jpg'])
        ids[f] = (JSON.parse(dam(catalog, 'show', path.join(photos, f), '--json')) as { id: number }).id;
      for (const [name, role, extra] of [
        ['ana', 'admin', []],
        ['con', 'contributor', []],
        ['apo', 'approver', []],
        ['vic', 'viewer', ['--collections', 'Client A']],
      ] as const) {
        const r = spawnSync(
          process.execPath,
          [CLI, '--catalog', catalog, 'user', 'add', name, '--role', role, ...extra, '--password-stdin'],
          { input: PASSWORD, encoding: 'utf8' },
        );
        if (r.status !== 0) throw new Error(r.stderr);
      }
    },
  });
  const { catalog, errors, tiles, tile } = ui;
  const shown = (f: string) =>
    JSON.parse(dam(catalog, 'show', path.join(ui.dirs.photos, f), '--json')) as {
      title: string | null;
      approval: { state: string };
    };

  const logIn = async (page: Page, name: string) => {
    // Each test starts logged out, whatever the one before left.
    await page.context().clearCookies();
    await page.goto(ui.url);
    await page.waitForURL(/\/login/);
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: new RegExp(`^${name} \\(`) }).waitFor();
  };
  const logOut = async (page: Page, name: string) => {
    await page.getByRole('button', { name: new RegExp(`^${name} \\(`) }).click();
    await page.getByRole('menuitem', { name: 'Log out', exact: true }).click();
    await page.waitForURL(/\/login/);
  };
  /** A same-origin API call from the logged-in page, with its CSRF token, as the UI makes them. */
  const api = (page: Page, op: string, input: unknown) =>
    page.evaluate(
      async ([op, input]) => {
        const csrf = /(?:^|;\s*)dam_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
        const r = await fetch(`/api/${op as string}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
          body: JSON.stringify(input),
        });
        return { status: r.status, body: (await r.json()) as { error?: { reason?: string } } };
      },
      [op, input] as const,
    );
  const mediaStatus = (page: Page, url: string) => page.evaluate(async (u) => (await fetch(u)).status, url);

  /** Which of the toolbar's role-bound buttons are shown (Publish and Export only with a selection). */
  const toolbar = async (page: Page) => {
    const bar = page.locator('header.toolbar');
    const names = ['Review', 'Duplicates', 'Publish…', 'Export…', 'People', 'Usage', 'Share…'];
    const shown: string[] = [];
    for (const n of names)
      if ((await bar.getByRole('button', { name: n, exact: true }).count()) > 0) shown.push(n);
    return shown;
  };
  /** The section titles of Settings, then closed again. */
  const settingsSections = async (page: Page) => {
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Keyboard' }).waitFor();
    const titles = await dialog.locator('h3.section-title').allTextContents();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    return titles;
  };

  it('a viewer limited to a collection sees only its assets, no control to change them, and no media of others', async () => {
    const { page } = ui;
    await logIn(page, 'vic');
    await waitFor(async () => (await tiles().count()) === 1 || undefined, 30_000, 'the one visible tile');
    expect(await tile('mine.jpg').count()).toBe(1);
    await tile('mine.jpg').click();
    await ui.inspector().getByRole('heading', { name: 'mine.jpg' }).waitFor();
    // Nothing it may not use is offered: no review, duplicates, publishing, export, people or usage,
    // no keyword entry, the rating read-only, no decision in the Approval tab.
    expect(await toolbar(page)).toEqual([]);
    const inspector = ui.inspector();
    expect(await inspector.getByRole('combobox', { name: 'Add keyword' }).count()).toBe(0);
    expect(await inspector.getByRole('radio', { name: '3 stars' }).isDisabled()).toBe(true);
    expect(await inspector.getByRole('textbox', { name: 'Title' }).isDisabled()).toBe(true);
    await inspector.getByRole('tab', { name: 'Approval' }).click();
    await inspector.getByRole('heading', { name: 'History' }).waitFor();
    expect(await inspector.getByRole('button', { name: /^(Submit|Approve|Reject)/ }).count()).toBe(0);
    await inspector.getByRole('tab', { name: 'Publish' }).click();
    await inspector.getByRole('heading', { name: 'Where used' }).waitFor();
    expect(await inspector.getByRole('button', { name: /^Publish to/ }).count()).toBe(0);
    await ui.shot('viewer');
    // Its own preferences only.
    expect(await settingsSections(page)).not.toEqual(
      expect.arrayContaining(['Users', 'Endpoints', 'Sharing', 'Metadata and approvals']),
    );
    await inspector.getByRole('tab', { name: 'Details' }).click();
    // The loupe shows the picture, without the crop editor (R does nothing either).
    await tile('mine.jpg').dblclick();
    const loupe = page.getByRole('dialog');
    await loupe.getByRole('button', { name: 'Faces' }).waitFor();
    expect(await loupe.getByRole('button', { name: 'Crop', exact: true }).count()).toBe(0);
    await page.keyboard.press('r');
    expect(await page.locator('.loupe-stage.cropping').count()).toBe(0);
    await page.keyboard.press('Escape');
    await loupe.waitFor({ state: 'detached' });

    // Straight at the API: the role and the scope are the server's.
    const edit = await api(page, 'assets.setFields', {
      ids: [ids['mine.jpg']],
      patch: { title: 'viewer was here' },
    });
    expect(edit.status).toBe(403);
    expect(edit.body.error?.reason).toBe('role');
    expect((await api(page, 'assets.transition', { ids: [ids['mine.jpg']], action: 'submit' })).status).toBe(
      403,
    );
    expect((await api(page, 'assets.history', { id: ids['theirs.jpg'] })).status).toBe(404);
    for (const kind of ['thumb', 'preview', 'original']) {
      expect(await mediaStatus(page, `/media/${kind}/${ids['mine.jpg']}`), kind).toBe(200);
      expect(await mediaStatus(page, `/media/${kind}/${ids['theirs.jpg']}`), kind).toBe(404);
    }
    expect(shown('mine.jpg')).toMatchObject({ title: null, approval: { state: 'draft' } });
    await logOut(page, 'vic');
  });

  it('a contributor edits but cannot decide, publish or manage users', async () => {
    const { page } = ui;
    await logIn(page, 'con');
    await waitFor(async () => (await tiles().count()) === 2 || undefined, 30_000, 'both tiles');
    await tile('theirs.jpg').click();
    await ui.inspector().getByRole('heading', { name: 'theirs.jpg' }).waitFor();
    expect(await toolbar(page)).toEqual(['Duplicates', 'People', 'Usage']);
    expect(await ui.inspector().getByRole('combobox', { name: 'Add keyword' }).count()).toBe(1);
    await tile('theirs.jpg').dblclick();
    await page.getByRole('dialog').getByRole('button', { name: 'Crop', exact: true }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await settingsSections(page)).not.toEqual(
      expect.arrayContaining(['Users', 'Endpoints', 'Sharing']),
    );

    const approve = await api(page, 'assets.transition', { ids: [ids['theirs.jpg']], action: 'approve' });
    expect(approve.status).toBe(403);
    expect((await api(page, 'users.list', {})).status).toBe(403);
    expect((await api(page, 'shares.create', { assetIds: [ids['theirs.jpg']] })).status).toBe(403);
    expect(
      (await api(page, 'assets.setFields', { ids: [ids['theirs.jpg']], patch: { title: 'By con' } })).status,
    ).toBe(200);
    expect(shown('theirs.jpg')).toMatchObject({ title: 'By con', approval: { state: 'draft' } });
    expect(JSON.parse(dam(catalog, 'share', 'list', '--json'))).toEqual([]);
    const history = dam(catalog, 'history', path.join(ui.dirs.photos, 'theirs.jpg'));
    expect(history).toMatch(/con@/);
    await logOut(page, 'con');
  });

  it('an approver decides, publishes and shares, but cannot export to the disk or manage users', async () => {
    const { page } = ui;
    await logIn(page, 'apo');
    await waitFor(async () => (await tiles().count()) === 2 || undefined, 30_000, 'both tiles');
    await tile('mine.jpg').click();
    expect(await toolbar(page)).toEqual(['Review', 'Duplicates', 'Publish…', 'People', 'Usage', 'Share…']);
    const sections = await settingsSections(page);
    expect(sections).toContain('Sharing');
    expect(sections).not.toEqual(expect.arrayContaining(['Users', 'Endpoints']));
    await ui.shot('approver');

    const before = dam(catalog, 'user', 'list', '--json');
    const add = await api(page, 'users.add', { name: 'intruder', role: 'admin', password: PASSWORD });
    expect(add.status).toBe(403);
    expect(add.body.error?.reason).toBe('role');
    const out = path.join(ui.dirs.photos, 'exported');
    const exp = await api(page, 'assets.export', { ids: [ids['mine.jpg']], preset: 'web', to: out });
    expect(exp.status).toBe(403);
    expect(dam(catalog, 'user', 'list', '--json')).toBe(before);
    expect(fs.existsSync(out)).toBe(false);
    await logOut(page, 'apo');
  });

  it('an admin manages users in Settings, and cannot remove the last admin', async () => {
    const { page } = ui;
    await logIn(page, 'ana');
    await tile('mine.jpg').click();
    expect(await toolbar(page)).toEqual([
      'Review',
      'Duplicates',
      'Publish…',
      'Export…',
      'People',
      'Usage',
      'Share…',
    ]);
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const users = page.getByRole('list', { name: 'Users' });
    await users.getByRole('listitem', { name: 'vic' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Endpoints' }).count()).toBe(1);
    await page.getByLabel('New user name').fill('newbie');
    await page.getByLabel('New user password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Add user' }).click();
    await users.getByRole('listitem', { name: 'newbie' }).waitFor();
    await ui.shot('users');
    const listed = JSON.parse(dam(catalog, 'user', 'list', '--json')) as UserInfo[];
    expect(listed.find((u) => u.name === 'newbie')).toMatchObject({ role: 'viewer', hasPassword: true });

    const me = listed.find((u) => u.name === 'ana')!;
    const remove = await api(page, 'users.remove', { id: me.id });
    expect(remove.status).toBe(403);
    expect(remove.body.error?.reason).toBe('last-admin');
    const after = JSON.parse(dam(catalog, 'user', 'list', '--json')) as UserInfo[];
    expect(after.find((u) => u.name === 'ana')).toMatchObject({ role: 'admin' });
    // The browser logs every refused request; those answers (403, 404) are what this test asks for,
    // and what the UI meets when it asks a limited account for the whole catalogue's figures.
    expect(errors.filter((e) => !/Failed to load resource: .* status of 40[34]/.test(e))).toEqual([]);
  });
});
