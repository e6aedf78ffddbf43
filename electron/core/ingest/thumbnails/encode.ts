import sharp, { type Sharp } from 'sharp';
import { dhashOf } from './dhash';

// Shared sharp settings and the WebP encoder every renderer ends with.

// Every input is new (one pass over a library), so libvips' operation cache only costs memory.
sharp.cache(false);

export { sharp };

/**
 * Truncated files still render what decodes (the rest comes out grey); data sharp cannot
 * recognise at all still throws. The default pixel limit (~268 MP) stays on so a crafted or
 * giant image cannot exhaust memory.
 */
export const DECODE_OPTIONS = { failOn: 'none', limitInputPixels: true } as const;

/**
 * Effort 0 (libwebp's fastest method): on camera photos at 512 px it measured the same PSNR as
 * effort 1 (34.8 dB at quality 78) for 23 % fewer instructions per encode and ~6 % larger files
 * (35 KB instead of 33 KB). Quality sets the loss; effort only how hard the encoder compresses.
 */
const WEBP = { quality: 78, effort: 0 } as const;

export interface Encoded {
  data: Buffer;
  width: number;
  height: number;
  /** Perceptual hash of the thumbnail's upright pixels (see dhash.ts). */
  dhash: bigint;
}

/**
 * Fits the image inside maxEdge and encodes WebP. The resize is the pipeline's only geometry
 * step, so JPEG shrink-on-load (decoding at 1/2, 1/4 or 1/8 scale) stays in effect.
 */
export async function encodeWebp(img: Sharp, maxEdge: number, enlarge = false): Promise<Encoded> {
  // Resized pixels first, then WebP from them: the perceptual hash reads the same pixels, so the
  // file is decoded once for both.
  const { data: px, info } = await img
    .resize({ width: maxEdge, height: maxEdge, fit: 'inside', withoutEnlargement: !enlarge })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raw = { width: info.width, height: info.height, channels: info.channels };
  const data = await sharp(px, { raw }).webp(WEBP).toBuffer();
  return {
    data,
    width: info.width,
    height: info.height,
    dhash: dhashOf(px, raw.width, raw.height, raw.channels),
  };
}

/** OS errors keep their code so the caller can tell "permission denied" and retry transient ones. */
export function hasErrorCode(err: unknown): boolean {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string';
}

/** "Premature end" reads better mid-sentence as "premature end"; "HEIF ..." stays "HEIF ...". */
export function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

/** First line of an error, without libvips' loader prefixes ("VipsJpeg: ..."). */
export function shortMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : typeof err === 'string' ? err : String(err);
  let line = (raw.split('\n').find((l) => l.trim()) ?? 'unknown error').trim();
  line = line
    .replace(/\b(?:Vips\w*|vips_\w+|\w+load(?:_\w+)?):\s*/gi, '')
    .replace(/^input (?:buffer|file) has /i, '');
  if (/unsupported image format/i.test(line)) return 'unrecognised image data';
  if (/exceeds pixel limit/i.test(line)) return 'image too large to preview (over 268 megapixels)';
  if (/^Input (?:Buffer|file) is empty/i.test(line)) return 'empty file';
  line = line.replace(/:\s*$/, '').replace(/[\x00-\x1f\x7f]/g, '?');
  const msg = lowerFirst(line);
  return msg.length > 200 ? `${msg.slice(0, 197)}...` : msg;
}

/** A decoder failure as one readable line, e.g. "not a valid JPEG: premature end of JPEG file". */
export function decodeError(label: string, err: unknown): Error {
  if (hasErrorCode(err)) return err as Error;
  return new Error(`${label}: ${shortMessage(err)}`);
}
