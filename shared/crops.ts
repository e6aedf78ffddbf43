// Per-aspect crops: a non-destructive framing of a picture for each channel's shape, kept in the
// catalogue and the sidecar. A box is normalised (0..1) in the picture as it is shown: upright,
// after its EXIF orientation, so the same numbers hold whatever the file's stored rotation.

export const CROP_ASPECTS = ['1:1', '4:5', '16:9', 'free'] as const;
export type CropAspect = (typeof CROP_ASPECTS)[number];

export interface CropBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface AssetCrop {
  aspect: CropAspect;
  box: CropBox;
  /** When it was set (ms since 1970). */
  at: number;
}

export function isCropAspect(v: unknown): v is CropAspect {
  return typeof v === 'string' && (CROP_ASPECTS as readonly string[]).includes(v);
}

/** Width over height of an aspect; null for free. */
export function aspectRatio(aspect: CropAspect): number | null {
  if (aspect === 'free') return null;
  const [w, h] = aspect.split(':').map(Number);
  return w! / h!;
}

/** The size of a picture as shown: EXIF orientations 5 to 8 turn it a quarter. */
export function uprightSize(
  width: number,
  height: number,
  orientation: number | null | undefined,
): { width: number; height: number } {
  return (orientation ?? 1) >= 5 ? { width: height, height: width } : { width, height };
}

/** The largest box of the aspect in the middle of a width × height picture (the whole one for free). */
export function centreCrop(aspect: CropAspect, width: number, height: number): CropBox {
  const r = aspectRatio(aspect);
  if (r === null || width <= 0 || height <= 0) return { x: 0, y: 0, w: 1, h: 1 };
  // In pixels: as wide as fits, then as tall as the aspect asks; or the other way round.
  const pw = Math.min(width, height * r);
  const ph = pw / r;
  const w = pw / width;
  const h = ph / height;
  return { x: (1 - w) / 2, y: (1 - h) / 2, w, h };
}

/** Whole pixels of a box in a width × height picture, at least 1 × 1 and inside it. */
export function cropPixels(
  box: CropBox,
  width: number,
  height: number,
): { left: number; top: number; width: number; height: number } {
  const left = Math.min(width - 1, Math.max(0, Math.round(box.x * width)));
  const top = Math.min(height - 1, Math.max(0, Math.round(box.y * height)));
  const right = Math.min(width, Math.max(left + 1, Math.round((box.x + box.w) * width)));
  const bottom = Math.min(height, Math.max(top + 1, Math.round((box.y + box.h) * height)));
  return { left, top, width: right - left, height: bottom - top };
}

/** How far a box's shape may be from its aspect (a rounding of the editor or of a typed box). */
const RATIO_TOLERANCE = 0.01;

/**
 * Why a box cannot be an aspect's crop of a width × height picture (null when it can): it must lie
 * inside the picture, have an area, and (but for free) have the aspect's shape in pixels.
 */
export function cropProblem(aspect: CropAspect, box: CropBox, width: number, height: number): string | null {
  const { x, y, w, h } = box;
  if (![x, y, w, h].every((v) => Number.isFinite(v))) return 'the box needs four numbers x,y,w,h';
  if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > 1 + 1e-6 || y + h > 1 + 1e-6)
    return 'the box must lie inside the picture: x,y ≥ 0, w,h > 0, x+w ≤ 1, y+h ≤ 1 (fractions of its width and height)';
  const r = aspectRatio(aspect);
  if (r === null || width <= 0 || height <= 0) return null;
  const shape = (w * width) / (h * height);
  if (Math.abs(shape / r - 1) > RATIO_TOLERANCE) {
    const fit = centreCrop(aspect, width, height);
    return (
      `a ${aspect} box of this ${width}×${height} picture is ${fit.w.toFixed(4)} wide for each ` +
      `${fit.h.toFixed(4)} of height (the centred one: ${[fit.x, fit.y, fit.w, fit.h].map((v) => v.toFixed(4)).join(',')}); ` +
      `this one is ${(shape >= 1 ? shape : 1 / shape).toFixed(3)}:1`
    );
  }
  return null;
}

/** "x,y,w,h" as the CLI takes it. */
export function parseCropBox(text: string): CropBox | null {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length !== 4 || parts.some((p) => !/^-?(\d+\.?\d*|\.\d+)$/.test(p))) return null;
  const [x, y, w, h] = parts.map(Number) as [number, number, number, number];
  return { x, y, w, h };
}
