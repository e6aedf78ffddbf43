import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { boxesIn, childBoxes, listBoxes, readBoxes } from '../../electron/core/formats/bmff';
import { bufferSource, openFileSource, type ByteSource } from '../../electron/core/formats/byte-source';
import {
  jpegEnd,
  jpegFrame,
  jpegHeader,
  walkJpegSegments,
  type JpegStop,
} from '../../electron/core/formats/jpeg';
import { LIMITS } from '../../electron/core/formats/limits';
import { photoshopResources, psdHeader } from '../../electron/core/formats/photoshop';
import { rafPreview } from '../../electron/core/formats/raf';
import { sniffContainer, sniffFormat } from '../../electron/core/formats/sniff';
import { TAG, TiffReader, tiffHeader, walkIfds } from '../../electron/core/formats/tiff';
import { EmbedError, embedJpegXmp } from '../../electron/core/governance/embed/jpeg-xmp';
import { embedTiffXmp, readTiffXmp } from '../../electron/core/governance/embed/tiff-xmp';
import { heifPrimaryProps } from '../../electron/core/ingest/thumbnails/heic';
import { renderPsd } from '../../electron/core/ingest/thumbnails/psd';
import { readRawPreview } from '../../electron/core/ingest/thumbnails/raw-preview';
import { MetadataError, readMetadata } from '../../electron/core/ingest/metadata/read-metadata';

// The formats module on hostile inputs built here byte by byte: every walker ends with a clear
// reason or a clean stop, never a hang, never a RangeError from reading past a buffer.

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'formats-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const SOI = [0xff, 0xd8];
const EOI = [0xff, 0xd9];

/**
 * Writes hostile bytes to a file and reads their metadata from the buffer and from the path: either
 * works, or fails with a MetadataError (never another kind of error). Returns the file.
 */
async function readsOrMetadataError(b: Buffer, name: string, label: string): Promise<string> {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, b);
  for (const input of [{ path: file, buffer: b }, { path: file }]) {
    const err = await readMetadata(input).then(
      () => null,
      (e: unknown) => e,
    );
    if (err) expect(err, label).toBeInstanceOf(MetadataError);
  }
  return file;
}

function seg(marker: number, payload: Buffer | number[], declared?: number): Buffer {
  const body = Buffer.from(payload);
  const h = Buffer.alloc(4);
  h[0] = 0xff;
  h[1] = marker;
  h.writeUInt16BE(declared ?? body.length + 2, 2);
  return Buffer.concat([h, body]);
}

function sof(width: number, height: number): Buffer {
  const p = Buffer.alloc(15);
  p[0] = 8;
  p.writeUInt16BE(height, 1);
  p.writeUInt16BE(width, 3);
  p[5] = 3;
  return seg(0xc0, p);
}

/** A header-only JPEG: SOI, the given segments, SOS with a little entropy data, EOI. */
function jpeg(...segments: Buffer[]): Buffer {
  return Buffer.concat([
    Buffer.from(SOI),
    ...segments,
    seg(0xda, [1, 1, 0, 0, 63, 0]),
    Buffer.from([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56]),
    Buffer.from(EOI),
  ]);
}

/** A ByteSource that counts what it was asked for. */
function counting(buf: Buffer): ByteSource & { bytes: number; reads: number } {
  const inner = bufferSource(buf);
  const src = {
    size: inner.size,
    bytes: 0,
    reads: 0,
    async read(offset: number, length: number) {
      const b = await inner.read(offset, length);
      src.bytes += b.length;
      src.reads++;
      return b;
    },
  };
  return src;
}

async function walk(buf: Buffer): Promise<{ markers: number[]; stop: JpegStop }> {
  const markers: number[] = [];
  const stop = await walkJpegSegments(bufferSource(buf), (s) => void markers.push(s.marker));
  return { markers, stop };
}

describe('JPEG segments', () => {
  const good = jpeg(
    seg(0xe0, Buffer.from('JFIF\0\x01\x01')),
    seg(0xe1, Buffer.from('Exif\0\0')),
    sof(640, 480),
  );

  it('walks a well-formed header the same in memory and over a source', async () => {
    const sync = jpegHeader(good);
    expect(sync.segments.map((s) => s.marker)).toEqual([0xe0, 0xe1, 0xc0]);
    expect(sync.stop).toMatchObject({ kind: 'image', marker: 0xda });
    const async = await walk(good);
    expect(async.markers).toEqual([0xe0, 0xe1, 0xc0]);
    expect(async.stop).toEqual(sync.stop);
    expect(jpegFrame(good)).toEqual({ sof: 0xc0, precision: 8, width: 640, height: 480 });
    expect(jpegEnd(good)).toBe(good.length);
  });

  it('reads only the 4-byte marker headers when the visitor wants no payload', async () => {
    const big = jpeg(seg(0xe2, Buffer.alloc(60_000)), seg(0xe2, Buffer.alloc(60_000)), sof(8, 8));
    const src = counting(big);
    await walkJpegSegments(src, () => {});
    expect(src.reads).toBe(4); // APP2, APP2, SOF0, SOS
    expect(src.bytes).toBe(16);
  });

  it('stops with a reason at a segment length past the end of the file', async () => {
    const cut = Buffer.concat([Buffer.from(SOI), seg(0xe1, Buffer.alloc(10), 5000)]);
    const { stop } = await walk(cut);
    expect(stop).toMatchObject({ kind: 'damaged', at: 2 });
    expect((stop as { reason: string }).reason).toMatch(/cut short/);
    expect(jpegHeader(cut).stop).toEqual(stop);
    expect(jpegFrame(cut)).toBeNull();
    expect(jpegEnd(cut)).toBeNull();
  });

  it('stops with a reason at an impossible length, a missing marker, or the end of the file', async () => {
    const zeroLength = Buffer.concat([Buffer.from(SOI), seg(0xe1, [], 0), Buffer.alloc(20)]);
    expect((await walk(zeroLength)).stop).toMatchObject({ kind: 'damaged', reason: /impossible length/ });
    const noMarker = Buffer.concat([Buffer.from(SOI), Buffer.from('garbage bytes here')]);
    expect((await walk(noMarker)).stop).toMatchObject({
      kind: 'damaged',
      reason: /no segment marker at byte 2/,
    });
    for (const b of [
      Buffer.from(SOI),
      Buffer.from([0xff, 0xd8, 0xff]),
      Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0]),
    ])
      expect((await walk(b)).stop.kind).toBe('damaged');
  });

  it('gives up after the marker limit instead of walking fill bytes forever', async () => {
    const fill = Buffer.concat([Buffer.from(SOI), Buffer.alloc(LIMITS.jpegSegments + 10, 0xff)]);
    expect((await walk(fill)).stop).toMatchObject({ kind: 'damaged', reason: /more than 20000 markers/ });
    expect(jpegHeader(fill).stop.kind).toBe('damaged');
  });

  it('finds the end of a scan with a broken SOS length without looping', () => {
    const bad = Buffer.concat([Buffer.from(SOI), sof(8, 8), seg(0xda, [], 0), Buffer.from(EOI)]);
    expect(jpegEnd(bad)).toBeNull();
  });

  it('never throws a RangeError through the metadata reader or the XMP embedder', async () => {
    const hostile = [
      Buffer.alloc(0),
      Buffer.from(SOI),
      Buffer.from([0xff, 0xd8, 0xff]),
      Buffer.concat([Buffer.from(SOI), seg(0xe1, Buffer.from('Exif\0\0MM\0*'), 60_000)]),
      Buffer.concat([Buffer.from(SOI), seg(0xc0, [8, 0], 0)]),
      Buffer.concat([Buffer.from(SOI), seg(0xc0, [8])]),
      Buffer.concat([Buffer.from(SOI), seg(0xe1, Buffer.from('http://ns.adobe.com/xmp/extension/\0'))]),
    ];
    for (const [i, b] of hostile.entries()) {
      await readsOrMetadataError(b, `hostile-${i}.jpg`, `case ${i}`);
      expect(() => embedJpegXmp(b, '<x/>'), `case ${i}`).toThrow(EmbedError);
    }
  });

  it('embeds XMP keeping fill bytes and every other segment byte for byte', () => {
    const withFill = Buffer.concat([
      Buffer.from(SOI),
      seg(0xe0, Buffer.from('JFIF\0')),
      Buffer.from([0xff, 0xff]),
      seg(0xe2, Buffer.from('ICC_PROFILE\0')),
      sof(8, 8),
      seg(0xda, [1, 1, 0, 0, 63, 0]),
      Buffer.from([1, 2, 3]),
      Buffer.from(EOI),
    ]);
    const out = embedJpegXmp(withFill, '<x:xmpmeta/>');
    const xmp = seg(0xe1, Buffer.from('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>', 'latin1'));
    expect(out.equals(Buffer.concat([withFill.subarray(0, 11), xmp, withFill.subarray(11)]))).toBe(true);
  });
});

describe('byte sources', () => {
  it('read nothing past the end, at negative offsets or for empty files', async () => {
    const file = path.join(tmp, 'empty.bin');
    fs.writeFileSync(file, '');
    const src = await openFileSource(file, { readAhead: 64 * 1024 });
    try {
      expect(src.size).toBe(0);
      expect((await src.read(0, 10)).length).toBe(0);
      expect((await src.read(-5, 10)).length).toBe(0);
    } finally {
      await src.close();
    }
    const mem = bufferSource(Buffer.from('abc'));
    expect((await mem.read(2, 100)).toString()).toBe('c');
    expect((await mem.read(3, 1)).length).toBe(0);
    expect((await mem.read(-1, 2)).length).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// TIFF

type E = [tag: number, type: number, count: number, value: number];

/** A TIFF with one IFD at `at` (entries given as inline values or offsets), in either byte order. */
function tiff(
  le: boolean,
  entries: E[],
  opts: { at?: number; next?: number; size?: number; declared?: number } = {},
) {
  const at = opts.at ?? 8;
  const b = Buffer.alloc(Math.max(opts.size ?? 0, at + 2 + entries.length * 12 + 4));
  const w16 = (v: number, o: number) => (le ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o));
  const w32 = (v: number, o: number) => (le ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
  b.write(le ? 'II' : 'MM', 0, 'latin1');
  w16(42, 2);
  w32(at, 4);
  w16(opts.declared ?? entries.length, at);
  entries.forEach(([tag, type, count, value], i) => {
    const p = at + 2 + i * 12;
    w16(tag, p);
    w16(type, p + 2);
    w32(count, p + 4);
    if (type === 3 && count === 1) w16(value, p + 8);
    else w32(value, p + 8);
  });
  w32(opts.next ?? 0, at + 2 + entries.length * 12);
  return b;
}

async function readerOf(b: Buffer): Promise<TiffReader> {
  const r = await TiffReader.open(bufferSource(b));
  if (!r) throw new Error('no TIFF header');
  return r;
}

describe('TIFF directories', () => {
  it('reads both byte orders alike', async () => {
    for (const le of [true, false]) {
      const r = await readerOf(
        tiff(le, [
          [TAG.ImageWidth, 3, 1, 640],
          [TAG.ImageLength, 4, 1, 480],
        ]),
      );
      const ifd = await r.readIfd(r.header.firstIfd);
      if (typeof ifd === 'string') throw new Error(ifd);
      expect([await r.first(ifd, TAG.ImageWidth), await r.first(ifd, TAG.ImageLength)]).toEqual([640, 480]);
      expect(ifd.complete).toBe(true);
    }
  });

  it('detects BigTIFF and does not walk it', async () => {
    const big = Buffer.alloc(32);
    big.write('II', 0, 'latin1');
    big.writeUInt16LE(43, 2);
    big.writeUInt16LE(8, 4);
    big.writeBigUInt64LE(16n, 8);
    expect(tiffHeader(big)).toMatchObject({ le: true, magic: 43, bigTiff: true, firstIfd: 16 });
    const r = await readerOf(big);
    expect(await r.readIfd(16)).toMatch(/BigTIFF/);
    expect(await walkIfds(r)).toEqual([]);
    await expect(embedTiffXmp(big, '<x/>')).rejects.toThrow(/BigTIFF/);
  });

  it('ends a loop of IFD pointers (next, EXIF and SubIFD pointing back) after one visit each', async () => {
    // IFD0 at 8: its next IFD is itself, its EXIF IFD is itself, its SubIFD is itself.
    const loop = tiff(
      true,
      [
        [TAG.SubIFDs, 4, 1, 8],
        [TAG.ExifIfd, 4, 1, 8],
      ],
      { next: 8 },
    );
    const walked = await walkIfds(await readerOf(loop));
    expect(walked.map((w) => w.kind)).toEqual(['ifd0']);
  });

  it('ends a long chain of distinct IFDs at the directory limit', async () => {
    // 200 one-entry IFDs, each pointing at the next.
    const n = 200;
    const b = Buffer.alloc(8 + n * 18);
    b.write('II', 0, 'latin1');
    b.writeUInt16LE(42, 2);
    b.writeUInt32LE(8, 4);
    for (let i = 0; i < n; i++) {
      const at = 8 + i * 18;
      b.writeUInt16LE(1, at);
      b.writeUInt16LE(TAG.ImageWidth, at + 2);
      b.writeUInt16LE(3, at + 4);
      b.writeUInt32LE(1, at + 6);
      b.writeUInt32LE(i < n - 1 ? at + 18 : 0, at + 14);
    }
    expect((await walkIfds(await readerOf(b))).length).toBe(LIMITS.ifds);
  });

  it('refuses an IFD offset past the end, an implausible entry count, and values outside the file', async () => {
    const r = await readerOf(tiff(false, [[TAG.ImageWidth, 3, 1, 1]]));
    expect(await r.readIfd(1_000_000)).toMatch(/outside the file/);
    expect(await r.readIfd(4)).toMatch(/outside the file/);
    const many = await readerOf(tiff(true, [], { declared: 60_000 }));
    expect(await many.readIfd(8)).toMatch(/implausibly large/);
    const far = await readerOf(
      tiff(true, [
        [TAG.Xmp, 1, 100, 0xfffffff0],
        [TAG.StripOffsets, 4, 100, 0xffffff00],
      ]),
    );
    const ifd = await far.readIfd(8);
    if (typeof ifd === 'string') throw new Error(ifd);
    expect(await far.value(ifd.byTag.get(TAG.Xmp)!)).toBeNull();
    expect(await far.numbers(ifd.byTag.get(TAG.StripOffsets))).toEqual([]);
  });

  it('lists what fits of a table the file cuts short, and says it is incomplete', async () => {
    const full = tiff(true, [
      [TAG.ImageWidth, 3, 1, 7],
      [TAG.ImageLength, 3, 1, 9],
      [TAG.Orientation, 3, 1, 1],
    ]);
    const r = await readerOf(full.subarray(0, 8 + 2 + 12 + 5));
    const ifd = await r.readIfd(8);
    if (typeof ifd === 'string') throw new Error(ifd);
    expect(ifd.entries.map((e) => e.tag)).toEqual([TAG.ImageWidth]);
    expect(ifd.complete).toBe(false);
    expect(ifd.next).toBe(0);
    await expect(embedTiffXmp(full.subarray(0, 30), '<x/>')).rejects.toThrow(/runs past the end/);
  });

  it('never throws a RangeError through the metadata reader, the RAW previewer or the XMP embedder', async () => {
    const hostile: Buffer[] = [
      Buffer.alloc(0),
      Buffer.from('II*\0'),
      Buffer.from('MM\0*\0\0\0\x08'),
      Buffer.concat([
        Buffer.from('II*\0', 'latin1'),
        Buffer.from([0xf0, 0xff, 0xff, 0xff]),
        Buffer.alloc(64),
      ]),
      tiff(
        true,
        [
          [TAG.ExifIfd, 4, 1, 8],
          [TAG.GpsIfd, 4, 1, 0xfffff],
        ],
        { next: 8 },
      ),
      tiff(false, [
        [TAG.SubIFDs, 4, 0xffffffff, 8],
        [TAG.JpegOffset, 4, 1, 8],
        [TAG.JpegLength, 4, 1, 0xffffffff],
      ]),
      tiff(true, [
        [TAG.Xmp, 1, 0xffffffff, 8],
        [TAG.NewSubfileType, 4, 1, 1],
      ]),
      tiff(true, [], { declared: 0xffff }),
    ];
    for (const [i, b] of hostile.entries()) {
      const file = await readsOrMetadataError(b, `hostile-${i}.tif`, `case ${i}`);
      await expect(readRawPreview(file), `case ${i}`).rejects.toThrow(/no embedded JPEG preview/);
      const embedded = await embedTiffXmp(b, '<x/>').then(
        (out) => out,
        (e: unknown) => e,
      );
      if (!Buffer.isBuffer(embedded)) expect(embedded, `case ${i}`).toBeInstanceOf(EmbedError);
      else expect(await readTiffXmp(embedded)).toBe('<x/>');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// BMFF and sniffing

function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const h = Buffer.alloc(8);
  h.writeUInt32BE(8 + body.length, 0);
  h.write(type, 4, 'latin1');
  return Buffer.concat([h, body]);
}

function rawHeader(size: number, type: string, large?: bigint): Buffer {
  const h = Buffer.alloc(large === undefined ? 8 : 16);
  h.writeUInt32BE(size, 0);
  h.write(type, 4, 'latin1');
  if (large !== undefined) h.writeBigUInt64BE(large, 8);
  return h;
}

const ftyp = box('ftyp', Buffer.from('heic\0\0\0\0mif1heic', 'latin1'));

describe('BMFF boxes', () => {
  it('reads a 64-bit size (size 1) and a box running to the end of its parent (size 0)', async () => {
    const free = Buffer.alloc(10);
    const file = Buffer.concat([
      ftyp,
      rawHeader(1, 'wide', 26n),
      free,
      rawHeader(0, 'mdat'),
      Buffer.alloc(5),
    ]);
    const boxes = await readBoxes(bufferSource(file), 0, file.length);
    expect(boxes.map((b) => [b.type, b.end - b.start, b.body - b.start])).toEqual([
      ['ftyp', ftyp.length, 8],
      ['wide', 26, 16],
      ['mdat', 13, 8],
    ]);
    expect(boxesIn(file, 0, file.length)).toEqual(boxes);
  });

  it('stops with a reason at an impossible size, a size past the end or a 64-bit size past 2^53', async () => {
    const cases: Array<[Buffer, string]> = [
      [Buffer.concat([ftyp, rawHeader(4, 'meta'), Buffer.alloc(20)]), 'impossible-size'],
      [Buffer.concat([ftyp, rawHeader(1, 'meta', 12n), Buffer.alloc(20)]), 'impossible-size'],
      [Buffer.concat([ftyp, rawHeader(5000, 'meta'), Buffer.alloc(20)]), 'past-end'],
      [Buffer.concat([ftyp, rawHeader(1, 'mdat', 0xffffffffffffffffn), Buffer.alloc(20)]), 'past-end'],
      [Buffer.concat([ftyp, rawHeader(1, 'mdat')]), 'truncated-header'],
    ];
    for (const [file, reason] of cases) {
      const list = await listBoxes(bufferSource(file), 0, file.length);
      expect(list.boxes.map((b) => b.type)).toEqual(['ftyp']);
      expect(list.stop).toMatchObject({ at: ftyp.length, reason });
      expect(boxesIn(file, 0, file.length).map((b) => b.type)).toEqual(['ftyp']);
    }
  });

  it('descends no deeper than the depth limit', async () => {
    let nested = box('free');
    for (let i = 0; i < 40; i++) nested = box('moov', nested);
    const src = bufferSource(nested);
    let level = await readBoxes(src, 0, nested.length);
    let depth = 0;
    while (level.length) {
      level = await childBoxes(src, level[0]!);
      if (level.length) depth = level[0]!.depth;
    }
    expect(depth).toBe(LIMITS.boxDepth);
    expect((await listBoxes(src, 8, nested.length, LIMITS.boxDepth + 1)).stop?.reason).toBe('too-deep');
  });

  it('lists at most the box limit in one parent', async () => {
    const many = Buffer.alloc((LIMITS.boxes + 50) * 8);
    for (let at = 0; at < many.length; at += 8) {
      many.writeUInt32BE(8, at);
      many.write('free', at + 4, 'latin1');
    }
    const list = await listBoxes(bufferSource(many), 0, many.length);
    expect(list.boxes.length).toBe(LIMITS.boxes);
    expect(list.stop?.reason).toBe('too-many');
    expect(boxesIn(many, 0, many.length).length).toBe(LIMITS.boxes);
  });

  it('never throws a RangeError through the metadata reader, the HEIC props reader or the RAW previewer', async () => {
    const meta = (...kids: Buffer[]) => box('meta', Buffer.alloc(4), ...kids);
    const hostile: Buffer[] = [
      Buffer.alloc(0),
      ftyp,
      Buffer.concat([ftyp, rawHeader(0, 'meta')]),
      Buffer.concat([ftyp, rawHeader(1, 'meta', 8n)]),
      Buffer.concat([ftyp, meta(box('pitm', Buffer.alloc(2)), box('iprp', box('ipma', Buffer.alloc(3))))]),
      Buffer.concat([
        ftyp,
        meta(box('iloc', Buffer.from([1, 0x44, 0x40, 0, 0xff, 0xff]))),
        box('iinf', Buffer.alloc(2)),
      ]),
      Buffer.concat([
        ftyp,
        meta(box('iprp', box('ipco', box('ispe', Buffer.alloc(2))), box('ipma', Buffer.alloc(9, 0xff)))),
      ]),
      Buffer.concat([
        box('ftyp', Buffer.from('crx \0\0\0\0crx isom', 'latin1')),
        box('moov', box('uuid', Buffer.alloc(4))),
      ]),
    ];
    for (const [i, b] of hostile.entries()) {
      const file = await readsOrMetadataError(b, `hostile-${i}.heic`, `case ${i}`);
      expect(() => heifPrimaryProps(b), `case ${i}`).not.toThrow();
      await expect(readRawPreview(file), `case ${i}`).rejects.toThrow(/no embedded JPEG preview/);
    }
  });
});

describe('sniffing', () => {
  it('names the metadata container of the same bytes the format sniffer recognises', () => {
    const tiffLe = tiff(true, []);
    const cases: Array<[Buffer, string | null, string | null]> = [
      [Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0]), 'jpeg', 'jpeg'],
      [tiffLe, 'tiff', 'tiff'],
      [Buffer.concat([Buffer.from('IIRO'), Buffer.alloc(12)]), 'raw', 'tiff'],
      [Buffer.concat([Buffer.from('IIU\0'), Buffer.alloc(12)]), 'raw', 'tiff'],
      [Buffer.concat([Buffer.from('II+\0'), Buffer.alloc(12)]), 'tiff', 'tiff'],
      [Buffer.concat([Buffer.from('II*\0\x10\0\0\0CR'), Buffer.alloc(8)]), 'raw', 'tiff'],
      [ftyp, 'heic', 'heif'],
      [box('ftyp', Buffer.from('avif\0\0\0\0mif1', 'latin1')), 'avif', 'heif'],
      [box('ftyp', Buffer.from('crx \0\0\0\0crx isom', 'latin1')), 'raw', 'cr3'],
      [box('ftyp', Buffer.from('isom\0\0\0\0mp41', 'latin1')), 'video', null],
      [Buffer.concat([Buffer.from('FUJIFILMCCD-RAW 0201'), Buffer.alloc(80)]), 'raw', 'raf'],
      [Buffer.concat([Buffer.from('8BPS\0\x01'), Buffer.alloc(30)]), 'psd', 'psd'],
      [Buffer.from('RIFF\0\0\0\0WEBPVP8 '), 'webp', 'webp'],
      [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]), 'png', 'png'],
      [Buffer.from('GIF89a\0\0'), 'gif', 'gif'],
      [Buffer.alloc(0), null, null],
      [Buffer.from([0xff, 0xd8, 0xff]), 'jpeg', 'jpeg'],
      [Buffer.from('II'), null, null],
    ];
    for (const [head, format, container] of cases)
      expect([head.toString('latin1', 0, 12), sniffFormat(head), sniffContainer(head)]).toEqual([
        head.toString('latin1', 0, 12),
        format,
        container,
      ]);
  });
});

describe('a large file on disk', () => {
  it('is walked by its headers: a 300 MB file costs a few kilobytes of reads', async () => {
    // Sparse: 300 MB on paper, a few blocks on disk. Headers at the front, then a hole.
    const size = 300 * 1024 * 1024;
    const cases: Array<[string, Buffer, (src: ByteSource) => Promise<unknown>]> = [
      [
        'big.jpg',
        jpeg(seg(0xe1, Buffer.from('Exif\0\0')), sof(8000, 6000)),
        (src) => walkJpegSegments(src, () => {}),
      ],
      [
        'big.tif',
        tiff(
          true,
          [
            [TAG.ImageWidth, 3, 1, 9],
            [TAG.ExifIfd, 4, 1, 8],
          ],
          { next: 8 },
        ),
        async (src) => walkIfds((await TiffReader.open(src))!),
      ],
      [
        'big.mp4',
        Buffer.concat([ftyp, rawHeader(1, 'mdat', BigInt(size - ftyp.length))]),
        (src) => listBoxes(src, 0, src.size),
      ],
    ];
    for (const [name, head, walkIt] of cases) {
      const file = path.join(tmp, name);
      fs.writeFileSync(file, head);
      fs.truncateSync(file, size);
      for (const readAhead of [0, 64 * 1024]) {
        const src = await openFileSource(file, { readAhead });
        const counted = {
          size: src.size,
          bytes: 0,
          read: async (offset: number, length: number) => {
            const b = await src.read(offset, length);
            counted.bytes += b.length;
            return b;
          },
        };
        try {
          await walkIt(counted);
          expect([name, readAhead, counted.bytes <= 128 * 1024]).toEqual([name, readAhead, true]);
        } finally {
          await src.close();
        }
      }
      fs.rmSync(file);
    }
  });
});

describe('RAF and Photoshop headers', () => {
  function raf(offset: number, length: number): Buffer {
    const h = Buffer.alloc(120);
    h.write('FUJIFILMCCD-RAW 0201FF383501', 0, 'latin1');
    h.writeUInt32BE(offset, 84);
    h.writeUInt32BE(length, 88);
    return h;
  }

  it('reads where a RAF says its preview is, and survives one that points outside the file', async () => {
    expect(rafPreview(raf(100, 20))).toEqual({ offset: 100, length: 20 });
    expect(rafPreview(raf(100, 20).subarray(0, 91))).toBeNull();
    for (const [i, b] of [
      raf(0xfffffff0, 0xfffffff0),
      raf(10, 5),
      raf(100, 20),
      raf(100, 20).subarray(0, 50),
    ].entries()) {
      const file = path.join(tmp, `hostile-${i}.raf`);
      fs.writeFileSync(file, b);
      const err = await readMetadata({ path: file }).then(
        () => null,
        (e: unknown) => e,
      );
      if (err) expect(err, `case ${i}`).toBeInstanceOf(MetadataError);
      await expect(readRawPreview(file), `case ${i}`).rejects.toThrow(/no embedded JPEG preview/);
    }
  });

  function psd(resources: Buffer, resourcesLength = resources.length): Buffer {
    const h = Buffer.alloc(30);
    h.write('8BPS', 0, 'latin1');
    h.writeUInt16BE(1, 4);
    h.writeUInt16BE(3, 12);
    h.writeUInt32BE(40, 14);
    h.writeUInt32BE(60, 18);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(resourcesLength);
    return Buffer.concat([h, len, resources]);
  }

  function resource(id: number, data: Buffer, declared = data.length): Buffer {
    const h = Buffer.alloc(12);
    h.write('8BIM', 0, 'latin1');
    h.writeUInt16BE(id, 4);
    h.writeUInt32BE(declared, 8);
    return Buffer.concat([h, data, Buffer.alloc(data.length & 1)]);
  }

  it('reads Photoshop resource blocks, keeping what a truncated one holds', () => {
    const blocks = photoshopResources(
      Buffer.concat([resource(0x0404, Buffer.from('abc')), resource(1036, Buffer.from('xy'), 5000)]),
    );
    expect(blocks.get(0x0404)?.map((b) => Buffer.from(b).toString())).toEqual(['abc']);
    expect(blocks.get(1036)?.map((b) => Buffer.from(b).toString())).toEqual(['xy']);
    expect(psdHeader(psd(Buffer.alloc(0)))).toEqual({ version: 1, width: 60, height: 40, resourcesAt: 30 });
    expect(psdHeader(Buffer.from('8BPS'))).toBeNull();
  });

  it('never throws a RangeError through the metadata reader or the PSD renderer', async () => {
    const hostile = [
      psd(Buffer.alloc(0)).subarray(0, 28),
      psd(Buffer.alloc(0), 0xfffffff0),
      psd(resource(1036, Buffer.from([0, 0, 0, 1, 9, 9]), 400)),
      psd(resource(1036, Buffer.alloc(40), 0xffffffff)),
    ];
    for (const [i, b] of hostile.entries()) {
      const file = path.join(tmp, `hostile-${i}.psd`);
      fs.writeFileSync(file, b);
      const err = await readMetadata({ path: file, buffer: b }).then(
        () => null,
        (e: unknown) => e,
      );
      if (err) expect(err, `case ${i}`).toBeInstanceOf(MetadataError);
      const rendered = await renderPsd(file, 64).then(
        () => null,
        (e: unknown) => e,
      );
      expect(rendered, `case ${i}`).toBeInstanceOf(Error);
      expect(rendered, `case ${i}`).not.toBeInstanceOf(RangeError);
    }
  });
});
