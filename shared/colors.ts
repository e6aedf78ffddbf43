// Colour vocabulary shared by the core (naming a picture's dominant colours, the color: filter)
// and the UI (swatches): a fixed palette of named colours, each in one of twelve searchable
// families, and the CIE Lab space they are compared in (Euclidean distance there, CIE76 ΔE,
// follows what people see far better than distance in RGB).

export const COLOR_FAMILIES = [
  'red',
  'orange',
  'yellow',
  'green',
  'teal',
  'blue',
  'purple',
  'pink',
  'brown',
  'black',
  'white',
  'gray',
] as const;
export type ColorFamily = (typeof COLOR_FAMILIES)[number];

/** A swatch per family, for the filter bar. */
export const FAMILY_SWATCH: Record<ColorFamily, string> = {
  red: '#d62828',
  orange: '#f77f00',
  yellow: '#f5d000',
  green: '#2a9d3a',
  teal: '#1a9c9c',
  blue: '#2d5fd3',
  purple: '#7b3fb5',
  pink: '#f06aa8',
  brown: '#8b5a2b',
  black: '#111111',
  white: '#f7f7f7',
  gray: '#8a8a8a',
};

/** One of a picture's dominant colours, as `show --json` and the inspector give it. */
export interface PaletteColor {
  hex: string;
  /** The nearest named colour (navy, crimson, ...). */
  name: string;
  family: ColorFamily;
  /** Fraction of the picture's (opaque) pixels nearest this colour, 0..1. */
  share: number;
}

/** CSS and common colour names; a colour is named after the nearest of these in Lab. */
const NAMED: readonly [string, string, ColorFamily][] = [
  ['red', '#ff0000', 'red'],
  ['crimson', '#dc143c', 'red'],
  ['firebrick', '#b22222', 'red'],
  ['dark red', '#8b0000', 'red'],
  ['maroon', '#800000', 'red'],
  ['tomato', '#ff6347', 'red'],
  ['orange', '#ffa500', 'orange'],
  ['dark orange', '#ff8c00', 'orange'],
  ['coral', '#ff7f50', 'orange'],
  ['light orange', '#ffb060', 'orange'],
  ['peach', '#ffcba4', 'orange'],
  ['yellow', '#ffff00', 'yellow'],
  ['gold', '#ffd700', 'yellow'],
  ['mustard', '#e1ad01', 'yellow'],
  ['khaki', '#f0e68c', 'yellow'],
  ['cream', '#fff5c0', 'yellow'],
  ['green', '#008000', 'green'],
  ['lime', '#00ff00', 'green'],
  ['dark green', '#006400', 'green'],
  ['forest green', '#228b22', 'green'],
  ['light green', '#90ee90', 'green'],
  ['sea green', '#2e8b57', 'green'],
  ['olive', '#808000', 'green'],
  ['olive drab', '#6b8e23', 'green'],
  ['yellow green', '#9acd32', 'green'],
  ['dark olive', '#3b4220', 'green'],
  ['teal', '#008080', 'teal'],
  ['cyan', '#00ffff', 'teal'],
  ['turquoise', '#40e0d0', 'teal'],
  ['dark cyan', '#005f5f', 'teal'],
  ['aquamarine', '#7fffd4', 'teal'],
  ['blue', '#0000ff', 'blue'],
  ['navy', '#000080', 'blue'],
  ['midnight blue', '#191970', 'blue'],
  ['royal blue', '#4169e1', 'blue'],
  ['steel blue', '#4682b4', 'blue'],
  ['dodger blue', '#1e90ff', 'blue'],
  ['cornflower blue', '#6495ed', 'blue'],
  ['sky blue', '#87ceeb', 'blue'],
  ['light blue', '#add8e6', 'blue'],
  ['denim', '#2b4a6f', 'blue'],
  ['purple', '#800080', 'purple'],
  ['indigo', '#4b0082', 'purple'],
  ['dark violet', '#9400d3', 'purple'],
  ['slate blue', '#6a5acd', 'purple'],
  ['lavender', '#b57edc', 'purple'],
  ['plum', '#dda0dd', 'purple'],
  ['violet', '#ee82ee', 'purple'],
  ['pink', '#ffc0cb', 'pink'],
  ['hot pink', '#ff69b4', 'pink'],
  ['deep pink', '#ff1493', 'pink'],
  ['magenta', '#ff00ff', 'pink'],
  ['salmon', '#fa8072', 'pink'],
  ['rose', '#c21e56', 'pink'],
  ['brown', '#8b4513', 'brown'],
  ['dark brown', '#4b2e1a', 'brown'],
  ['sienna', '#a0522d', 'brown'],
  ['burnt orange', '#cc5500', 'orange'],
  ['peru', '#cd853f', 'brown'],
  ['tan', '#d2b48c', 'brown'],
  ['beige', '#e8dcc0', 'brown'],
  ['taupe', '#8b7d6b', 'brown'],
  ['black', '#000000', 'black'],
  ['near black', '#1a1a1a', 'black'],
  ['white', '#ffffff', 'white'],
  ['ivory', '#fffff0', 'white'],
  ['white smoke', '#f2f2f2', 'white'],
  ['gray', '#808080', 'gray'],
  ['dim gray', '#5a5a5a', 'gray'],
  ['charcoal', '#36454f', 'gray'],
  ['silver', '#c0c0c0', 'gray'],
  ['light gray', '#d9d9d9', 'gray'],
  ['slate gray', '#708090', 'gray'],
];

/** Every colour name the palette knows (lower case), for `color:navy`. */
export const COLOR_NAMES: readonly string[] = NAMED.map(([n]) => n);

export type Lab = [number, number, number];

/** sRGB's transfer curve undone, per 8-bit value (looked up: a palette converts thousands of pixels). */
const LINEAR = Array.from({ length: 256 }, (_, c) => {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
});
function linear(c: number): number {
  if (Number.isInteger(c) && c >= 0 && c <= 255) return LINEAR[c]!;
  const v = Math.max(0, Math.min(255, c)) / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

/** sRGB (0..255) to CIE L*a*b* under D65. */
export function rgbToLab(r: number, g: number, b: number): Lab {
  const R = linear(r);
  const G = linear(g);
  const B = linear(b);
  const x = (0.4124564 * R + 0.3575761 * G + 0.1804375 * B) / 0.95047;
  const y = 0.2126729 * R + 0.7151522 * G + 0.072175 * B;
  const z = (0.0193339 * R + 0.119192 * G + 0.9503041 * B) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 / 116) * t + 16 / 116);
  const fx = f(x);
  const fy = f(y);
  const fz = f(z);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** CIE76 ΔE: about 2.3 is just noticeable, under 10 reads as the same colour, 25 as close. */
export function deltaE(p: Lab, q: Lab): number {
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

/** #rrggbb (or #rgb) to its three channels, or null. */
export function parseHex(s: string): [number, number, number] | null {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(s.trim());
  if (!m) return null;
  const h = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
}

export function toHex(r: number, g: number, b: number): string {
  const c = (v: number) =>
    Math.max(0, Math.min(255, Math.round(v)))
      .toString(16)
      .padStart(2, '0');
  return `#${c(r)}${c(g)}${c(b)}`;
}

const NAMED_LAB = NAMED.map(([name, hex, family]) => {
  const [r, g, b] = parseHex(hex)!;
  return { name, family, lab: rgbToLab(r, g, b) };
});

/** The nearest named colour and its family. */
export function nameColor(lab: Lab): { name: string; family: ColorFamily } {
  let best = NAMED_LAB[0]!;
  let bestD = Infinity;
  for (const n of NAMED_LAB) {
    const d = deltaE(lab, n.lab);
    if (d < bestD) {
      bestD = d;
      best = n;
    }
  }
  return { name: best.name, family: best.family };
}

/** The family a colour name belongs to (`navy` → blue), or undefined. */
export function familyOfName(name: string): ColorFamily | undefined {
  return NAMED.find(([n]) => n === name)?.[2];
}

/**
 * How close a picture's colour must be to a hex value for `color:#3366cc` (ΔE); and how much of
 * the picture a colour must cover to count for a family or a hex value (a red button on a grey
 * street does not make the photo red).
 */
export const COLOR_MATCH_DISTANCE = 20;
export const COLOR_MATCH_SHARE = 0.1;
