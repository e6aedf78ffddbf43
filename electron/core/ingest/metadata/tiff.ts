import type { ByteSource } from '../../formats/byte-source';
import { LIMITS } from '../../formats/limits';
import { utf8 } from './blocks';
import { iptcFromPhotoshopIrb } from './iptc';

// Every TIFF structure (a .tif or RAW file, a JPEG's APP1, a HEIF Exif item) is first walked
// here and copied into a small, well-formed TIFF holding only IFD0, the Exif IFD and the GPS IFD.
// exifr then decodes that copy. Doing so means a huge TIFF is read by directory, never whole
// (exifr's chunked reader hands back uninitialised memory for values outside what it loaded),
// and that broken pointers (an Exif IFD offset typed as a string, loops, offsets past the end)
// are dropped here instead of feeding exifr garbage.

const TYPE_SIZE = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4];
const T_SHORT = 3;
const T_LONG = 4;
const T_IFD = 13;

const TAG = {
  newSubfileType: 0x00fe,
  imageWidth: 0x0100,
  imageLength: 0x0101,
  subIfds: 0x014a,
  xmp: 0x02bc,
  iptc: 0x83bb,
  photoshop: 0x8649,
  exifIfd: 0x8769,
  gpsIfd: 0x8825,
  interopIfd: 0xa005,
} as const;

// Not copied: image-data pointers (meaningless once moved), directories we do not decode, and
// bulky blobs nothing here reads (maker notes, ICC, Photoshop layers, DNG private data).
const DROP = new Set([
  0x0111,
  0x0117,
  0x0144,
  0x0145,
  0x014a,
  0x0201,
  0x0202,
  0x02bc,
  0x83bb,
  0x8649,
  0x8773,
  0x927c,
  0x935c,
  0xc634,
  TAG.exifIfd,
  TAG.gpsIfd,
  TAG.interopIfd,
]);
const EMBEDDED = new Set<number>([TAG.xmp, TAG.iptc, TAG.photoshop]);
const MAX_VALUE = 1 << 20;
const MAX_ENTRIES = 2000;
const MAX_SUBIFDS = 8;

interface Entry {
  tag: number;
  type: number;
  count: number;
  /** The value's bytes, in the file's byte order. */
  data: Buffer;
}

export interface TiffContent {
  /** IFD0 + Exif + GPS as a fresh little TIFF for exifr; null when IFD0 could not be read. */
  compact: Buffer | null;
  xmp: string[];
  iptc: Uint8Array[];
  /** Size of the main image: IFD0's, or a RAW's full-size SubIFD when IFD0 is only a thumbnail. */
  width: number | null;
  height: number | null;
  damage: string | null;
  /** True for BigTIFF, which exifr cannot decode. */
  unsupported: boolean;
}

class Reader {
  constructor(
    readonly src: ByteSource,
    readonly le: boolean,
  ) {}
  u16(b: Buffer, at: number): number {
    return this.le ? b.readUInt16LE(at) : b.readUInt16BE(at);
  }
  u32(b: Buffer, at: number): number {
    return this.le ? b.readUInt32LE(at) : b.readUInt32BE(at);
  }
  first(e: Entry | undefined): number | null {
    if (!e || e.count < 1) return null;
    if (e.type === T_SHORT && e.data.length >= 2) return this.u16(e.data, 0);
    if ((e.type === T_LONG || e.type === T_IFD) && e.data.length >= 4) return this.u32(e.data, 0);
    return null;
  }
  offsets(e: Entry | undefined): number[] {
    if (!e || (e.type !== T_LONG && e.type !== T_IFD)) return [];
    const out: number[] = [];
    for (let i = 0; i + 4 <= e.data.length; i += 4) out.push(this.u32(e.data, i));
    return out;
  }

  /** The entries of one directory, or a reason when the directory itself is unreadable. */
  async ifd(off: number, wanted: (tag: number) => boolean): Promise<Entry[] | string> {
    if (off < 8 || off + 2 > this.src.size) return 'a directory points outside the file';
    const n = this.u16(await this.src.read(off, 2), 0);
    if (n > MAX_ENTRIES) return 'a directory is implausibly large';
    const table = await this.src.read(off + 2, n * 12);
    const entries: Entry[] = [];
    for (let p = 0; p + 12 <= table.length; p += 12) {
      const tag = this.u16(table, p);
      const type = this.u16(table, p + 2);
      const count = this.u32(table, p + 4);
      const unit = TYPE_SIZE[type];
      if (!unit || !wanted(tag)) continue;
      const len = unit * count;
      if (len > (EMBEDDED.has(tag) ? LIMITS.blockBytes : MAX_VALUE)) continue;
      let data: Buffer;
      if (len <= 4) data = Buffer.from(table.subarray(p + 8, p + 8 + len));
      else {
        const at = this.u32(table, p + 8);
        if (at + len > this.src.size) continue; // one damaged value; keep the rest
        data = await this.src.read(at, len);
      }
      entries.push({ tag, type, count, data });
    }
    return entries;
  }
}

function layout(le: boolean, dirs: Entry[][], pointers: { from: number; tag: number; to: number }[]): Buffer {
  for (const p of pointers) dirs[p.from]!.push({ tag: p.tag, type: T_LONG, count: 1, data: Buffer.alloc(4) });
  const starts: number[] = [];
  let size = 8;
  for (const d of dirs) {
    d.sort((a, b) => a.tag - b.tag);
    starts.push(size);
    size += 2 + d.length * 12 + 4;
    for (const e of d) if (e.data.length > 4) size += e.data.length + (e.data.length & 1);
  }
  const out = Buffer.alloc(size);
  const w16 = (v: number, at: number) => (le ? out.writeUInt16LE(v, at) : out.writeUInt16BE(v, at));
  const w32 = (v: number, at: number) => (le ? out.writeUInt32LE(v, at) : out.writeUInt32BE(v, at));
  out.write(le ? 'II' : 'MM', 0, 'latin1');
  w16(42, 2);
  w32(8, 4);
  for (const p of pointers) {
    const e = dirs[p.from]!.find((x) => x.tag === p.tag)!;
    if (le) e.data.writeUInt32LE(starts[p.to]!, 0);
    else e.data.writeUInt32BE(starts[p.to]!, 0);
  }
  dirs.forEach((d, i) => {
    let at = starts[i]!;
    let values = at + 2 + d.length * 12 + 4;
    w16(d.length, at);
    at += 2;
    for (const e of d) {
      w16(e.tag, at);
      w16(e.type, at + 2);
      w32(e.count, at + 4);
      if (e.data.length <= 4) e.data.copy(out, at + 8);
      else {
        w32(values, at + 8);
        e.data.copy(out, values);
        values += e.data.length + (e.data.length & 1);
      }
      at += 12;
    }
  });
  return out;
}

export async function readTiff(src: ByteSource): Promise<TiffContent> {
  const result: TiffContent = {
    compact: null,
    xmp: [],
    iptc: [],
    width: null,
    height: null,
    damage: null,
    unsupported: false,
  };
  const head = await src.read(0, 8);
  const order = head.length === 8 ? head.toString('latin1', 0, 2) : '';
  if (order !== 'II' && order !== 'MM') {
    result.damage = 'the EXIF block has no TIFF header';
    return result;
  }
  const r = new Reader(src, order === 'II');
  if (r.u16(head, 2) === 43) {
    result.unsupported = true;
    return result;
  }
  const ifd0 = await r.ifd(r.u32(head, 4), () => true);
  if (typeof ifd0 === 'string') {
    result.damage = `damaged TIFF structure: ${ifd0}`;
    return result;
  }
  const byTag = new Map(ifd0.map((e) => [e.tag, e]));

  const xmp = byTag.get(TAG.xmp);
  if (xmp) result.xmp.push(utf8(xmp.data));
  const iptc = byTag.get(TAG.iptc);
  if (iptc) result.iptc.push(iptc.data);
  const irb = byTag.get(TAG.photoshop);
  if (irb) result.iptc.push(...iptcFromPhotoshopIrb(irb.data));

  const keep = (tag: number) => !DROP.has(tag);
  const exifAt = r.first(byTag.get(TAG.exifIfd));
  const gpsAt = r.first(byTag.get(TAG.gpsIfd));
  const exif = exifAt === null ? [] : await r.ifd(exifAt, keep);
  const gps = gpsAt === null || gpsAt === exifAt ? [] : await r.ifd(gpsAt, keep);

  const dirs: Entry[][] = [ifd0.filter((e) => keep(e.tag))];
  const pointers: { from: number; tag: number; to: number }[] = [];
  if (typeof exif !== 'string' && exif.length) {
    pointers.push({ from: 0, tag: TAG.exifIfd, to: dirs.length });
    dirs.push(exif);
  }
  if (typeof gps !== 'string' && gps.length) {
    pointers.push({ from: 0, tag: TAG.gpsIfd, to: dirs.length });
    dirs.push(gps);
  }
  result.compact = layout(r.le, dirs, pointers);

  // A RAW's IFD0 is often a reduced-size preview (NewSubfileType bit 0); the sensor image is in a SubIFD.
  let main: Map<number, Entry> | null = (r.first(byTag.get(TAG.newSubfileType)) ?? 0) & 1 ? null : byTag;
  if (!main) {
    const dimsOnly = (tag: number) =>
      tag === TAG.newSubfileType || tag === TAG.imageWidth || tag === TAG.imageLength;
    for (const at of r.offsets(byTag.get(TAG.subIfds)).slice(0, MAX_SUBIFDS)) {
      const sub = await r.ifd(at, dimsOnly);
      if (typeof sub === 'string') continue;
      const subTags = new Map(sub.map((e) => [e.tag, e]));
      if (((r.first(subTags.get(TAG.newSubfileType)) ?? 0) & 1) === 0) {
        main = subTags;
        break;
      }
    }
  }
  if (main) {
    result.width = r.first(main.get(TAG.imageWidth)) || null;
    result.height = r.first(main.get(TAG.imageLength)) || null;
  }
  return result;
}
