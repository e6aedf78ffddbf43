import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { launchChromium } from '../helpers/chromium';
import { syntheticCatalog } from './synthetic-catalog';

/** A copy of the synthetic catalogue whose assets share a handful of real WebP thumbnails. */
async function catalogWithThumbs(count: number, log: (s: string) => void): Promise<string> {
  const dir = syntheticCatalog(count, log, 'ui-catalog');
  const marker = path.join(dir, '.thumbs');
  if (fs.existsSync(marker)) return dir;
  const colours = ['#c0392b', '#2980b9', '#27ae60', '#8e44ad', '#d35400', '#16a085', '#7f8c8d', '#f1c40f'];
  const rels: string[] = [];
  for (const [i, c] of colours.entries()) {
    const rel = `0${i}/bench-${i}.webp`;
    fs.mkdirSync(path.join(dir, 'thumbs', `0${i}`), { recursive: true });
    await sharp({ create: { width: 512, height: 341, channels: 3, background: c } })
      .webp({ quality: 70 })
      .toFile(path.join(dir, 'thumbs', rel));
    rels.push(rel);
  }
  const db = new Database(path.join(dir, 'catalog.sqlite'));
  db.prepare(`UPDATE files SET thumb = json_extract(?, '$[' || (id % 8) || ']')`).run(JSON.stringify(rels));
  db.close();
  fs.writeFileSync(marker, '');
  return dir;
}

/**
 * Time from navigation to the first painted thumbnails, and the p95 frame time while scrolling
 * through the grid from top to bottom, in real Chromium against `dam serve`.
 */
export async function benchUi(opts: {
  quick: boolean;
  log: (s: string) => void;
  cli: string;
}): Promise<{ firstThumbsMs: number; scrollP95Ms: number; assets: number }> {
  const count = opts.quick ? 20_000 : 100_000;
  const dir = await catalogWithThumbs(count, opts.log);
  const server = spawn(process.execPath, [opts.cli, '--catalog', dir, 'serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const browser = await launchChromium();
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let buf = '';
      server.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
      });
      server.once('exit', (c) => reject(new Error(`serve exited ${c}`)));
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // Once to set the cookie, as a user opening the printed URL would; then measure a plain load.
    await page.goto(url);
    await page.waitForSelector('[role=gridcell] img');
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.goto(new URL('/', url).toString());
      const ms = await page.waitForFunction(
        () => {
          const imgs = [...document.querySelectorAll<HTMLImageElement>('[role=gridcell] img')];
          return imgs.length >= 12 && imgs.slice(0, 12).every((img) => img.complete && img.naturalWidth > 0)
            ? performance.now()
            : 0;
        },
        undefined,
        { polling: 'raf', timeout: 60_000 },
      );
      runs.push(Number(await ms.jsonValue()));
    }
    const firstThumbsMs = runs.sort((a, b) => a - b)[1]!;
    // A brisk wheel scroll (40 px a frame, 2,400 px/s) measured in 30 windows spread evenly from
    // the top of the grid to the bottom: each window starts on rows never drawn before.
    const frames = await page.evaluate(async () => {
      const el = document.querySelector<HTMLElement>('.grid-scroll')!;
      const frame = () => new Promise((r) => requestAnimationFrame(r));
      const deltas: number[] = [];
      const max = el.scrollHeight - el.clientHeight;
      for (let w = 0; w < 30; w++) {
        el.scrollTop = (max * w) / 29;
        await frame();
        await frame();
        let last = performance.now();
        for (let i = 0; i < 20; i++) {
          el.scrollTop += 40;
          await frame();
          const now = performance.now();
          deltas.push(now - last);
          last = now;
        }
      }
      return deltas;
    });
    const sorted = frames.sort((a, b) => a - b);
    const scrollP95Ms = sorted[Math.ceil(sorted.length * 0.95) - 1]!;
    return { firstThumbsMs, scrollP95Ms, assets: count };
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
}
