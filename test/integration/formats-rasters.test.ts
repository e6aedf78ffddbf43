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
import { etDate, exiftool, expectedFrom } from '../helpers/metadata-oracle';
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

// ---------------------------------------------------------------------------------------------
// RAW containers that are not TIFF files: CR3 (ISO-BMFF with TIFFs in CMT1-CMT4) and MRW (a TIFF
// in its TTW block), built here and read by exiftool and by us.

type Tag = { tag: number; type: 2 | 3 | 4 | 5; value: string | number[] };

/** A TIFF with one directory (the layout of each CR3 CMT box); `base` shifts its offsets (for appending). */
function tiff(tags: Tag[], le = true, base = 0): Buffer {
  const sorted = [...tags].sort((a, b) => a.tag - b.tag);
  const bytesOf = (t: Tag): Buffer => {
    if (t.type === 2) return Buffer.from(`${String(t.value)}\0`, 'latin1');
    const vals = t.value as number[];
    const unit = t.type === 3 ? 2 : t.type === 4 ? 4 : 8;
    const b = Buffer.alloc((vals.length * (t.type === 5 ? 4 : 1) * unit) / (t.type === 5 ? 2 : 1));
    if (t.type === 5)
      vals.forEach((v, i) => {
        const [n, d] = Number.isInteger(v) ? [v, 1] : [Math.round(v * 1000000), 1000000];
        if (le) {
          b.writeUInt32LE(n, i * 8);
          b.writeUInt32LE(d, i * 8 + 4);
        } else {
          b.writeUInt32BE(n, i * 8);
          b.writeUInt32BE(d, i * 8 + 4);
        }
      });
    else
      vals.forEach((v, i) =>
        unit === 2
          ? le
            ? b.writeUInt16LE(v, i * 2)
            : b.writeUInt16BE(v, i * 2)
          : le
            ? b.writeUInt32LE(v, i * 4)
            : b.writeUInt32BE(v, i * 4),
      );
    return b;
  };
  const dirSize = 2 + sorted.length * 12 + 4;
  let extra = 8 + dirSize;
  const head = Buffer.alloc(8 + dirSize);
  const blobs: Buffer[] = [];
  const w16 = (v: number, o: number) => (le ? head.writeUInt16LE(v, o) : head.writeUInt16BE(v, o));
  const w32 = (v: number, o: number) => (le ? head.writeUInt32LE(v, o) : head.writeUInt32BE(v, o));
  head.write(le ? 'II' : 'MM', 0, 'latin1');
  w16(42, 2);
  w32(8, 4);
  w16(sorted.length, 8);
  sorted.forEach((t, i) => {
    const at = 10 + i * 12;
    const data = bytesOf(t);
    w16(t.tag, at);
    w16(t.type, at + 2);
    w32(t.type === 2 ? data.length : (t.value as number[]).length, at + 4);
    if (data.length <= 4) data.copy(head, at + 8);
    else {
      w32(extra + base, at + 8);
      const padded = data.length & 1 ? Buffer.concat([data, Buffer.alloc(1)]) : data;
      blobs.push(padded);
      extra += padded.length;
    }
  });
  return Buffer.concat([head, ...blobs]);
}

/** What the camera-like RAWs below record: IFD0 (CR3's CMT1), the Exif IFD (CMT2), GPS (CMT4). */
const CAMERA = {
  ifd0: (make: string, model: string): Tag[] => [
    { tag: 0x0100, type: 4, value: [6000] },
    { tag: 0x0101, type: 4, value: [4000] },
    { tag: 0x010f, type: 2, value: make },
    { tag: 0x0110, type: 2, value: model },
    { tag: 0x0112, type: 3, value: [6] },
    { tag: 0x0132, type: 2, value: '2024:06:01 12:00:00' },
  ],
  exif: [
    { tag: 0x829a, type: 5, value: [0.004] },
    { tag: 0x829d, type: 5, value: [5.6] },
    { tag: 0x8827, type: 3, value: [400] },
    { tag: 0x9003, type: 2, value: '2024:05:30 15:56:01' },
    { tag: 0x9011, type: 2, value: '+02:00' },
    { tag: 0x920a, type: 5, value: [35] },
  ] as Tag[],
  gps: [
    { tag: 0x0001, type: 2, value: 'N' },
    { tag: 0x0002, type: 5, value: [48, 51, 30] },
    { tag: 0x0003, type: 2, value: 'E' },
    { tag: 0x0004, type: 5, value: [2, 17, 24] },
  ] as Tag[],
};

describe('RAW metadata: CR3 and MRW against exiftool', () => {
  let cr3: string;
  let mrw: string;
  beforeAll(async () => {
    const { box } = await import('../fixtures/make-fixtures');
    const uuid = (hex: string, ...payload: Buffer[]) => box('uuid', Buffer.from(hex, 'hex'), ...payload);
    const preview = await sharp(quadrantPixels(320, 212), { raw: { width: 320, height: 212, channels: 3 } })
      .jpeg()
      .toBuffer();
    const prvwHead = Buffer.alloc(16);
    prvwHead.writeUInt16BE(1, 4);
    prvwHead.writeUInt16BE(320, 6);
    prvwHead.writeUInt16BE(212, 8);
    prvwHead.writeUInt16BE(1, 10);
    prvwHead.writeUInt32BE(preview.length, 12);
    const xmp =
      '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">' +
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" ' +
      'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">Harbour at dusk</rdf:li></rdf:Alt></dc:title>' +
      '<dc:subject><rdf:Bag><rdf:li>harbour</rdf:li></rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>';
    const file = Buffer.concat([
      box(
        'ftyp',
        Buffer.from('crx ', 'latin1'),
        Buffer.from([0, 0, 0, 1]),
        Buffer.from('crx isom', 'latin1'),
      ),
      box(
        'moov',
        uuid(
          '85c0b687820f11e08111f4ce462b6a48',
          box('CNCV', Buffer.from('CanonCR3_001/00.09.00/00.00.00')),
          box('CMT1', tiff(CAMERA.ifd0('Canon', 'Canon EOS R5'))),
          box('CMT2', tiff(CAMERA.exif)),
          box('CMT3', tiff([{ tag: 0x0001, type: 3, value: [0] }])),
          box('CMT4', tiff(CAMERA.gps)),
        ),
      ),
      uuid('be7acfcb97a942e89c71999491e3afac', Buffer.from(xmp, 'utf8')),
      uuid('eaf42b5e1c984b88b9fbb7dc406e4d16', Buffer.alloc(8), box('PRVW', prvwHead, preview)),
      box('mdat', Buffer.alloc(4096)),
    ]);
    cr3 = path.join(dir, 'camera.cr3');
    fs.writeFileSync(cr3, file);

    // MRW: PRD (image 3008x2000), then TTW holding a big-endian TIFF: IFD0 pointing at an Exif IFD.
    const ifd0Tags = (exifAt: number): Tag[] => [
      ...CAMERA.ifd0('KONICA MINOLTA', 'DYNAX 7D'),
      { tag: 0x8769, type: 4, value: [exifAt] },
    ];
    const exifAt = tiff(ifd0Tags(0), false).length;
    const ttw = Buffer.concat([
      tiff(ifd0Tags(exifAt), false),
      tiff(CAMERA.exif, false, exifAt - 8).subarray(8),
    ]);
    const prd = Buffer.alloc(24);
    prd.write('21810002', 0, 'latin1');
    prd.writeUInt16BE(2016, 8);
    prd.writeUInt16BE(3032, 10);
    prd.writeUInt16BE(2000, 12);
    prd.writeUInt16BE(3008, 14);
    const block = (name: string, body: Buffer) => {
      const h = Buffer.alloc(8);
      h.write(`\0${name}`, 0, 'latin1');
      h.writeUInt32BE(body.length, 4);
      return Buffer.concat([h, body]);
    };
    const blocks = Buffer.concat([block('PRD', prd), block('TTW', ttw)]);
    const head = Buffer.alloc(8);
    head.write('\0MRM', 0, 'latin1');
    head.writeUInt32BE(blocks.length, 4);
    mrw = path.join(dir, 'camera.mrw');
    fs.writeFileSync(mrw, Buffer.concat([head, blocks, Buffer.alloc(4096)]));
  });

  it('reads make, model, capture date, exposure, orientation, GPS, title and keywords as exiftool does', async () => {
    const et = exiftool([cr3, mrw]);
    for (const f of [cr3, mrw]) {
      const rec = et.get(path.resolve(f))!;
      const ours = await readMetadata({ path: f });
      const theirs = expectedFrom(rec);
      const pick = (m: Record<string, unknown>) => ({
        make: m.make,
        model: m.model,
        orientation: m.orientation,
        iso: m.iso,
        fNumber: m.fNumber,
        exposureTime: m.exposureTime,
        focalLength: m.focalLength,
        title: m.title,
        keywords: m.keywords,
      });
      expect([path.basename(f), pick(ours as unknown as Record<string, unknown>)]).toEqual([
        path.basename(f),
        pick(theirs as unknown as Record<string, unknown>),
      ]);
      expect(ours.make).not.toBeNull();
      expect(ours.captureDate).toBe(`${theirs.date!.wall}${theirs.date!.offset ?? ''}`);
      expect(ours.captureDate).toBe('2024-05-30T15:56:01+02:00');
    }
    const c = await readMetadata({ path: cr3 });
    const e = expectedFrom(et.get(path.resolve(cr3))!);
    expect(c.gps).not.toBeNull();
    expect([c.gps!.lat, c.gps!.lon]).toEqual([expect.closeTo(e.gps!.lat, 5), expect.closeTo(e.gps!.lon, 5)]);
    expect([c.width, c.height]).toEqual([6000, 4000]);
    expect([c.title, c.keywords]).toEqual(['Harbour at dusk', ['harbour']]);
    const m = await readMetadata({ path: mrw });
    expect([m.width, m.height]).toEqual([3008, 2000]);
  });

  it('renders the CR3 preview the way its CMT1 orientation says', async () => {
    const out = await render(cr3, 'raw');
    await expectWebp(out);
    await expectQuadrants(out.data, UPRIGHT[6]!);
  });
});

describe('RAW metadata: CRW and X3F against exiftool', () => {
  const made = new Map<string, string>();
  beforeAll(async () => {
    const { makeCrw, makeX3f } = await import('../fixtures/legacy-raw');
    const jpeg = await sharp(quadrantPixels(320, 212), { raw: { width: 320, height: 212, channels: 3 } })
      .jpeg()
      .toBuffer();
    const withExif = await sharp(jpeg)
      .withExif({
        IFD0: { Make: 'SIGMA', Model: 'SIGMA dp2 Quattro' },
        IFD2: { DateTimeOriginal: '2015:03:04 10:11:12' },
      })
      .jpeg()
      .toBuffer();
    const write = (name: string, bytes: Buffer) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, bytes);
      made.set(name, f);
    };
    const crw = { make: 'Canon', model: 'Canon EOS 10D', width: 3072, height: 2048, jpeg };
    write('zone.crw', makeCrw({ ...crw, wallClock: '2003-05-24T14:30:05', zoneSeconds: 7200 }));
    write('nozone.crw', makeCrw({ ...crw, model: 'Canon PowerShot G5', wallClock: '2004-01-02T03:04:05' }));
    write(
      'sd10.x3f',
      makeX3f({
        version: '2.2',
        width: 2268,
        height: 1512,
        jpeg,
        properties: {
          CAMMANUF: 'SIGMA',
          CAMMODEL: 'SIGMA SD10',
          TIME: String(Date.parse('2004-07-01T09:15:00Z') / 1000),
        },
      }),
    );
    write('quattro.x3f', makeX3f({ version: '4.1', width: 5424, height: 3616, jpeg: withExif }));
  });

  it('reads make, model, capture date and size as exiftool does', async () => {
    const et = exiftool([...made.values()]);
    for (const [name, f] of made) {
      const r = et.get(path.resolve(f))!;
      const group = name.endsWith('.crw') ? 'CanonRaw' : 'SigmaRaw';
      const make = r[`${group}:Make`] ?? r['IFD0:Make'];
      const model = r[`${group}:Model`] ?? r['IFD0:Model'];
      const wall = (r[`${group}:DateTimeOriginal`] ?? r['ExifIFD:DateTimeOriginal']) as string;
      // CRW: a time zone code in hours, meant when TimeZoneInfo's top bit is set.
      const zone =
        typeof r['CanonRaw:TimeZoneInfo'] === 'number' && r['CanonRaw:TimeZoneInfo'] >= 0x80000000
          ? Number(r['CanonRaw:TimeZoneCode'])
          : null;
      const d = etDate(wall)!;
      const offset =
        zone === null ? '' : `${zone < 0 ? '-' : '+'}${String(Math.abs(zone)).padStart(2, '0')}:00`;
      const ours = await readMetadata({ path: f });
      expect([name, ours.make, ours.model, ours.captureDate, ours.width, ours.height]).toEqual([
        name,
        make,
        model,
        `${d.wall}${offset}`,
        r[`${group}:ImageWidth`],
        r[`${group}:ImageHeight`],
      ]);
      // From a buffer as from a path.
      expect(await readMetadata({ path: f, buffer: fs.readFileSync(f) })).toEqual(ours);
    }
    const zone = await readMetadata({ path: made.get('zone.crw')! });
    expect([zone.captureDate, zone.width]).toEqual(['2003-05-24T14:30:05+02:00', 3072]);
    // The Quattro's size is the image's (header), not its JPEG preview's EXIF.
    const quattro = await readMetadata({ path: made.get('quattro.x3f')! });
    expect([quattro.model, quattro.captureDate, quattro.width]).toEqual([
      'SIGMA dp2 Quattro',
      '2015-03-04T10:11:12',
      5424,
    ]);
  });

  it('renders their embedded previews', async () => {
    for (const name of ['zone.crw', 'sd10.x3f']) {
      const out = await render(made.get(name)!, 'raw');
      await expectWebp(out);
      await expectQuadrants(out.data, UPRIGHT[1]!);
    }
  });

  it('reads damaged ones to what is readable or a one-line error, never a crash or a hang', async () => {
    const crw = fs.readFileSync(made.get('zone.crw')!);
    const x3f = fs.readFileSync(made.get('sd10.x3f')!);
    // The root table offset pointing back at itself, past the file, and every length cut.
    const loop = Buffer.from(crw);
    loop.writeUInt32LE(loop.length - 26 - 4, loop.length - 4);
    const past = Buffer.from(crw);
    past.writeUInt32LE(0x7fffffff, past.length - 4);
    const badDir = Buffer.from(x3f);
    badDir.writeUInt32LE(0x7ffffff0, badDir.length - 4);
    const cases: [string, Buffer][] = [
      ['loop.crw', loop],
      ['past.crw', past],
      ['baddir.x3f', badDir],
      ...[30, 200, crw.length - 3].map((n): [string, Buffer] => [`cut${n}.crw`, crw.subarray(0, n)]),
      ...[40, 100, x3f.length - 3].map((n): [string, Buffer] => [`cut${n}.x3f`, x3f.subarray(0, n)]),
    ];
    for (const [name, bytes] of cases) {
      const f = path.join(dir, name);
      fs.writeFileSync(f, bytes);
      const result = await readMetadata({ path: f }).then(
        (m) => ({ ok: true as const, m }),
        (e: Error) => ({ ok: false as const, e }),
      );
      if (!result.ok) {
        expect(result.e.name, `${name}: ${result.e.message}`).toBe('MetadataError');
        expect(result.e.message).not.toContain('\n');
      }
    }
    // Cut inside the records, nothing is readable: the user is told why there is no date.
    await expect(readMetadata({ path: path.join(dir, 'past.crw') })).rejects.toThrow(/damaged CRW/);
  });
});
