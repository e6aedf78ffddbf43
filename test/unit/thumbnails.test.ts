import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cameraLikeJpeg } from '../bench/fixtures';
import { reconcileFormat, sniffFormat } from '../../electron/core/formats/sniff';
import { extractRawPreview, readRawPreview, renderThumbnail } from '../../electron/core/ingest/thumbnails';
import { exifCorrection } from '../../electron/core/ingest/thumbnails/heic';
import { withOrientation } from '../../electron/core/ingest/thumbnails/jpeg-orientation';
import { parseProbe, renderVideo, seekTime } from '../../electron/core/ingest/thumbnails/video';
import {
  makeAnimatedGif,
  makeCr2,
  makeCr3,
  makeImage,
  makeOrf,
  makePsd,
  makeRaf,
  makeRw2,
  makeSvg,
  makeTiffRaw,
  makeVideo,
  type SyntheticRaw,
} from '../fixtures/make-fixtures';
import { cameraFilesDir } from '../fixtures/camera-files-dir';
import { cameraFile } from '../helpers/camera';
import { tempDir } from '../helpers/corpus';
import { filesUnder } from '../helpers/files';
import {
  closeTo,
  colourAt,
  damagedJpegOutcomes,
  EDGE,
  expectQuadrants,
  expectRendersJpegTiff,
  expectWebp,
  fingerprint,
  meanDiff,
  render,
  settle,
  UPRIGHT,
} from '../helpers/thumbnail-checks';

let dir = '';

beforeAll(() => {
  dir = tempDir('dam-thumbs-');
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Every generated camera-like file under a folder of the set (test/fixtures/camera-files.ts). */
const cameraFiles = (sub: string) => filesUnder(cameraFilesDir(), sub);

describe('JPEG and TIFF, camera-like files made at test time', () => {
  it('renders every generated camera-like JPEG and TIFF within the edge, with the stored size', async () => {
    const files = [...cameraFiles('jpg'), ...cameraFiles('tiff')];
    expect(files.length).toBeGreaterThan(25);
    await expectRendersJpegTiff(files);
  });

  it('reads from the path when no buffer is given, and gives the same picture', async () => {
    const f = cameraFile('jpg/Canon_40D.jpg');
    const a = await render(f, 'jpeg');
    const b = await render(f, 'jpeg', { inMemory: true });
    expect([a.width, a.height]).toEqual([b.width, b.height]);
    expect(meanDiff(await fingerprint(a.data), await fingerprint(b.data))).toBeLessThan(1);
  });

  it('turns all eight EXIF orientations upright (landscape and portrait sets)', async () => {
    for (const set of ['landscape', 'portrait']) {
      const ref = await render(cameraFile(`jpg/orientation/${set}_1.jpg`), 'jpeg');
      expect(set === 'landscape' ? ref.width > ref.height : ref.height > ref.width).toBe(true);
      const refPrint = await fingerprint(ref.data);
      for (let o = 2; o <= 8; o++) {
        const out = await render(cameraFile(`jpg/orientation/${set}_${o}.jpg`), 'jpeg', { inMemory: true });
        expect([`${set}_${o}`, out.width, out.height]).toEqual([`${set}_${o}`, ref.width, ref.height]);
        const diff = meanDiff(refPrint, await fingerprint(out.data));
        expect([`${set}_${o}`, diff < 12]).toEqual([`${set}_${o}`, true]);
      }
    }
  });

  it('rewrites a JPEG orientation without touching its pixels (used for RAW previews)', async () => {
    for (let o = 1; o <= 8; o++) {
      const original = fs.readFileSync(cameraFile(`jpg/orientation/landscape_${o}.jpg`));
      // Same tag re-written: same upright result.
      const same = await renderThumbnail({
        path: 'x.jpg',
        buffer: withOrientation(original, o),
        format: 'jpeg',
        maxEdge: 256,
      });
      const ref = await renderThumbnail({ path: 'x.jpg', buffer: original, format: 'jpeg', maxEdge: 256 });
      expect(meanDiff(await fingerprint(same.data), await fingerprint(ref.data))).toBeLessThan(1);
      // Orientation 1 shows the pixels as stored.
      const stored = await sharp(original).metadata();
      const asStored = await renderThumbnail({
        path: 'x.jpg',
        buffer: withOrientation(original, 1),
        format: 'jpeg',
        maxEdge: 600,
      });
      expect([asStored.width, asStored.height]).toEqual([stored.width, stored.height]);
    }
  });

  it('survives damaged JPEGs: renders, or throws a one-line message, never hangs', async () => {
    // Camera-like files cut short, with bytes overwritten, or with a segment length that lies.
    const files: string[] = [];
    for (const rel of ['jpg/Canon_40D.jpg', 'jpg/gps/DSCN0012.jpg', 'jpg/orientation/portrait_6.jpg']) {
      const whole = fs.readFileSync(cameraFile(rel));
      const name = path.basename(rel, '.jpg');
      const put = (suffix: string, bytes: Buffer) => {
        const f = path.join(dir, `${name}-${suffix}.jpg`);
        fs.writeFileSync(f, bytes);
        files.push(f);
      };
      for (const at of [4, 100, 0.3, 0.7])
        put(`cut-${at}`, whole.subarray(0, at < 1 ? Math.floor(whole.length * at) : at));
      const scribbled = Buffer.from(whole);
      for (let i = Math.floor(whole.length / 3); i < whole.length - 2; i += 97) scribbled[i] = 0xff;
      put('scribbled', scribbled);
      const lying = Buffer.from(whole);
      lying.writeUInt16BE(0xfff0, 4); // the first segment claims 65 KB
      put('lying-length', lying);
    }
    const outcomes = await damagedJpegOutcomes(files);
    // Four bytes are no picture: a readable reason, not a crash.
    expect(outcomes.find((o) => o.startsWith('Canon_40D-cut-4.jpg'))).toMatch(/^Canon_40D-cut-4\.jpg: .+/);
    expect(outcomes).toHaveLength(files.length * 2);
  });

  it('renders the decodable part of a truncated JPEG', async () => {
    const whole = fs.readFileSync(cameraFile('jpg/gps/DSCN0010.jpg'));
    const half = path.join(dir, 'truncated.jpg');
    fs.writeFileSync(half, whole.subarray(0, Math.floor(whole.length / 2)));
    const full = await render(cameraFile('jpg/gps/DSCN0010.jpg'), 'jpeg');
    for (const inMemory of [true, false]) {
      const out = await render(half, 'jpeg', { inMemory });
      await expectWebp(out);
      expect([out.width, out.height, out.sourceWidth, out.sourceHeight]).toEqual([
        full.width,
        full.height,
        full.sourceWidth,
        full.sourceHeight,
      ]);
      // The top survived; the missing bottom is filled, not an error.
      expect(meanDiff(await fingerprint(out.data), await fingerprint(full.data))).toBeGreaterThan(1);
    }
  });

  it('throws clear errors for empty, missing, garbage and unrenderable files', async () => {
    const empty = path.join(dir, 'empty.jpg');
    fs.writeFileSync(empty, '');
    await expect(render(empty, 'jpeg')).rejects.toThrow(/^empty file/);
    await expect(render(empty, 'jpeg', { inMemory: true })).rejects.toThrow(/^empty file/);
    await expect(render(path.join(dir, 'nope.jpg'), 'jpeg')).rejects.toMatchObject({ code: 'ENOENT' });
    const garbage = path.join(dir, 'garbage.jpg');
    fs.writeFileSync(
      garbage,
      Buffer.from('this is not an image at all, just some text that goes on'.repeat(20)),
    );
    await expect(render(garbage, 'jpeg')).rejects.toThrow(/^not a valid JPEG: unrecognised image data$/);
    await expect(render(garbage, 'heic')).rejects.toThrow(/^corrupt HEIC: /);
    await expect(render(garbage, 'psd')).rejects.toThrow(/^not a valid PSD: /);
    await expect(render(garbage, 'raw')).rejects.toThrow(/^no embedded JPEG preview/);
    await expect(render(garbage, 'video')).rejects.toThrow(/^not a playable video: /);
    // Cut off before any image data: nothing to show, and the reason says so.
    const headerOnly = path.join(dir, 'header-only.jpg');
    fs.writeFileSync(headerOnly, fs.readFileSync(cameraFile('jpg/Canon_40D.jpg')).subarray(0, 3000));
    await expect(render(headerOnly, 'jpeg')).rejects.toThrow(
      /^not a valid JPEG: corrupt header: premature end of JPEG image$/,
    );
    await expect(render(garbage, 'svg')).rejects.toThrow(/^not a valid SVG: /);
    // PDFs have a renderer now (pdf.js): garbage under the name gets its clear one-line error.
    await expect(render(garbage, 'pdf')).rejects.toThrow(/^(not a valid PDF|damaged PDF)/);
    await expect(render(garbage, 'other')).rejects.toThrow('no renderer for this type');
  });

  it('renders a PNG named .jpg, which sniffing calls a PNG', async () => {
    const png = await makeImage(dir, 'really-a-png.jpg', 'png');
    const sniffed = sniffFormat(fs.readFileSync(png).subarray(0, 64));
    expect(sniffed).toBe('png');
    const { format, mismatch } = reconcileFormat('jpeg', sniffed);
    expect({ format, mismatch }).toEqual({ format: 'png', mismatch: true });
    const out = await render(png, format);
    await expectWebp(out);
    expect([out.width, out.height, out.sourceWidth, out.sourceHeight]).toEqual([320, 200, 320, 200]);
    await expectQuadrants(out.data, UPRIGHT[1]!);
  });
});

describe('other raster formats', () => {
  it('renders GIF (first frame), WebP, AVIF, TIFF and PNG made with sharp', async () => {
    const gif = await makeAnimatedGif(dir, 'anim.gif');
    const g = await render(gif, 'gif');
    expect([g.width, g.height, g.sourceWidth, g.sourceHeight]).toEqual([120, 80, 120, 80]);
    expect(closeTo(await colourAt(g.data, 0.5, 0.5), [255, 0, 0])).toBe(true);
    for (const f of ['webp', 'avif', 'tiff', 'png'] as const) {
      const file = await makeImage(dir, `pattern.${f}`, f, 1200, 800);
      expect(sniffFormat(fs.readFileSync(file).subarray(0, 64))).toBe(f);
      const out = await render(file, f);
      await expectWebp(out);
      expect([f, out.width, out.height, out.sourceWidth, out.sourceHeight]).toEqual([f, 512, 341, 1200, 800]);
      await expectQuadrants(out.data, UPRIGHT[1]!);
    }
  });

  it('keeps transparency', async () => {
    const file = path.join(dir, 'alpha.png');
    await sharp({
      create: { width: 64, height: 64, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 0.25 } },
    })
      .png()
      .toFile(file);
    const out = await render(file, 'png');
    const meta = await sharp(out.data).metadata();
    expect(meta.hasAlpha).toBe(true);
  });
});

describe('SVG', () => {
  it('draws vector art at the thumbnail size', async () => {
    const file = makeSvg(dir, 'drawing.svg');
    expect(sniffFormat(fs.readFileSync(file))).toBe('svg');
    const out = await render(file, 'svg');
    await expectWebp(out);
    expect([out.width, out.height, out.sourceWidth, out.sourceHeight]).toEqual([512, 256, 200, 100]);
    expect(closeTo(await colourAt(out.data, 0.25, 0.5), [0xdc, 0x1e, 0x1e])).toBe(true);
    expect(closeTo(await colourAt(out.data, 0.75, 0.5), [0x1e, 0xc8, 0x1e])).toBe(true);
  });

  it('never fetches external resources (no hang on an unreachable URL, no local files)', async () => {
    const file = makeSvg(
      dir,
      'external.svg',
      `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100">
  <rect width="100" height="100" fill="#ffffff"/>
  <image href="http://127.0.0.1:9/x.png" width="100" height="100"/>
  <image xlink:href="http://10.255.255.1/slow.png" width="100" height="100"/>
  <image href="file:///etc/passwd" width="100" height="100"/>
  <image href="${cameraFile('jpg/Canon_40D.jpg')}" width="100" height="100"/>
</svg>`,
    );
    const started = Date.now();
    const r = await settle(render(file, 'svg'), 5_000, 'external.svg');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect('ok' in r).toBe(true);
    if ('ok' in r) {
      // Nothing was drawn over the white rectangle.
      expect(closeTo(await colourAt(r.ok.data, 0.5, 0.5), [255, 255, 255], 5)).toBe(true);
    }
  });
});

describe('HEIC', () => {
  it('decodes generated HEVC HEICs upright: a stored portrait, and an irot and EXIF turn applied once', async () => {
    const portrait = await render(cameraFile('heic/IMG_5195.HEIC'), 'heic', { inMemory: true });
    await expectWebp(portrait);
    expect([portrait.width, portrait.height, portrait.sourceWidth, portrait.sourceHeight]).toEqual([
      384, 512, 480, 640,
    ]);
    // Stored landscape; irot 270 (anticlockwise) and EXIF 6 both say "turn 90° clockwise".
    const turned = await render(cameraFile('heic/mobile/iphone_13_pro_max.HEIC'), 'heic');
    await expectWebp(turned);
    expect([turned.width, turned.height, turned.sourceWidth, turned.sourceHeight]).toEqual([
      384, 512, 640, 480,
    ]);
  });

  it('resolves EXIF/irot disagreements in favour of EXIF, and never applies both', () => {
    const props = (quarterTurns: number, mirrored = false) => ({
      width: 4032,
      height: 3024,
      quarterTurns,
      mirrored,
    });
    expect(exifCorrection(props(3), 6)).toBe(0); // iPhone: both say "turn 90 clockwise"
    expect(exifCorrection(props(3), 1)).toBe(270); // Nokia: undo irot
    expect(exifCorrection(props(0), 6)).toBe(90); // EXIF only
    expect(exifCorrection(props(3), undefined)).toBe(0); // irot only
    expect(exifCorrection(props(2), 3)).toBe(0);
    expect(exifCorrection(props(1), 8)).toBe(0);
    expect(exifCorrection(props(3, true), 1)).toBe(0); // mirrored: leave it to libheif
    expect(exifCorrection(props(0), 5)).toBe(0); // mirrored EXIF orientations: leave it to libheif
    expect(exifCorrection(null, 6)).toBe(0);
  });
});

describe('video', () => {
  it('reads duration, size and failures from ffmpeg output', () => {
    const probe = parseProbe(
      [
        "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'file:/x/IMG_0001.MOV':",
        '  Duration: 01:02:03.50, start: 0.000000, bitrate: 9000 kb/s',
        '    Stream #0:0(und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, stereo, fltp, 96 kb/s (default)',
        '    Stream #0:1(und): Video: hevc (Main) (hvc1 / 0x31637668), yuv420p(tv, bt709), 1920x1080, 8000 kb/s, 29.97 fps (default)',
        '    Side data:',
        '      displaymatrix: rotation of -90.00 degrees',
      ].join('\n'),
    );
    expect(probe).toEqual({ durationS: 3723.5, width: 1920, height: 1080 });
    expect(
      parseProbe(
        "Input #0, matroska,webm, from 'file:/x.mkv':\n  Duration: N/A, start: 0\n    Stream #0:0: Video: vp9, yuv420p, 640x360, SAR 1:1 DAR 16:9",
      ),
    ).toEqual({
      durationS: null,
      width: 640,
      height: 360,
    });
    expect(() =>
      parseProbe("Input #0, mp3, from 'file:/x.mp3':\n  Duration: 00:03:00.00\n    Stream #0:0: Audio: mp3"),
    ).toThrow('no video stream (audio only?)');
    expect(() => parseProbe('file:/x/broken.mp4: Invalid data found when processing input\n')).toThrow(
      'not a playable video: invalid data found when processing input',
    );
    expect([seekTime(null), seekTime(0), seekTime(3), seekTime(0.05), seekTime(7200)]).toEqual([
      1, 1, 0.3, 0, 720,
    ]);
  });

  it('grabs an upright frame from MP4, MOV, MKV, WebM and AVI, with duration and size', async () => {
    for (const container of ['mp4', 'mov', 'mkv', 'webm', 'avi'] as const) {
      const file = await makeVideo(dir, `clip.${container}`, { container });
      expect([container, sniffFormat(fs.readFileSync(file).subarray(0, 64))]).toEqual([container, 'video']);
      const out = await render(file, 'video');
      await expectWebp(out);
      expect([container, out.width, out.height, out.sourceWidth, out.sourceHeight]).toEqual([
        container,
        512,
        288,
        640,
        360,
      ]);
      expect(out.durationS).toBeCloseTo(3, 0);
    }
  });

  it('honours rotation metadata (a portrait phone clip comes out portrait)', async () => {
    const file = await makeVideo(dir, 'rotated.mp4', { container: 'mp4', rotate: 90 });
    const out = await render(file, 'video');
    expect([out.width, out.height]).toEqual([288, 512]);
    expect([out.sourceWidth, out.sourceHeight]).toEqual([640, 360]);
  });

  it.skipIf(process.platform === 'win32')('kills ffmpeg and says "timed out" when it stalls', async () => {
    // Opening a FIFO nobody writes to blocks ffmpeg forever: a stand-in for a hung network share.
    const fifo = path.join(dir, 'stalled.mp4');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    await expect(renderVideo(fifo, EDGE, 1_000)).rejects.toThrow(/^timed out$/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('handles clips shorter than the seek point and never enlarges', async () => {
    const file = await makeVideo(dir, 'tiny.mp4', { container: 'mp4', seconds: 0.2, size: '160x90' });
    const out = await render(file, 'video');
    expect([out.width, out.height]).toEqual([160, 90]);
    expect(out.durationS).toBeLessThan(0.5);
  });
});

describe('PSD', () => {
  it('renders the flattened composite of a layered PSD', async () => {
    const { path: file } = await makePsd(dir, 'layered.psd', { width: 900, height: 600 });
    expect(sniffFormat(fs.readFileSync(file).subarray(0, 64))).toBe('psd');
    for (const inMemory of [true, false]) {
      const out = await render(file, 'psd', { inMemory });
      await expectWebp(out);
      expect([out.width, out.height, out.sourceWidth, out.sourceHeight]).toEqual([512, 341, 900, 600]);
      await expectQuadrants(out.data, UPRIGHT[1]!);
      expect((await sharp(out.data).metadata()).hasAlpha).toBe(false);
    }
  });

  it('reads the large-document format (PSB) too', async () => {
    const { path: file } = await makePsd(dir, 'big.psb', { width: 640, height: 480, psb: true });
    expect(fs.readFileSync(file).readUInt16BE(4)).toBe(2);
    const out = await render(file, 'psd');
    expect([out.width, out.height, out.sourceWidth, out.sourceHeight]).toEqual([512, 384, 640, 480]);
    await expectQuadrants(out.data, UPRIGHT[1]!);
  });

  it('falls back to the embedded thumbnail when the composite is missing', async () => {
    const { path: file } = await makePsd(dir, 'no-composite.psd', {
      width: 300,
      height: 200,
      withoutComposite: true,
      thumbnail: true,
    });
    const out = await render(file, 'psd');
    expect([out.width, out.height, out.sourceWidth, out.sourceHeight]).toEqual([150, 100, 300, 200]);
    await expectQuadrants(out.data, UPRIGHT[1]!);
    const { path: bare } = await makePsd(dir, 'nothing.psd', { withoutComposite: true });
    await expect(render(bare, 'psd')).rejects.toThrow(/PSD has no composite image or thumbnail/);
  });
});

describe('RAW previews from synthetic containers', () => {
  const cases: Array<[string, (d: string) => Promise<SyntheticRaw>, number | null]> = [
    ['DNG/NEF-style TIFF (big-endian, SubIFD preview)', (d) => makeTiffRaw(d, 'synthetic.nef', 6), 6],
    ['CR2-style TIFF', (d) => makeCr2(d, 'synthetic.cr2', 8), 8],
    ['RW2 (JpgFromRaw 0x002E)', (d) => makeRw2(d, 'synthetic.rw2', 3), 3],
    ['ORF (preview only in maker notes)', (d) => makeOrf(d, 'synthetic.orf', 6), 6],
    ['CR3 (ISO-BMFF, PRVW)', (d) => makeCr3(d, 'synthetic.cr3', 6), 6],
    ['RAF (orientation in the embedded JPEG)', (d) => makeRaf(d, 'synthetic.raf', 6), null],
  ];

  for (const [label, make, containerOrientation] of cases) {
    it(`${label}: extracts the largest JPEG and renders it upright`, async () => {
      const raw = await make(dir);
      const bytes = fs.readFileSync(raw.path);
      const sniffed = sniffFormat(bytes.subarray(0, 64));
      expect(reconcileFormat('raw', sniffed).format).toBe('raw');

      const fromBuffer = await extractRawPreview(bytes);
      const fromPath = await extractRawPreview(raw.path);
      expect(fromBuffer.equals(raw.preview)).toBe(true);
      expect(fromPath.equals(raw.preview)).toBe(true);
      if (raw.thumbnail) expect(fromBuffer.length).toBeGreaterThan(raw.thumbnail.length);

      const info = await readRawPreview(raw.path);
      expect(info.orientation).toBe(containerOrientation);
      expect([info.preview.width, info.preview.height]).toEqual([
        raw.previewSize.width,
        raw.previewSize.height,
      ]);

      for (const inMemory of [true, false]) {
        const out = await render(raw.path, 'raw', { inMemory });
        await expectWebp(out);
        const turned = raw.orientation >= 5;
        const long = Math.max(raw.previewSize.width, raw.previewSize.height);
        const short = Math.round((Math.min(raw.previewSize.width, raw.previewSize.height) * EDGE) / long);
        expect([out.width, out.height]).toEqual(turned ? [short, EDGE] : [EDGE, short]);
        await expectQuadrants(out.data, UPRIGHT[raw.orientation]!);
      }
    });
  }

  it('reports the sensor size the container records', async () => {
    const nef = await makeTiffRaw(dir, 'size.nef');
    expect(await readRawPreview(nef.path)).toMatchObject({ sourceWidth: 6048, sourceHeight: 4024 });
    const cr3 = await makeCr3(dir, 'size.cr3');
    expect(await readRawPreview(cr3.path)).toMatchObject({ sourceWidth: 6000, sourceHeight: 4000 });
    const out = await render(cr3.path, 'raw');
    expect([out.sourceWidth, out.sourceHeight]).toEqual([6000, 4000]);
  });

  it('gives a clear error for a RAW file with no usable preview', async () => {
    const file = path.join(dir, 'empty-tiff.dng');
    const header = Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    fs.writeFileSync(file, header);
    await expect(render(file, 'raw')).rejects.toThrow('no embedded JPEG preview in this RAW file');
  });
});

describe('a camera-size JPEG', () => {
  // Speed is measured by `npm run bench`, not asserted here; this checks the result.
  it('thumbnails a 24 MP, ~10 MB camera-like JPEG to 512 px', async () => {
    const file = path.join(dir, 'big24mp.jpg');
    fs.writeFileSync(file, await cameraLikeJpeg());
    const out = await renderThumbnail({
      path: file,
      buffer: fs.readFileSync(file),
      format: 'jpeg',
      maxEdge: EDGE,
    });
    expect([out.width, out.height]).toEqual([512, 341]);
    expect([out.sourceWidth, out.sourceHeight]).toEqual([6000, 4000]);
  });
});
