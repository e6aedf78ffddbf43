import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchChromium } from './chromium';
import { tempDir } from './corpus';
import { CLI, PROJECT } from './library';

/** Run the `dam` CLI on a catalogue; throws with its stderr when it fails. */
export function dam(catalog: string, ...args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, '--catalog', catalog, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dam ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** `dam show --json`, parsed. */
export function shown<T = Record<string, unknown>>(catalog: string, file: string): T {
  return JSON.parse(dam(catalog, 'show', file, '--json')) as T;
}

export interface ServeOptions {
  /** Added to the server's environment (e.g. HOME, to give it a home folder of the test's own). */
  env?: Record<string, string>;
}

/** `dam serve` on a random port: the URL it prints first (with its token), and a stop that waits for the exit. */
export async function startServe(
  catalog: string,
  opts: ServeOptions = {},
): Promise<{ url: string; server: ChildProcess; stop(): Promise<void> }> {
  const server = spawn(process.execPath, [CLI, '--catalog', catalog, 'serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    server.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(buf.split('\n')[0]!.trim());
    });
    server.once('exit', (code) => reject(new Error(`dam serve exited with ${code}`)));
  });
  return {
    url,
    server,
    async stop() {
      if (server.exitCode !== null) return;
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * `dam serve` on a catalogue and a Chromium page beside it, with the page's errors and console
 * errors collected into `errors` (an e2e test ends by asserting there were none).
 */
export async function openUi(
  catalog: string,
  errors: string[],
  opts: ServeOptions = {},
): Promise<{ url: string; page: Page; close(): Promise<void> }> {
  const serve = await startServe(catalog, opts);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return {
    url: serve.url,
    page,
    async close() {
      await browser.close();
      await serve.stop();
    },
  };
}

export const SHOTS = path.join(PROJECT, 'test-results', 'screenshots');

export interface BrowserSessionOptions<D extends string> {
  /** Names the temporary folders: dam-NAME-cat- for the catalogue, dam-NAME-DIR- for each folder. */
  name: string;
  /** Screenshots go to test-results/screenshots/PREFIX + name + .png. */
  shotPrefix: string;
  /** Folders of the test's own (real paths), made now and removed after the tests. */
  dirs: readonly D[];
  /** Fills the folders and the catalogue before the server starts. */
  prepare?: (catalog: string, dirs: Record<D, string>) => Promise<void> | void;
  /** Added to the server's environment (e.g. HOME). */
  env?: (dirs: Record<D, string>) => Record<string, string>;
}

export interface BrowserSession<D extends string> {
  readonly catalog: string;
  readonly dirs: Readonly<Record<D, string>>;
  /** The page's errors and console errors (an e2e test ends by asserting there were none). */
  readonly errors: string[];
  /** Set once beforeAll has run. */
  readonly page: Page;
  readonly url: string;
  shot(name: string): Promise<Buffer>;
  tiles(): Locator;
  tile(name: string): Locator;
  inspector(): Locator;
  search(): Locator;
}

/**
 * The setup every browser e2e test shares: a catalogue and folders of its own, `prepare` to fill
 * them, then `dam serve` and Chromium (openUi), all closed and removed after the tests. Registers
 * its beforeAll/afterAll in the calling describe().
 */
export function browserSession<D extends string>(opts: BrowserSessionOptions<D>): BrowserSession<D> {
  const catalog = tempDir(`dam-${opts.name}-cat-`);
  const dirs = {} as Record<D, string>;
  for (const d of opts.dirs) dirs[d] = fs.realpathSync(tempDir(`dam-${opts.name}-${d}-`));
  const errors: string[] = [];
  let ui: Awaited<ReturnType<typeof openUi>> | undefined;
  const open = () => {
    if (!ui) throw new Error('the browser session is not open yet (used outside a test?)');
    return ui;
  };

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    await opts.prepare?.(catalog, dirs);
    ui = await openUi(catalog, errors, opts.env ? { env: opts.env(dirs) } : {});
  });

  // A failed step leaves the page as it was, for the next reader of a CI log.
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail' || !ui) return;
    const name = ctx.task.name.replace(/[^\w-]+/g, '-').slice(0, 60);
    await ui.page
      .screenshot({ path: path.join(SHOTS, `FAILED-${opts.shotPrefix}${name}.png`) })
      .catch(() => undefined);
  });

  afterAll(async () => {
    await ui?.close();
    fs.rmSync(catalog, { recursive: true, force: true });
    for (const d of opts.dirs) fs.rmSync(dirs[d], { recursive: true, force: true });
  });

  return {
    catalog,
    dirs,
    errors,
    get page() {
      return open().page;
    },
    get url() {
      return open().url;
    },
    shot: (name) => open().page.screenshot({ path: path.join(SHOTS, `${opts.shotPrefix}${name}.png`) }),
    tiles: () => open().page.getByRole('gridcell'),
    tile: (name) => open().page.getByRole('gridcell', { name, exact: true }),
    inspector: () => open().page.getByRole('complementary', { name: 'Details' }),
    search: () => open().page.getByRole('searchbox', { name: 'Search' }),
  };
}
