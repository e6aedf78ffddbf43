// Just enough JPEG marker walking to size up embedded previews and to rewrite their orientation,
// without decoding any pixels.

export interface JpegInfo {
  width: number;
  height: number;
  /** The SOF marker (0xC0 baseline, 0xC2 progressive, 0xC3 lossless...). */
  sof: number;
  precision: number;
}

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const STANDALONE = (m: number): boolean => m === 0x01 || m === 0xd8 || (m >= 0xd0 && m <= 0xd7);

/** Frame size from the header segments, or null when `buf` does not start like a JPEG. */
export function jpegInfo(buf: Buffer, start = 0): JpegInfo | null {
  if (buf[start] !== 0xff || buf[start + 1] !== 0xd8) return null;
  let p = start + 2;
  while (p + 4 <= buf.length) {
    if (buf[p] !== 0xff) return null;
    let m = buf[p + 1]!;
    while (m === 0xff && p + 2 < buf.length) m = buf[++p + 1]!; // fill bytes
    if (STANDALONE(m)) {
      p += 2;
      continue;
    }
    if (m === 0xd9 || m === 0xda) return null; // image ended, or scan began, before any frame header
    const len = buf.readUInt16BE(p + 2);
    if (len < 2) return null;
    if (SOF_MARKERS.has(m)) {
      if (p + 9 > buf.length) return null;
      const info = {
        sof: m,
        precision: buf[p + 4]!,
        height: buf.readUInt16BE(p + 5),
        width: buf.readUInt16BE(p + 7),
      };
      return info.width > 0 && info.height > 0 ? info : null;
    }
    p += 2 + len;
  }
  return null;
}

/**
 * Offset just past the EOI of the JPEG starting at `start`, walking segments and entropy-coded
 * data (where 0xFF is always stuffed or a restart marker). Null when it runs off the buffer.
 */
export function jpegEnd(buf: Buffer, start = 0): number | null {
  if (buf[start] !== 0xff || buf[start + 1] !== 0xd8) return null;
  let p = start + 2;
  while (p + 2 <= buf.length) {
    if (buf[p] !== 0xff) return null;
    const m = buf[p + 1]!;
    if (m === 0xff) {
      p++;
      continue;
    }
    if (m === 0xd9) return p + 2;
    if (STANDALONE(m)) {
      p += 2;
      continue;
    }
    if (p + 4 > buf.length) return null;
    const len = buf.readUInt16BE(p + 2);
    if (len < 2) return null;
    p += 2 + len;
    if (m !== 0xda) continue;
    // Entropy-coded data runs to the next marker that is neither stuffing (FF00) nor a restart.
    for (;;) {
      const ff = buf.indexOf(0xff, p);
      if (ff < 0 || ff + 1 >= buf.length) return null;
      const next = buf[ff + 1]!;
      if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) {
        p = ff + (next === 0xff ? 1 : 2);
        continue;
      }
      p = ff;
      break;
    }
  }
  return null;
}

function isExifApp1(buf: Buffer, p: number): boolean {
  return buf[p + 1] === 0xe1 && buf.toString('latin1', p + 4, p + 10) === 'Exif\0\0';
}

/** A minimal big-endian EXIF block holding only IFD0 Orientation. */
function orientationApp1(orientation: number): Buffer {
  const tiff = Buffer.alloc(26);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  tiff.writeUInt16BE(1, 8); // one entry
  tiff.writeUInt16BE(0x0112, 10);
  tiff.writeUInt16BE(3, 12); // SHORT
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt16BE(orientation, 18);
  tiff.writeUInt32BE(0, 22); // no next IFD
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xffe1, 0);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/**
 * The same JPEG with its EXIF replaced by a lone Orientation tag, so the normal auto-orient step
 * (with shrink-on-load intact) turns it upright. Used for RAW previews, whose container knows the
 * orientation while the embedded JPEG usually does not.
 */
export function withOrientation(jpeg: Buffer, orientation: number): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return jpeg;
  const parts: Buffer[] = [jpeg.subarray(0, 2)];
  let p = 2;
  let insertAt = 1; // after SOI, or after a JFIF APP0 when there is one
  while (p + 4 <= jpeg.length && jpeg[p] === 0xff) {
    const m = jpeg[p + 1]!;
    if (m === 0xda || m === 0xd9 || STANDALONE(m)) break;
    const len = jpeg.readUInt16BE(p + 2);
    const end = p + 2 + len;
    if (len < 2 || end > jpeg.length) break;
    if (!isExifApp1(jpeg, p)) parts.push(jpeg.subarray(p, end));
    if (m === 0xe0 && parts.length === 2) insertAt = 2;
    p = end;
  }
  parts.push(jpeg.subarray(p));
  if (orientation >= 2 && orientation <= 8) parts.splice(insertAt, 0, orientationApp1(orientation));
  return Buffer.concat(parts);
}
