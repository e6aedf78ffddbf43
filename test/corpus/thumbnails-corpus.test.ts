import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, corpusFile, tempDir } from '../helpers/corpus';
import { filesUnder } from '../helpers/files';
import {
  damagedJpegOutcomes,
  EDGE,
  exiftool,
  expectRendersJpegTiff,
  expectWebp,
  fingerprint,
  hasTool,
  meanDiff,
  render,
} from '../helpers/thumbnail-checks';

// Thumbnails of the real camera corpus (DAM_CORPUS); test/unit/thumbnails.test.ts checks the same
// on generated files where it can (every HEIC here is a real phone's: none is generated).

let dir = '';

beforeAll(() => {
  dir = tempDir('dam-thumbs-corpus-');
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const corpusFiles = (sub: string) => filesUnder(CORPUS, sub);

describe('JPEG and TIFF from the camera corpus', () => {
  it('renders every well-formed corpus JPEG and TIFF within the edge, with the stored size', async () => {
    const files = [...corpusFiles('jpg'), ...corpusFiles('tiff')].filter(
      (f) => !/[\\/](invalid|tests)[\\/]|corrupted/.test(f),
    );
    expect(files.length).toBeGreaterThan(60);
    await expectRendersJpegTiff(files);
  });

  it('survives every broken and odd corpus file: renders, or throws a one-line message, never hangs', async () => {
    const files = [
      ...corpusFiles('jpg/invalid'),
      corpusFile('jpg/corrupted.jpg'),
      ...corpusFiles('jpg/tests'),
    ];
    expect(files.length).toBe(20);
    const outcomes = await damagedJpegOutcomes(files);
    // The badly damaged one fails with a readable reason.
    expect(outcomes.find((o) => o.startsWith('corrupted.jpg'))).toMatch(
      /^corrupted\.jpg: (ok|not a valid JPEG: .+)/,
    );
  });
});

describe('HEIC from the camera corpus', () => {
  const heics = [
    'heic/IMG_5195.HEIC',
    'heic/samplefilehub.heif',
    'heic/mobile/iphone_13_pro_max.HEIC',
    'heic/mobile/HMD_Nokia_8.3_5G.heif',
    'heic/mobile/HMD_Nokia_8.3_5G_hdr.heif',
  ];
  /** exiftool's HEIC Rotation is irot in anticlockwise degrees; EXIF orientations as clockwise turns. */
  const EXIF_CW: Record<number, number> = { 1: 0, 3: 180, 6: 90, 8: 270 };

  /**
   * Clockwise turn from the irot-applied picture (what libheif and libvips show) to the upright
   * one: none when EXIF agrees with irot or is absent, else whatever EXIF asks for.
   */
  function turnFromIrot(x: Record<string, number>): number {
    if (x.Orientation === undefined) return 0;
    return (EXIF_CW[x.Orientation]! + (x.Rotation ?? 0)) % 360;
  }

  it('decodes the primary image upright, matching exiftool sizes and orientation', async () => {
    const seen: string[] = [];
    for (const rel of heics) {
      const f = corpusFile(rel);
      const x = exiftool(f);
      const out = await render(f, 'heic', { inMemory: true });
      await expectWebp(out);
      expect([rel, out.sourceWidth, out.sourceHeight]).toEqual([rel, x.ImageWidth, x.ImageHeight]);
      // Upright = the stored size turned by EXIF Orientation when there is one, else by irot.
      const turned =
        x.Orientation !== undefined ? x.Orientation >= 5 : x.Rotation === 90 || x.Rotation === 270;
      const [w, h] = turned ? [x.ImageHeight!, x.ImageWidth!] : [x.ImageWidth!, x.ImageHeight!];
      expect([rel, Math.abs(out.width / out.height - w / h) < 0.02]).toEqual([rel, true]);
      expect(Math.max(out.width, out.height)).toBe(Math.min(EDGE, Math.max(w, h)));
      seen.push(`${path.basename(rel)} ${out.width}x${out.height}`);
    }
    expect(seen).toEqual([
      'IMG_5195.HEIC 397x512', // no EXIF orientation, no irot: portrait as stored
      'samplefilehub.heif 512x341',
      'iphone_13_pro_max.HEIC 384x512', // EXIF 6 + irot 270 agree: portrait, turned once
      'HMD_Nokia_8.3_5G.heif 512x384', // irot 270 but EXIF 1 on an upright landscape scene
      'HMD_Nokia_8.3_5G_hdr.heif 512x384',
    ]);
  });

  it('turns the portrait iPhone photo (EXIF 6, irot 270) portrait, once', async () => {
    const out = await render(corpusFile('heic/mobile/iphone_13_pro_max.HEIC'), 'heic');
    expect([out.width, out.height]).toEqual([384, 512]);
    expect([out.sourceWidth, out.sourceHeight]).toEqual([4032, 3024]);
  });

  it.skipIf(!hasTool('vipsthumbnail'))(
    'matches an independent decoder (system libvips + libheif), up to the EXIF/irot policy',
    async () => {
      for (const rel of heics) {
        const ref = path.join(dir, `${path.basename(rel)}.png`);
        // sharp sets VIPSHOME for its bundled libvips; the system one must find its own modules.
        const env = { ...process.env };
        delete env.VIPSHOME;
        const r = spawnSync('vipsthumbnail', [corpusFile(rel), '-s', '256', '-o', ref], {
          encoding: 'utf8',
          env,
        });
        expect([rel, r.status]).toEqual([rel, 0]);
        const turn = turnFromIrot(exiftool(corpusFile(rel)));
        const expected = await sharp(ref).rotate(turn).toBuffer();
        const out = await render(corpusFile(rel), 'heic', { maxEdge: 256 });
        const diff = meanDiff(await fingerprint(expected), await fingerprint(out.data));
        console.log(
          `[heic vs system libvips] ${rel}: turn ${turn}, mean grey difference ${diff.toFixed(1)} / 255`,
        );
        expect([rel, diff < 10]).toEqual([rel, true]);
        // The same picture turned a quarter would differ far more: the check has teeth.
        const turned = await sharp(out.data).rotate(90).toBuffer();
        expect(meanDiff(await fingerprint(expected), await fingerprint(turned))).toBeGreaterThan(diff + 10);
      }
    },
  );
});
