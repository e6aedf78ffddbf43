import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processFile } from '../../electron/core/ingest/process-file';
import type { ProcessResult } from '../../electron/core/jobs/messages';
import { tempDir } from '../helpers/corpus';

// The per-file pipeline of an ingest worker, on real files: whatever it does to read a file once
// (and however it reuses memory between files), each result must come from that file's bytes alone.

let dir = '';
let thumbDir = '';
let jobId = 0;

interface Sample {
  file: string;
  colour: [number, number, number];
  width: number;
  height: number;
}

/** A flat colour with grain, so the JPEG is big and its thumbnail's mean colour is known. */
async function grainyJpeg(name: string, colour: [number, number, number], width: number, height: number) {
  const px = Buffer.alloc(width * height * 3);
  let seed = width * 31 + height;
  for (let i = 0; i < px.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    px[i] = Math.max(0, Math.min(255, colour[i % 3]! + ((seed >> 16) % 41) - 20));
  }
  const file = path.join(dir, name);
  await sharp(px, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 95 })
    .toFile(file);
  return { file, colour, width, height };
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function run(s: Sample): Promise<ProcessResult> {
  jobId++;
  return processFile({
    jobId,
    fileId: jobId,
    absPath: s.file,
    format: s.file.endsWith('.png') ? 'png' : 'jpeg',
    ext: path.extname(s.file).slice(1),
    thumbDir,
  });
}

async function expectFrom(s: Sample, res: ProcessResult): Promise<void> {
  expect(res.error).toBeNull();
  expect(res.transientError).toBeNull();
  expect(res.contentHash).toBe(sha256(s.file));
  expect(res.stable).toBe(true);
  expect([res.metadata?.width, res.metadata?.height]).toEqual([s.width, s.height]);
  const thumb = fs.readFileSync(path.join(thumbDir, res.thumb!));
  const { channels } = await sharp(thumb).stats();
  for (let c = 0; c < 3; c++) expect(Math.abs(channels[c]!.mean - s.colour[c]!)).toBeLessThan(12);
  expect(res.pixels?.width).toBe(Math.min(512, s.width));
}

let big: Sample;
let small: Sample;
let png: Sample;
let big2: Sample;

beforeAll(async () => {
  dir = tempDir('dam-process-');
  thumbDir = path.join(dir, 'thumbs');
  big = await grainyJpeg('big-red.jpg', [200, 40, 40], 3000, 2000);
  small = await grainyJpeg('small-blue.jpg', [40, 40, 200], 640, 480);
  big2 = await grainyJpeg('big-green.jpg', [40, 180, 60], 2800, 2100);
  const pngFile = path.join(dir, 'grey.png');
  await sharp({ create: { width: 300, height: 200, channels: 3, background: '#808080' } })
    .png()
    .toFile(pngFile);
  png = { file: pngFile, colour: [128, 128, 128], width: 300, height: 200 };
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('processFile', () => {
  it('takes each result from its own file when big and small files follow one another', async () => {
    expect(fs.statSync(big.file).size).toBeGreaterThan(4 * fs.statSync(small.file).size);
    for (const s of [big, small, png, big2, small, big]) {
      // A thumbnail already made for the same content is reused: start each from scratch.
      fs.rmSync(thumbDir, { recursive: true, force: true });
      await expectFrom(s, await run(s));
    }
  });

  it('keeps files apart when one thread processes several at once', async () => {
    fs.rmSync(thumbDir, { recursive: true, force: true });
    const all = [big, small, big2, png];
    const results = await Promise.all(all.map(run));
    for (const [i, s] of all.entries()) await expectFrom(s, results[i]!);
  });

  it('hashes an empty file and a file that is not a picture from their bytes', async () => {
    const empty = path.join(dir, 'empty.jpg');
    fs.writeFileSync(empty, '');
    const text = path.join(dir, 'notes.jpg');
    fs.writeFileSync(text, 'not a picture at all\n'.repeat(1000));
    const req = { format: 'jpeg', ext: 'jpg', thumbDir } as const;
    const a = await processFile({ ...req, jobId: 900, fileId: 900, absPath: empty });
    expect(a.contentHash).toBe(sha256(empty));
    expect(a.error).toBe('empty file (0 bytes)');
    const b = await processFile({ ...req, jobId: 901, fileId: 901, absPath: text });
    expect(b.contentHash).toBe(sha256(text));
    expect(b.error).toMatch(/^preview: not a valid JPEG/);
    expect(b.thumb).toBeNull();
  });
});
