import { describe, expect, it } from 'vitest';
import { centreCrop, cropProblem, type CropBox } from '../../shared/crops';
import { fractionRatio, growBox, MIN_SIDE, moveBox, resizeBox } from '../../renderer/src/lib/crop-edit';

// The crop editor's geometry: whatever the gesture, a fixed aspect's box keeps the shape the core
// asks for (cropProblem is the core's own check) and stays inside the picture.
const W = 1200;
const H = 800;
const inside = (b: CropBox) => b.x >= -1e-9 && b.y >= -1e-9 && b.x + b.w <= 1 + 1e-9 && b.y + b.h <= 1 + 1e-9;

describe('crop editor geometry', () => {
  it('moves a box, never out of the picture', () => {
    const b = { x: 0.2, y: 0.2, w: 0.5, h: 0.5 };
    expect(moveBox(b, 0.1, -0.05)).toEqual({
      x: 0.30000000000000004,
      y: 0.15000000000000002,
      w: 0.5,
      h: 0.5,
    });
    expect(moveBox(b, 5, -5)).toEqual({ x: 0.5, y: 0, w: 0.5, h: 0.5 });
  });

  it('resizes from each handle keeping a fixed aspect in pixels, inside the picture', () => {
    for (const aspect of ['1:1', '4:5', '16:9'] as const) {
      const k = fractionRatio(aspect, W, H)!;
      const start = centreCrop(aspect, W, H);
      for (const handle of ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'] as const)
        for (const [px, py] of [
          [0.5, 0.5],
          [-1, -1],
          [2, 2],
          [0.3, 0.9],
          [0.9, 0.1],
        ] as const) {
          const b = resizeBox(start, handle, px, py, k);
          expect(inside(b), `${aspect} ${handle} ${px},${py}`).toBe(true);
          expect(cropProblem(aspect, b, W, H), `${aspect} ${handle} ${px},${py}`).toBeNull();
          expect(Math.min(b.w, b.h)).toBeGreaterThanOrEqual(MIN_SIDE - 1e-9);
        }
    }
  });

  it('keeps the opposite corner where it was while a corner handle is dragged', () => {
    const k = fractionRatio('1:1', W, H)!;
    const start = centreCrop('1:1', W, H); // 800×800 px at x = 200 px
    // The top left handle dragged to the middle of the picture: the bottom right corner stays.
    const b = resizeBox(start, 'nw', 0.5, 0.5, k);
    expect(b.x + b.w).toBeCloseTo(start.x + start.w);
    expect(b.y + b.h).toBeCloseTo(1);
    expect(b.w * W).toBeCloseTo(b.h * H);
    expect(b.h).toBeCloseTo(0.5);
  });

  it('resizes a free box edge by edge, any shape', () => {
    const b = resizeBox({ x: 0, y: 0, w: 1, h: 1 }, 'e', 0.4, 0.9, null);
    expect(b).toEqual({ x: 0, y: 0, w: 0.4, h: 1 });
    const c = resizeBox(b, 'n', 0.1, 0.25, null);
    expect(c).toEqual({ x: 0, y: 0.25, w: 0.4, h: 0.75 });
    // Dragged past the opposite edge: the box keeps its smallest size instead of turning over.
    expect(resizeBox(c, 'w', 0.9, 0.5, null).w).toBeCloseTo(MIN_SIDE);
  });

  it('grows and shrinks from the bottom right with Shift+arrows, the aspect kept', () => {
    const k = fractionRatio('16:9', W, H)!;
    const start = { x: 0, y: 0, w: 0.5, h: 0.5 / k };
    const smaller = growBox(start, -0.01, 0, k);
    expect(smaller.w).toBeCloseTo(0.49);
    expect(cropProblem('16:9', smaller, W, H)).toBeNull();
    const taller = growBox(start, 0, 0.01, k);
    expect(taller.h).toBeCloseTo(start.h + 0.01);
    expect(cropProblem('16:9', taller, W, H)).toBeNull();
    expect(growBox({ x: 0, y: 0, w: 0.5, h: 0.5 }, 0.01, 0, null)).toEqual({ x: 0, y: 0, w: 0.51, h: 0.5 });
  });
});
