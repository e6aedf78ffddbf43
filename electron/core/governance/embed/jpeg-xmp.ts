// The XMP packet inside a JPEG: one APP1 segment named by Adobe's namespace (XMP spec part 3, 1.1.3).

export class EmbedError extends Error {}

const XMP_ID = Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1');
const EXTENDED_ID = Buffer.from('http://ns.adobe.com/xmp/extension/\0', 'latin1');
/** A segment's length field counts itself and is 16 bits. */
export const MAX_JPEG_PACKET = 0xffff - 2 - XMP_ID.length;

interface Segment {
  marker: number;
  start: number;
  end: number;
}

/** The segments before the image data (SOS), where metadata lives. */
function headerSegments(buf: Buffer): { segments: Segment[]; bodyStart: number } {
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== 0xd8)
    throw new EmbedError('not a JPEG file (no SOI marker)');
  const segments: Segment[] = [];
  let at = 2;
  for (;;) {
    if (at + 4 > buf.length) throw new EmbedError('the JPEG ends before its image data');
    if (buf[at] !== 0xff) throw new EmbedError(`damaged JPEG: no marker at byte ${at}`);
    const marker = buf[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return { segments, bodyStart: at };
    const len = buf.readUInt16BE(at + 2);
    if (len < 2 || at + 2 + len > buf.length)
      throw new EmbedError(`damaged JPEG: segment at byte ${at} runs past the end`);
    segments.push({ marker, start: at, end: at + 2 + len });
    at += 2 + len;
  }
}

const startsWith = (buf: Buffer, seg: Segment, id: Buffer) =>
  seg.end - seg.start - 4 >= id.length && buf.subarray(seg.start + 4, seg.start + 4 + id.length).equals(id);

/** The standard XMP packet the file carries, or null. */
export function readJpegXmp(buf: Buffer): string | null {
  const { segments } = headerSegments(buf);
  const seg = segments.find((s) => s.marker === 0xe1 && startsWith(buf, s, XMP_ID));
  return seg ? buf.subarray(seg.start + 4 + XMP_ID.length, seg.end).toString('utf8') : null;
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
  const { segments, bodyStart } = headerSegments(buf);
  const kept = segments.filter(
    (s) => !(s.marker === 0xe1 && (startsWith(buf, s, XMP_ID) || startsWith(buf, s, EXTENDED_ID))),
  );
  // After the leading APP0 (JFIF) and APP1 (EXIF) segments, where readers look first.
  let insertAt = 0;
  while (insertAt < kept.length && (kept[insertAt]!.marker === 0xe0 || kept[insertAt]!.marker === 0xe1))
    insertAt++;
  const header = Buffer.alloc(4);
  header.writeUInt16BE(0xffe1, 0);
  header.writeUInt16BE(2 + XMP_ID.length + body.length, 2);
  const parts: Buffer[] = [buf.subarray(0, 2)];
  kept.forEach((s, i) => {
    if (i === insertAt) parts.push(header, XMP_ID, body);
    parts.push(buf.subarray(s.start, s.end));
  });
  if (insertAt === kept.length) parts.push(header, XMP_ID, body);
  parts.push(buf.subarray(bodyStart));
  return Buffer.concat(parts);
}
