import { decodeError } from './encode';
import { withOrientation } from './jpeg-orientation';
import { renderRaster } from './raster';
import { NothingToDrawError, readRawPreview } from './raw-preview';
import type { RenderOutput } from './types';

/**
 * RAW files render from their largest embedded JPEG. Those previews are stored as the sensor saw
 * them, so the container's own Orientation is written into the preview before auto-orienting;
 * when the container has none (RAF), the preview's own EXIF decides.
 */
export async function renderRaw(src: Buffer | string, maxEdge: number): Promise<RenderOutput> {
  let preview;
  try {
    preview = await readRawPreview(src);
  } catch (err) {
    throw err instanceof NothingToDrawError ? err : decodeError('corrupt RAW file', err);
  }
  const jpeg =
    preview.orientation !== null ? withOrientation(preview.jpeg, preview.orientation) : preview.jpeg;
  const out = await renderRaster(jpeg, 'jpeg', maxEdge);
  // The preview is smaller than the sensor image, so its size says nothing about the original.
  return { ...out, sourceWidth: preview.sourceWidth, sourceHeight: preview.sourceHeight };
}
