import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { syntheticCatalog } from './synthetic-catalog';

/** The top-to-bottom pass takes this many frames, one scroll step each, whatever the grid's height. */
const PASS_FRAMES = 1200;
/** A brisk wheel or trackpad scroll: 48 px a frame is about 2,900 px/s at 60 Hz. */
const BRISK_STEP_PX = 48;
const BRISK_WINDOWS = 30;
const BRISK_FRAMES = 20;
/** The pause before each brisk window: the view has just jumped there and is still loading. */
const LANDING_MS = 150;
/** Tiles whose thumbnails must have arrived to call the first screen "painted". */
const FIRST_SCREEN_TILES = 12;

export interface UiBenchResult {
  /**
   * Navigation start to the first screenful of thumbnails decoded and in the page, with an empty
   * browser cache (median of 3 loads).
   */
  firstThumbsMs: number;
  /** The same when the page is reopened with its thumbnails and scripts in the browser's cache. */
  firstThumbsWarmMs: number;
  /** p95 of requestAnimationFrame intervals while the grid scrolls from top to bottom, a step each frame. */
  scrollP95Ms: number;
  /** The same on the page at rest: the machine's own frame clock, the floor the scroll figure stands on. */
  idleP95Ms: number;
  /**
   * p95 while scrolling briskly (48 px a frame) from 30 places spread over the grid, each reached
   * by a jump 150 ms earlier: the scroll overlaps the loading of where it landed.
   */
  briskP95Ms: number;
  assets: number;
}

/**
 * The synthetic catalogue (test/bench/synthetic-catalog.ts) plus a handful of real WebP thumbnails
 * shared by all its assets: the grid fetches, decodes and paints real images, as it would over a
 * real archive. Cached beside the catalogue.
 */
async function catalogWithThumbs(count: number, log: (s: string) => void): Promise<string> {
  const dir = syntheticCatalog(count, log, 'ui-catalog');
  const marker = path.join(dir, '.thumbs');
  if (fs.existsSync(marker)) return dir;
  log('making thumbnails for the synthetic catalogue…');
  const colours = ['#c0392b', '#2980b9', '#27ae60', '#8e44ad', '#d35400', '#16a085', '#7f8c8d', '#f1c40f'];
  const rels: string[] = [];
  for (const [i, colour] of colours.entries()) {
    const rel = `b${i}/bench-${i}.webp`;
    fs.mkdirSync(path.join(dir, 'thumbs', `b${i}`), { recursive: true });
    // A gradient and some noise compress like a photo, unlike a flat colour.
    const noise = await sharp({
      create: {
        width: 512,
        height: 341,
        channels: 3,
        background: colour,
        noise: { type: 'gaussian', mean: 0, sigma: 30 },
      },
    })
      .png()
      .toBuffer();
    await sharp({ create: { width: 512, height: 341, channels: 3, background: colour } })
      .composite([{ input: noise, blend: 'soft-light' }])
      .webp({ quality: 72 })
      .toFile(path.join(dir, 'thumbs', rel));
    rels.push(rel);
  }
  const db = new Database(path.join(dir, 'catalog.sqlite'));
  db.prepare(`UPDATE files SET thumb = json_extract(?, '$[' || (id % ${rels.length}) || ']')`).run(
    JSON.stringify(rels),
  );
  db.close();
  fs.writeFileSync(marker, '');
  return dir;
}

function serve(cli: string, catalog: string): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, [cli, '--catalog', catalog, 'serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const url = new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(buf.split('\n')[0]!.trim());
    });
    child.once('exit', (code) => reject(new Error(`dam serve exited with ${code}`)));
  });
  return { child, url };
}

async function firstThumbs(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(
    (n) => {
      const imgs = [...document.querySelectorAll<HTMLImageElement>('[role=gridcell] img')].slice(0, n);
      return imgs.length === n && imgs.every((i) => i.complete && i.naturalWidth > 0) ? performance.now() : 0;
    },
    FIRST_SCREEN_TILES,
    { polling: 'raf', timeout: 60_000 },
  );
  return Number(await handle.jsonValue());
}

/** rAF intervals while the page moves the grid by `step` px every frame, from the top to the bottom. */
function scrollPass(page: Page, frames: number): Promise<{ deltas: number[]; step: number }> {
  return page.evaluate(async (frames) => {
    const el = document.querySelector<HTMLElement>('.grid-scroll')!;
    const frame = () => new Promise<number>((r) => requestAnimationFrame(r));
    const step = Math.max(1, Math.ceil((el.scrollHeight - el.clientHeight) / frames));
    el.scrollTop = 0;
    await new Promise((r) => setTimeout(r, 500));
    const deltas: number[] = [];
    let last = await frame();
    while (el.scrollTop + el.clientHeight < el.scrollHeight - 1) {
      el.scrollTop += step;
      const now = await frame();
      deltas.push(now - last);
      last = now;
    }
    return { deltas, step };
  }, frames);
}

/** rAF intervals with nothing moving: what the browser's frame clock gives on this machine. */
function idleFrames(page: Page, frames: number): Promise<number[]> {
  return page.evaluate(async (frames) => {
    const frame = () => new Promise<number>((r) => requestAnimationFrame(r));
    await new Promise((r) => setTimeout(r, 500));
    const deltas: number[] = [];
    let last = await frame();
    for (let i = 0; i < frames; i++) {
      const now = await frame();
      deltas.push(now - last);
      last = now;
    }
    return deltas;
  }, frames);
}

/** rAF intervals while scrolling `step` px a frame in windows spread from top to bottom, each just after a jump. */
function briskWindows(page: Page): Promise<number[]> {
  return page.evaluate(
    async ({ step, windows, frames, landing }) => {
      const el = document.querySelector<HTMLElement>('.grid-scroll')!;
      const frame = () => new Promise<number>((r) => requestAnimationFrame(r));
      const deltas: number[] = [];
      const max = el.scrollHeight - el.clientHeight - step * frames;
      for (let w = 0; w < windows; w++) {
        el.scrollTop = (max * w) / (windows - 1);
        await new Promise((r) => setTimeout(r, landing));
        let last = await frame();
        for (let i = 0; i < frames; i++) {
          el.scrollTop += step;
          const now = await frame();
          deltas.push(now - last);
          last = now;
        }
      }
      return deltas;
    },
    { step: BRISK_STEP_PX, windows: BRISK_WINDOWS, frames: BRISK_FRAMES, landing: LANDING_MS },
  );
}

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * 0.95) - 1)] ?? NaN;
}

/**
 * The UI benchmark: a synthetic catalogue of 100,000 assets (20,000 with quick) with thumbnails,
 * served by `dam serve` and opened in Chromium. Reports numbers only; the targets (first
 * thumbnails ≤ 1,000 ms, scroll p95 ≤ 16.7 ms) are for the reader.
 */
export async function benchUi(opts: {
  quick: boolean;
  log: (s: string) => void;
  /** The built CLI; defaults to dist/cli.js beside this bundle or under the project. */
  cli?: string;
}): Promise<UiBenchResult> {
  const count = opts.quick ? 20_000 : 100_000;
  const cli =
    opts.cli ??
    [path.join(__dirname, 'cli.js'), path.resolve(__dirname, '..', '..', 'dist', 'cli.js')].find((p) =>
      fs.existsSync(p),
    )!;
  const catalog = await catalogWithThumbs(count, opts.log);
  const server = serve(cli, catalog);
  const browser = await launchChromium();
  try {
    const url = await server.url;
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // Once as a user opening the printed URL (the token becomes a cookie), then timed plain loads.
    await page.goto(url);
    await page.waitForSelector('[role=gridcell] img');
    const plain = new URL('/', url).toString();
    const cdp = await page.context().newCDPSession(page);
    const cold: number[] = [];
    for (let i = 0; i < 3; i++) {
      await cdp.send('Network.clearBrowserCache');
      cold.push(await firstThumbs(page, plain));
    }
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) warm.push(await firstThumbs(page, plain));
    const firstThumbsMs = median(cold);
    const firstThumbsWarmMs = median(warm);
    opts.log(
      `first thumbnails, empty cache: ${cold.map((ms) => ms.toFixed(0)).join(', ')} ms (median ${firstThumbsMs.toFixed(0)}); ` +
        `cached: ${warm.map((ms) => ms.toFixed(0)).join(', ')} ms (median ${firstThumbsWarmMs.toFixed(0)})`,
    );

    const rows = await page.getByRole('grid').getAttribute('aria-rowcount');
    opts.log(`grid of ${count.toLocaleString('en')} assets in ${rows} rows; scrolling…`);
    const idle = await idleFrames(page, 600);
    const idleP95Ms = p95(idle);
    opts.log(
      `at rest: p50 ${median(idle).toFixed(2)} ms, p95 ${idleP95Ms.toFixed(2)} ms over ${idle.length} frames`,
    );
    const pass = await scrollPass(page, PASS_FRAMES);
    const brisk = await briskWindows(page);
    const scrollP95Ms = p95(pass.deltas);
    const briskP95Ms = p95(brisk);
    opts.log(
      `top to bottom, ${pass.step} px a frame: p50 ${median(pass.deltas).toFixed(2)} ms, p95 ${scrollP95Ms.toFixed(2)} ms, max ${Math.max(...pass.deltas).toFixed(1)} ms over ${pass.deltas.length} frames`,
    );
    opts.log(
      `brisk ${BRISK_STEP_PX} px a frame just after a jump: p50 ${median(brisk).toFixed(1)} ms, p95 ${briskP95Ms.toFixed(1)} ms over ${brisk.length} frames`,
    );
    return { firstThumbsMs, firstThumbsWarmMs, scrollP95Ms, idleP95Ms, briskP95Ms, assets: count };
  } finally {
    await browser.close();
    if (server.child.exitCode === null) {
      const exited = new Promise((r) => server.child.once('exit', r));
      server.child.kill('SIGTERM');
      await exited;
    }
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}
