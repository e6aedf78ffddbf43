import { DECODE_OPTIONS, decodeError, encodeWebp, sharp } from './encode';
import type { RenderOutput } from './types';

// librsvg rasterises without running scripts or fetching remote resources, and sharp hands it
// the bytes with no base URL, so relative file references cannot be followed either.

const MIN_DENSITY = 1;
const MAX_DENSITY = 2400;

/**
 * Vector art is drawn at the size it will be shown, rather than at 72 dpi and scaled, so small
 * icons come out crisp. Transparency is kept (WebP has alpha).
 */
export async function renderSvg(src: Buffer | string, maxEdge: number): Promise<RenderOutput> {
  try {
    const meta = await sharp(src, DECODE_OPTIONS).metadata();
    const w = meta.width ?? 0;
    const h = meta.height ?? 0;
    if (!w || !h) throw new Error('no drawable size');
    const density = Math.min(MAX_DENSITY, Math.max(MIN_DENSITY, (72 * maxEdge) / Math.max(w, h)));
    const out = await encodeWebp(sharp(src, { ...DECODE_OPTIONS, density }), maxEdge, true);
    return { ...out, sourceWidth: w, sourceHeight: h, durationS: null };
  } catch (err) {
    throw decodeError('not a valid SVG', err);
  }
}
