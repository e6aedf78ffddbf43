import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

/** Generated once and reused: the benchmark's inputs are big and slow to make. */
export const CACHE = path.resolve(__dirname, '..', '.bench-cache');

/**
 * A 24 MP JPEG that compresses like a camera file (smooth scene plus sensor grain, ~10 MB at
 * quality 90). Each copy gets its own comment segment, so every file has distinct bytes.
 */
export async function cameraLikeJpeg(): Promise<Buffer> {
  const W = 6000;
  const H = 4000;
  const scene = await sharp({
    create: {
      width: 60,
      height: 40,
      channels: 3,
      background: '#000',
      noise: { type: 'gaussian', mean: 128, sigma: 60 },
    },
  })
    .resize(W, H, { kernel: 'cubic' })
    .raw()
    .toBuffer();
  const grain = await sharp({
    create: {
      width: W,
      height: H,
      channels: 3,
      background: '#000',
      noise: { type: 'gaussian', mean: 128, sigma: 19 },
    },
  })
    .raw()
    .toBuffer();
  for (let i = 0; i < scene.length; i++) {
    const v = scene[i]! + grain[i]! - 128;
    scene[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return sharp(scene, { raw: { width: W, height: H, channels: 3 } })
    .withExif({
      IFD0: {
        Make: 'Canon',
        Model: 'Canon EOS 5D Mark IV',
        Orientation: '1',
        DateTime: '2024:06:01 12:00:00',
      },
      IFD2: { DateTimeOriginal: '2024:06:01 12:00:00', ISOSpeedRatings: '200' },
    } as never)
    .jpeg({ quality: 90 })
    .toBuffer();
}

function withComment(jpeg: Buffer, text: string): Buffer {
  const body = Buffer.from(text);
  const seg = Buffer.alloc(4);
  seg.writeUInt16BE(0xfffe, 0);
  seg.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), seg, body, jpeg.subarray(2)]);
}

export async function cameraJpegs(count: number): Promise<string> {
  const dir = path.join(CACHE, `jpeg24mp-${count}`);
  const done = path.join(dir, '.complete');
  if (fs.existsSync(done)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const base = await cameraLikeJpeg();
  for (let i = 0; i < count; i++) {
    fs.writeFileSync(
      path.join(dir, `IMG_${String(i).padStart(5, '0')}.jpg`),
      withComment(base, `bench frame ${i}`),
    );
  }
  fs.writeFileSync(done, '');
  return dir;
}

/** Many small files in folders of 100, like a big archive of exports. */
export function smallFiles(count: number): string {
  const dir = path.join(CACHE, `small-${count}`);
  const done = path.join(dir, '.complete');
  if (fs.existsSync(done)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  for (let i = 0; i < count; i++) {
    const sub = path.join(dir, `d${String(Math.floor(i / 100)).padStart(4, '0')}`);
    if (i % 100 === 0) fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `file-${i}.txt`), `small file ${i}\n`);
  }
  fs.writeFileSync(done, '');
  return dir;
}

/** Reads every file once, so reference tools and ours both start from a warm page cache. */
export function warm(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isFile()) fs.readFileSync(p);
  }
}
