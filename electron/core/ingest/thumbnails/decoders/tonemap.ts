import type { Pixels } from './pixels';

// High-dynamic-range pixels (OpenEXR, Radiance, PFM) hold linear light with no upper bound. The
// preview scales them so the scene's log-average luminance lands at middle grey, compresses
// highlights with Reinhard's operator (L / (1 + L)) and encodes sRGB: a bright window keeps detail
// instead of clipping, and a dark render is not black.

const KEY = 0.18;

function srgb(v: number): number {
  const c = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
  return Math.round(Math.max(0, Math.min(1, c)) * 255);
}

export function toneMap(px: Pixels): Pixels & { data: Uint8Array } {
  const { width, height, channels } = px;
  const src = px.data as Float32Array;
  const colour = channels >= 3;
  const n = width * height;
  const lum = (i: number): number => {
    const o = i * channels;
    const v = colour ? 0.2126 * src[o]! + 0.7152 * src[o + 1]! + 0.0722 * src[o + 2]! : src[o]!;
    return Number.isFinite(v) && v > 0 ? v : 0;
  };
  let logSum = 0;
  const step = Math.max(1, Math.floor(n / 262144)); // a sample is enough for the average
  let samples = 0;
  for (let i = 0; i < n; i += step, samples++) logSum += Math.log(1e-6 + lum(i));
  const average = Math.exp(logSum / Math.max(1, samples));
  const scale = KEY / Math.max(average, 1e-6);
  const out = new Uint8Array(n * channels);
  for (let i = 0; i < n; i++) {
    const o = i * channels;
    const l = lum(i) * scale;
    const ratio = l > 0 ? 1 / (1 + l) : 0;
    const colours = colour ? 3 : 1;
    for (let c = 0; c < colours; c++) {
      const v = src[o + c]!;
      out[o + c] = srgb(Number.isFinite(v) && v > 0 ? v * scale * ratio : 0);
    }
    // Alpha (the 2nd or 4th channel) is coverage, not light: kept as it is.
    if (channels === 2 || channels === 4) {
      const a = src[o + channels - 1]!;
      out[o + channels - 1] = Math.round(Math.max(0, Math.min(1, Number.isFinite(a) ? a : 1)) * 255);
    }
  }
  return { width, height, channels, data: out };
}
