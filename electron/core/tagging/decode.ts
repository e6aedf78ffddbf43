import fs from 'node:fs';
import sharp from 'sharp';
import type { FormatId } from '../ingest/formats/file-types';
import { renderThumbnail } from '../ingest/thumbnails';
import type { DecodedImage } from './analyser';

/** Long edge of the decoded picture: the detectors look at 512 px or less; faces' descriptors gain up to here. */
export const DECODE_EDGE = 1024;
/** Smaller than this on either edge, a picture has nothing to find (a 1×1 spacer). */
const MIN_EDGE = 16;
/** Rasters sharp reads itself (shrinking JPEGs while decoding); the rest go through the thumbnail renderers. */
const DIRECT = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif']);

/** Why a picture cannot be tagged, as a user reads it. */
export class UndecodableError extends Error {}

function short(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return (m.split('\n')[0] ?? m).slice(0, 200);
}

/**
 * The picture once, for every analyser: upright, 8-bit sRGB (CMYK and 16-bit are converted), at
 * most DECODE_EDGE on its long edge. Throws UndecodableError (with a readable reason) for what
 * cannot be a picture: damaged, empty, tiny, or claiming more pixels than sharp's limit.
 */
export async function decodeForTagging(
  file: string,
  format: string,
  thumb: string | null,
): Promise<DecodedImage> {
  let input: string | Buffer = file;
  try {
    if (!DIRECT.has(format)) {
      try {
        input = (await renderThumbnail({ path: file, format: format as FormatId, maxEdge: DECODE_EDGE }))
          .data;
      } catch (err) {
        // The renderer could not do it now (a RAW without a preview): the ingest thumbnail will do.
        if (!thumb || !fs.existsSync(thumb)) throw err;
        input = thumb;
      }
    }
    const meta = await sharp(input, { failOn: 'error' }).metadata();
    const { data, info } = await sharp(input, { failOn: 'error' })
      .rotate()
      .resize(DECODE_EDGE, DECODE_EDGE, { fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`unexpected ${info.channels} channels`);
    if (info.width < MIN_EDGE || info.height < MIN_EDGE)
      throw new UndecodableError(`too small to tag (${info.width}×${info.height} pixels)`);
    const swap = (meta.orientation ?? 1) >= 5;
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
      width: info.width,
      height: info.height,
      sourceWidth: (swap ? meta.height : meta.width) ?? info.width,
      sourceHeight: (swap ? meta.width : meta.height) ?? info.height,
    };
  } catch (err) {
    if (err instanceof UndecodableError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    // A file that is gone or busy may come back: not the picture's fault.
    if (code === 'ENOENT' || code === 'EBUSY' || code === 'EACCES' || code === 'EIO') throw err;
    throw new UndecodableError(`cannot read the picture: ${short(err)}`);
  }
}
