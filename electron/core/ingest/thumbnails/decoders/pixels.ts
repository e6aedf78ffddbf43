import { LIMITS } from '../../../formats/limits';

/** Decoded pixels, interleaved, top row first: 8-bit, or linear floats (HDR formats) to tone-map. */
export interface Pixels {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  data: Uint8Array | Float32Array;
}

/** A file this decoder cannot read, worded for the user ("damaged BMP: …", "unsupported PCX: …"). */
export class DecodeError extends Error {
  override name = 'DecodeError';
}

/**
 * Refuses, before anything is allocated, a picture whose header claims more pixels than
 * LIMITS.decodePixels: a crafted 100000×100000 header must not make us allocate 40 GB.
 */
export function checkPixelBudget(width: number, height: number, what: string): void {
  if (!(width > 0 && height > 0))
    throw new DecodeError(`damaged ${what}: impossible size ${width}×${height}`);
  const mp = (width * height) / 1e6;
  if (width * height > LIMITS.decodePixels)
    throw new DecodeError(
      `${what} too large to preview (${width}×${height}, ${mp >= 10 ? Math.round(mp) : mp.toFixed(1)} megapixels; the limit is ${LIMITS.decodePixels / 1e6})`,
    );
}
