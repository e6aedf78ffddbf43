// Rendition presets: how a catalogued picture becomes a file for a channel (the web, social, print,
// a CMS) or an export. The built-in ones are always there; a user's are kept in the catalogue.

import type { CropAspect } from './crops';

export const RENDITION_FORMATS = ['jpeg', 'webp', 'avif', 'original'] as const;
export type RenditionFormat = (typeof RENDITION_FORMATS)[number];

export interface RenditionPreset {
  name: string;
  /** Fit inside this many pixels on the long edge (never enlarged); null keeps the full size. */
  longEdge: number | null;
  format: RenditionFormat;
  /** 1-100, for JPEG, WebP and AVIF. */
  quality: number;
  /** GPS position and camera/lens serial numbers are left out unless the preset keeps them. */
  keepGps: boolean;
  keepSerials: boolean;
  /** Words drawn over the picture (bottom right), or none. */
  watermark: string | null;
  /** The file's name without its extension: {name} {id} {date} {preset} {title}. */
  fileName: string;
  /**
   * Frame the picture to this aspect: the asset's crop of it (assets.setCrop, dam crop), else the
   * largest centred box of that shape (free without a crop: the whole picture). None: uncropped.
   */
  aspect?: CropAspect | null;
  builtIn: boolean;
}

export const BUILT_IN_PRESETS: readonly RenditionPreset[] = [
  {
    name: 'web',
    longEdge: 2048,
    format: 'jpeg',
    quality: 82,
    keepGps: false,
    keepSerials: false,
    watermark: null,
    fileName: '{name}',
    builtIn: true,
  },
  {
    name: 'social',
    longEdge: 1080,
    format: 'jpeg',
    quality: 85,
    keepGps: false,
    keepSerials: false,
    watermark: null,
    fileName: '{name}-social',
    builtIn: true,
  },
  {
    name: 'thumb',
    longEdge: 512,
    format: 'webp',
    quality: 80,
    keepGps: false,
    keepSerials: false,
    watermark: null,
    fileName: '{name}-thumb',
    builtIn: true,
  },
  {
    name: 'print',
    longEdge: null,
    format: 'jpeg',
    quality: 95,
    keepGps: false,
    keepSerials: false,
    watermark: null,
    fileName: '{name}-print',
    builtIn: true,
  },
  {
    name: 'original',
    longEdge: null,
    format: 'original',
    quality: 100,
    keepGps: true,
    keepSerials: true,
    watermark: null,
    fileName: '{name}',
    builtIn: true,
  },
];

/** A file name from a preset's template: never a path, never empty, never hidden. */
export function renditionName(
  template: string,
  v: { name: string; id: number; date: string | null; preset: string; title: string | null },
): string {
  const stem = v.name.replace(/\.[^.]*$/, '');
  const filled = template.replace(/\{(name|id|date|preset|title)\}/g, (_, k: string) =>
    k === 'name'
      ? stem
      : k === 'id'
        ? String(v.id)
        : k === 'date'
          ? (v.date ?? '').slice(0, 10)
          : k === 'preset'
            ? v.preset
            : (v.title ?? ''),
  );
  const safe = filled
    .normalize('NFC')
    .replace(/[/\\\u0000-\u001f\u007f:*?"<>|]/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 180);
  return safe || `asset-${v.id}`;
}
