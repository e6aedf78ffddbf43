import { APP0, APP1, jpegHeader, startsJpeg, type JpegSegment } from '../../formats/jpeg';

// RAW previews are stored as the sensor saw them; their container knows the orientation while the
// embedded JPEG usually does not. Rewriting the preview's EXIF lets the normal auto-orient step
// (with shrink-on-load intact) turn it upright, without decoding any pixels.

function isExifApp1(buf: Buffer, s: JpegSegment): boolean {
  return s.marker === APP1 && buf.toString('latin1', s.data, s.data + 6) === 'Exif\0\0';
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
  if (!startsJpeg(jpeg)) return jpeg;
  const parts: Buffer[] = [jpeg.subarray(0, 2)];
  let insertAt = 1; // after SOI, or after a JFIF APP0 when there is one
  let p = 2;
  // Up to the image data, or to damage: whatever follows is copied as it is.
  for (const s of jpegHeader(jpeg).segments) {
    if (s.start > p) parts.push(jpeg.subarray(p, s.start)); // fill bytes, stand-alone markers
    if (!isExifApp1(jpeg, s)) parts.push(jpeg.subarray(s.start, s.end));
    if (s.marker === APP0 && parts.length === 2) insertAt = 2;
    p = s.end;
  }
  parts.push(jpeg.subarray(p));
  if (orientation >= 2 && orientation <= 8) parts.splice(insertAt, 0, orientationApp1(orientation));
  return Buffer.concat(parts);
}
