import { describe, expect, it } from 'vitest';
import {
  centreCrop,
  cropPixels,
  cropProblem,
  parseCropBox,
  uprightSize,
  type CropBox,
} from '../../shared/crops';

const shape = (b: CropBox, w: number, h: number) => (b.w * w) / (b.h * h);

describe('crop math', () => {
  it('centres the largest box of each aspect, in pixels of the shape asked', () => {
    // Landscape 3000×2000: a square is full height, centred across.
    const sq = centreCrop('1:1', 3000, 2000);
    expect(sq.h).toBeCloseTo(1);
    expect(sq.x).toBeCloseTo((1 - 2000 / 3000) / 2);
    expect(shape(sq, 3000, 2000)).toBeCloseTo(1);
    expect(cropPixels(sq, 3000, 2000)).toEqual({ left: 500, top: 0, width: 2000, height: 2000 });
    // 16:9 of a 3:2 picture: full width, less tall.
    const wide = centreCrop('16:9', 3000, 2000);
    expect(wide.w).toBeCloseTo(1);
    expect(cropPixels(wide, 3000, 2000)).toEqual({ left: 0, top: 156, width: 3000, height: 1688 });
    // 4:5 of a portrait 2000×3000: full width.
    const port = centreCrop('4:5', 2000, 3000);
    expect(port.w).toBeCloseTo(1);
    expect(shape(port, 2000, 3000)).toBeCloseTo(0.8);
    expect(centreCrop('free', 10, 10)).toEqual({ x: 0, y: 0, w: 1, h: 1 });
  });

  it('measures crops in the upright picture: orientations 5-8 swap width and height', () => {
    expect(uprightSize(3000, 2000, 6)).toEqual({ width: 2000, height: 3000 });
    expect(uprightSize(3000, 2000, 8)).toEqual({ width: 2000, height: 3000 });
    expect(uprightSize(3000, 2000, 3)).toEqual({ width: 3000, height: 2000 });
    expect(uprightSize(3000, 2000, null)).toEqual({ width: 3000, height: 2000 });
    // A 4:5 crop of a stored-landscape file turned a quarter (orientation 6) is full width upright.
    const up = uprightSize(3000, 2000, 6);
    const box = centreCrop('4:5', up.width, up.height);
    expect(cropPixels(box, up.width, up.height)).toEqual({ left: 0, top: 250, width: 2000, height: 2500 });
    // The same box is not a 4:5 box of the stored (sideways) picture.
    expect(cropProblem('4:5', box, up.width, up.height)).toBeNull();
    expect(cropProblem('4:5', box, 3000, 2000)).toMatch(/4:5 box of this 3000×2000 picture/);
  });

  it('refuses boxes outside the picture, empty, or of another shape, and keeps pixels inside', () => {
    expect(cropProblem('free', { x: 0.5, y: 0, w: 0.6, h: 1 }, 100, 100)).toMatch(/inside the picture/);
    expect(cropProblem('free', { x: 0, y: 0, w: 0, h: 1 }, 100, 100)).toMatch(/inside the picture/);
    expect(cropProblem('free', { x: 0.1, y: 0.2, w: 0.3, h: 0.1 }, 100, 100)).toBeNull();
    expect(cropProblem('1:1', { x: 0, y: 0, w: 0.5, h: 0.5 }, 200, 100)).toMatch(/1:1 box/);
    expect(cropProblem('1:1', { x: 0, y: 0, w: 0.25, h: 0.5 }, 200, 100)).toBeNull();
    expect(cropPixels({ x: 0.999, y: 0.999, w: 0.001, h: 0.001 }, 10, 10)).toEqual({
      left: 9,
      top: 9,
      width: 1,
      height: 1,
    });
  });

  it('reads x,y,w,h as typed', () => {
    expect(parseCropBox('0.1, 0.2,0.5,.25')).toEqual({ x: 0.1, y: 0.2, w: 0.5, h: 0.25 });
    expect(parseCropBox('0.1,0.2,0.5')).toBeNull();
    expect(parseCropBox('a,b,c,d')).toBeNull();
  });
});
