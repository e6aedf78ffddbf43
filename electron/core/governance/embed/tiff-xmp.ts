// The XMP packet inside a TIFF or DNG: tag 700 of IFD0 (XMP spec part 3, 1.1.4).
import { EmbedError } from './jpeg-xmp';

const XMP_TAG = 700;
const BYTE = 1;

interface Ifd0 {
  le: boolean;
  offset: number;
  entries: Buffer[];
  next: number;
}

function readIfd0(buf: Buffer): Ifd0 {
  if (buf.length < 8) throw new EmbedError('not a TIFF file (too short)');
  const order = buf.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') throw new EmbedError('not a TIFF file (no byte-order mark)');
  const le = order === 'II';
  const u16 = (at: number) => (le ? buf.readUInt16LE(at) : buf.readUInt16BE(at));
  const u32 = (at: number) => (le ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  const magic = u16(2);
  if (magic === 43) throw new EmbedError('BigTIFF files are not written to');
  if (magic !== 42) throw new EmbedError('not a TIFF file (bad magic number)');
  const offset = u32(4);
  if (offset < 8 || offset + 2 > buf.length) throw new EmbedError('damaged TIFF: IFD0 lies outside the file');
  const n = u16(offset);
  if (offset + 2 + n * 12 + 4 > buf.length) throw new EmbedError('damaged TIFF: IFD0 runs past the end');
  const entries: Buffer[] = [];
  for (let i = 0; i < n; i++) entries.push(buf.subarray(offset + 2 + i * 12, offset + 14 + i * 12));
  return { le, offset, entries, next: u32(offset + 2 + n * 12) };
}

export function readTiffXmp(buf: Buffer): string | null {
  const ifd = readIfd0(buf);
  const tag = (e: Buffer) => (ifd.le ? e.readUInt16LE(0) : e.readUInt16BE(0));
  const e = ifd.entries.find((x) => tag(x) === XMP_TAG);
  if (!e) return null;
  const count = ifd.le ? e.readUInt32LE(4) : e.readUInt32BE(4);
  if (count <= 4) return e.subarray(8, 8 + count).toString('utf8');
  const at = ifd.le ? e.readUInt32LE(8) : e.readUInt32BE(8);
  if (at + count > buf.length) throw new EmbedError('damaged TIFF: the XMP runs past the end');
  return buf.subarray(at, at + count).toString('utf8');
}

/**
 * The same TIFF with `packet` in tag 700. Nothing already in the file moves: the packet and a copy
 * of IFD0 (with the new entry, in tag order) are appended, and the header points at the copy. Every
 * offset elsewhere in the file (strips, tiles, SubIFDs, EXIF, maker notes) stays valid.
 */
export function embedTiffXmp(buf: Buffer, packet: string): Buffer {
  const ifd = readIfd0(buf);
  const body = Buffer.from(packet, 'utf8');
  const w16 = (b: Buffer, v: number, at: number) =>
    ifd.le ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at);
  const w32 = (b: Buffer, v: number, at: number) =>
    ifd.le ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at);
  const tag = (e: Buffer) => (ifd.le ? e.readUInt16LE(0) : e.readUInt16BE(0));
  const pad1 = buf.length % 2;
  const packetAt = buf.length + pad1;
  const pad2 = (packetAt + body.length) % 2;
  const ifdAt = packetAt + body.length + pad2;
  if (ifdAt + 2 + (ifd.entries.length + 1) * 12 + 4 > 0xffffffff)
    throw new EmbedError('the TIFF would pass 4 GB');
  const entry = Buffer.alloc(12);
  w16(entry, XMP_TAG, 0);
  w16(entry, BYTE, 2);
  w32(entry, body.length, 4);
  w32(entry, packetAt, 8);
  const entries = [...ifd.entries.filter((e) => tag(e) !== XMP_TAG), entry].sort((a, b) => tag(a) - tag(b));
  const table = Buffer.alloc(2 + entries.length * 12 + 4);
  w16(table, entries.length, 0);
  entries.forEach((e, i) => e.copy(table, 2 + i * 12));
  w32(table, ifd.next, 2 + entries.length * 12);
  const head = Buffer.from(buf.subarray(0, 8));
  w32(head, ifdAt, 4);
  return Buffer.concat([head, buf.subarray(8), Buffer.alloc(pad1), body, Buffer.alloc(pad2), table]);
}
