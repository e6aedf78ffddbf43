import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { PublishBench } from '../helpers/publish-cli';
import { waitFor } from '../helpers/library';
import { SHOTS } from '../helpers/serve';
import { restUrl, useWordPress } from '../helpers/wordpress';

// The companion plugin in the real wp-admin, driven in Chromium as an editor would: log in through
// the login form, write a post in the block editor, insert the image Tessera published through the
// Image block's media library with the plugin's "From the DAM" filter (which shows only current
// DAM-published images; the attachment's details show the credit and licence end Tessera sent),
// publish the post. Media › Library's list view filters the same way. Then a new version of that asset is approved in Tessera
// and `dam sync` runs: the post's public page serves the new bytes at the same attachment URL.
describe('the block editor with the companion plugin', () => {
  const wp = useWordPress({ plugin: true });
  const bench = new PublishBench();
  let browser: Browser;
  let page: Page;
  /** Script errors in wp-admin's pages (the plugin's media-filter.js runs there). */
  const pageErrors: string[] = [];
  const ids = { hero: 0, expired: 0, typedIn: 0 };
  let postId = 0;
  let imageUrl = '';
  let before: { sha: string; red: number; blue: number };

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `wp-editor-${name}.png`) });

  /** What the site serves at a URL: its hash and mean colour. */
  async function served(url: string): Promise<{ sha: string; red: number; blue: number }> {
    const res = await fetch(url, { cache: 'no-store' });
    expect(res.status, url).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    const { channels } = await sharp(bytes).stats();
    return {
      sha: crypto.createHash('sha256').update(bytes).digest('hex'),
      red: channels[0]!.mean,
      blue: channels[2]!.mean,
    };
  }

  /**
   * The post's public page as a visitor sees it in Chromium (a fresh context: nothing cached, not
   * logged in): the colour of the image it shows, from the pixels drawn.
   */
  async function shownOnPage(): Promise<'red' | 'blue' | 'other'> {
    const visitor = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    try {
      const p = await visitor.newPage();
      await p.goto(`${wp.site.url}/?p=${postId}`);
      const img = p.locator(`img.wp-image-${ids.hero}`);
      await img.waitFor();
      await waitFor(() => img.evaluate((e) => (e as HTMLImageElement).complete), 30_000, 'the image to load');
      const { channels } = await sharp(await img.screenshot()).stats();
      const [r, , b] = channels.map((c) => c.mean);
      return r! > b! + 50 ? 'red' : b! > r! + 50 ? 'blue' : 'other';
    } finally {
      await visitor.close();
    }
  }

  const remoteId = async (name: string) => Number((await bench.publications(name))[0]!.remoteId);

  beforeAll(async () => {
    // Three images in the media library: the hero Tessera publishes, another Tessera published whose
    // licence has since ended (the site's copy of the meta says so; Tessera has not run since), and
    // one an editor uploaded by hand.
    await bench.setUp({ 'hero.jpg': '#c33', 'old.jpg': '#3c3' });
    const add = await bench.run(
      [
        'endpoint',
        'add',
        'site',
        '--type',
        'wordpress',
        '--url',
        wp.site.url,
        '--user',
        wp.site.user,
        '--password-stdin',
      ],
      wp.site.appPassword,
    );
    expect(add.status, add.stderr).toBe(0);
    await bench.approve('hero.jpg', ['title=Harbour hero', 'licenseEnd=2099-12-31']);
    await bench.approve('old.jpg', ['title=Old market', 'licenseEnd=2099-12-31']);
    expect(await bench.sync()).toMatchObject({ published: 2, failed: 0 });
    ids.hero = await remoteId('hero.jpg');
    ids.expired = await remoteId('old.jpg');
    // The clock passing the licence end while Tessera is not running, as the site sees it.
    const aged = await wp.site.rest('POST', `/wp/v2/media/${ids.expired}`, {
      meta: { tessera_expiry: '2020-01-31' },
    });
    expect(aged.status).toBe(200);
    const typed = await fetch(restUrl(wp.site.url, '/wp/v2/media'), {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${wp.site.user}:${wp.site.appPassword}`).toString('base64')}`,
        'content-type': 'image/jpeg',
        'content-disposition': 'attachment; filename="typed-in.jpg"',
      },
      body: new Uint8Array(fs.readFileSync(bench.file('hero.jpg'))),
    });
    expect(typed.status).toBe(201);
    ids.typedIn = ((await typed.json()) as { id: number }).id;

    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    bench.cleanUp();
  });

  it('inserts the published image from the media library filtered to "From the DAM", and publishes the post', async () => {
    // The real login form.
    const editor = `${wp.site.url}/wp-admin/post-new.php`;
    await page.goto(`${wp.site.url}/wp-login.php?redirect_to=${encodeURIComponent(editor)}`);
    await page.locator('#user_login').fill(wp.site.user);
    await page.locator('#user_pass').fill(wp.site.password);
    await page.locator('#wp-submit').click();
    // A new post in the block editor; its welcome guide closed.
    await page.waitForURL(editor);
    const guide = page.getByRole('dialog', { name: /Welcome to the block editor/ });
    await guide.waitFor();
    await guide.getByRole('button', { name: 'Close dialog' }).click();
    await guide.waitFor({ state: 'detached' });
    await shot('0-editor');

    await page.getByRole('textbox', { name: 'Add title' }).fill('The harbour at dawn');
    await page.getByRole('button', { name: 'Toggle block inserter' }).click();
    await page.getByRole('searchbox', { name: /Search for blocks/ }).fill('Image');
    await page.getByRole('option', { name: 'Image', exact: true }).click();
    await page.getByRole('button', { name: 'Media Library' }).click();
    const modal = page.locator('.media-modal');
    await modal.waitFor();
    await modal.locator('li.attachment').first().waitFor();
    // The items shown once the library has loaded: its count line says how many there are.
    const shown = () =>
      waitFor(
        async () => {
          const count = modal.locator('.load-more-count:not(.hidden)');
          const m = /Showing (\d+) of (\d+) media items/.exec(
            (await count.count()) ? await count.innerText() : '',
          );
          const got = await modal
            .locator('li.attachment')
            .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))));
          return m && m[1] === m[2] && got.length === Number(m[1]) && got.sort((a, b) => a - b);
        },
        30_000,
        'the media library to load',
      );
    expect(await shown()).toEqual([ids.hero, ids.expired, ids.typedIn].sort((a, b) => a - b));
    await shot('1-media-library');

    // "From the DAM": only the image Tessera published whose licence still runs.
    await modal.getByRole('combobox', { name: 'Filter by source' }).selectOption({ label: 'From the DAM' });
    await modal.locator('.load-more-count', { hasText: 'Showing 3 of 3' }).waitFor({ state: 'hidden' });
    expect(await shown()).toEqual([ids.hero]);
    // The same filter over REST.
    const rest = (await wp.site.rest('GET', '/wp/v2/media?tessera_dam=1')).json as { id: number }[];
    expect(rest.map((m) => m.id)).toEqual([ids.hero]);
    await shot('2-from-the-dam');
    await modal.locator(`li.attachment[data-id="${ids.hero}"]`).click();
    // Its details show what Tessera sent, read-only.
    const credit = modal.locator('.media-sidebar .tessera-dam-field[data-key="tessera_credit"]');
    await credit.waitFor();
    expect(await credit.innerText()).toBe('North Studio');
    expect(
      await modal.locator('.media-sidebar .tessera-dam-field[data-key="tessera_expiry"]').innerText(),
    ).toBe('2099-12-31');
    await modal.getByRole('button', { name: 'Select', exact: true }).click();
    await modal.waitFor({ state: 'hidden' });
    const inserted = page.locator('.wp-block-image img');
    await inserted.waitFor();
    imageUrl = (await inserted.getAttribute('src'))!;
    expect(imageUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/wp-content\/uploads\//);

    // Publish, and its confirmation.
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page
      .locator('.editor-post-publish-panel')
      .getByRole('button', { name: 'Publish', exact: true })
      .click();
    await page.getByText('is now live').waitFor();
    await shot('3-published');
    postId = await page.evaluate(() =>
      (window as unknown as { wp: { data: { select(s: string): { getCurrentPostId(): number } } } }).wp.data
        .select('core/editor')
        .getCurrentPostId(),
    );
    const post = (await wp.site.rest('GET', `/wp/v2/posts/${postId}?context=edit`)).json as {
      status: string;
      content: { raw: string };
    };
    expect(post.status).toBe('publish');
    expect(post.content.raw).toContain(`wp-image-${ids.hero}`);

    // The public page (plain permalinks: ?p=ID) shows it, red.
    const html = await (await fetch(`${wp.site.url}/?p=${postId}`)).text();
    expect(html).toContain(`src="${imageUrl}"`);
    before = await served(imageUrl);
    expect(before.red).toBeGreaterThan(before.blue);
    expect(await shownOnPage()).toBe('red');
    expect(pageErrors).toEqual([]);
  });

  it("serves the new version on the post's page once it is approved in Tessera and synced", async () => {
    expect(postId).toBeGreaterThan(0);
    await bench.newVersion('hero.jpg', '#36c');
    expect(await bench.sync()).toMatchObject({ replaced: 1, failed: 0 });
    const html = await (await fetch(`${wp.site.url}/?p=${postId}`)).text();
    // Same attachment URL in the page, new content behind it.
    expect(html).toContain(`src="${imageUrl}"`);
    const after = await served(imageUrl);
    expect(after.sha).not.toBe(before.sha);
    expect(after.blue).toBeGreaterThan(after.red);
    // And what a visitor's browser shows there (whichever size of the srcset it picks).
    expect(await shownOnPage()).toBe('blue');
    const [latest] = await bench.publications('hero.jpg');
    expect(latest).toMatchObject({ state: 'published', remoteId: String(ids.hero) });
  });

  it('filters Media › Library\'s list to "From the DAM" too', async () => {
    await page.goto(`${wp.site.url}/wp-admin/upload.php?mode=list`);
    const rows = () =>
      page.locator('#the-list tr').evaluateAll((els) => els.map((e) => Number(e.id.replace('post-', ''))));
    expect((await rows()).sort((a, b) => a - b)).toEqual(
      [ids.hero, ids.expired, ids.typedIn].sort((a, b) => a - b),
    );
    await page.getByRole('combobox', { name: 'Filter by source' }).selectOption({ label: 'From the DAM' });
    await page.locator('#post-query-submit').click();
    await page.waitForURL(/tessera_dam=1/);
    expect(await rows()).toEqual([ids.hero]);
    expect(pageErrors).toEqual([]);
  });
});
