import type { Asset } from '../../../shared/model';

/** Long edge of the large previews the core makes (electron/core/media.ts PREVIEW_EDGE). */
const PREVIEW_EDGE = 2048;

/** Width / height as displayed: EXIF orientations 5-8 turn the stored pixel size by 90°. */
export function displayRatio(a: Asset): number | null {
  if (!a.width || !a.height) return null;
  const turned = a.orientation !== null && a.orientation >= 5 && a.orientation <= 8;
  return turned ? a.height / a.width : a.width / a.height;
}

/** The pixel size the large preview will have, before it has loaded (null when unknown). */
export function expectedPreviewSize(a: Asset): { w: number; h: number } | null {
  const ratio = displayRatio(a);
  if (ratio === null) return null;
  const long = Math.min(PREVIEW_EDGE, Math.max(a.width!, a.height!));
  return ratio >= 1 ? { w: long, h: long / ratio } : { w: long * ratio, h: long };
}

/** Pictures are shown at most this much larger than their pixels: a tiny image blown up to fill a screen looks broken. */
export const MAX_UPSCALE = 2;
