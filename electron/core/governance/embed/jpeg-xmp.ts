// The XMP packet inside a JPEG: one APP1 segment named by Adobe's namespace (XMP spec part 3, 1.1.3).
import { APP0, APP1, jpegHeader, startsJpeg, type JpegSegment } from '../../formats/jpeg';
import { decodeXml } from '../../xml/decode';

export class EmbedError extends Error {}

const XMP_ID = Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1');
const EXTENDED_ID = Buffer.from('http://ns.adobe.com/xmp/extension/\0', 'latin1');
/** A segment's length field counts itself and is 16 bits. */
export const MAX_JPEG_PACKET = 0xffff - 2 - XMP_ID.length;

/** The segments before the image data (SOS), where metadata lives; damage is refused. */
function headerSegments(buf: Buffer): JpegSegment[] {
  if (buf.length < 4 || !startsJpeg(buf)) throw new EmbedError('not a JPEG file (no SOI marker)');
  const { segments, stop } = jpegHeader(buf);
  if (stop.kind === 'damaged') throw new EmbedError(stop.reason);
  return segments;
}

const startsWith = (buf: Buffer, seg: JpegSegment, id: Buffer) =>
  seg.end - seg.start - 4 >= id.length && buf.subarray(seg.start + 4, seg.start + 4 + id.length).equals(id);

/** The standard XMP packet the file carries, or null. */
export function readJpegXmp(buf: Buffer): string | null {
  const seg = headerSegments(buf).find((s) => s.marker === APP1 && startsWith(buf, s, XMP_ID));
  // Decoded exactly or not at all: a U+FFFD written back would destroy another application's byte.
  return seg ? decodeXml(buf.subarray(seg.start + 4 + XMP_ID.length, seg.end)) : null;
}

/**
 * The same JPEG with `packet` as its only XMP: earlier XMP segments (and extended XMP, which belongs
 * to the packet it replaces) are dropped, the new one goes after JFIF/EXIF, and every other byte,
 * the image data included, is copied unchanged.
 */
export function embedJpegXmp(buf: Buffer, packet: string): Buffer {
  const body = Buffer.from(packet, 'utf8');
  if (body.length > MAX_JPEG_PACKET)
    throw new EmbedError(
      `the XMP is ${body.length} bytes, more than a JPEG segment holds (${MAX_JPEG_PACKET})`,
    );
  const segments = headerSegments(buf);
  // Each segment travels with the bytes before it (fill bytes, stand-alone markers), so nothing
  // but the old XMP is lost.
  const kept = segments
    .map((s, i) => ({ ...s, from: i ? segments[i - 1]!.end : 2 }))
    .filter((s) => !(s.marker === APP1 && (startsWith(buf, s, XMP_ID) || startsWith(buf, s, EXTENDED_ID))));
  // After the leading APP0 (JFIF) and APP1 (EXIF) segments, where readers look first.
  let insertAt = 0;
  while (insertAt < kept.length && (kept[insertAt]!.marker === APP0 || kept[insertAt]!.marker === APP1))
    insertAt++;
  const header = Buffer.alloc(4);
  header.writeUInt16BE(0xffe1, 0);
  header.writeUInt16BE(2 + XMP_ID.length + body.length, 2);
  const parts: Buffer[] = [buf.subarray(0, 2)];
  kept.forEach((s, i) => {
    if (i === insertAt) parts.push(header, XMP_ID, body);
    parts.push(buf.subarray(s.from, s.end));
  });
  if (insertAt === kept.length) parts.push(header, XMP_ID, body);
  parts.push(buf.subarray(segments.at(-1)?.end ?? 2));
  return Buffer.concat(parts);
}
