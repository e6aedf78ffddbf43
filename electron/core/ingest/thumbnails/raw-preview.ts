import { childBoxes, findBox, readBoxes } from '../../formats/bmff';
import { openSource, type ByteSource } from '../../formats/byte-source';
import { jpegEnd, jpegFrame, type JpegFrame } from '../../formats/jpeg';
import { LIMITS } from '../../formats/limits';
import { rafPreview } from '../../formats/raf';
import { isBmff, isRaf } from '../../formats/sniff';
import { isTiffMagic, TAG, TIFF_MAGIC, TiffReader, walkIfds } from '../../formats/tiff';
import { DECODE_OPTIONS, sharp } from './encode';

// Camera RAW files carry camera-rendered JPEG previews. Pulling out the largest one gives a
// faithful thumbnail in milliseconds, with no RAW decoder (demosaicing, colour science) needed.

export interface RawPreview {
  /** The embedded JPEG, as stored (usually not rotated). */
  jpeg: Buffer;
  preview: JpegFrame;
  /** IFD0 Orientation of the RAW container, or null when the container has none (RAF). */
  orientation: number | null;
  /** Size of the full image as stored in the RAW, when the container says. */
  sourceWidth: number | null;
  sourceHeight: number | null;
}

/** The file was readable but holds no JPEG preview this renderer can use. */
export class NothingToDrawError extends Error {}

interface Candidate {
  offset: number;
  length: number;
}

interface Found {
  candidates: Candidate[];
  orientation: number | null;
  sourceWidth: number | null;
  sourceHeight: number | null;
}

interface Preview {
  offset: number;
  jpeg: Buffer;
  info: JpegFrame;
}

/** Below this long edge, a makernote may still hide a bigger preview: scan the file as well. */
const SCAN_BELOW_EDGE = 1000;
const CR3_CANON_UUID = '85c0b687820f11e08111f4ce462b6a48';
const CFA = 32803;
const SOI = Buffer.from([0xff, 0xd8, 0xff]);
const LINEAR_RAW = 34892;

const validOrientation = (o: number | null): number | null => (o !== null && o >= 1 && o <= 8 ? o : null);
const area = (i: JpegFrame): number => i.width * i.height;
// Lossless JPEG (SOF3 and friends) is how CR2 and DNG store the sensor data itself, not a preview.
const isLossless = (i: JpegFrame): boolean =>
  i.sof === 0xc3 || i.sof === 0xc7 || i.sof === 0xcb || i.sof === 0xcf;

async function fromTiff(src: ByteSource, t: TiffReader): Promise<Found> {
  const found: Found = { candidates: [], orientation: null, sourceWidth: null, sourceHeight: null };
  let rawArea = 0;
  let plain: { w: number; h: number } | null = null;
  let exifDims: { w: number; h: number } | null = null;
  for (const { ifd, kind } of await walkIfds(t)) {
    if (kind === 'ifd0') found.orientation = validOrientation(await t.first(ifd, TAG.Orientation));
    if (kind === 'exif') {
      const w = await t.first(ifd, TAG.PixelXDimension);
      const h = await t.first(ifd, TAG.PixelYDimension);
      if (w && h) exifDims = { w, h };
      continue;
    }
    const jOff = await t.first(ifd, TAG.JpegOffset);
    const jLen = await t.first(ifd, TAG.JpegLength);
    if (jOff && jLen) found.candidates.push({ offset: t.base + jOff, length: jLen });
    const compression = await t.first(ifd, TAG.Compression);
    if (compression === 6 || compression === 7) {
      const offsets = await t.numbers(ifd.byTag.get(TAG.StripOffsets), 2);
      const counts = await t.numbers(ifd.byTag.get(TAG.StripByteCounts), 2);
      if (offsets.length === 1 && counts.length === 1)
        found.candidates.push({ offset: t.base + offsets[0]!, length: counts[0]! });
    }
    const jpgFromRaw = ifd.byTag.get(TAG.Rw2JpgFromRaw);
    if (t.header.magic === TIFF_MAGIC.rw2 && jpgFromRaw && jpgFromRaw.type === 7)
      found.candidates.push({ offset: jpgFromRaw.valueAt, length: jpgFromRaw.count });

    const w = await t.first(ifd, TAG.ImageWidth);
    const h = await t.first(ifd, TAG.ImageLength);
    if (!w || !h) continue;
    const photometric = await t.first(ifd, TAG.Photometric);
    if ((photometric === CFA || photometric === LINEAR_RAW) && w * h > rawArea) {
      rawArea = w * h;
      found.sourceWidth = w;
      found.sourceHeight = h;
    }
    const subfile = (await t.first(ifd, TAG.NewSubfileType)) ?? 0;
    if (subfile === 0 && (!plain || w * h > plain.w * plain.h)) plain = { w, h };
  }
  const fallback = plain ?? exifDims;
  if (!rawArea && fallback) {
    found.sourceWidth = fallback.w;
    found.sourceHeight = fallback.h;
  }
  return found;
}

/** Fujifilm RAF: the header locates the embedded JPEG. */
function fromRaf(head: Buffer): Found {
  const found: Found = { candidates: [], orientation: null, sourceWidth: null, sourceHeight: null };
  const preview = rafPreview(head);
  if (preview) found.candidates.push(preview);
  return found;
}

/** The JPEG inside a CR3 PRVW/THMB box follows a small header whose layout varies by version. */
async function jpegInBox(src: ByteSource, body: number, end: number): Promise<Candidate | null> {
  const h = await src.read(body, 64);
  for (let i = 0; i + 3 <= h.length; i++) {
    if (h[i] === 0xff && h[i + 1] === 0xd8 && h[i + 2] === 0xff)
      return { offset: body + i, length: end - body - i };
  }
  return null;
}

/** Canon CR3 (ISO-BMFF): PRVW (~1620 px) in a top-level uuid box, THMB and CMT1 (IFD0) in moov. */
async function fromCr3(src: ByteSource): Promise<Found> {
  const found: Found = { candidates: [], orientation: null, sourceWidth: null, sourceHeight: null };
  for (const box of await readBoxes(src, 0, src.size)) {
    if (box.type === 'moov') {
      const canon = (await childBoxes(src, box)).find((b) => b.type === 'uuid' && b.uuid === CR3_CANON_UUID);
      if (!canon) continue;
      for (const inner of await childBoxes(src, canon)) {
        if (inner.type === 'THMB') {
          const c = await jpegInBox(src, inner.body, inner.end);
          if (c) found.candidates.push(c);
        } else if (inner.type === 'CMT1') {
          const t = await TiffReader.open(src, inner.body);
          const ifd0 = t && isTiffMagic(t.header) ? await t.readIfd(t.header.firstIfd) : null;
          if (t && ifd0 && typeof ifd0 !== 'string') {
            found.orientation = validOrientation(await t.first(ifd0, TAG.Orientation));
            found.sourceWidth = await t.first(ifd0, TAG.ImageWidth);
            found.sourceHeight = await t.first(ifd0, TAG.ImageLength);
          }
        }
      }
    } else if (box.type === 'uuid') {
      // The preview uuid box holds 8 bytes of its own before the PRVW box.
      for (const skip of [8, 0]) {
        const prvw = await findBox(src, box.body + skip, box.end, 'PRVW', box.depth + 1);
        const c = prvw && (await jpegInBox(src, prvw.body, prvw.end));
        if (c) {
          found.candidates.push(c);
          break;
        }
      }
    }
  }
  return found;
}

async function loadCandidate(src: ByteSource, c: Candidate): Promise<Preview | null> {
  if (c.offset <= 0 || c.offset >= src.size || c.length < 64) return null;
  const jpeg = await src.read(c.offset, Math.min(c.length, LIMITS.previewBytes));
  const info = jpegFrame(jpeg);
  if (!info || isLossless(info) || info.precision !== 8) return null;
  return { offset: c.offset, jpeg, info };
}

/**
 * Last resort for previews hidden in makernotes (ORF, PEF, some NEF) or unknown containers: every
 * FF D8 FF in the file that opens a well-formed JPEG header, largest frames first.
 */
async function scanForJpegs(src: ByteSource, keep = 4): Promise<Preview[]> {
  const CHUNK = 8 * 1024 * 1024;
  const hits: Array<{ offset: number; info: JpegFrame }> = [];
  for (let base = 0; base < src.size && hits.length < 400; base += CHUNK) {
    const chunk = await src.read(base, CHUNK + 2);
    for (
      let i = chunk.indexOf(SOI);
      i >= 0 && i < CHUNK && hits.length < 400;
      i = chunk.indexOf(SOI, i + 1)
    ) {
      const offset = base + i;
      const info = jpegFrame(await src.read(offset, 256 * 1024));
      if (info && !isLossless(info) && info.precision === 8) hits.push({ offset, info });
    }
  }
  hits.sort((a, b) => area(b.info) - area(a.info));
  const out: Preview[] = [];
  for (const hit of hits.slice(0, keep)) {
    const window = await src.read(hit.offset, LIMITS.previewBytes);
    const end = jpegEnd(window);
    out.push({ offset: hit.offset, info: hit.info, jpeg: end ? window.subarray(0, end) : window });
  }
  return out;
}

async function decodable(jpeg: Buffer): Promise<boolean> {
  try {
    const meta = await sharp(jpeg, DECODE_OPTIONS).metadata();
    return meta.format === 'jpeg' && (meta.width ?? 0) > 0;
  } catch {
    return false;
  }
}

async function locate(src: ByteSource): Promise<Found> {
  const head = await src.read(0, 128);
  if (isRaf(head)) return fromRaf(head);
  if (isBmff(head)) return fromCr3(src);
  const tiff = await TiffReader.open(src, 0);
  if (tiff && isTiffMagic(tiff.header)) return fromTiff(src, tiff);
  return { candidates: [], orientation: null, sourceWidth: null, sourceHeight: null };
}

/** The largest decodable embedded JPEG of a RAW file, with what the container says about it. */
export async function readRawPreview(input: Buffer | string): Promise<RawPreview> {
  const src = await openSource(input);
  try {
    const found = await locate(src);
    const previews: Preview[] = [];
    for (const c of found.candidates) {
      const p = await loadCandidate(src, c);
      if (p && !previews.some((q) => q.offset === p.offset)) previews.push(p);
    }
    const bestEdge = Math.max(0, ...previews.map((p) => Math.max(p.info.width, p.info.height)));
    if (bestEdge < SCAN_BELOW_EDGE) {
      for (const p of await scanForJpegs(src))
        if (!previews.some((q) => q.offset === p.offset)) previews.push(p);
    }
    previews.sort((a, b) => area(b.info) - area(a.info) || b.jpeg.length - a.jpeg.length);
    for (const p of previews) {
      if (await decodable(p.jpeg)) {
        return {
          jpeg: p.jpeg,
          preview: p.info,
          orientation: found.orientation,
          sourceWidth: found.sourceWidth,
          sourceHeight: found.sourceHeight,
        };
      }
    }
    throw new NothingToDrawError('no embedded JPEG preview in this RAW file');
  } finally {
    await src.close();
  }
}

/** The bytes of the largest embedded JPEG preview (as stored, not rotated). */
export async function extractRawPreview(input: Buffer | string): Promise<Buffer> {
  return (await readRawPreview(input)).jpeg;
}
