import type { DecodedImage } from './analyser';

/**
 * Where text is likely, cheaply (OCR costs seconds a picture; `ocr auto` runs it only where one of
 * these rules fires, and the rule is kept with the result):
 * - `name`: the file is named like a screenshot, a scan or a document (Screenshot 2024…, Scan_003);
 * - `screenshot`: a PNG at a screen's exact size (1920×1080, a phone's 1179×2556, …);
 * - `strokes`: rows of small, sharp, two-tone cells, as letters make, on a grey image of at most
 *   about 512 px (a text line is several such cells side by side; grass, gravel and fur are
 *   textured too but in many grey levels, not two).
 */
export type TextRule = 'name' | 'screenshot' | 'strokes';

const NAME =
  /(^|[^a-z])(screen ?shots?|screencap|screen[-_ ]?captures?|scan(ned|s)?|receipts?|invoices?|documents?|posters?|whiteboard|slides?|capture d.écran|bildschirmfoto)([^a-z]|$)/i;

/** Long and short edges of common screens (desktop, laptop, tablet, phone), in pixels. */
const SCREENS: readonly [number, number][] = [
  [1024, 768],
  [1280, 720],
  [1280, 800],
  [1280, 1024],
  [1366, 768],
  [1440, 900],
  [1536, 864],
  [1600, 900],
  [1680, 1050],
  [1920, 1080],
  [1920, 1200],
  [2048, 1536],
  [2560, 1440],
  [2560, 1600],
  [2732, 2048],
  [2880, 1800],
  [3024, 1964],
  [3456, 2234],
  [3840, 2160],
  [5120, 2880],
  [1334, 750],
  [1792, 828],
  [1920, 1080],
  [2208, 1242],
  [2340, 1080],
  [2400, 1080],
  [2436, 1125],
  [2532, 1170],
  [2556, 1179],
  [2688, 1242],
  [2778, 1284],
  [2796, 1290],
];

/** Side of a cell of the grey image, in its pixels. */
const CELL = 12;
/** A step between neighbours at least this large is a stroke's edge (of 255). */
const EDGE = 48;

function screenSized(w: number, h: number): boolean {
  const long = Math.max(w, h);
  const short = Math.min(w, h);
  return SCREENS.some(([a, b]) => a === long && b === short);
}

/** The picture in grey, sampled down to at most `edge` pixels on its long side (nearest pixel: cheap, and keeps edges sharp). */
function grey(image: DecodedImage, edge: number): { g: Uint8Array; w: number; h: number } {
  const step = Math.max(1, Math.ceil(Math.max(image.width, image.height) / edge));
  const w = Math.floor(image.width / step);
  const h = Math.floor(image.height / step);
  const g = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * step * image.width + x * step) * 3;
      g[y * w + x] = (image.data[i]! * 77 + image.data[i + 1]! * 150 + image.data[i + 2]! * 29) >> 8;
    }
  return { g, w, h };
}

/** Whether one cell looks like part of a letter row: sharp edges across and along, in two tones. */
function textCell(g: Uint8Array, w: number, x0: number, y0: number): boolean {
  let min = 255;
  let max = 0;
  for (let y = y0; y < y0 + CELL; y++)
    for (let x = x0; x < x0 + CELL; x++) {
      const v = g[y * w + x]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  if (max - min < 70) return false;
  const lo = min + (max - min) * 0.3;
  const hi = max - (max - min) * 0.3;
  let across = 0;
  let along = 0;
  let mid = 0;
  for (let y = y0; y < y0 + CELL; y++)
    for (let x = x0; x < x0 + CELL; x++) {
      const v = g[y * w + x]!;
      if (v > lo && v < hi) mid++;
      if (x + 1 < x0 + CELL && Math.abs(v - g[y * w + x + 1]!) >= EDGE) across++;
      if (y + 1 < y0 + CELL && Math.abs(v - g[(y + 1) * w + x]!) >= EDGE) along++;
    }
  const n = CELL * CELL;
  return across / n >= 0.04 && across / n <= 0.45 && along / n >= 0.02 && mid / n <= 0.3;
}

/**
 * Figures of the stroke rule on a grey image of at most `edge` pixels: cells that look like
 * letters, and how many of them stand in rows (three side by side at least, as a word does).
 * In text nearly all of them do; in a photo most are specks (a star, an eye, a button).
 */
export function strokeScore(image: DecodedImage, edge: number): { rowCells: number; textCells: number } {
  const { g, w, h } = grey(image, edge);
  const cols = Math.floor(w / CELL);
  const rows = Math.floor(h / CELL);
  let rowCells = 0;
  let textCells = 0;
  for (let r = 0; r < rows; r++) {
    let run = 0;
    for (let c = 0; c <= cols; c++) {
      if (c < cols && textCell(g, w, c * CELL, r * CELL)) {
        run++;
        textCells++;
      } else {
        if (run >= 3) rowCells += run;
        run = 0;
      }
    }
  }
  return { rowCells, textCells };
}

/**
 * The rule that says text is likely in this picture, or null. Two scales: 512 px finds the
 * small print of a page or a screen, 256 px the big letters of a sign or a poster. Tuned on
 * skimage's photos (none of astronaut, coffee, coins, horse, hubble, rocket, motorcycle, grass,
 * gravel nor Grace Hopper's portrait fires; a photographed book page and rendered text do).
 */
export function textLikely(image: DecodedImage, file: { name: string; format: string }): TextRule | null {
  if (NAME.test(file.name)) return 'name';
  if (file.format === 'png' && screenSized(image.sourceWidth, image.sourceHeight)) return 'screenshot';
  for (const edge of [512, 256]) {
    const { rowCells, textCells } = strokeScore(image, edge);
    if (rowCells >= 8 && rowCells >= textCells * 0.6) return 'strokes';
  }
  return null;
}
