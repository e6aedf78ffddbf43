import type { ByteSource } from './byte-source';
import { LIMITS } from './limits';

// ISO base media file format boxes (ISO/IEC 14496-12 4.2): MP4, MOV, HEIF/AVIF, CR3. One header
// parser serves a walk over a ByteSource (top-level boxes of a file on disk) and one over a buffer
// (the children of a HEIF 'meta' box already in memory). A walk lists boxes side by side until its
// parent ends, stops at the first header that cannot be right, lists at most LIMITS.boxes, and
// descends no deeper than LIMITS.boxDepth.

export interface Box {
  type: string;
  /** Offset of the box header. */
  start: number;
  /** Offset of the payload (after size, type, any 64-bit size and a uuid's 16 bytes). */
  body: number;
  end: number;
  /** 0 for a top-level box, 1 for its children... */
  depth: number;
  /** Lower-case hex of a 'uuid' box's user type. */
  uuid?: string;
}

/** Why a walk ended before its parent did. */
export interface BoxStop {
  at: number;
  /** The type of the box whose header stopped the walk, when it could be read. */
  type: string | null;
  reason: 'impossible-size' | 'past-end' | 'truncated-header' | 'too-many' | 'too-deep';
}

export interface BoxList {
  boxes: Box[];
  /** Null when the walk reached the end of the parent (or was told to stop). */
  stop: BoxStop | null;
}

/** Enough bytes for the longest header: size, type, 64-bit size, uuid. */
const HEADER_BYTES = 32;

/** The box whose header bytes `h` were read at `at`, inside a parent ending at `end`. */
function boxAt(h: Buffer, at: number, end: number, depth: number): Box | BoxStop {
  if (h.length < 8) return { at, type: null, reason: 'truncated-header' };
  const type = h.toString('latin1', 4, 8);
  let size = h.readUInt32BE(0);
  let header = 8;
  if (size === 1) {
    if (h.length < 16) return { at, type, reason: 'truncated-header' };
    const large = h.readBigUInt64BE(8);
    // Past 2^53 no file is that large, and the Number would be inexact.
    size = large > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(large);
    header = 16;
  } else if (size === 0) size = end - at; // the box runs to the end of its parent
  if (size < header) return { at, type, reason: 'impossible-size' };
  if (at + size > end) return { at, type, reason: 'past-end' };
  const box: Box = { type, start: at, body: at + header, end: at + size, depth };
  if (type === 'uuid') {
    if (h.length < header + 16) return { at, type, reason: 'truncated-header' };
    if (header + 16 > size) return { at, type, reason: 'impossible-size' };
    box.uuid = h.toString('hex', header, header + 16);
    box.body += 16;
  }
  return box;
}

/**
 * The boxes laid side by side in [start, end) of a source, at nesting `depth`. `until` may end the
 * walk early at a box it was looking for (included in the list).
 */
export async function listBoxes(
  src: ByteSource,
  start: number,
  end: number,
  depth = 0,
  until?: (box: Box) => boolean,
): Promise<BoxList> {
  const boxes: Box[] = [];
  if (depth > LIMITS.boxDepth) return { boxes, stop: { at: start, type: null, reason: 'too-deep' } };
  const stop = Math.min(end, src.size);
  let at = start;
  while (at + 8 <= stop) {
    if (boxes.length >= LIMITS.boxes) return { boxes, stop: { at, type: null, reason: 'too-many' } };
    const box = boxAt(await src.read(at, HEADER_BYTES), at, stop, depth);
    if (!('body' in box)) return { boxes, stop: box };
    boxes.push(box);
    if (until?.(box)) break;
    at = box.end;
  }
  return { boxes, stop: null };
}

/** The boxes in [start, end) of a source; quietly as many as are well formed. */
export async function readBoxes(src: ByteSource, start: number, end: number, depth = 0): Promise<Box[]> {
  return (await listBoxes(src, start, end, depth)).boxes;
}

/** The children of `box` (skipping `skip` bytes of its own fields first, as full boxes have). */
export function childBoxes(src: ByteSource, box: Box, skip = 0): Promise<Box[]> {
  return readBoxes(src, box.body + skip, box.end, box.depth + 1);
}

export async function findBox(
  src: ByteSource,
  start: number,
  end: number,
  type: string,
  depth = 0,
): Promise<Box | undefined> {
  return (await listBoxes(src, start, end, depth, (b) => b.type === type)).boxes.find((b) => b.type === type);
}

/** The same walk over a buffer already in memory (offsets are the buffer's). */
export function boxesIn(buf: Buffer, start: number, end: number, depth = 0): Box[] {
  const boxes: Box[] = [];
  if (depth > LIMITS.boxDepth) return boxes;
  const stop = Math.min(end, buf.length);
  let at = start;
  while (at + 8 <= stop && boxes.length < LIMITS.boxes) {
    const box = boxAt(buf.subarray(at, at + HEADER_BYTES), at, stop, depth);
    if (!('body' in box)) break;
    boxes.push(box);
    at = box.end;
  }
  return boxes;
}

/** The children of `box` in a buffer, after `skip` bytes of its own fields. */
export function childBoxesIn(buf: Buffer, box: Box, skip = 0): Box[] {
  return boxesIn(buf, box.body + skip, box.end, box.depth + 1);
}
