import { DECODE_OPTIONS, decodeError, encodeWebp, sharp } from './encode';
import type { RenderOutput } from './types';

const LABEL: Record<string, string> = {
  jpeg: 'not a valid JPEG',
  png: 'not a valid PNG',
  webp: 'not a valid WebP',
  gif: 'not a valid GIF',
  tiff: 'not a valid TIFF',
  avif: 'not a valid AVIF',
  heic: 'corrupt HEIC',
};

/**
 * JPEG, PNG, WebP, GIF (first frame), TIFF (first page) and AVIF through libvips. Given a path,
 * sharp streams the file itself, so big TIFFs are never loaded whole into the JS heap.
 */
export async function renderRaster(
  src: Buffer | string,
  format: string,
  maxEdge: number,
): Promise<RenderOutput> {
  try {
    const img = sharp(src, DECODE_OPTIONS);
    const meta = await img.metadata();
    const out = await encodeWebp(img.autoOrient(), maxEdge);
    return {
      ...out,
      sourceWidth: meta.width ?? null,
      sourceHeight: meta.pageHeight ?? meta.height ?? null,
      durationS: null,
    };
  } catch (err) {
    throw decodeError(LABEL[format] ?? `cannot decode ${format.toUpperCase()}`, err);
  }
}
