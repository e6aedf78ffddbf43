import type { ByteSource } from './byte-source';
import { LIMITS } from './limits';

// TIFF image file directories (TIFF 6.0 section 2), the structure under .tif, DNG and most RAW
// files, a JPEG's EXIF and a HEIF Exif item. Every offset read here is checked against the file
// size before it is followed, directory sizes and counts are capped (limits.ts), and a walk visits
// each directory once, so a loop of IFD pointers ends. BigTIFF is recognised, not walked.

export const TIFF_MAGIC = {
  classic: 42,
  big: 43,
  /** Olympus ORF ('IIRO', 'MMOR') and its 'IIRS' variant. */
  orf: 0x4f52,
  orfS: 0x5352,
  /** Panasonic RW2 / RAW ('IIU\0'). */
  rw2: 0x55,
} as const;

const KNOWN_MAGIC = new Set<number>(Object.values(TIFF_MAGIC));

/** Bytes per value of each field type; 16-18 are BigTIFF's 8-byte integers and offsets. */
const TYPE_SIZE: Readonly<Record<number, number>> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
  16: 8,
  17: 8,
  18: 8,
};

export const T_BYTE = 1;
export const T_SHORT = 3;
export const T_LONG = 4;
export const T_UNDEFINED = 7;
export const T_SSHORT = 8;
export const T_SLONG = 9;
export const T_IFD = 13;

export interface TiffHeader {
  le: boolean;
  magic: number;
  bigTiff: boolean;
  /** Offset of IFD0, relative to the header. */
  firstIfd: number;
}

/** The header at the start of `h` (8 bytes; 16 for BigTIFF), or null without an II/MM byte-order mark. */
export function tiffHeader(h: Buffer): TiffHeader | null {
  if (h.length < 8) return null;
  const order = h.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const le = order === 'II';
  const magic = le ? h.readUInt16LE(2) : h.readUInt16BE(2);
  const bigTiff = magic === TIFF_MAGIC.big;
  let firstIfd = le ? h.readUInt32LE(4) : h.readUInt32BE(4);
  if (bigTiff) firstIfd = h.length >= 16 ? Number(le ? h.readBigUInt64LE(8) : h.readBigUInt64BE(8)) : 0;
  return { le, magic, bigTiff, firstIfd };
}

/** II/MM with the magic of a TIFF, BigTIFF, ORF or RW2. */
export function isTiffMagic(h: TiffHeader | null): boolean {
  return h !== null && KNOWN_MAGIC.has(h.magic);
}

export interface TiffEntry {
  tag: number;
  type: number;
  count: number;
  /** Bytes of the value: count times the type's size (0 for an unknown type). */
  size: number;
  /** Absolute offset of the 12-byte entry. */
  at: number;
  /** Absolute offset of the value bytes: inside the entry when they fit in 4 bytes. */
  valueAt: number;
  /** The 4 value bytes of the entry, which hold the value itself when `size` <= 4. */
  inline: Buffer;
}

export interface Ifd {
  /** Offset relative to the TIFF header, as pointers give it. */
  offset: number;
  entries: TiffEntry[];
  /** The first entry of each tag. */
  byTag: Map<number, TiffEntry>;
  /** Relative offset of the next IFD in the chain, 0 for none. */
  next: number;
  /** False when the file ends inside the entry table (the entries that fit are listed). */
  complete: boolean;
}

export class TiffReader {
  private constructor(
    readonly src: ByteSource,
    /** Where the TIFF header starts; offsets inside the TIFF are relative to it. */
    readonly base: number,
    readonly header: TiffHeader,
  ) {}

  /** The TIFF structure at `base`, or null when no II/MM header is there. Check `header` for the magic. */
  static async open(src: ByteSource, base = 0): Promise<TiffReader | null> {
    const header = tiffHeader(await src.read(base, 16));
    return header ? new TiffReader(src, base, header) : null;
  }

  get le(): boolean {
    return this.header.le;
  }

  u16(b: Buffer, at: number): number {
    return this.le ? b.readUInt16LE(at) : b.readUInt16BE(at);
  }

  u32(b: Buffer, at: number): number {
    return this.le ? b.readUInt32LE(at) : b.readUInt32BE(at);
  }

  /** One directory, or the reason it cannot be read. */
  async readIfd(offset: number): Promise<Ifd | string> {
    if (this.header.bigTiff) return 'BigTIFF directories are not read';
    const at = this.base + offset;
    if (offset < 8 || at + 2 > this.src.size) return 'a directory points outside the file';
    const n = this.u16(await this.src.read(at, 2), 0);
    if (n > LIMITS.ifdEntries) return 'a directory is implausibly large';
    const table = await this.src.read(at + 2, n * 12 + 4);
    const entries: TiffEntry[] = [];
    const byTag = new Map<number, TiffEntry>();
    for (let p = 0; p + 12 <= table.length && entries.length < n; p += 12) {
      const tag = this.u16(table, p);
      const type = this.u16(table, p + 2);
      const count = this.u32(table, p + 4);
      const size = (TYPE_SIZE[type] ?? 0) * count;
      const inline = table.subarray(p + 8, p + 12);
      const valueAt = size <= 4 ? at + 2 + p + 8 : this.base + this.u32(table, p + 8);
      const e: TiffEntry = { tag, type, count, size, at: at + 2 + p, valueAt, inline };
      entries.push(e);
      if (!byTag.has(tag)) byTag.set(tag, e);
    }
    const complete = table.length === n * 12 + 4;
    const next = complete ? this.u32(table, n * 12) : 0;
    return { offset, entries, byTag, next, complete };
  }

  /** The value bytes of an entry; null when they lie outside the file or pass `max`. */
  async value(e: TiffEntry, max: number = LIMITS.tiffValueBytes): Promise<Buffer | null> {
    if (e.size > max) return null;
    if (e.size <= 4) return e.inline.subarray(0, e.size);
    if (e.valueAt + e.size > this.src.size) return null;
    const b = await this.src.read(e.valueAt, e.size);
    return b.length === e.size ? b : null;
  }

  /** Integer values of a BYTE/SHORT/LONG/IFD entry, at most `max` of them (counts in broken files can be huge). */
  async numbers(e: TiffEntry | undefined, max = 64): Promise<number[]> {
    if (!e) return [];
    const unit =
      e.type === T_SHORT || e.type === T_SSHORT
        ? 2
        : e.type === T_LONG || e.type === T_SLONG || e.type === T_IFD
          ? 4
          : e.type === T_BYTE || e.type === T_UNDEFINED
            ? 1
            : 0;
    if (!unit) return [];
    const n = Math.min(e.count, max);
    const b =
      n * unit <= 4 && e.size <= 4
        ? e.inline.subarray(0, n * unit)
        : await this.src.read(e.valueAt, n * unit);
    const out: number[] = [];
    for (let i = 0; i + unit <= b.length; i += unit)
      out.push(unit === 1 ? b[i]! : unit === 2 ? this.u16(b, i) : this.u32(b, i));
    return out;
  }

  async first(ifd: Ifd, tag: number): Promise<number | null> {
    const [v] = await this.numbers(ifd.byTag.get(tag), 1);
    return v ?? null;
  }
}

export const TAG = {
  NewSubfileType: 0x00fe,
  ImageWidth: 0x0100,
  ImageLength: 0x0101,
  Compression: 0x0103,
  Photometric: 0x0106,
  StripOffsets: 0x0111,
  Orientation: 0x0112,
  StripByteCounts: 0x0117,
  SubIFDs: 0x014a,
  JpegOffset: 0x0201,
  JpegLength: 0x0202,
  Xmp: 0x02bc,
  Iptc: 0x83bb,
  Photoshop: 0x8649,
  ExifIfd: 0x8769,
  GpsIfd: 0x8825,
  InteropIfd: 0xa005,
  Rw2JpgFromRaw: 0x002e,
  PixelXDimension: 0xa002,
  PixelYDimension: 0xa003,
} as const;

export interface WalkedIfd {
  ifd: Ifd;
  /** 'ifd0', 'chain' (IFD1...), 'sub' (SubIFDs) or 'exif'. */
  kind: 'ifd0' | 'chain' | 'sub' | 'exif';
}

/**
 * Every IFD reachable from IFD0 through the chain, SubIFDs and the EXIF IFD, each offset once
 * (a pointer loop ends there), at most LIMITS.ifds of them, SubIFDs at most LIMITS.ifdDepth deep.
 */
export async function walkIfds(reader: TiffReader): Promise<WalkedIfd[]> {
  const seen = new Set<number>();
  const out: WalkedIfd[] = [];
  const queue: Array<{ offset: number; kind: WalkedIfd['kind']; depth: number }> = [
    { offset: reader.header.firstIfd, kind: 'ifd0', depth: 0 },
  ];
  while (queue.length && out.length < LIMITS.ifds) {
    const { offset, kind, depth } = queue.shift()!;
    if (seen.has(offset)) continue;
    seen.add(offset);
    const ifd = await reader.readIfd(offset);
    if (typeof ifd === 'string') continue;
    out.push({ ifd, kind });
    if (ifd.next)
      queue.push({ offset: ifd.next, kind: kind === 'ifd0' || kind === 'chain' ? 'chain' : kind, depth });
    if (depth >= LIMITS.ifdDepth) continue;
    for (const sub of await reader.numbers(ifd.byTag.get(TAG.SubIFDs), LIMITS.subIfds))
      queue.push({ offset: sub, kind: 'sub', depth: depth + 1 });
    const exif = await reader.first(ifd, TAG.ExifIfd);
    if (exif) queue.push({ offset: exif, kind: 'exif', depth: depth + 1 });
  }
  return out;
}
