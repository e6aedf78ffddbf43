import { childBoxes, readBoxes } from '../../formats/bmff';
import { bufferSource, sliceSource, type ByteSource } from '../../formats/byte-source';
import { LIMITS } from '../../formats/limits';
import { tiffHeader, TIFF_MAGIC } from '../../formats/tiff';
import { decodeXmpPacket } from '../../formats/xmp-packet';
import type { RawBlocks } from './blocks';

// RAW containers that are not TIFF files themselves, but carry TIFF structures inside: Canon CR3
// (ISO-BMFF) and Minolta MRW. Their TIFFs are handed to the one TIFF reader like a JPEG's APP1.

const CANON_UUID = '85c0b687820f11e08111f4ce462b6a48';
const XMP_UUID = 'be7acfcb97a942e89c71999491e3afac';
const TAG_GPS_IFD = 0x8825;

/**
 * A TIFF whose first directory holds GPS tags (CR3's CMT4), re-rooted so that a fresh IFD0 points
 * at it through the GPS pointer: the TIFF reader then decodes it as the GPS directory it is.
 */
function gpsAsSubIfd(tiff: Buffer): Buffer | null {
  const h = tiffHeader(tiff);
  if (h?.magic !== TIFF_MAGIC.classic) return null;
  const at = tiff.length + (tiff.length & 1);
  const out = Buffer.alloc(at + 18);
  tiff.copy(out);
  const w16 = (v: number, o: number) => (h.le ? out.writeUInt16LE(v, o) : out.writeUInt16BE(v, o));
  const w32 = (v: number, o: number) => (h.le ? out.writeUInt32LE(v, o) : out.writeUInt32BE(v, o));
  w16(1, at);
  w16(TAG_GPS_IFD, at + 2);
  w16(4, at + 4); // LONG
  w32(1, at + 6);
  w32(h.firstIfd, at + 10);
  w32(0, at + 14);
  w32(at, 4);
  return out;
}

/**
 * Canon CR3: Canon's uuid box in moov holds CMT1 (IFD0: make, model, orientation, size), CMT2
 * (the Exif IFD: exposure, capture date), CMT3 (maker notes, not read) and CMT4 (GPS), each a TIFF
 * of its own; a top-level uuid box holds the XMP packet.
 */
export async function walkCr3(src: ByteSource, out: RawBlocks): Promise<void> {
  for (const box of await readBoxes(src, 0, src.size)) {
    if (box.type === 'uuid' && box.uuid === XMP_UUID && box.end - box.body <= LIMITS.blockBytes) {
      out.xmp.push(decodeXmpPacket(await src.read(box.body, box.end - box.body)));
    }
    if (box.type !== 'moov') continue;
    const canon = (await childBoxes(src, box)).find((b) => b.type === 'uuid' && b.uuid === CANON_UUID);
    if (!canon) continue;
    for (const inner of await childBoxes(src, canon)) {
      const len = inner.end - inner.body;
      if (inner.type === 'CMT1' || inner.type === 'CMT2') out.tiff.push(sliceSource(src, inner.body, len));
      else if (inner.type === 'CMT4' && len <= LIMITS.tiffValueBytes) {
        const gps = gpsAsSubIfd(await src.read(inner.body, len));
        if (gps) out.tiff.push(bufferSource(gps));
      }
    }
  }
}

/**
 * Minolta/Konica Minolta MRW: "\0MRM", the length of the blocks that follow, then blocks of a
 * 4-byte name and a length: PRD (sensor and image size), TTW (a TIFF: IFD0, Exif), WBG, RIF.
 */
export async function walkMrw(src: ByteSource, out: RawBlocks): Promise<void> {
  const head = await src.read(0, 8);
  if (head.length < 8) {
    out.damage = 'the file is cut short inside its metadata';
    return;
  }
  const end = Math.min(src.size, 8 + head.readUInt32BE(4));
  let at = 8;
  for (let n = 0; at + 8 <= end && n < 64; n++) {
    const h = await src.read(at, 8);
    const name = h.toString('latin1', 1, 4);
    const len = h.readUInt32BE(4);
    const body = at + 8;
    if (body + len > src.size) {
      out.damage = 'damaged MRW: a block runs past the end of the file';
      return;
    }
    if (name === 'PRD' && len >= 16) {
      // Version (8 bytes), sensor height and width, then the image's height and width.
      const prd = await src.read(body, 16);
      out.height = prd.readUInt16BE(12) || null;
      out.width = prd.readUInt16BE(14) || null;
    } else if (name === 'TTW') out.tiff.push(sliceSource(src, body, len));
    at = body + len;
  }
}
