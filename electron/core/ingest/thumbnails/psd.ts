import { initializeCanvas, readPsd, type PixelData } from 'ag-psd';
import { openSource, type ByteSource } from '../../formats/byte-source';
import { PSD_HEADER_BYTES, photoshopResources, psdHeader } from '../../formats/photoshop';
import { decodeError, encodeWebp, hasErrorCode, sharp, shortMessage } from './encode';
import type { RenderOutput } from './types';

// Photoshop files keep a flattened composite after the layers. Only that composite is decoded:
// the layer section (often most of the file) is skipped by seeking, never read.

/** Beyond this many composite pixels, decoding would need gigabytes: use the embedded thumbnail. */
const MAX_COMPOSITE_PIXELS = 150_000_000;
const THUMBNAIL_RESOURCE = 1036;
const OLD_THUMBNAIL_RESOURCE = 1033; // Photoshop 4: BGR JPEG

interface Sections {
  version: number;
  width: number;
  height: number;
  /** From the signature through the image resources, as stored. */
  prefix: Buffer;
  resources: Buffer;
  /** Image data section (compression word + pixels), or null when the file ends before it. */
  imageData: Buffer | null;
  /** A negative layer count means the composite's first extra channel is its transparency. */
  globalAlpha: boolean;
}

async function u32(src: ByteSource, at: number): Promise<number | null> {
  const b = await src.read(at, 4);
  return b.length === 4 ? b.readUInt32BE(0) : null;
}

async function readSections(src: ByteSource): Promise<Sections> {
  const header = psdHeader(await src.read(0, PSD_HEADER_BYTES));
  if (!header) throw new Error('not a Photoshop file');
  const { version, width, height } = header;
  if (version !== 1 && version !== 2) throw new Error(`unknown PSD version ${version}`);
  if (header.resourcesAt === null) throw new Error('file ends in the header');
  const resStart = header.resourcesAt;
  const resLen = await u32(src, resStart);
  if (resLen === null) throw new Error('file ends before the image resources');
  const layersStart = resStart + 4 + resLen;
  const prefix = await src.read(0, layersStart);
  const resources = prefix.subarray(resStart + 4);
  const lenBytes = version === 2 ? 8 : 4;
  const lenBuf = await src.read(layersStart, lenBytes);
  let imageData: Buffer | null = null;
  let globalAlpha = false;
  if (lenBuf.length === lenBytes) {
    const layersLen = version === 2 ? Number(lenBuf.readBigUInt64BE(0)) : lenBuf.readUInt32BE(0);
    // Layer info: its own length, then a signed layer count.
    const info = await src.read(layersStart + lenBytes, lenBytes + 2);
    if (layersLen > 0 && info.length === lenBytes + 2) {
      const infoLen = version === 2 ? Number(info.readBigUInt64BE(0)) : info.readUInt32BE(0);
      globalAlpha = infoLen > 0 && info.readInt16BE(lenBytes) < 0;
    }
    const dataStart = layersStart + lenBytes + layersLen;
    if (dataStart + 2 < src.size) imageData = await src.read(dataStart, src.size - dataStart);
  }
  return { version, width, height, prefix, resources, imageData, globalAlpha };
}

/** The JPEG of the thumbnail resource (1036, or the older BGR 1033), if any. */
function thumbnailJpeg(resources: Buffer): { jpeg: Buffer; bgr: boolean } | null {
  const blocks = photoshopResources(resources);
  // The last 1036 if there is one, else the first 1033; each starts with a 28-byte header whose
  // first word is 1 (kJpegRGB).
  const isJpeg = (b: Uint8Array) =>
    b.length > 28 && Buffer.from(b.buffer, b.byteOffset, 4).readUInt32BE(0) === 1;
  const current = (blocks.get(THUMBNAIL_RESOURCE) ?? []).filter(isJpeg).at(-1);
  const old = (blocks.get(OLD_THUMBNAIL_RESOURCE) ?? []).filter(isJpeg)[0];
  const block = current ?? old;
  if (!block) return null;
  const jpeg = Buffer.from(block.buffer, block.byteOffset + 28, block.length - 28);
  return { jpeg, bgr: !current };
}

/** 16- and 32-bit composites down to 8 bits per channel for the thumbnail. */
function toRgba8(img: PixelData): Uint8Array | Uint8ClampedArray {
  const { data } = img;
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return data;
  const out = new Uint8Array(data.length);
  if (data instanceof Uint16Array) for (let i = 0; i < data.length; i++) out[i] = data[i]! >> 8;
  else {
    // 32-bit documents are linear light: apply a display gamma, keep alpha linear.
    for (let i = 0; i < data.length; i++) {
      const v = Math.min(1, Math.max(0, data[i]!));
      out[i] = Math.round((i % 4 === 3 ? v : Math.pow(v, 1 / 2.2)) * 255);
    }
  }
  return out;
}

let canvasFree = false;

/**
 * ag-psd allocates 8-bit pixel buffers through a canvas, which Node lacks; plain typed arrays
 * serve. Its thumbnail decoding (the one real canvas use) is never asked for here.
 */
function useCanvasFreeImageData(): void {
  if (canvasFree) return;
  canvasFree = true;
  initializeCanvas(
    () => {
      throw new Error('no canvas in this process');
    },
    (width, height) => ({ width, height, data: new Uint8ClampedArray(width * height * 4) }) as ImageData,
  );
}

async function renderComposite(s: Sections, maxEdge: number) {
  if (!s.imageData || s.width * s.height > MAX_COMPOSITE_PIXELS) return null;
  useCanvasFreeImageData();
  const emptyLayers = Buffer.alloc(s.version === 2 ? 8 : 4);
  const slim = Buffer.concat([s.prefix, emptyLayers, s.imageData]);
  const psd = readPsd(slim, {
    skipLayerImageData: true,
    skipThumbnail: true,
    skipLinkedFilesData: true,
    useImageData: true,
  });
  const img = psd.imageData;
  if (!img || !img.width || !img.height) return null;
  const pipeline = sharp(toRgba8(img), { raw: { width: img.width, height: img.height, channels: 4 } });
  // Extra channels of a document without global transparency are saved selections, not alpha.
  return encodeWebp(s.globalAlpha ? pipeline : pipeline.removeAlpha(), maxEdge);
}

async function renderThumbnailResource(s: Sections, maxEdge: number) {
  const thumb = thumbnailJpeg(s.resources);
  if (!thumb) return null;
  let img = sharp(thumb.jpeg, { failOn: 'none' });
  if (thumb.bgr)
    img = sharp(
      await img
        .recomb([
          [0, 0, 1],
          [0, 1, 0],
          [1, 0, 0],
        ])
        .png()
        .toBuffer(),
    );
  return encodeWebp(img, maxEdge);
}

export async function renderPsd(src: Buffer | string, maxEdge: number): Promise<RenderOutput> {
  const bytes = await openSource(src);
  try {
    let s: Sections;
    try {
      s = await readSections(bytes);
    } catch (err) {
      throw decodeError('not a valid PSD', err);
    }
    let compositeError: unknown = null;
    let out = null;
    try {
      out = await renderComposite(s, maxEdge);
    } catch (err) {
      if (hasErrorCode(err)) throw err;
      compositeError = err;
    }
    out ??= await renderThumbnailResource(s, maxEdge).catch(() => null);
    if (!out) {
      throw new Error(
        compositeError
          ? `unsupported PSD: ${shortMessage(compositeError)}`
          : 'PSD has no composite image or thumbnail',
      );
    }
    return { ...out, sourceWidth: s.width, sourceHeight: s.height, durationS: null };
  } finally {
    await bytes.close();
  }
}
