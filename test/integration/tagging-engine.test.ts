import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/corpus';
import { knownPhoto } from '../helpers/known-photos';
import { decodeForTagging } from '../../electron/core/tagging/decode';
import { MIN_FACE_PIXELS, MIN_FACE_SCORE, TaggingEngine } from '../../electron/core/tagging/engine';
import type { DecodedImage, ModelResults } from '../../electron/core/tagging/analyser';

const GRACE = '/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg';

// The engine keeps one input buffer for its life and drops faces it would only throw away:
// neither may change what it finds.
describe('the tagging engine over real photos', () => {
  let dir: string;
  let engine: TaggingEngine;
  let small: DecodedImage;
  let large: DecodedImage;

  beforeAll(async () => {
    if (!fs.existsSync(GRACE)) throw new Error(`${GRACE} is missing: apt-get install python-matplotlib-data`);
    dir = tempDir('dam-engine-');
    // Two pictures of different sizes, so the second decode is smaller than the buffer it reuses.
    await sharp(knownPhoto('astronaut.png')).resize(900).jpeg().toFile(path.join(dir, 'large.jpg'));
    await sharp(GRACE).resize(400).jpeg().toFile(path.join(dir, 'small.jpg'));
    large = await decodeForTagging(path.join(dir, 'large.jpg'), 'jpeg', null);
    small = await decodeForTagging(path.join(dir, 'small.jpg'), 'jpeg', null);
    engine = await TaggingEngine.start({ objects: true, faces: true, descriptors: true });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const summary = (r: ModelResults) => ({
    objects: r.objects.map((o) => `${o.label} ${o.score.toFixed(3)}`),
    faces: r.faces.map((f) => ({ box: f.box, score: f.score, descriptor: f.descriptor?.slice(0, 8) })),
  });

  it('finds the same in a picture before and after a larger one', async () => {
    const first = summary(await engine.detect(small));
    expect(first.faces.length).toBe(1);
    expect(first.objects.some((o) => o.startsWith('person'))).toBe(true);
    const big = summary(await engine.detect(large));
    expect(big.faces.length).toBe(1);
    expect(summary(await engine.detect(small))).toEqual(first);
    expect(summary(await engine.detect(large))).toEqual(big);
  });

  it('returns only faces sure and large enough to keep, each with its descriptor', async () => {
    for (const image of [small, large]) {
      const r = await engine.detect(image);
      for (const f of r.faces) {
        expect(f.score).toBeGreaterThanOrEqual(MIN_FACE_SCORE - 0.01);
        expect(f.box.w * image.width).toBeGreaterThanOrEqual(MIN_FACE_PIXELS - 2);
        expect(f.descriptor).toHaveLength(1024);
      }
    }
  });
});
