import fs from 'node:fs';
import sharp from 'sharp';
import type { EndpointRow } from '../catalog/endpoints.repository';

/** What is delivered for an asset: bytes, type and file extension. */
export interface Rendition {
  bytes: Buffer;
  mime: string;
  ext: string;
}

export interface RenderSource {
  path: string;
  type: string;
  format: string | null;
}

/** The default web rendition's long edge. */
const LONG_EDGE = 2048;

/**
 * The file an endpoint gets for an asset. One function, so that the rendition presets (long edge,
 * formats, crops, IPTC/XMP embedded) plug in here when they land: until then the preset `original`
 * sends the file as it is, and any other a JPEG of at most 2048 px in sRGB, upright, without the
 * file's metadata (so no GPS position or camera serial leaves with it).
 */
export async function renderFor(endpoint: EndpointRow, asset: RenderSource): Promise<Rendition> {
  if (endpoint.preset === 'original') {
    const ext = (asset.path.split('.').pop() ?? 'bin').toLowerCase();
    const mime =
      ext === 'jpg' || ext === 'jpeg'
        ? 'image/jpeg'
        : ext === 'png'
          ? 'image/png'
          : 'application/octet-stream';
    return { bytes: await fs.promises.readFile(asset.path), mime, ext };
  }
  const bytes = await sharp(asset.path, { failOn: 'error', limitInputPixels: 268_402_689 })
    .rotate()
    .resize({ width: LONG_EDGE, height: LONG_EDGE, fit: 'inside', withoutEnlargement: true })
    .toColorspace('srgb')
    .jpeg({ quality: 85 })
    .toBuffer();
  return { bytes, mime: 'image/jpeg', ext: 'jpg' };
}
