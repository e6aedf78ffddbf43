import { aspectRatio, type CropAspect, type CropBox } from '../../../shared/crops';

// The crop editor's geometry, in fractions of the upright picture (as crops are stored). A fixed
// aspect is a shape in pixels; in fractions of a W × H picture its width over its height is
// ratio × H / W (`fractionRatio`), which every move and resize here keeps exactly, so the core's
// shape check (shared/crops.ts cropProblem) always passes.

/** The smallest side a box may shrink to, as a fraction of the picture. */
export const MIN_SIDE = 0.02;

export type Handle = 'n' | 's' | 'e' | 'w' | 'ne' | 'nw' | 'se' | 'sw';
export const HANDLES: readonly Handle[] = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'];

/** Width over height of the aspect's box in fractions of a width × height picture; null for free. */
export function fractionRatio(aspect: CropAspect, width: number, height: number): number | null {
  const r = aspectRatio(aspect);
  if (r === null || width <= 0 || height <= 0) return null;
  return (r * height) / width;
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/** The box moved by (dx, dy), kept inside the picture. */
export function moveBox(box: CropBox, dx: number, dy: number): CropBox {
  return {
    ...box,
    x: clamp(box.x + dx, 0, 1 - box.w),
    y: clamp(box.y + dy, 0, 1 - box.h),
  };
}

/** The smallest width a box of fraction ratio k may have (both of its sides at least MIN_SIDE). */
const minWidth = (k: number | null) => (k === null ? MIN_SIDE : Math.max(MIN_SIDE, MIN_SIDE * k));

/**
 * The box with one handle dragged to the point (px, py): the opposite corner or side stays put;
 * with a fixed aspect (k) the box keeps its shape (a side handle grows it about the middle of
 * the other axis), never leaving the picture nor shrinking below MIN_SIDE.
 */
export function resizeBox(box: CropBox, handle: Handle, px: number, py: number, k: number | null): CropBox {
  const east = handle.includes('e');
  const west = handle.includes('w');
  const south = handle.includes('s');
  const north = handle.includes('n');
  // The fixed edges: the opposite side of each axis the handle moves.
  const ax = east ? box.x : box.x + box.w;
  const ay = south ? box.y : box.y + box.h;
  const roomX = east ? 1 - ax : ax;
  const roomY = south ? 1 - ay : ay;
  const pointerW = east ? px - ax : ax - px;
  const pointerH = south ? py - ay : ay - py;

  if (k === null) {
    const w = east || west ? clamp(pointerW, MIN_SIDE, roomX) : box.w;
    const h = north || south ? clamp(pointerH, MIN_SIDE, roomY) : box.h;
    return {
      x: east || west ? (east ? ax : ax - w) : box.x,
      y: north || south ? (south ? ay : ay - h) : box.y,
      w,
      h,
    };
  }

  const corner = (east || west) && (north || south);
  if (corner) {
    // Follow whichever of the pointer's two distances asks for the larger box.
    let w = Math.max(pointerW, pointerH * k);
    w = clamp(w, minWidth(k), Math.min(roomX, roomY * k));
    const h = w / k;
    return { x: east ? ax : ax - w, y: south ? ay : ay - h, w, h };
  }
  if (east || west) {
    // Grows about the box's middle height.
    const cy = box.y + box.h / 2;
    let w = clamp(pointerW, minWidth(k), Math.min(roomX, 2 * Math.min(cy, 1 - cy) * k));
    w = Math.max(w, 0);
    const h = w / k;
    return { x: east ? ax : ax - w, y: cy - h / 2, w, h };
  }
  const cx = box.x + box.w / 2;
  let h = clamp(pointerH, minWidth(k) / k, Math.min(roomY, (2 * Math.min(cx, 1 - cx)) / k));
  h = Math.max(h, 0);
  const w = h * k;
  return { x: cx - w / 2, y: south ? ay : ay - h, w, h };
}

/**
 * Shift+arrows: the right and bottom edges move by (dw, dh) (the top left corner stays); with a
 * fixed aspect the other side follows.
 */
export function growBox(box: CropBox, dw: number, dh: number, k: number | null): CropBox {
  if (k === null) return resizeBox(box, 'se', box.x + box.w + dw, box.y + box.h + dh, null);
  const w = box.w + (dw !== 0 ? dw : dh * k);
  return resizeBox(box, 'se', box.x + w, box.y + w / k, k);
}

/** The same box (within rounding): a crop saved unchanged is no edit. */
export function sameBox(a: CropBox, b: CropBox): boolean {
  const eq = (x: number, y: number) => Math.abs(x - y) < 1e-9;
  return eq(a.x, b.x) && eq(a.y, b.y) && eq(a.w, b.w) && eq(a.h, b.h);
}
