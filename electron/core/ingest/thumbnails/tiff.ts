import type { ByteSource } from '../../formats/byte-source';

// A small TIFF IFD reader over a ByteSource. Most RAW formats (DNG, NEF, ARW, CR2, PEF, ORF,
// RW2...) are TIFF containers; their previews are found from tag pointers, not by decoding.

export interface TiffEntry {
  tag: number;
  type: number;
  count: number;
  /** Absolute file offset of the value bytes (inline values live inside the entry). */
  valueAt: number;
}

export interface Ifd {
  offset: number;
  entries: Map<number, TiffEntry>;
  next: number;
}

const TYPE_SIZE: Record<number, number> = {
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
};
const MAX_ENTRIES = 2000;

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
  ExifIfd: 0x8769,
  Rw2JpgFromRaw: 0x002e,
  PixelXDimension: 0xa002,
  PixelYDimension: 0xa003,
} as const;

export class TiffReader {
  private constructor(
    private readonly src: ByteSource,
    /** Where the TIFF header starts; IFD offsets are relative to it. */
    readonly base: number,
    readonly le: boolean,
    readonly magic: number,
    readonly firstIfd: number,
  ) {}

  /** Null unless a TIFF-style header (II/MM with a TIFF, ORF or RW2 magic) sits at `base`. */
  static async open(src: ByteSource, base = 0): Promise<TiffReader | null> {
    const h = await src.read(base, 8);
    if (h.length < 8) return null;
    const order = h.toString('latin1', 0, 2);
    if (order !== 'II' && order !== 'MM') return null;
    const le = order === 'II';
    const magic = le ? h.readUInt16LE(2) : h.readUInt16BE(2);
    if (magic !== 42 && magic !== 0x4f52 && magic !== 0x5352 && magic !== 0x55) return null;
    const first = le ? h.readUInt32LE(4) : h.readUInt32BE(4);
    return new TiffReader(src, base, le, magic, first);
  }

  private u16(b: Buffer, p: number): number {
    return this.le ? b.readUInt16LE(p) : b.readUInt16BE(p);
  }

  private u32(b: Buffer, p: number): number {
    return this.le ? b.readUInt32LE(p) : b.readUInt32BE(p);
  }

  async readIfd(relOffset: number): Promise<Ifd | null> {
    const at = this.base + relOffset;
    if (relOffset < 8 || at + 2 > this.src.size) return null;
    const countBuf = await this.src.read(at, 2);
    if (countBuf.length < 2) return null;
    const count = this.u16(countBuf, 0);
    if (count === 0 || count > MAX_ENTRIES) return null;
    const body = await this.src.read(at + 2, count * 12 + 4);
    if (body.length < count * 12) return null;
    const entries = new Map<number, TiffEntry>();
    for (let i = 0; i < count; i++) {
      const p = i * 12;
      const tag = this.u16(body, p);
      const type = this.u16(body, p + 2);
      const n = this.u32(body, p + 4);
      const size = (TYPE_SIZE[type] ?? 1) * n;
      const valueAt = size <= 4 ? at + 2 + p + 8 : this.base + this.u32(body, p + 8);
      if (!entries.has(tag)) entries.set(tag, { tag, type, count: n, valueAt });
    }
    const next = body.length >= count * 12 + 4 ? this.u32(body, count * 12) : 0;
    return { offset: relOffset, entries, next };
  }

  /** Integer values of a SHORT/LONG/IFD entry (capped, since counts in broken files can be huge). */
  async numbers(entry: TiffEntry | undefined, max = 64): Promise<number[]> {
    if (!entry) return [];
    const size =
      entry.type === 3 || entry.type === 8
        ? 2
        : entry.type === 4 || entry.type === 9 || entry.type === 13
          ? 4
          : entry.type === 1 || entry.type === 7
            ? 1
            : 0;
    if (!size) return [];
    const n = Math.min(entry.count, max);
    const b = await this.src.read(entry.valueAt, n * size);
    const out: number[] = [];
    for (let i = 0; i + size <= b.length; i += size)
      out.push(size === 1 ? b[i]! : size === 2 ? this.u16(b, i) : this.u32(b, i));
    return out;
  }

  async first(ifd: Ifd, tag: number): Promise<number | null> {
    const [v] = await this.numbers(ifd.entries.get(tag), 1);
    return v ?? null;
  }
}

export interface WalkedIfd {
  ifd: Ifd;
  /** 'ifd0', 'chain' (IFD1...), 'sub' (SubIFDs) or 'exif'. */
  kind: 'ifd0' | 'chain' | 'sub' | 'exif';
}

/** Every IFD reachable from IFD0 through the chain, SubIFDs and the EXIF IFD, each once. */
export async function walkIfds(reader: TiffReader, limit = 64): Promise<WalkedIfd[]> {
  const seen = new Set<number>();
  const out: WalkedIfd[] = [];
  const queue: Array<{ offset: number; kind: WalkedIfd['kind'] }> = [
    { offset: reader.firstIfd, kind: 'ifd0' },
  ];
  while (queue.length && out.length < limit) {
    const { offset, kind } = queue.shift()!;
    if (seen.has(offset)) continue;
    seen.add(offset);
    const ifd = await reader.readIfd(offset);
    if (!ifd) continue;
    out.push({ ifd, kind });
    if (ifd.next)
      queue.push({ offset: ifd.next, kind: kind === 'ifd0' || kind === 'chain' ? 'chain' : kind });
    for (const sub of await reader.numbers(ifd.entries.get(TAG.SubIFDs), 16))
      queue.push({ offset: sub, kind: 'sub' });
    const exif = await reader.first(ifd, TAG.ExifIfd);
    if (exif) queue.push({ offset: exif, kind: 'exif' });
  }
  return out;
}
