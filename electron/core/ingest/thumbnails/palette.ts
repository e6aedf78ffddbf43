// A picture's dominant colours from a small decode (the 64×64 a thumbnail is made of is plenty):
// median cut in RGB for a deterministic start, a few k-means rounds in Lab so clusters follow
// what people see, then near-equal clusters merged and slivers dropped. Pure: pixels in, palette out.
import { deltaE, nameColor, rgbToLab, toHex, type Lab, type PaletteColor } from '../../../../shared/colors';

/** Clusters sought before merging: enough for a busy photo, merged down for a flat one. */
const START_CLUSTERS = 8;
const ROUNDS = 8;
/** Two clusters closer than this (ΔE) are one colour to a viewer. */
const MERGE_DISTANCE = 12;
/** A colour covering less of the picture is not dominant. */
const MIN_SHARE = 0.03;
export const MAX_COLORS = 6;
/** At most this many pixels are looked at (an even sample of the decode): plenty for shares in %. */
const MAX_SAMPLES = 2048;

interface Cluster {
  lab: Lab;
  rgb: [number, number, number];
  count: number;
}

/**
 * Dominant colours, most covering first. `px` is interleaved 8-bit samples (1 grey, 2 grey+alpha,
 * 3 RGB or 4 RGBA); pixels under half opacity are not part of the picture. Empty for an empty
 * or fully transparent picture.
 */
export function paletteOf(px: Uint8Array, width: number, height: number, channels: number): PaletteColor[] {
  const total = width * height;
  if (total <= 0 || px.length < total * channels) return [];
  const step = Math.max(1, Math.ceil(Math.sqrt(total / MAX_SAMPLES)));
  const rgb: number[] = [];
  for (let y = 0; y < height; y += step)
    for (let x = 0; x < width; x += step) {
      const i = (y * width + x) * channels;
      const alpha = channels === 2 ? px[i + 1]! : channels === 4 ? px[i + 3]! : 255;
      if (alpha < 128) continue;
      if (channels >= 3) rgb.push(px[i]!, px[i + 1]!, px[i + 2]!);
      else rgb.push(px[i]!, px[i]!, px[i]!);
    }
  const n = rgb.length / 3;
  if (n === 0) return [];
  const lab: Lab[] = [];
  for (let i = 0; i < n; i++) lab.push(rgbToLab(rgb[3 * i]!, rgb[3 * i + 1]!, rgb[3 * i + 2]!));

  let clusters = medianCut(rgb, n, START_CLUSTERS).map((idx) => meanOf(idx, rgb));
  const assign = new Int32Array(n);
  for (let round = 0; round < ROUNDS; round++) {
    let moved = false;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      const [L, A, B] = lab[i]!;
      for (let c = 0; c < clusters.length; c++) {
        const q = clusters[c]!.lab;
        // Squared distance: the same nearest cluster as ΔE, without a square root per pair.
        const d = (L - q[0]) ** 2 + (A - q[1]) ** 2 + (B - q[2]) ** 2;
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      if (assign[i] !== best) moved = true;
      assign[i] = best;
    }
    const members: number[][] = clusters.map(() => []);
    for (let i = 0; i < n; i++) members[assign[i]!]!.push(i);
    clusters = members.filter((m) => m.length > 0).map((m) => meanOf(m, rgb));
    if (!moved && round > 0) break;
  }

  clusters = merge(clusters);
  return clusters
    .filter((c) => c.count / n >= MIN_SHARE)
    .sort((a, b) => b.count - a.count)
    .slice(0, MAX_COLORS)
    .map((c) => ({
      hex: toHex(...c.rgb),
      ...nameColor(c.lab),
      share: Math.round((c.count / n) * 1000) / 1000,
    }));
}

function meanOf(idx: number[], rgb: number[]): Cluster {
  let r = 0;
  let g = 0;
  let b = 0;
  for (const i of idx) {
    r += rgb[3 * i]!;
    g += rgb[3 * i + 1]!;
    b += rgb[3 * i + 2]!;
  }
  const k = Math.max(1, idx.length);
  // The centre in Lab is the Lab of the mean colour: close enough, and its hex is what is shown.
  const mean: [number, number, number] = [r / k, g / k, b / k];
  return { rgb: mean, lab: rgbToLab(...mean), count: idx.length };
}

/** Split the fullest, widest box at its median until there are `k` (or nothing left to split). */
function medianCut(rgb: number[], n: number, k: number): number[][] {
  const boxes: number[][] = [Array.from({ length: n }, (_, i) => i)];
  while (boxes.length < k) {
    let pick = -1;
    let pickScore = 0;
    let pickChannel = 0;
    boxes.forEach((box, bi) => {
      if (box.length < 2) return;
      for (let ch = 0; ch < 3; ch++) {
        let lo = 255;
        let hi = 0;
        for (const i of box) {
          const v = rgb[3 * i + ch]!;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        const score = (hi - lo) * box.length;
        if (score > pickScore) {
          pickScore = score;
          pick = bi;
          pickChannel = ch;
        }
      }
    });
    if (pick < 0) break;
    const box = boxes[pick]!.sort((a, b) => rgb[3 * a + pickChannel]! - rgb[3 * b + pickChannel]!);
    const mid = box.length >> 1;
    boxes.splice(pick, 1, box.slice(0, mid), box.slice(mid));
  }
  return boxes;
}

/** Merge the closest pair while it is closer than MERGE_DISTANCE (weighted by size). */
function merge(clusters: Cluster[]): Cluster[] {
  const out = [...clusters];
  for (;;) {
    let a = -1;
    let b = -1;
    let best = MERGE_DISTANCE;
    for (let i = 0; i < out.length; i++)
      for (let j = i + 1; j < out.length; j++) {
        const d = deltaE(out[i]!.lab, out[j]!.lab);
        if (d < best) {
          best = d;
          a = i;
          b = j;
        }
      }
    if (a < 0) return out;
    const x = out[a]!;
    const y = out[b]!;
    const count = x.count + y.count;
    const rgb = [0, 1, 2].map((c) => (x.rgb[c]! * x.count + y.rgb[c]! * y.count) / count) as [
      number,
      number,
      number,
    ];
    out.splice(b, 1);
    out[a] = { rgb, lab: rgbToLab(...rgb), count };
  }
}
