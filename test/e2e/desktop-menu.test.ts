import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { tempDir } from '../helpers/corpus';
import { waitFor } from '../helpers/library';
import { dam, startServe } from '../helpers/serve';

/**
 * STAND-IN for the Electron preload (the Electron binary cannot run here): the `window.dam` the
 * preload exposes, over the real `dam serve` API, with the OS folder dialog answering `folder` and
 * the menu's commands delivered by `window.__menu(command)` as main.ts sends them over 'dam:menu'.
 */
function preloadStandIn(folder: string): void {
  const listeners: ((command: string) => void)[] = [];
  const w = window as unknown as Record<string, unknown>;
  w.__menu = (command: string) => listeners.forEach((l) => l(command));
  w.__picks = 0;
  w.dam = {
    call: async (name: string, input: unknown) => {
      if (name === 'desktop.pickFolder') {
        w.__picks = (w.__picks as number) + 1;
        return { ok: true, value: folder };
      }
      const r = await fetch(`/api/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      });
      return r.json();
    },
    on: () => () => undefined,
    mediaUrl: (kind: string, id: number, v?: string) =>
      `/media/${kind}/${id}${v ? `?v=${encodeURIComponent(v)}` : ''}`,
    onMenu: (listener: (command: string) => void) => {
      listeners.push(listener);
      return () => listeners.splice(listeners.indexOf(listener), 1);
    },
  };
}

describe('File → Add Folder… in the desktop app (real UI in Chromium, preload stand-in)', () => {
  let catalog: string;
  let folder: string;
  let browser: Browser;
  let page: Page;
  let stop: () => Promise<void>;
  const errors: string[] = [];

  beforeAll(async () => {
    catalog = tempDir('dam-menu-cat-');
    folder = fs.realpathSync(tempDir('dam-menu-root-'));
    await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 180, g: 40, b: 40 } } })
      .jpeg()
      .toFile(path.join(folder, 'harbour.jpg'));
    const serve = await startServe(catalog);
    stop = serve.stop;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    await page.addInitScript(preloadStandIn, folder);
    await page.goto(serve.url);
  });
  afterAll(async () => {
    await browser?.close();
    await stop?.();
    fs.rmSync(catalog, { recursive: true, force: true });
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('opens the folder dialog, adds the folder and catalogues it', async () => {
    // The UI is up (an empty library) before the menu is used.
    await page.getByRole('textbox', { name: 'Folder path' }).waitFor();
    await page.evaluate(() => (window as unknown as { __menu(c: string): void }).__menu('add-folder'));
    expect(await page.evaluate(() => (window as unknown as { __picks: number }).__picks)).toBe(1);
    const roots = await waitFor(() => {
      const list = JSON.parse(dam(catalog, 'roots', '--json')) as { path: string }[];
      return list.length > 0 && list;
    });
    expect(roots.map((r) => r.path)).toEqual([folder]);
    await page.getByRole('gridcell', { name: 'harbour.jpg' }).waitFor();
    // Commands the UI does not know are ignored.
    await page.evaluate(() => (window as unknown as { __menu(c: string): void }).__menu('format-disk'));
    expect(errors).toEqual([]);
  });
});
