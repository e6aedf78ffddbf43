import type { EndpointRow } from '../catalog/endpoints.repository';

/** What is delivered for an asset: bytes, type and file extension. */
export interface Rendition {
  bytes: Buffer;
  mime: string;
  ext: string;
}

/**
 * Makes one rendition of an asset with a preset: the renditions service's `render` (the one path that
 * also serves `dam export`), passed in by the composition root.
 */
export type RenderAsset = (assetId: number, preset: string) => Promise<{ data: Buffer; ext: string }>;

/** The preset of an endpoint that names none: a 2048 px JPEG in sRGB with the catalogue's XMP. */
export const DEFAULT_ENDPOINT_PRESET = 'web';

const MIME: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
  tif: 'image/tiff',
  tiff: 'image/tiff',
};

export function mimeOf(ext: string): string {
  return MIME[ext.toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file an endpoint gets for an asset: its preset's rendition (size, format, quality, what
 * metadata travels: the catalogue's title, caption, creator, credit, copyright and alt text as XMP,
 * never the GPS position or serial numbers unless the preset keeps them; `original` is the file
 * itself).
 */
export async function renderFor(
  endpoint: Pick<EndpointRow, 'preset'>,
  assetId: number,
  render: RenderAsset,
): Promise<Rendition> {
  const r = await render(assetId, endpoint.preset ?? DEFAULT_ENDPOINT_PRESET);
  return { bytes: r.data, ext: r.ext, mime: mimeOf(r.ext) };
}
