import type { ByteSource } from './byte-source';
import { LIMITS } from './limits';
import { decodeXmpPacket } from './xmp-packet';

// Adobe InDesign (.indd, .indt): two 4 KB master pages, the database pages, then "contiguous
// objects", one of which is the XMP packet (with its dates, title and the JPEG thumbnail in
// xmpGImg:image). Walked as the XMP specification (part 3) and exiftool describe it.

const PAGE = 4096;
const MASTER_GUID = Buffer.from('0606edf5d81d46e5bd31efe7fe74b71d', 'hex');
const OBJECT_HEADER_GUID = Buffer.from('de39397951884b6c8e63eef8aee0dd38', 'hex');
const OBJECT_TRAILER_GUID = Buffer.from('fdcedb70f7864b4fa4d3c728b3417106', 'hex');
/** The contiguous objects walked before giving up (a document has a handful). */
const MAX_OBJECTS = 10_000;

export class InddError extends Error {
  override name = 'InddError';
}

/** The XMP packet of an InDesign file, or null when it has none. Throws InddError on a broken structure. */
export async function inddXmp(src: ByteSource): Promise<string | null> {
  const masters = await src.read(0, 2 * PAGE);
  if (masters.length < 2 * PAGE) throw new InddError('the InDesign file is cut short in its header');
  const [a, b] = [masters.subarray(0, PAGE), masters.subarray(PAGE)];
  if (!a.subarray(0, 16).equals(MASTER_GUID) || !b.subarray(0, 16).equals(MASTER_GUID))
    throw new InddError('damaged InDesign header');
  // The master page with the higher sequence number is the current one.
  const cur = b.readBigUInt64LE(264) > a.readBigUInt64LE(264) ? b : a;
  const order = cur[24];
  if (order !== 1 && order !== 2) throw new InddError('damaged InDesign header (byte order)');
  const pages = cur.readUInt32LE(280);
  if (pages < 2) throw new InddError('damaged InDesign header (page count)');
  let pos = pages * PAGE;
  for (let i = 0; i < MAX_OBJECTS && pos + 32 <= src.size; i++) {
    const hdr = await src.read(pos, 32);
    if (!hdr.subarray(0, 16).equals(OBJECT_HEADER_GUID)) return null; // padding: no more objects
    const len = hdr.readUInt32LE(24);
    const at = pos + 32;
    if (at + len > src.size) throw new InddError('the InDesign file is cut short inside an object');
    if (len > 56) {
      const start = await src.read(at, 56);
      if (start.toString('latin1', 4, 19) === '<?xpacket begin') {
        const xmpLen = order === 1 ? start.readUInt32LE(0) : start.readUInt32BE(0);
        const n = Math.min(xmpLen, len - 4);
        if (n > LIMITS.blockBytes) return null;
        return decodeXmpPacket(await src.read(at + 4, n));
      }
    }
    const trailer = await src.read(at + len, 32);
    if (!trailer.subarray(0, 16).equals(OBJECT_TRAILER_GUID)) throw new InddError('damaged InDesign object');
    pos = at + len + 32;
  }
  return null;
}
