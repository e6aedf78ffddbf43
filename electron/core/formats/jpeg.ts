import type { ByteSource } from './byte-source';
import { LIMITS } from './limits';

// JPEG marker segments (ITU T.81 B.1). One set of rules decides what the bytes at a position are
// (a fill byte, a stand-alone marker, a segment, the start of the image data, or damage); a
// synchronous walker over a buffer and an asynchronous one over a ByteSource both drive it, so
// metadata reading, RAW previews and XMP embedding agree on every file.

export const SOS = 0xda;
export const EOI = 0xd9;
export const APP0 = 0xe0;
export const APP1 = 0xe1;
export const APP13 = 0xed;

export interface JpegSegment {
  marker: number;
  /** Offset of the 0xFF of the marker. */
  start: number;
  /** Offset of the payload (after the marker and the 2-byte length). */
  data: number;
  /** Offset just past the segment. */
  end: number;
}

/** Where a walk of the header segments stopped. */
export type JpegStop =
  /** At the start of scan (SOS) or end of image (EOI) marker at `at`: every header segment was seen. */
  | { kind: 'image'; marker: number; at: number }
  /** At damage: a missing marker, an impossible length, the file ending, too many segments. */
  | { kind: 'damaged'; at: number; reason: string };

type Step = { kind: 'skip'; next: number } | { kind: 'segment'; segment: JpegSegment } | JpegStop;

const ENDED = 'the file ends before its image data';
const truncated = (at: number) =>
  `damaged JPEG: the file is cut short inside its metadata (segment at byte ${at})`;
const tooMany = (at: number): JpegStop => ({
  kind: 'damaged',
  at,
  reason: `damaged JPEG: more than ${LIMITS.jpegSegments} markers before the image data`,
});

/** SOI at `at` (FF D8). */
export function startsJpeg(b: Buffer, at = 0): boolean {
  return b.length >= at + 2 && b[at] === 0xff && b[at + 1] === 0xd8;
}

/** Start-of-frame markers: C0-CF but DHT (C4), JPG (C8) and DAC (CC). */
export function isSofMarker(m: number): boolean {
  return m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
}

/** Markers with no length: TEM, SOI and the restart markers. */
function standalone(m: number): boolean {
  return m === 0x01 || m === 0xd8 || (m >= 0xd0 && m <= 0xd7);
}

/** What the (up to 4) bytes `h` read at `off` are, in a file of `size` bytes. */
function step(h: Buffer, off: number, size: number): Step {
  if (h.length < 2) return { kind: 'damaged', at: off, reason: ENDED };
  if (h[0] !== 0xff)
    return { kind: 'damaged', at: off, reason: `damaged JPEG: no segment marker at byte ${off}` };
  const marker = h[1]!;
  if (marker === 0xff) return { kind: 'skip', next: off + 1 }; // fill byte
  if (standalone(marker)) return { kind: 'skip', next: off + 2 };
  if (marker === SOS || marker === EOI) return { kind: 'image', marker, at: off };
  if (h.length < 4) return { kind: 'damaged', at: off, reason: truncated(off) };
  const len = h.readUInt16BE(2);
  if (len < 2)
    return { kind: 'damaged', at: off, reason: 'damaged JPEG: a segment has an impossible length' };
  const end = off + 2 + len;
  if (end > size) return { kind: 'damaged', at: off, reason: truncated(off) };
  return { kind: 'segment', segment: { marker, start: off, data: off + 4, end } };
}

/**
 * Visits the header segments of the JPEG whose SOI is at `start` in `buf`, in order, until the
 * image data, damage, or `visit` returning true (which stops with the segment's end as `at`).
 */
export function forEachJpegSegment(
  buf: Buffer,
  visit: (segment: JpegSegment) => boolean | void,
  start = 0,
): JpegStop {
  return walkFrom(buf, start + 2, visit);
}

function walkFrom(buf: Buffer, from: number, visit: (segment: JpegSegment) => boolean | void): JpegStop {
  let off = from;
  for (let n = 0; n < LIMITS.jpegSegments; n++) {
    const s = step(buf.subarray(off, off + 4), off, buf.length);
    if (s.kind === 'skip') off = s.next;
    else if (s.kind !== 'segment') return s;
    else {
      if (visit(s.segment) === true) return { kind: 'image', marker: s.segment.marker, at: s.segment.end };
      off = s.segment.end;
    }
  }
  return tooMany(off);
}

/** Every header segment of a JPEG in memory, and where the walk stopped. */
export function jpegHeader(buf: Buffer, start = 0): { segments: JpegSegment[]; stop: JpegStop } {
  const segments: JpegSegment[] = [];
  const stop = forEachJpegSegment(buf, (s) => void segments.push(s), start);
  return { segments, stop };
}

/** The same walk over a ByteSource (SOI at 0): one 4-byte read per marker, payloads left to `visit`. */
export async function walkJpegSegments(
  src: ByteSource,
  visit: (segment: JpegSegment) => Promise<void> | void,
): Promise<JpegStop> {
  let off = 2;
  for (let n = 0; n < LIMITS.jpegSegments; n++) {
    const s = step(await src.read(off, 4), off, src.size);
    if (s.kind === 'skip') off = s.next;
    else if (s.kind !== 'segment') return s;
    else {
      await visit(s.segment);
      off = s.segment.end;
    }
  }
  return tooMany(off);
}

export interface JpegFrame {
  width: number;
  height: number;
  /** The SOF marker (0xC0 baseline, 0xC2 progressive, 0xC3 lossless...). */
  sof: number;
  precision: number;
}

/** Frame size from the header segments, or null when `buf` does not start like a JPEG or has no frame header. */
export function jpegFrame(buf: Buffer, start = 0): JpegFrame | null {
  if (!startsJpeg(buf, start)) return null;
  let frame: JpegFrame | null = null;
  forEachJpegSegment(
    buf,
    (s) => {
      if (!isSofMarker(s.marker)) return false;
      if (s.data + 5 <= buf.length && s.end - s.data >= 5)
        frame = {
          sof: s.marker,
          precision: buf[s.data]!,
          height: buf.readUInt16BE(s.data + 1),
          width: buf.readUInt16BE(s.data + 3),
        };
      return true;
    },
    start,
  );
  const f = frame as JpegFrame | null;
  return f && f.width > 0 && f.height > 0 ? f : null;
}

/**
 * Offset just past the EOI of the JPEG starting at `start`, walking segments and entropy-coded
 * data (where 0xFF is always stuffed or a restart marker). Null when it runs off the buffer.
 */
export function jpegEnd(buf: Buffer, start = 0): number | null {
  if (!startsJpeg(buf, start)) return null;
  let off = start + 2;
  for (let n = 0; n < LIMITS.jpegSegments; n++) {
    const stop = walkFrom(buf, off, () => {});
    if (stop.kind === 'damaged') return null;
    if (stop.marker === EOI) return stop.at + 2;
    // A scan: its header segment, then entropy-coded data up to the next marker that is neither
    // stuffing (FF00) nor a restart.
    if (stop.at + 4 > buf.length) return null;
    const len = buf.readUInt16BE(stop.at + 2);
    if (len < 2) return null;
    let p = stop.at + 2 + len;
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
    off = p;
  }
  return null;
}
