import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { writePsdBuffer } from 'ag-psd';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExifDate, parseIptcDate, parseXmpDate } from '../../electron/core/ingest/metadata/dates';
import { gpsFromExif } from '../../electron/core/ingest/metadata/gps';
import { parseIim } from '../../electron/core/ingest/metadata/iptc';
import { isCameraBoilerplate, lensInfoText } from '../../electron/core/ingest/metadata/normalize';
import {
  emptyMetadata,
  MetadataError,
  readMetadata,
  type FileMetadata,
} from '../../electron/core/ingest/metadata/read-metadata';
import { NS, parseXmp } from '../../electron/core/ingest/metadata/xmp';
import { cameraFilesDir } from '../fixtures/camera-files-dir';
import { cameraFile } from '../helpers/camera';
import { tempDir } from '../helpers/corpus';
import { listFiles } from '../helpers/library';
import { attempt, compare, exiftool, expectedFrom, read, within } from '../helpers/metadata-oracle';
import {
  CANON_40D,
  expectReadOrCleanError,
  metadataAgainstExiftool,
  metaOf,
} from '../helpers/metadata-checks';

// ---------------------------------------------------------------------------------------------
// A tiny TIFF writer, for RAW-like structures no tool here can produce (a preview in IFD0, the
// full-size image in a SubIFD, as in NEF/DNG/ARW).

type TiffValue =
  | { tag: number; type: 2 | 3 | 4 | 5; value: string | number[] }
  | { tag: number; ifd: number }
  /** BYTE data already written elsewhere in the file, at an absolute offset. */
  | { tag: number; bytesAt: number; count: number };

function tiffBytes(le: boolean, dirs: TiffValue[][], base: number): Buffer {
  const size = (v: TiffValue) =>
    'bytesAt' in v
      ? 0
      : 'ifd' in v
        ? 4
        : v.type === 2
          ? Buffer.byteLength(String(v.value)) + 1
          : [0, 0, 1, 2, 4, 8][v.type]! * (v.value as number[]).length;
  const starts: number[] = [];
  let at = base;
  for (const d of dirs) {
    starts.push(at);
    at += 2 + d.length * 12 + 4;
    for (const v of d) if (size(v) > 4) at += size(v) + (size(v) & 1);
  }
  const buf = Buffer.alloc(at - base);
  const w16 = (n: number, o: number) =>
    le ? buf.writeUInt16LE(n, o - base) : buf.writeUInt16BE(n, o - base);
  const w32 = (n: number, o: number) =>
    le ? buf.writeUInt32LE(n, o - base) : buf.writeUInt32BE(n, o - base);
  dirs.forEach((d, i) => {
    let p = starts[i]!;
    let vals = p + 2 + d.length * 12 + 4;
    w16(d.length, p);
    p += 2;
    for (const v of [...d].sort((a, b) => a.tag - b.tag)) {
      if ('bytesAt' in v) {
        w16(v.tag, p);
        w16(1, p + 2);
        w32(v.count, p + 4);
        w32(v.bytesAt, p + 8);
        p += 12;
        continue;
      }
      const type = 'ifd' in v ? 4 : v.type;
      const count =
        'ifd' in v
          ? 1
          : v.type === 2
            ? size(v)
            : v.type === 5
              ? (v.value as number[]).length / 2
              : (v.value as number[]).length;
      w16(v.tag, p);
      w16(type, p + 2);
      w32(count, p + 4);
      const n = size(v);
      const dest = n > 4 ? vals : p + 8;
      if (n > 4) w32(vals, p + 8);
      if ('ifd' in v) w32(starts[v.ifd]!, dest);
      else if (v.type === 2) buf.write(String(v.value), dest - base, 'latin1');
      else
        (v.value as number[]).forEach((x, k) => (v.type === 3 ? w16(x, dest + k * 2) : w32(x, dest + k * 4)));
      if (n > 4) vals += n + (n & 1);
      p += 12;
    }
  });
  return buf;
}

function tiffHeader(le: boolean, ifd0At: number): Buffer {
  const h = Buffer.alloc(8);
  h.write(le ? 'II' : 'MM', 0, 'latin1');
  if (le) {
    h.writeUInt16LE(42, 2);
    h.writeUInt32LE(ifd0At, 4);
  } else {
    h.writeUInt16BE(42, 2);
    h.writeUInt32BE(ifd0At, 4);
  }
  return h;
}

/** IFD0 = 160x120 preview (NewSubfileType 1), SubIFD = 6016x4016 raw, Exif IFD with the shot. */
function rawLikeDirs(): TiffValue[][] {
  return [
    [
      { tag: 0x00fe, type: 4, value: [1] },
      { tag: 0x0100, type: 3, value: [160] },
      { tag: 0x0101, type: 3, value: [120] },
      { tag: 0x010f, type: 2, value: 'RawMaker' },
      { tag: 0x0110, type: 2, value: 'RM-1 Mark II' },
      { tag: 0x0112, type: 3, value: [8] },
      { tag: 0x014a, ifd: 1 },
      { tag: 0x8769, ifd: 2 },
      { tag: 0x8825, ifd: 3 },
    ],
    [
      { tag: 0x00fe, type: 4, value: [0] },
      { tag: 0x0100, type: 4, value: [6016] },
      { tag: 0x0101, type: 4, value: [4016] },
    ],
    [
      { tag: 0x829a, type: 5, value: [1, 250] },
      { tag: 0x829d, type: 5, value: [56, 10] },
      { tag: 0x8827, type: 3, value: [640] },
      { tag: 0x9003, type: 2, value: '2019:12:31 23:59:58' },
      { tag: 0x9011, type: 2, value: '-08:00' },
      { tag: 0x9291, type: 2, value: '25' },
      { tag: 0x920a, type: 5, value: [50, 1] },
      { tag: 0xa434, type: 2, value: 'RM 24-70mm F2.8' },
    ],
    [
      { tag: 0x0001, type: 2, value: 'S' },
      { tag: 0x0002, type: 5, value: [33, 1, 52, 1, 1200, 100] },
      { tag: 0x0003, type: 2, value: 'E' },
      { tag: 0x0004, type: 5, value: [151, 1, 12, 1, 3000, 100] },
      { tag: 0x0005, type: 3, value: [1] }, // BYTE in the spec; a SHORT here, which readers accept
      { tag: 0x0006, type: 5, value: [15, 1] },
    ],
  ];
}

function expectRawLike(m: FileMetadata): void {
  expect(m.make).toBe('RawMaker');
  expect(m.model).toBe('RM-1 Mark II');
  expect(m.lens).toBe('RM 24-70mm F2.8');
  expect([m.width, m.height]).toEqual([6016, 4016]); // the SubIFD's, not the preview's
  expect(m.orientation).toBe(8);
  expect(m.captureDate).toBe('2019-12-31T23:59:58.25-08:00');
  expect(m.captureTs).toBe(Date.UTC(2020, 0, 1, 7, 59, 58, 250));
  expect(m.tzOffsetMin).toBe(-480);
  expect(m.exposureTime).toBeCloseTo(0.004, 9);
  expect(m.fNumber).toBeCloseTo(5.6, 9);
  expect(m.iso).toBe(640);
  expect(m.focalLength).toBe(50);
  expect(m.gps!.lat).toBeCloseTo(-(33 + 52 / 60 + 12 / 3600), 9);
  expect(m.gps!.lon).toBeCloseTo(151 + 12 / 60 + 30 / 3600, 9);
}

// ---------------------------------------------------------------------------------------------

const files = listFiles(cameraFilesDir());
const tmp = tempDir('dam-metadata-');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// What test/corpus/metadata-corpus.test.ts checks on the real camera corpus, on camera-like
// files made at test time (test/fixtures/camera-files.ts).
describe('readMetadata against exiftool, over the generated camera-like files', () => {
  const ours = metadataAgainstExiftool(files, {
    root: cameraFilesDir(),
    minFiles: 30,
    everyFileInExiftool: true,
  });

  it('spot checks: the values a person would look for', () => {
    const m = (rel: string) => metaOf(ours, cameraFile(rel));
    expect(m('jpg/Canon_40D.jpg')).toMatchObject(CANON_40D);
    expect(m('jpg/gps/DSCN0010.jpg').gps).toMatchObject({
      lat: expect.closeTo(43.4674483, 6),
      lon: expect.closeTo(11.8851267, 6),
    });
    expect(m('jpg/xmp/BlueSquare.jpg').keywords).toEqual([
      'XMP',
      'Blue Square',
      'test file',
      'Photoshop',
      '.jpg',
    ]);
    expect(m('jpg/xmp/BlueSquare.jpg').title).toBe('Blue Square Test File - .jpg');
    expect(m('jpg/Nikon_D70.jpg').lens).toBe('100.0 mm f/2.8');
    expect(m('jpg/orientation/portrait_6.jpg').orientation).toBe(6);
    expect(m('tiff/Arbitro.tiff')).toMatchObject({ width: 174, height: 38 }); // big-endian
    expect(m('tiff/Picoawards.tiff')).toMatchObject({ width: 436, height: 547 }); // little-endian
  });
});

describe('broken, truncated and foreign files', () => {
  // The corpus's own broken files are read in test/corpus/metadata-corpus.test.ts.
  const broken: string[] = [];
  const zero = path.join(tmp, 'zero.jpg');
  const truncatedInHeader = path.join(tmp, 'truncated-3000.jpg');
  const randomBytes = path.join(tmp, 'random.jpg');
  const text = path.join(tmp, 'notes.jpg');
  const soiOnly = path.join(tmp, 'soi-only.jpg');
  const badTiff = path.join(tmp, 'bad-pointer.tif');

  beforeAll(() => {
    fs.writeFileSync(zero, '');
    // Canon_PowerShot_S40.jpg carries a ~7 KB EXIF block: 3000 bytes cut through it.
    fs.writeFileSync(
      truncatedInHeader,
      fs.readFileSync(cameraFile('jpg/Canon_PowerShot_S40.jpg')).subarray(0, 3000),
    );
    fs.writeFileSync(randomBytes, crypto.randomBytes(20_000));
    fs.writeFileSync(text, 'Shopping list:\n- eggs\n- film (Portra 400)\n');
    fs.writeFileSync(soiOnly, Buffer.from([0xff, 0xd8, 0xff]));
    fs.writeFileSync(badTiff, Buffer.concat([tiffHeader(true, 1_000_000), Buffer.alloc(64)]));
  });

  it('never hangs and never crashes: every call gives a result or an Error with a message', async () => {
    await expectReadOrCleanError([...broken, zero, truncatedInHeader, randomBytes, text, soiOnly, badTiff]);
  });

  it('treats unsupported or empty content as "no metadata", not as an error', async () => {
    for (const f of [zero, randomBytes, text]) expect(await read(f)).toEqual(emptyMetadata());
  });

  it('reports metadata cut short before anything could be read', async () => {
    await expect(read(truncatedInHeader)).rejects.toThrow(MetadataError);
    await expect(read(truncatedInHeader)).rejects.toThrow(/cut short/);
    await expect(read(soiOnly)).rejects.toThrow(/ends before|cut short/);
    await expect(read(badTiff)).rejects.toThrow(/damaged TIFF structure/);
  });

  it('keeps the metadata of a JPEG truncated in its image data', async () => {
    const src = fs.readFileSync(cameraFile('jpg/Canon_PowerShot_S40.jpg'));
    const cut = path.join(tmp, 'truncated-body.jpg');
    fs.writeFileSync(cut, src.subarray(0, src.length - 20_000));
    expect(await read(cut)).toEqual(await read(cameraFile('jpg/Canon_PowerShot_S40.jpg')));
  });

  it('rethrows file-system errors untouched', async () => {
    await expect(readMetadata({ path: path.join(tmp, 'missing.jpg') })).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});

describe('metadata written by exiftool reads back exactly', () => {
  const run = (args: string[]) => {
    const r = spawnSync('exiftool', ['-q', '-overwrite_original', ...args]);
    if (r.status !== 0) throw new Error(`exiftool failed: ${r.stderr.toString()}`);
  };

  it('IPTC + XMP + offset, with non-ASCII text', async () => {
    const f = path.join(tmp, 'tagged.jpg');
    fs.copyFileSync(cameraFile('jpg/Canon_40D.jpg'), f);
    run([
      '-XMP-dc:Title=Red bus',
      '-XMP-dc:Subject+=bus',
      '-XMP-dc:Subject+=dusk',
      '-IPTC:Keywords=bus',
      '-XMP-photoshop:Credit=North Studio',
      '-XMP-xmp:Rating=4',
      '-XMP-dc:Creator=Ana Ruiz',
      '-OffsetTimeOriginal=+02:00',
      '-AllDates=2021:06:01 18:30:00',
      '-XMP-dc:Description=Café at 日本橋 & friends <3',
      '-XMP-dc:Subject+=café',
      '-XMP-dc:Subject+=日本',
      '-XMP-dc:Rights=© 2021 Ana Ruiz',
      '-XMP-lr:HierarchicalSubject=Places|Japan|Tokyo',
      '-IPTC:CodedCharacterSet=UTF8',
      '-IPTC:Keywords+=Ōsaka',
      '-IPTC:By-line=Someone Else',
      f,
    ]);
    const m = await read(f);
    expect(m).toMatchObject({
      title: 'Red bus',
      credit: 'North Studio',
      rating: 4,
      creator: 'Ana Ruiz', // XMP dc:creator wins over IPTC By-line
      captureDate: '2021-06-01T18:30:00+02:00',
      captureTs: Date.UTC(2021, 5, 1, 16, 30, 0),
      tzOffsetMin: 120,
      description: 'Café at 日本橋 & friends <3',
      copyright: '© 2021 Ana Ruiz',
      make: 'Canon',
      model: 'Canon EOS 40D',
    });
    expect(m.keywords).toEqual(['bus', 'dusk', 'café', '日本', 'Ōsaka', 'Tokyo']);
    expect(compare(m, expectedFrom(exiftool([f]).get(path.resolve(f))!))).toEqual([]);
  });

  it('IPTC written in Latin-1 (no declared character set) decodes as such', async () => {
    const f = path.join(tmp, 'latin1.jpg');
    fs.copyFileSync(cameraFile('jpg/Canon_40D.jpg'), f);
    run([
      '-charset',
      'iptc=Latin',
      '-IPTC:ObjectName=Crème brûlée',
      '-IPTC:Caption-Abstract=Über den Dächern',
      '-IPTC:Keywords=façade',
      f,
    ]);
    const raw = fs.readFileSync(f);
    expect(raw.includes(Buffer.from('Cr\xe8me', 'latin1'))).toBe(true); // really Latin-1 on disk
    const m = await read(f);
    expect(m).toMatchObject({ title: 'Crème brûlée', description: 'Über den Dächern', keywords: ['façade'] });
  });

  it('an IPTC-only date with its time zone', async () => {
    const f = path.join(tmp, 'iptc-date.jpg');
    fs.copyFileSync(cameraFile('jpg/xmp/BlueSquare.jpg'), f);
    run(['-XMP:all=', '-IPTC:DateCreated=2019:02:03', '-IPTC:TimeCreated=04:05:06-05:00', f]);
    const m = await read(f);
    expect(m).toMatchObject({
      captureDate: '2019-02-03T04:05:06-05:00',
      captureTs: Date.UTC(2019, 1, 3, 9, 5, 6),
      tzOffsetMin: -300,
    });
  });
});

describe('other containers, written with sharp and exiftool', () => {
  const tags = [
    '-Make=TestCam',
    '-Model=Model Z',
    '-AllDates=2020:01:02 03:04:05',
    '-OffsetTimeOriginal=-03:30',
    '-GPSLatitude=33.5',
    '-GPSLatitudeRef=S',
    '-GPSLongitude=70.25',
    '-GPSLongitudeRef=W',
    '-GPSAltitude=12.5',
    '-GPSAltitudeRef#=1', // without '#' exiftool reads "1" as a label and writes 0
    '-XMP-dc:Title=Título',
    '-XMP-dc:Subject+=uno',
    '-XMP-dc:Subject+=日本',
    '-Orientation#=6',
    '-FNumber=2.8',
    '-ExposureTime=0.004',
    '-ISO=400',
    '-FocalLength=35',
    '-LensModel=Zoom 24-70',
  ];

  for (const ext of ['png', 'webp', 'avif', 'tiff', 'jpg']) {
    it(`reads EXIF and XMP from ${ext}`, async () => {
      const f = path.join(tmp, `made.${ext}`);
      const img = sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } });
      await (
        ext === 'jpg'
          ? img.jpeg()
          : ext === 'png'
            ? img.png()
            : ext === 'webp'
              ? img.webp()
              : ext === 'avif'
                ? img.avif()
                : img.tiff()
      ).toFile(f);
      const r = spawnSync('exiftool', ['-q', '-overwrite_original', ...tags, f]);
      expect(r.status, r.stderr.toString()).toBe(0);
      const m = await read(f);
      expect(m).toMatchObject({
        make: 'TestCam',
        model: 'Model Z',
        lens: 'Zoom 24-70',
        captureDate: '2020-01-02T03:04:05-03:30',
        captureTs: Date.UTC(2020, 0, 2, 6, 34, 5),
        orientation: 6,
        fNumber: 2.8,
        exposureTime: 0.004,
        iso: 400,
        focalLength: 35,
        title: 'Título',
        keywords: ['uno', '日本'],
        width: 64,
        height: 48,
        gps: { lat: -33.5, lon: -70.25, alt: -12.5 },
      });
      expect(compare(m, expectedFrom(exiftool([f]).get(path.resolve(f))!))).toEqual([]);
      expect(await attempt({ path: f })).toEqual({ ok: true, meta: m });
    });
  }

  it('reads PNG XMP from a compressed iTXt chunk and EXIF from an ImageMagick "Raw profile type exif" zTXt chunk', async () => {
    // exiftool never compresses XMP and ImageMagick is not installed, so the chunks are built here.
    const chunk = (type: string, data: Buffer) => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(data.length);
      return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]); // CRC: not checked by metadata readers
    };
    const xmp =
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
      '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" dc:format="image/png">' +
      '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Zipped ✓</rdf:li></rdf:Alt></dc:title></rdf:Description></rdf:RDF></x:xmpmeta>';
    const itxt = Buffer.concat([
      Buffer.from('XML:com.adobe.xmp\0\x01\x00\0\0', 'latin1'),
      zlib.deflateSync(Buffer.from(xmp)),
    ]);
    const jpeg = fs.readFileSync(cameraFile('jpg/Canon_40D.jpg'));
    const at = jpeg.indexOf('Exif\0\0');
    const exif = jpeg.subarray(at, at + jpeg.readUInt16BE(at - 2) - 2);
    const hex = exif.toString('hex').replace(/(.{72})/g, '$1\n');
    const profile = Buffer.from(`\nexif\n${String(exif.length).padStart(8)}\n${hex}\n`, 'latin1');
    const ztxt = Buffer.concat([
      Buffer.from('Raw profile type exif\0\0', 'latin1'),
      zlib.deflateSync(profile),
    ]);
    const png = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#0f0' } })
      .png()
      .toBuffer();
    const ihdrEnd = 8 + 8 + 13 + 4;
    const built = Buffer.concat([
      png.subarray(0, ihdrEnd),
      chunk('iTXt', itxt),
      chunk('zTXt', ztxt),
      png.subarray(ihdrEnd),
    ]);
    const m = await within(readMetadata({ path: 'built.png', buffer: built }), 'built png');
    expect(m).toMatchObject({
      title: 'Zipped ✓',
      make: 'Canon',
      model: 'Canon EOS 40D',
      captureDate: '2008-05-30T15:56:01',
    });
    expect([m.width, m.height]).toEqual([100, 68]); // EXIF's stored size wins over IHDR, as documented
  });

  it('takes the pixel size from the container header when there is no metadata', async () => {
    const base = () => sharp({ create: { width: 37, height: 23, channels: 3, background: '#123' } });
    const cases: [string, Promise<Buffer>][] = [
      ['jpeg', base().jpeg().toBuffer()],
      ['png', base().png().toBuffer()],
      ['webp lossy (VP8)', base().webp().toBuffer()],
      ['webp lossless (VP8L)', base().webp({ lossless: true }).toBuffer()],
      ['avif (ispe)', base().avif().toBuffer()],
      ['tiff', base().tiff().toBuffer()],
    ];
    for (const [name, buf] of cases) {
      const m = await within(readMetadata({ path: name, buffer: await buf }), name);
      expect({ ...m, width: 0, height: 0, orientation: null }, name).toEqual({
        ...emptyMetadata(),
        width: 0,
        height: 0,
      });
      expect([m.width, m.height], name).toEqual([37, 23]);
    }
  });

  it('reads a PSD: its XMP, IPTC and EXIF image resources and its header size', async () => {
    const xmp =
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
      '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title><rdf:Alt>' +
      '<rdf:li xml:lang="x-default">Poster A2</rdf:li></rdf:Alt></dc:title></rdf:Description></rdf:RDF></x:xmpmeta>';
    const f = path.join(tmp, 'poster.psd');
    const data = new Uint8ClampedArray(40 * 30 * 4).fill(200);
    fs.writeFileSync(
      f,
      writePsdBuffer({
        width: 40,
        height: 30,
        imageData: { width: 40, height: 30, data },
        imageResources: { xmpMetadata: xmp },
      }),
    );
    const r = spawnSync('exiftool', [
      '-q',
      '-overwrite_original',
      '-IPTC:Keywords=print',
      '-IPTC:By-line=Studio North',
      '-Make=Scanner',
      f,
    ]);
    expect(r.status, r.stderr.toString()).toBe(0);
    const m = await read(f);
    expect(m).toMatchObject({
      title: 'Poster A2',
      keywords: ['print'],
      creator: 'Studio North',
      make: 'Scanner',
      width: 40,
      height: 30,
    });
    expect(compare(m, expectedFrom(exiftool([f]).get(path.resolve(f))!))).toEqual([]);
  });

  it('reassembles extended XMP (a packet too big for one JPEG segment)', async () => {
    const f = path.join(tmp, 'extended.jpg');
    fs.copyFileSync(cameraFile('jpg/Canon_40D.jpg'), f);
    const long = Array.from({ length: 9000 }, (_, i) => `word${i} é`).join(' ');
    const r = spawnSync('exiftool', [
      '-q',
      '-overwrite_original',
      `-XMP-dc:Description=${long}`,
      '-XMP-dc:Title=Short',
      f,
    ]);
    expect(r.status, r.stderr.toString()).toBe(0);
    const raw = fs.readFileSync(f);
    expect(raw.includes(Buffer.from('http://ns.adobe.com/xmp/extension/\0'))).toBe(true);
    const m = await read(f);
    expect(m.title).toBe('Short');
    expect(m.description).toBe(long);
  });

  it('reads a RAW-like TIFF (preview in IFD0, full size in a SubIFD), in both byte orders', async () => {
    for (const le of [true, false]) {
      const f = path.join(tmp, `raw-like-${le ? 'le' : 'be'}.dng`);
      fs.writeFileSync(f, Buffer.concat([tiffHeader(le, 8), tiffBytes(le, rawLikeDirs(), 8)]));
      const m = await read(f);
      expectRawLike(m);
      const e = exiftool([f]).get(path.resolve(f))!;
      expect([e['IFD0:Make'], e['ExifIFD:DateTimeOriginal']]).toEqual(['RawMaker', '2019:12:31 23:59:58']);
    }
  });

  it('reads a large file from its path with a few small reads (directory at the far end of 200 MB)', async () => {
    // The XMP value sits 100 KB before the directory: exifr's own chunked reader returns zeros for
    // it (bytes it never loaded), which is why paths go through our ByteSource instead.
    const f = path.join(tmp, 'huge.tif');
    const at = 200 * 1024 * 1024;
    const xmpAt = at - 100_000;
    const xmp = Buffer.from(
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:subject><rdf:Bag>' +
        '<rdf:li>far away</rdf:li></rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta>',
    );
    const dirs = rawLikeDirs();
    dirs[0]!.push({ tag: 0x02bc, bytesAt: xmpAt, count: xmp.length });
    fs.writeFileSync(f, tiffHeader(true, at));
    fs.truncateSync(f, xmpAt); // sparse: nothing is written in between
    fs.appendFileSync(f, xmp);
    fs.truncateSync(f, at);
    fs.appendFileSync(f, tiffBytes(true, dirs, at));
    const m = await within(readMetadata({ path: f }), f);
    expectRawLike(m);
    expect(m.keywords).toEqual(['far away']);
    const e = exiftool([f]).get(path.resolve(f))!;
    expect([e['IFD0:Make'], e['XMP-dc:Subject']]).toEqual(['RawMaker', ['far away']]);
  });

  it('reads a Fujifilm RAF through its embedded JPEG preview', async () => {
    const jpeg = fs.readFileSync(cameraFile('jpg/Canon_40D.jpg'));
    const head = Buffer.alloc(160);
    head.write('FUJIFILMCCD-RAW 0201FF383501', 0, 'latin1');
    head.writeUInt32BE(160, 84);
    head.writeUInt32BE(jpeg.length, 88);
    const f = path.join(tmp, 'fake.raf');
    fs.writeFileSync(f, Buffer.concat([head, jpeg]));
    // Everything, dimensions included, comes from the preview's EXIF (Fujifilm records the full
    // size there); only the preview's own SOF size would be wrong, and it is not used.
    expect(await read(f)).toEqual(await read(cameraFile('jpg/Canon_40D.jpg')));
  });
});

describe('the pieces', () => {
  it('dates: EXIF, XMP and IPTC forms, sub-seconds, offsets and the "never set" values', () => {
    expect(parseExifDate('2008:05:30 15:56:01')).toEqual({
      iso: '2008-05-30T15:56:01',
      ts: Date.UTC(2008, 4, 30, 15, 56, 1),
      offsetMin: null,
    });
    expect(parseExifDate('2008:05:30 15:56:01', '364', ['+02:00'])).toEqual({
      iso: '2008-05-30T15:56:01.364+02:00',
      ts: Date.UTC(2008, 4, 30, 13, 56, 1, 364),
      offsetMin: 120,
    });
    expect(parseExifDate('2008:05:30 15:56:01', '000', ['   :  ', '-05:30'])?.iso).toBe(
      '2008-05-30T15:56:01-05:30',
    );
    expect(parseExifDate('2009-09-23 17:40:52 UTC')?.iso).toBe('2009-09-23T17:40:52+00:00');
    expect(parseExifDate('2008:05:30 15:56:01\0\0')?.iso).toBe('2008-05-30T15:56:01');
    for (const bad of [
      '0000:00:00 00:00:00',
      '    :  :     :  :  ',
      '',
      '2008:13:01 00:00:00',
      '2007:02:29 10:00:00',
      '2008:05:30 25:00:00',
      'yesterday',
      null,
      42,
    ]) {
      expect(parseExifDate(bad), String(bad)).toBeNull();
    }
    expect(parseXmpDate('2005-09-07T15:07:40-07:00')).toMatchObject({
      iso: '2005-09-07T15:07:40-07:00',
      offsetMin: -420,
    });
    expect(parseXmpDate('2011-08-24T17:46:58.0+1:00')?.iso).toBe('2011-08-24T17:46:58+01:00');
    expect(parseXmpDate('2012-08-27T15:36:36Z')?.iso).toBe('2012-08-27T15:36:36+00:00');
    expect(parseXmpDate('2003-08-31')).toEqual({
      iso: '2003-08-31',
      ts: Date.UTC(2003, 7, 31),
      offsetMin: null,
    });
    expect(parseXmpDate('1965')?.iso).toBe('1965');
    expect(parseXmpDate('2016:09:12 10:05:31')?.iso).toBe('2016-09-12T10:05:31');
    expect(parseIptcDate('20190203', '040506-0500')?.iso).toBe('2019-02-03T04:05:06-05:00');
    expect(parseIptcDate('20190203')?.iso).toBe('2019-02-03');
    expect(parseIptcDate('00000000')).toBeNull();
  });

  it('GPS: hemispheres, no-fix zeros, garbage and ranges', () => {
    const g = (entries: [number, unknown][]) => gpsFromExif(new Map(entries));
    expect(
      g([
        [1, 'S'],
        [2, [10, 30, 0]],
        [3, 'W'],
        [4, [20, 15, 36]],
        [5, new Uint8Array([1])],
        [6, 5],
      ]),
    ).toEqual({
      lat: -10.5,
      lon: -20.26,
      alt: -5,
    });
    expect(
      g([
        [2, [0, 0, 0]],
        [4, [0, 0, 0]],
      ]),
    ).toBeNull();
    expect(
      g([
        [1, 'N'],
        [2, [0, 0, 0]],
        [3, 'E'],
        [4, [0, 0, 0]],
      ]),
    ).toEqual({ lat: 0, lon: 0, alt: null });
    expect(
      g([
        [1, 'N'],
        [2, [NaN, 0, 0]],
        [3, 'E'],
        [4, [1, 0, 0]],
      ]),
    ).toBeNull();
    expect(
      g([
        [1, 'N'],
        [2, [95, 0, 0]],
        [3, 'E'],
        [4, [1, 0, 0]],
      ]),
    ).toBeNull();
    expect(
      g([
        [1, 'S'],
        [2, -12.5],
        [3, 'E'],
        [4, 3],
      ]),
    ).toEqual({ lat: -12.5, lon: 3, alt: null });
    expect(g([[2, [1, 2, 3]]])).toBeNull();
  });

  it('XMP: namespaces by URI, entities, language alternatives, attributes, broken input', () => {
    const x = parseXmp([
      `<?xpacket begin="\uFEFF"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
       <rdf:Description rdf:about="" xmlns:d="http://purl.org/dc/elements/1.1/" xmlns:xap="http://ns.adobe.com/xap/1.0/" xap:Rating="3">
         <d:title><rdf:Alt><rdf:li xml:lang="de">Titel</rdf:li><rdf:li xml:lang="x-default">Fish &amp; chips &#x2603; &lt;b&gt;</rdf:li></rdf:Alt></d:title>
         <d:subject><rdf:Bag><rdf:li>a</rdf:li><rdf:li><![CDATA[b <c>]]></rdf:li></rdf:Bag></d:subject>
         <d:creator><rdf:Seq><rdf:li>One</rdf:li><rdf:li>Two</rdf:li></rdf:Seq></d:creator>
       </rdf:Description>
       <rdf:Description rdf:about=""><lr:hierarchicalSubject><rdf:Bag><rdf:li>Places|France|Paris</rdf:li></rdf:Bag></lr:hierarchicalSubject>
       <aux:Lens>50mm</aux:Lens><dc:description>First wins</dc:description></rdf:Description>
       <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description>Second</dc:description></rdf:Description>
      </rdf:RDF></x:xmpmeta>`,
    ]);
    expect(x.text(NS.dc, 'title')).toBe('Fish & chips ☃ <b>');
    expect(x.list(NS.dc, 'subject')).toEqual(['a', 'b <c>']);
    expect(x.list(NS.dc, 'creator')).toEqual(['One', 'Two']);
    expect(x.text(NS.xmp, 'Rating')).toBe('3');
    expect(x.list(NS.lr, 'hierarchicalSubject')).toEqual(['Places|France|Paris']);
    expect(x.text(NS.aux, 'Lens')).toBe('50mm'); // undeclared but conventional prefix
    expect(x.text(NS.dc, 'description')).toBe('First wins');
    for (const junk of ['', 'not xml at all', '<rdf:RDF><rdf:Description', '<<<>>>', '<a b=">', '\0\0\0']) {
      expect(() => parseXmp([junk])).not.toThrow();
    }
  });

  it('IPTC: declared UTF-8, undeclared UTF-8 and Windows-1252, damaged streams', () => {
    const ds = (rec: number, n: number, v: Buffer) =>
      Buffer.concat([Buffer.from([0x1c, rec, n, v.length >> 8, v.length & 255]), v]);
    const declared = Buffer.concat([
      ds(1, 90, Buffer.from([0x1b, 0x25, 0x47])),
      ds(2, 25, Buffer.from('日本', 'utf8')),
    ]);
    expect(parseIim([declared]).get(25)).toEqual(['日本']);
    expect(parseIim([ds(2, 5, Buffer.from('Ōsaka', 'utf8'))]).get(5)).toEqual(['Ōsaka']);
    expect(parseIim([ds(2, 5, Buffer.from('caf\xe9 \x80', 'latin1'))]).get(5)).toEqual(['café €']);
    const cut = ds(2, 120, Buffer.from('a long caption'));
    expect(parseIim([Buffer.concat([ds(2, 5, Buffer.from('ok')), cut.subarray(0, 9)])]).get(5)).toEqual([
      'ok',
    ]);
  });

  it('lens info text and camera boilerplate', () => {
    expect(lensInfoText([18, 70, 3.5, 4.5])).toBe('18-70mm f/3.5-4.5');
    expect(lensInfoText('50 50 1.8 1.8')).toBe('50mm f/1.8');
    expect(lensInfoText([24, 105, 4, NaN])).toBe('24-105mm f/4');
    expect(lensInfoText([0, 0, 0, 0])).toBeNull();
    for (const s of [
      'OLYMPUS DIGITAL CAMERA',
      'SONY DSC',
      'KONICA MINOLTA DIGITAL CAMERA',
      'Exif_JPEG_PICTURE',
    ]) {
      expect(isCameraBoilerplate(s, null, null), s).toBe(true);
    }
    expect(isCameraBoilerplate('WWL', 'WWL', 'ION230')).toBe(true);
    expect(isCameraBoilerplate('My new digital camera on its first outing', null, null)).toBe(false);
    expect(isCameraBoilerplate('El cielo sobre Berlin', 'Canon', 'Canon PowerShot G9')).toBe(false);
  });
});
