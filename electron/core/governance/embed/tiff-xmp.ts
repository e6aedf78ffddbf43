// The XMP packet inside a TIFF or DNG: tag 700 of IFD0 (XMP spec part 3, 1.1.4).
import { bufferSource } from '../../formats/byte-source';
import { TAG, T_BYTE, TIFF_MAGIC, TiffReader, type TiffEntry } from '../../formats/tiff';
import { EmbedError } from './jpeg-xmp';
import { decodeXml } from '../../xml/decode';

const XMP_TAG = TAG.Xmp;

interface Ifd0 {
  le: boolean;
  /** The 12-byte entries as stored. */
  entries: Buffer[];
  next: number;
  reader: TiffReader;
  xmp: TiffEntry | undefined;
}

async function readIfd0(buf: Buffer): Promise<Ifd0> {
  if (buf.length < 8) throw new EmbedError('not a TIFF file (too short)');
  const reader = await TiffReader.open(bufferSource(buf));
  if (!reader) throw new EmbedError('not a TIFF file (no byte-order mark)');
  if (reader.header.bigTiff) throw new EmbedError('BigTIFF files are not written to');
  if (reader.header.magic !== TIFF_MAGIC.classic) throw new EmbedError('not a TIFF file (bad magic number)');
  const ifd = await reader.readIfd(reader.header.firstIfd);
  if (typeof ifd === 'string') throw new EmbedError(`damaged TIFF: IFD0 is unreadable (${ifd})`);
  // The copy appended by embedTiffXmp carries every entry: all of them must be there.
  if (!ifd.complete) throw new EmbedError('damaged TIFF: IFD0 runs past the end');
  const entries = ifd.entries.map((e) => buf.subarray(e.at, e.at + 12));
  return { le: reader.le, entries, next: ifd.next, reader, xmp: ifd.byTag.get(XMP_TAG) };
}

export async function readTiffXmp(buf: Buffer): Promise<string | null> {
  const { reader, xmp: e } = await readIfd0(buf);
  if (!e) return null;
  // Tag 700 is BYTE (or UNDEFINED, from some writers): its count is its length in bytes.
  const count = e.count;
  if (count <= 4) return decodeXml(e.inline.subarray(0, count));
  const at = reader.u32(e.inline, 0);
  if (at + count > buf.length) throw new EmbedError('damaged TIFF: the XMP runs past the end');
  return decodeXml(buf.subarray(at, at + count));
}

/**
 * The same TIFF with `packet` in tag 700. Nothing already in the file moves: the packet and a copy
 * of IFD0 (with the new entry, in tag order) are appended, and the header points at the copy. Every
 * offset elsewhere in the file (strips, tiles, SubIFDs, EXIF, maker notes) stays valid.
 */
export async function embedTiffXmp(buf: Buffer, packet: string): Promise<Buffer> {
  const ifd = await readIfd0(buf);
  const body = Buffer.from(packet, 'utf8');
  const w16 = (b: Buffer, v: number, at: number) =>
    ifd.le ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at);
  const w32 = (b: Buffer, v: number, at: number) =>
    ifd.le ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at);
  const tag = (e: Buffer) => (ifd.le ? e.readUInt16LE(0) : e.readUInt16BE(0));
  // A value of 4 bytes or fewer lives inside its entry (readers look nowhere else).
  const inline = body.length <= 4;
  const pad1 = inline ? 0 : buf.length % 2;
  const packetAt = buf.length + pad1;
  const stored = inline ? 0 : body.length;
  const pad2 = (packetAt + stored) % 2;
  const ifdAt = packetAt + stored + pad2;
  if (ifdAt + 2 + (ifd.entries.length + 1) * 12 + 4 > 0xffffffff)
    throw new EmbedError('the TIFF would pass 4 GB');
  const entry = Buffer.alloc(12);
  w16(entry, XMP_TAG, 0);
  w16(entry, T_BYTE, 2);
  w32(entry, body.length, 4);
  if (inline) body.copy(entry, 8);
  else w32(entry, packetAt, 8);
  const entries = [...ifd.entries.filter((e) => tag(e) !== XMP_TAG), entry].sort((a, b) => tag(a) - tag(b));
  const table = Buffer.alloc(2 + entries.length * 12 + 4);
  w16(table, entries.length, 0);
  entries.forEach((e, i) => e.copy(table, 2 + i * 12));
  w32(table, ifd.next, 2 + entries.length * 12);
  const head = Buffer.from(buf.subarray(0, 8));
  w32(head, ifdAt, 4);
  return Buffer.concat([
    head,
    buf.subarray(8),
    Buffer.alloc(pad1),
    inline ? Buffer.alloc(0) : body,
    Buffer.alloc(pad2),
    table,
  ]);
}
