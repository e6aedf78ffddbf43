import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecodedImage } from '../../electron/core/tagging/analyser';
import { Ocr, OcrError, tesseractPaths } from '../../electron/core/tagging/ocr';
import { textLikely } from '../../electron/core/tagging/text-likely';
import { tempDir } from '../helpers/corpus';
import { knownPhoto } from '../helpers/known-photos';
import { bigWord, noisyPoster, screenCapture } from '../helpers/text-pictures';

/** As the tagging decode gives it: upright sRGB, at most 1024 px. */
async function decoded(file: string): Promise<DecodedImage> {
  const meta = await sharp(file).metadata();
  const { data, info } = await sharp(file)
    .rotate()
    .resize(1024, 1024, { fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data),
    width: info.width,
    height: info.height,
    sourceWidth: meta.width!,
    sourceHeight: meta.height!,
  };
}

const likely = async (file: string, name = 'IMG_0001.jpg', format = 'jpeg') =>
  textLikely(await decoded(file), { name, format });

describe('where text is likely (ocr auto)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir('dam-text-likely-');
    await bigWord(path.join(dir, 'word.png'), 'SALE');
    await noisyPoster(path.join(dir, 'poster.jpg'), ['Grand Opening', 'Coffee 3 Euro']);
    await screenCapture(path.join(dir, 'screen.png'), 1920, 1080, ['File  Edit  View']);
    await screenCapture(path.join(dir, 'odd.png'), 1000, 700, []);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('fires on rows of letters: a big word, a grainy turned poster, a photographed book page', async () => {
    expect(await likely(path.join(dir, 'word.png'))).toBe('strokes');
    expect(await likely(path.join(dir, 'poster.jpg'))).toBe('strokes');
    expect(await likely(knownPhoto('page.png'))).toBe('strokes');
  });

  it('stays quiet on photos without text (textures, stars, faces, fur included)', async () => {
    for (const f of ['astronaut.png', 'coffee.png', 'chelsea.png', 'horse.png', 'rocket.jpg', 'grass.png'])
      expect(await likely(knownPhoto(f)), f).toBeNull();
    expect(await likely(knownPhoto('hubble_deep_field.jpg')), 'stars').toBeNull();
  });

  it('fires by name (screenshot, scan, …) and for a PNG of a screen size, and says which rule', async () => {
    const blank = path.join(dir, 'odd.png');
    expect(await likely(blank, 'plain.png', 'png')).toBeNull();
    expect(await likely(blank, 'Screenshot 2024-05-01 at 10.12.03.png', 'png')).toBe('name');
    expect(await likely(blank, 'Scan_003.jpg', 'jpeg')).toBe('name');
    expect(await likely(blank, 'scanner-test.jpg', 'jpeg')).toBeNull();
    expect(await likely(path.join(dir, 'screen.png'), 'a.png', 'png')).toBe('screenshot');
    // The same size as a JPEG is a photo's size too: no screenshot rule.
    expect(await likely(path.join(dir, 'screen.png'), 'a.jpg', 'jpeg')).not.toBe('screenshot');
  });
});

describe('the recognizer (tesseract.js, data from npm)', () => {
  const ocr = new Ocr();
  let word: DecodedImage;
  afterAll(() => ocr.close());
  beforeAll(async () => {
    const dir = tempDir('dam-ocr-');
    await bigWord(path.join(dir, 'word.png'), 'HARBOUR');
    word = await decoded(path.join(dir, 'word.png'));
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const grey = (img: DecodedImage) => {
    const g = new Uint8Array(img.width * img.height);
    for (let i = 0; i < g.length; i++) g[i] = img.data[i * 3]!;
    return { data: g, width: img.width, height: img.height };
  };

  it('reads every path from the installed packages', () => {
    const p = tesseractPaths();
    for (const v of Object.values(p)) expect(v.startsWith(path.resolve('node_modules')), v).toBe(true);
    expect(fs.existsSync(path.join(p.langPath, 'eng.traineddata.gz'))).toBe(true);
    expect(fs.existsSync(p.workerPath)).toBe(true);
  });

  it('reads a word with its box; a picture past the time limit ends in a clear error, and the next one is read', async () => {
    const r = await ocr.recognize(grey(word));
    expect(r.lines).toEqual(['HARBOUR']);
    const w = r.words.find((x) => x.text === 'HARBOUR')!;
    expect(w.confidence).toBeGreaterThan(0.8);
    // Rendered at x 100..~1050 of 1200, baseline 450 of 800 (the decode keeps the proportions).
    expect(w.box.x).toBeGreaterThan(0.05);
    expect(w.box.x).toBeLessThan(0.15);
    expect(w.box.y + w.box.h).toBeGreaterThan(0.5);
    expect(w.box.y + w.box.h).toBeLessThan(0.62);

    await expect(ocr.recognize(grey(word), 1)).rejects.toThrow(/^text recognition took longer than 0 s$/);
    expect((await ocr.recognize(grey(word))).lines).toEqual(['HARBOUR']);
  });

  it('a picture it cannot read is an OcrError with a one-line reason, not a crash', async () => {
    const err = await ocr
      .recognize({ data: new Uint8Array(0), width: 0, height: 0 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OcrError);
    expect((err as Error).message).toMatch(/^text recognition failed: .+/);
    expect((err as Error).message).not.toContain('\n');
    expect((await ocr.recognize(grey(word))).lines).toEqual(['HARBOUR']);
  });
});
