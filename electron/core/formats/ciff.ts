import type { ByteSource } from './byte-source';

// Canon's CIFF ("Camera Image File Format"), the container of CRW files (PowerShot and early EOS
// cameras, 1998-2004). A header names the byte order and where the root heap starts; a heap ends
// with the offset of its record table, and each 10-byte record is a tag, a size and an offset
// relative to the heap's start, or 8 bytes of value held in the record itself. Records of the
// heap types (0x28, 0x30) are heaps of their own.

export const CIFF_SIGNATURE = 'HEAPCCDR';

/** The records we read, by tag id (the tag without its two location bits). */
export const CIFF_TAG = {
  /** "Canon\0Canon EOS D30\0": make and model. */
  makeModel: 0x080a,
  /** Seconds since 1970 as the camera's wall clock, a time zone code (s) and whether it is valid. */
  timeStamp: 0x180e,
  /** Width, height (int32u), pixel aspect (float), rotation (int32s)... */
  imageInfo: 0x1810,
} as const;

/** Records nested deeper than this are not visited (real files nest 3 deep). */
const MAX_DEPTH = 8;
/** Most records in one table and in the whole file; a real CRW holds about 60. */
const MAX_RECORDS = 1024;
const MAX_TOTAL = 4096;
/** Largest value read for a wanted record: they are all a few dozen bytes. */
const MAX_VALUE = 64 * 1024;

export interface CiffHeader {
  le: boolean;
  /** Where the root heap starts. */
  heapStart: number;
}

export function ciffHeader(head: Buffer): CiffHeader | null {
  if (head.length < 14) return null;
  const order = head.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  if (head.toString('latin1', 6, 14) !== CIFF_SIGNATURE) return null;
  const le = order === 'II';
  return { le, heapStart: le ? head.readUInt32LE(2) : head.readUInt32BE(2) };
}

export interface CiffRecords {
  le: boolean;
  /** The first value of each wanted tag, in file order (depth first). */
  values: Map<number, Buffer>;
  /** Set when a heap or record points outside the file. */
  damage: string | null;
}

/**
 * Walks every heap of a CIFF file for the `wanted` tags. Offsets outside their heap, loops and
 * absurd counts end the walk of that heap with `damage` set, keeping what was read.
 */
export async function readCiff(src: ByteSource, wanted: ReadonlySet<number>): Promise<CiffRecords | null> {
  const head = await src.read(0, 26);
  const header = ciffHeader(head);
  if (!header) return null;
  const { le } = header;
  const u16 = (b: Buffer, o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const out: CiffRecords = { le, values: new Map(), damage: null };
  const seen = new Set<number>();
  let total = 0;

  const walk = async (start: number, length: number, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH || length < 6 || start + length > src.size) {
      if (start + length > src.size) out.damage = 'damaged CRW: a heap runs past the end of the file';
      return;
    }
    const tail = await src.read(start + length - 4, 4);
    const table = start + u32(tail, 0);
    if (table < start || table + 2 > start + length - 4 || seen.has(table)) {
      out.damage ??= 'damaged CRW: a record table lies outside its heap';
      return;
    }
    seen.add(table);
    const count = u16(await src.read(table, 2), 0);
    if (count > MAX_RECORDS || table + 2 + count * 10 > start + length) {
      out.damage ??= 'damaged CRW: a record table claims more records than its heap holds';
      return;
    }
    const records = await src.read(table + 2, count * 10);
    for (let i = 0; i < count && total < MAX_TOTAL; i++, total++) {
      const at = i * 10;
      const raw = u16(records, at);
      if (raw & 0x8000) {
        out.damage ??= 'damaged CRW: a record has an invalid tag';
        return;
      }
      const id = raw & 0x3fff;
      const type = (raw >> 8) & 0x38;
      if (raw & 0x4000) {
        // The value is the record's own 8 bytes.
        if (wanted.has(id) && !out.values.has(id))
          out.values.set(id, Buffer.from(records.subarray(at + 2, at + 10)));
        continue;
      }
      const size = u32(records, at + 2);
      const offset = start + u32(records, at + 6);
      if (offset < start || offset + size > start + length) {
        out.damage ??= 'damaged CRW: a record points outside its heap';
        continue;
      }
      if (type === 0x28 || type === 0x30) await walk(offset, size, depth + 1);
      else if (wanted.has(id) && !out.values.has(id) && size <= MAX_VALUE)
        out.values.set(id, await src.read(offset, size));
    }
  };
  if (header.heapStart < 14 || header.heapStart >= src.size) {
    out.damage = 'damaged CRW: the header points past the end of the file';
    return out;
  }
  await walk(header.heapStart, src.size - header.heapStart, 0);
  return out;
}
