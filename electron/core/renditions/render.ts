import fs from 'node:fs';
import path from 'node:path';
import type { RenditionPreset } from '../../../shared/renditions';
import { centreCrop, cropPixels, uprightSize, type CropAspect, type CropBox } from '../../../shared/crops';
import type { FieldValues } from '../governance/fields';
import { writeEmbeddedXmp } from '../governance/xmp-write';
import { escapeText } from '../xml/write';
import { hasRenderer, type FormatId } from '../ingest/formats/file-types';
import { renderThumbnail } from '../ingest/thumbnails';
import { DECODE_OPTIONS, sharp } from '../ingest/thumbnails/encode';

/** What a rendition is made from: the current file of an asset and what the catalogue says of it. */
export interface RenditionSource {
  path: string;
  format: FormatId;
  /** The asset's fields (edits and rights over the file's own values): they travel with the file. */
  values: FieldValues;
  gps: { lat: number; lon: number } | null;
  make: string | null;
  model: string | null;
  /** ISO 8601 as the catalogue keeps it. */
  captureDate: string | null;
  /** The asset's crops by aspect (normalised boxes in the upright picture). */
  crops?: Partial<Record<CropAspect, CropBox>>;
}

export interface Rendition {
  data: Buffer;
  /** Without the dot: jpg, webp, avif, or the original's own. */
  ext: string;
  width: number | null;
  height: number | null;
}

/** Formats libvips reads at full quality itself; the rest come through their preview renderer. */
const SHARP_READS = new Set<FormatId>(['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif']);
/** Without a long edge, a format only drawn through its preview renderer is drawn this large. */
const FULL_PREVIEW_EDGE = 8192;

function gpsXmp(gps: { lat: number; lon: number }): string {
  // XMP's exif:GPSLatitude form: degrees, decimal minutes and the hemisphere letter.
  const dm = (v: number, pos: string, neg: string) => {
    const a = Math.abs(v);
    const deg = Math.floor(a);
    return `${deg},${((a - deg) * 60).toFixed(6)}${v >= 0 ? pos : neg}`;
  };
  return (
    `   <exif:GPSLatitude>${escapeText(dm(gps.lat, 'N', 'S'))}</exif:GPSLatitude>\n` +
    `   <exif:GPSLongitude>${escapeText(dm(gps.lon, 'E', 'W'))}</exif:GPSLongitude>\n`
  );
}

/** The catalogue's fields as XMP (creator, credit, copyright, title, caption, alt text, keywords). */
export function renditionXmp(src: RenditionSource, keepGps: boolean): string {
  const packet = writeEmbeddedXmp(src.values);
  if (!keepGps || !src.gps) return packet;
  return packet.replace(
    /(<rdf:Description[^>]*?)>/,
    `$1 xmlns:exif="http://ns.adobe.com/exif/1.0/">\n${gpsXmp(src.gps)}`,
  );
}

/** Camera, date and the credit as EXIF text tags: no serial numbers, no position. */
function plainExif(src: RenditionSource): Record<string, Record<string, string>> {
  const ifd0: Record<string, string> = {};
  const exif: Record<string, string> = {};
  if (src.make) ifd0.Make = src.make;
  if (src.model) ifd0.Model = src.model;
  if (src.values.creator) ifd0.Artist = src.values.creator;
  if (src.values.copyrightNotice) ifd0.Copyright = src.values.copyrightNotice;
  const d = src.captureDate?.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/);
  if (d) exif.DateTimeOriginal = `${d[1]}:${d[2]}:${d[3]} ${d[4]}:${d[5]}:${d[6]}`;
  return { IFD0: ifd0, IFD2: exif };
}

function watermarkSvg(text: string, width: number, height: number): Buffer {
  const size = Math.max(12, Math.round(Math.min(width, height) / 28));
  const pad = Math.round(size * 0.8);
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<text x="${width - pad}" y="${height - pad}" text-anchor="end" font-family="sans-serif" font-size="${size}" ` +
      `fill="white" fill-opacity="0.7" stroke="black" stroke-opacity="0.35" stroke-width="${Math.max(1, size / 24)}">` +
      `${escapeText(text)}</text></svg>`,
  );
}

/**
 * One rendition of a picture: upright, in sRGB, fitted to the preset, encoded, with the catalogue's
 * metadata in XMP. Nothing else of the original's metadata is carried (so no GPS position and no
 * camera or lens serial number) unless the preset keeps it; `original` is the file's own bytes.
 */
export async function renderRendition(src: RenditionSource, preset: RenditionPreset): Promise<Rendition> {
  if (preset.format === 'original') {
    const data = await fs.promises.readFile(src.path);
    return { data, ext: path.extname(src.path).slice(1).toLowerCase() || 'bin', width: null, height: null };
  }
  if (!hasRenderer(src.format)) throw new Error(`a ${src.format} file has no picture to make a rendition of`);
  const input = SHARP_READS.has(src.format)
    ? src.path
    : (
        await renderThumbnail({
          path: src.path,
          format: src.format,
          maxEdge: preset.longEdge ?? FULL_PREVIEW_EDGE,
        })
      ).data;
  let img = sharp(input, DECODE_OPTIONS).autoOrient();
  if (preset.aspect) {
    // The box is in the upright picture, and sharp extracts after autoOrient in upright pixels.
    const meta = await sharp(input, DECODE_OPTIONS).metadata();
    const up = uprightSize(meta.width ?? 0, meta.height ?? 0, meta.orientation);
    const box = src.crops?.[preset.aspect] ?? centreCrop(preset.aspect, up.width, up.height);
    if (up.width > 0 && up.height > 0) img = img.extract(cropPixels(box, up.width, up.height));
  }
  img = img.toColourspace('srgb');
  if (preset.longEdge)
    img = img.resize({
      width: preset.longEdge,
      height: preset.longEdge,
      fit: 'inside',
      withoutEnlargement: true,
    });
  if (preset.watermark) {
    // The overlay must match the fitted size, so the fitted pixels are made first.
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    img = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).composite(
      [{ input: watermarkSvg(preset.watermark, info.width, info.height) }],
    );
  }
  img = img.withXmp(renditionXmp(src, preset.keepGps));
  // Everything the camera wrote (serial numbers and GPS included) only when the preset keeps both;
  // otherwise a few plain facts are written afresh, so nothing else of the original leaks out.
  img = preset.keepGps && preset.keepSerials ? img.keepExif() : img.withExif(plainExif(src));
  const q = Math.min(100, Math.max(1, Math.round(preset.quality)));
  const encoded =
    preset.format === 'jpeg'
      ? img.jpeg({ quality: q, mozjpeg: true })
      : preset.format === 'webp'
        ? img.webp({ quality: q })
        : img.avif({ quality: q });
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  return {
    data,
    ext: preset.format === 'jpeg' ? 'jpg' : preset.format,
    width: info.width,
    height: info.height,
  };
}
