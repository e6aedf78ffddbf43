import type { ByteSource } from '../../formats/byte-source';
import { LIMITS } from '../../formats/limits';
import { TAG, T_IFD, T_LONG, T_SHORT, TiffReader } from '../../formats/tiff';
import { decodeXmpPacket } from '../../formats/xmp-packet';
import { iptcFromPhotoshopIrb } from './iptc';

// Every TIFF structure (a .tif or RAW file, a JPEG's APP1, a HEIF Exif item) is first walked
// here and copied into a small, well-formed TIFF holding only IFD0, the Exif IFD and the GPS IFD.
// exifr then decodes that copy. Doing so means a huge TIFF is read by directory, never whole
// (exifr's chunked reader hands back uninitialised memory for values outside what it loaded),
// and that broken pointers (an Exif IFD offset typed as a string, loops, offsets past the end)
// are dropped here instead of feeding exifr garbage.

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
  TAG.ExifIfd,
  TAG.GpsIfd,
  TAG.InteropIfd,
]);
const EMBEDDED = new Set<number>([TAG.Xmp, TAG.Iptc, TAG.Photoshop]);

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

/** Reads values out of entries already copied, in the file's byte order. */
class Values {
  constructor(readonly r: TiffReader) {}
  first(e: Entry | undefined): number | null {
    if (!e || e.count < 1) return null;
    if (e.type === T_SHORT && e.data.length >= 2) return this.r.u16(e.data, 0);
    if ((e.type === T_LONG || e.type === T_IFD) && e.data.length >= 4) return this.r.u32(e.data, 0);
    return null;
  }
  offsets(e: Entry | undefined): number[] {
    if (!e || (e.type !== T_LONG && e.type !== T_IFD)) return [];
    const out: number[] = [];
    for (let i = 0; i + 4 <= e.data.length; i += 4) out.push(this.r.u32(e.data, i));
    return out;
  }
}

/** The entries of one directory with their values copied, or a reason when the directory itself is unreadable. */
async function readEntries(
  r: TiffReader,
  off: number,
  wanted: (tag: number) => boolean,
): Promise<Entry[] | string> {
  const ifd = await r.readIfd(off);
  if (typeof ifd === 'string') return ifd;
  const entries: Entry[] = [];
  for (const e of ifd.entries) {
    // Types past 13 are BigTIFF's; exifr decodes none of them.
    if (e.type < 1 || e.type > T_IFD || !wanted(e.tag)) continue;
    const data = await r.value(e, EMBEDDED.has(e.tag) ? LIMITS.blockBytes : LIMITS.tiffValueBytes);
    if (!data) continue; // one damaged value; keep the rest
    entries.push({ tag: e.tag, type: e.type, count: e.count, data: Buffer.from(data) });
  }
  return entries;
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
  const r = await TiffReader.open(src);
  if (!r) {
    result.damage = 'the EXIF block has no TIFF header';
    return result;
  }
  if (r.header.bigTiff) {
    result.unsupported = true;
    return result;
  }
  const v = new Values(r);
  const ifd0 = await readEntries(r, r.header.firstIfd, () => true);
  if (typeof ifd0 === 'string') {
    result.damage = `damaged TIFF structure: ${ifd0}`;
    return result;
  }
  const byTag = new Map(ifd0.map((e) => [e.tag, e]));

  const xmp = byTag.get(TAG.Xmp);
  if (xmp) result.xmp.push(decodeXmpPacket(xmp.data));
  const iptc = byTag.get(TAG.Iptc);
  if (iptc) result.iptc.push(iptc.data);
  const irb = byTag.get(TAG.Photoshop);
  if (irb) result.iptc.push(...iptcFromPhotoshopIrb(irb.data));

  const keep = (tag: number) => !DROP.has(tag);
  const exifAt = v.first(byTag.get(TAG.ExifIfd));
  const gpsAt = v.first(byTag.get(TAG.GpsIfd));
  const exif = exifAt === null ? [] : await readEntries(r, exifAt, keep);
  const gps = gpsAt === null || gpsAt === exifAt ? [] : await readEntries(r, gpsAt, keep);

  const dirs: Entry[][] = [ifd0.filter((e) => keep(e.tag))];
  const pointers: { from: number; tag: number; to: number }[] = [];
  if (typeof exif !== 'string' && exif.length) {
    pointers.push({ from: 0, tag: TAG.ExifIfd, to: dirs.length });
    dirs.push(exif);
  }
  if (typeof gps !== 'string' && gps.length) {
    pointers.push({ from: 0, tag: TAG.GpsIfd, to: dirs.length });
    dirs.push(gps);
  }
  result.compact = layout(r.le, dirs, pointers);

  // A RAW's IFD0 is often a reduced-size preview (NewSubfileType bit 0); the sensor image is in a SubIFD.
  let main: Map<number, Entry> | null = (v.first(byTag.get(TAG.NewSubfileType)) ?? 0) & 1 ? null : byTag;
  if (!main) {
    const dimsOnly = (tag: number) =>
      tag === TAG.NewSubfileType || tag === TAG.ImageWidth || tag === TAG.ImageLength;
    for (const at of v.offsets(byTag.get(TAG.SubIFDs)).slice(0, LIMITS.subIfds)) {
      const sub = await readEntries(r, at, dimsOnly);
      if (typeof sub === 'string') continue;
      const subTags = new Map(sub.map((e) => [e.tag, e]));
      if (((v.first(subTags.get(TAG.NewSubfileType)) ?? 0) & 1) === 0) {
        main = subTags;
        break;
      }
    }
  }
  if (main) {
    result.width = v.first(main.get(TAG.ImageWidth)) || null;
    result.height = v.first(main.get(TAG.ImageLength)) || null;
  }
  return result;
}
