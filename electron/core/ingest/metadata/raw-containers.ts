import { childBoxes, readBoxes } from '../../formats/bmff';
import { bufferSource, sliceSource, type ByteSource } from '../../formats/byte-source';
import { CIFF_TAG, readCiff } from '../../formats/ciff';
import { LIMITS } from '../../formats/limits';
import { tiffHeader, TIFF_MAGIC } from '../../formats/tiff';
import { readX3f } from '../../formats/x3f';
import { decodeXmpPacket } from '../../formats/xmp-packet';
import type { RawBlocks } from './blocks';

// RAW containers that are not TIFF files themselves, but carry TIFF structures inside: Canon CR3
// (ISO-BMFF) and Minolta MRW. Their TIFFs are handed to the one TIFF reader like a JPEG's APP1.
// Canon CRW and Sigma X3F have no TIFF: their own records are turned into EXIF-numbered tags.

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

const EXIF = { make: 0x010f, model: 0x0110, dateTimeOriginal: 0x9003, offsetTimeOriginal: 0x9011 } as const;

/** Seconds since 1970 that stand for a camera's wall clock, as EXIF's "YYYY:MM:DD HH:MM:SS". */
function wallClockText(seconds: number): string | null {
  const d = new Date(seconds * 1000);
  if (!seconds || Number.isNaN(d.getTime())) return null;
  const iso = d.toISOString();
  return `${iso.slice(0, 10).replaceAll('-', ':')} ${iso.slice(11, 19)}`;
}

function offsetText(seconds: number): string | null {
  if (seconds % 900 !== 0 || Math.abs(seconds) > 14 * 3600) return null;
  const m = Math.abs(seconds) / 60;
  return `${seconds < 0 ? '-' : '+'}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/**
 * Canon CRW: make and model, the capture time (the camera's wall clock, with its time zone when the
 * camera recorded one) and the image size, from the CIFF records; the JPEG inside carries no EXIF.
 */
export async function walkCrw(src: ByteSource, out: RawBlocks): Promise<void> {
  const found = await readCiff(src, new Set(Object.values(CIFF_TAG)));
  if (!found) return;
  if (found.damage) out.damage = found.damage;
  const v = found.values;
  const u32 = (b: Buffer, o: number) => (found.le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const makeModel = v.get(CIFF_TAG.makeModel);
  if (makeModel) {
    const [make, model] = makeModel.toString('latin1').split('\0');
    if (make) out.tags.set(EXIF.make, make);
    if (model) out.tags.set(EXIF.model, model);
  }
  const time = v.get(CIFF_TAG.timeStamp);
  if (time && time.length >= 12) {
    const text = wallClockText(u32(time, 0));
    if (text) out.tags.set(EXIF.dateTimeOriginal, text);
    // The zone is only meant when the camera set the top bit of the third word.
    const zone = found.le ? time.readInt32LE(4) : time.readInt32BE(4);
    const offset = u32(time, 8) & 0x80000000 ? offsetText(zone) : null;
    if (text && offset) out.tags.set(EXIF.offsetTimeOriginal, offset);
  }
  const info = v.get(CIFF_TAG.imageInfo);
  if (info && info.length >= 8) {
    out.width = u32(info, 0) || null;
    out.height = u32(info, 4) || null;
  }
}

/**
 * Sigma X3F: the size from the header, make, model and capture time from the PROP section, and
 * (from version 4 on, where PROP is gone) the EXIF and XMP of the JPEG preview, read by `walkJpeg`.
 */
export async function walkX3f(
  src: ByteSource,
  out: RawBlocks,
  walkJpeg: (jpeg: ByteSource) => Promise<RawBlocks>,
): Promise<void> {
  const file = await readX3f(src);
  if (!file) return;
  out.damage = file.damage;
  out.width = file.width;
  out.height = file.height;
  const p = file.properties;
  const make = p.get('CAMMANUF');
  const model = p.get('CAMMODEL');
  if (make) out.tags.set(EXIF.make, make);
  if (model) out.tags.set(EXIF.model, model);
  const time = p.get('TIME');
  const text = time && /^\d{1,12}$/.test(time) ? wallClockText(Number(time)) : null;
  if (text) out.tags.set(EXIF.dateTimeOriginal, text);
  for (const jpeg of file.jpegs) {
    const inner = await walkJpeg(sliceSource(src, jpeg.offset, jpeg.length));
    out.tiff.push(...inner.tiff);
    out.xmp.push(...inner.xmp);
  }
}
