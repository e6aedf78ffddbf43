import type { FormatId } from '../formats/file-types';

export interface RenderInput {
  path: string;
  /** The whole file, when the caller already has it in memory (files up to 64 MB). */
  buffer?: Buffer;
  format: FormatId;
  maxEdge: number;
}

/**
 * A file of a format with a renderer that carries nothing to draw, and that is not a fault: a
 * .blend saved without its thumbnail, a USDZ of binary USD without a picture, an Office file saved
 * without a preview, an EPS with only a WMF preview and no Ghostscript. It keeps its type icon.
 */
export class NothingToDrawError extends Error {
  override name = 'NothingToDrawError';
}

export interface RenderOutput {
  /** Encoded WebP, long edge <= maxEdge, EXIF orientation already applied (upright pixels). */
  data: Buffer;
  /** Of the rendered thumbnail. */
  width: number;
  height: number;
  /** Pixel size of the full original as stored (before orientation), when known. */
  sourceWidth: number | null;
  sourceHeight: number | null;
  /** Videos only. */
  durationS: number | null;
  /** Perceptual hash of the rendered (upright) pixels, for finding exports of one picture. */
  dhash: bigint;
}
