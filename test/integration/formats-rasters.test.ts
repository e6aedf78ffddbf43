// Rasters sharp cannot open (BMP, ICO/CUR, PCX, Netpbm, PFM, JPEG 2000, JPEG XL, OpenEXR,
// Radiance HDR), written at test time by ImageMagick and cjxl from one quadrant picture: each is
// recognised from its bytes, its size agrees with exiftool, its thumbnail shows the quadrants the
// right way up (HDR ones tone-mapped), and bad input gets a clear one-line error.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sniffFormat } from '../../electron/core/formats/sniff';
import { formatFromExt, typeOf, type FormatId } from '../../electron/core/ingest/formats/file-types';
import { readMetadata } from '../../electron/core/ingest/metadata/read-metadata';
import { quadrantPixels } from '../fixtures/make-fixtures';
import { tempDir } from '../helpers/corpus';
import { exiftool, expectedFrom } from '../helpers/metadata-oracle';
import { expectQuadrants, expectWebp, render, settle, UPRIGHT } from '../helpers/thumbnail-checks';

const W = 96;
const H = 64;

/** name, ImageMagick output spec (or a tool), the format it must sniff as, HDR (tone-mapped). */
const CASES: Array<{ name: string; make: string[] | 'cjxl'; format: FormatId; hdr?: boolean }> = [
  { name: 'rgb24.bmp', make: ['BMP3:'], format: 'bmp' },
  { name: 'palette8.bmp', make: ['-type', 'Palette', 'BMP3:'], format: 'bmp' },
  { name: 'alpha32.bmp', make: ['-alpha', 'set', '-define', 'bmp:format=bmp4', 'BMP:'], format: 'bmp' },
  { name: 'rle8.bmp', make: ['-type', 'Palette', '-compress', 'RLE', 'BMP3:'], format: 'bmp' },
  { name: 'icon.ico', make: ['ICO:'], format: 'ico' },
  { name: 'cursor.cur', make: ['CUR:'], format: 'ico' },
  { name: 'truecolour.pcx', make: ['PCX:'], format: 'pcx' },
  { name: 'palette.pcx', make: ['-type', 'Palette', 'PCX:'], format: 'pcx' },
  { name: 'raw.ppm', make: ['PPM:'], format: 'pnm' },
  { name: 'plain.ppm', make: ['-compress', 'none', 'PPM:'], format: 'pnm' },
  { name: 'deep.ppm', make: ['-depth', '16', 'PPM:'], format: 'pnm' },
  { name: 'grey.pgm', make: ['PGM:'], format: 'pnm' },
  { name: 'image.pam', make: ['PAM:'], format: 'pnm' },
  { name: 'float.pfm', make: ['PFM:'], format: 'pnm', hdr: true },
  { name: 'boxed.jp2', make: ['JP2:'], format: 'jp2' },
  { name: 'stream.j2k', make: ['J2K:'], format: 'jp2' },
  { name: 'image.jxl', make: 'cjxl', format: 'jxl' },
  { name: 'scene.exr', make: ['EXR:'], format: 'exr', hdr: true },
  { name: 'scene.hdr', make: ['HDR:'], format: 'hdr', hdr: true },
];

let dir: string;
const files = new Map<string, string>();

beforeAll(async () => {
  dir = tempDir('dam-rasters-');
  const png = path.join(dir, 'source.png');
  await sharp(quadrantPixels(W, H), { raw: { width: W, height: H, channels: 3 } })
    .png()
    .toFile(png);
  for (const c of CASES) {
    const out = path.join(dir, c.name);
    if (c.make === 'cjxl') execFileSync('cjxl', ['-q', '100', png, out], { stdio: 'ignore' });
    else {
      const spec = c.make[c.make.length - 1]!;
      execFileSync('convert', [png, ...c.make.slice(0, -1), spec + out], { stdio: 'ignore' });
    }
    files.set(c.name, out);
  }
  // XMP where the formats have a place for it: exiftool writes JPEG 2000 and (boxed) JPEG XL.
  for (const name of ['boxed.jp2', 'image.jxl']) {
    const r = spawnSync('exiftool', [
      '-q',
      '-m',
      '-overwrite_original',
      '-XMP-dc:Title=Quadrants',
      '-XMP-dc:Subject=test',
      '-XMP-dc:Subject=colour',
      files.get(name)!,
    ]);
    expect(r.status, r.stderr.toString()).toBe(0);
  }
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('rasters sharp cannot open', () => {
  it('are recognised from their bytes and catalogued as images', () => {
    for (const c of CASES) {
      const f = files.get(c.name)!;
      const head = fs.readFileSync(f).subarray(0, 4096);
      const ext = path.extname(f).slice(1);
      expect([c.name, sniffFormat(head), formatFromExt(ext), typeOf(c.format, ext)]).toEqual([
        c.name,
        c.format,
        c.format,
        'image',
      ]);
    }
  });

  it('report the size, title and keywords exiftool reads', async () => {
    const all = CASES.map((c) => files.get(c.name)!);
    const et = exiftool(all);
    const diffs: string[] = [];
    for (const c of CASES) {
      const f = files.get(c.name)!;
      const ours = await readMetadata({ path: f });
      const rec = et.get(path.resolve(f))!;
      const theirs = expectedFrom(rec);
      // exiftool names the size File:ImageWidth for most of these, Jpeg2000:/JXL: for some; not at all for PAM.
      const tw = [rec['File:ImageWidth'], rec['Jpeg2000:ImageWidth'], rec['JXL:ImageWidth']].find(
        (v) => v !== undefined,
      );
      const th = [rec['File:ImageHeight'], rec['Jpeg2000:ImageHeight'], rec['JXL:ImageHeight']].find(
        (v) => v !== undefined,
      );
      if (tw !== undefined && (ours.width !== tw || ours.height !== th))
        diffs.push(`${c.name} size: ours=${ours.width}x${ours.height} exiftool=${String(tw)}x${String(th)}`);
      if (ours.width !== W || ours.height !== H)
        diffs.push(`${c.name} size: ours=${ours.width}x${ours.height}`);
      if (ours.title !== theirs.title)
        diffs.push(`${c.name} title: ours=${ours.title} exiftool=${theirs.title}`);
      if (JSON.stringify(ours.keywords) !== JSON.stringify(theirs.keywords))
        diffs.push(`${c.name} keywords: ours=${ours.keywords.join()} exiftool=${theirs.keywords.join()}`);
    }
    expect(diffs).toEqual([]);
    expect((await readMetadata({ path: files.get('boxed.jp2')! })).title).toBe('Quadrants');
    expect((await readMetadata({ path: files.get('image.jxl')! })).keywords).toEqual(['test', 'colour']);
  });

  it('render thumbnails the right way up, from a path and from memory', async () => {
    for (const c of CASES) {
      for (const inMemory of [false, true]) {
        const out = await render(files.get(c.name)!, c.format, { inMemory });
        await expectWebp(out);
        expect([c.name, out.sourceWidth, out.sourceHeight]).toEqual([c.name, W, H]);
        if (c.name === 'grey.pgm') continue; // no colour to tell the quadrants apart
        // Tone mapping moves the colours of HDR files; their hue and placement stay.
        if (c.hdr) {
          const { data, info } = await sharp(out.data)
            .removeAlpha()
            .raw()
            .toBuffer({ resolveWithObject: true });
          const at = (fx: number, fy: number) => {
            const i = (Math.floor(info.height * fy) * info.width + Math.floor(info.width * fx)) * 3;
            return [data[i]!, data[i + 1]!, data[i + 2]!];
          };
          const dominant = (px: number[]) => px.indexOf(Math.max(...px));
          expect([
            c.name,
            dominant(at(0.25, 0.25)),
            dominant(at(0.75, 0.25)),
            dominant(at(0.25, 0.75)),
          ]).toEqual([c.name, 0, 1, 2]);
        } else await expectQuadrants(out.data, UPRIGHT[1]!);
      }
    }
  });
});

describe('bad raster input', () => {
  function bmpHeader(width: number, height: number): Buffer {
    const b = Buffer.alloc(54 + 64);
    b.write('BM', 0, 'latin1');
    b.writeUInt32LE(b.length, 2);
    b.writeUInt32LE(54, 10);
    b.writeUInt32LE(40, 14);
    b.writeInt32LE(width, 18);
    b.writeInt32LE(height, 22);
    b.writeUInt16LE(1, 26);
    b.writeUInt16LE(24, 28);
    return b;
  }

  it('refuses a header claiming 100000×100000 before allocating, with a clear line', async () => {
    const cases: Array<[string, Buffer, FormatId]> = [
      ['huge.bmp', bmpHeader(100_000, 100_000), 'bmp'],
      ['huge.pfm', Buffer.from('PF\n100000 100000\n-1.0\n\0\0\0\0'), 'pnm'],
      ['huge.ppm', Buffer.from('P6\n100000 100000\n255\n\0\0\0'), 'pnm'],
      ['huge.hdr', Buffer.from('#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 100000 +X 100000\n\0\0\0\0'), 'hdr'],
    ];
    for (const [name, bytes, format] of cases) {
      const f = path.join(dir, name);
      fs.writeFileSync(f, bytes);
      const r = await settle(render(f, format), 10_000, name);
      expect(r, name).toHaveProperty('err');
      const msg = (r as { err: Error }).err.message;
      expect([name, msg]).toEqual([
        name,
        expect.stringMatching(/too large to preview \(100000×100000, 10000 megapixels/),
      ]);
      expect(msg).not.toContain('\n');
      // The metadata reader reports the size the header claims, as exiftool does.
      const meta = await readMetadata({ path: f });
      expect([name, meta.width, meta.height]).toEqual([name, 100_000, 100_000]);
    }
  });

  it('gives truncated, garbage and zero-byte files a one-line error, never a crash or hang', async () => {
    const cut = (name: string, keep: number) => {
      const src = fs.readFileSync(files.get(name)!);
      const f = path.join(dir, `cut-${name}`);
      fs.writeFileSync(f, src.subarray(0, Math.min(src.length - 1, keep)));
      return f;
    };
    const garbage = (name: string) => {
      const f = path.join(dir, `garbage-${name}`);
      fs.writeFileSync(f, Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 131 + 7) & 0xff)));
      return f;
    };
    const bad: Array<[string, FormatId]> = [];
    for (const c of CASES) {
      bad.push(
        [cut(c.name, 40), c.format],
        [cut(c.name, Math.floor(fs.statSync(files.get(c.name)!).size / 2)), c.format],
      );
      bad.push([garbage(c.name), c.format]);
    }
    const empty = path.join(dir, 'empty.exr');
    fs.writeFileSync(empty, '');
    bad.push([empty, 'exr']);
    for (const [f, format] of bad) {
      const r = await settle(render(f, format), 10_000, f);
      // A file cut in its pixel data may still render what is there (the rest black), like libvips.
      if ('err' in r) {
        expect(r.err, f).toBeInstanceOf(Error);
        const msg = (r.err as Error).message;
        expect([path.basename(f), msg.includes('\n'), msg.length <= 240]).toEqual([
          path.basename(f),
          false,
          true,
        ]);
      }
      // The metadata reader answers (maybe with a MetadataError), and never hangs.
      await settle(readMetadata({ path: f }), 10_000, `metadata ${f}`);
    }
    const garbageBmp = await settle(render(path.join(dir, 'garbage-rgb24.bmp'), 'bmp'), 10_000, 'garbage');
    expect(garbageBmp).toHaveProperty('err');
  });
});
