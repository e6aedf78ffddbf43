import type { ByteSource } from '../../formats/byte-source';

// ISO base media file format (MP4/HEIF/CR3) box walking over a ByteSource.

export interface Box {
  type: string;
  /** Offset of the box header. */
  start: number;
  /** Offset of the payload (after size, type, any 64-bit size and a uuid's 16 bytes). */
  body: number;
  end: number;
  /** Lower-case hex of a 'uuid' box's user type. */
  uuid?: string;
}

/** The boxes laid side by side in [start, end). Stops quietly at the first malformed header. */
export async function readBoxes(src: ByteSource, start: number, end: number, limit = 512): Promise<Box[]> {
  const out: Box[] = [];
  let p = start;
  const stop = Math.min(end, src.size);
  while (p + 8 <= stop && out.length < limit) {
    const h = await src.read(p, 32);
    if (h.length < 8) break;
    let size = h.readUInt32BE(0);
    const type = h.toString('latin1', 4, 8);
    let body = p + 8;
    if (size === 1) {
      if (h.length < 16) break;
      size = Number(h.readBigUInt64BE(8));
      body += 8;
    } else if (size === 0) size = stop - p; // box runs to the end of its parent
    if (size < body - p || p + size > stop) break;
    const box: Box = { type, start: p, body, end: p + size };
    if (type === 'uuid') {
      const u = await src.read(body, 16);
      if (u.length < 16) break;
      box.uuid = u.toString('hex');
      box.body = body + 16;
    }
    out.push(box);
    p += size;
  }
  return out;
}

export async function findBox(
  src: ByteSource,
  start: number,
  end: number,
  type: string,
): Promise<Box | undefined> {
  return (await readBoxes(src, start, end)).find((b) => b.type === type);
}
