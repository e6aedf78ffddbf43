import fs from 'node:fs';
import { LIMITS } from '../../formats/limits';
import { hasErrorCode, shortMessage } from './encode';
import { renderDecoded } from './decoded';
import { renderHeic } from './heic';
import { renderModel3d } from './model3d';
import { renderPsd } from './psd';
import { renderRaster } from './raster';
import { renderRaw } from './raw';
import { renderSvg } from './svg';
import { renderIndd, renderOffice } from './embedded';
import { renderEps } from './eps';
import { renderPdf } from './pdf';
import { NothingToDrawError, type RenderInput, type RenderOutput } from './types';
import { renderVideo } from './video';
import { renderWaveform } from './waveform';

export { NothingToDrawError, type RenderInput, type RenderOutput } from './types';
export { extractRawPreview, readRawPreview } from './raw-preview';

/** Errors leave here as one short line; OS errors keep their code for retry decisions. */
function tidy(err: unknown): Error {
  if (err instanceof NothingToDrawError) return err;
  if (hasErrorCode(err)) return err as Error;
  if (err instanceof Error && !err.message.includes('\n') && err.message.length <= 240)
    return new Error(err.message);
  return new Error(shortMessage(err));
}

/** A document parsed whole (a PDF), refused past the documents' size limit. */
async function readWhole(file: string): Promise<Buffer> {
  const { size } = await fs.promises.stat(file);
  if (size > LIMITS.documentBytes)
    throw new Error(`too large to preview (over ${LIMITS.documentBytes / 1024 / 1024} MB)`);
  return fs.promises.readFile(file);
}

/**
 * A WebP thumbnail of any supported file, upright, long edge at most `maxEdge`. Throws an Error
 * with a short readable message when the file cannot be rendered.
 */
export async function renderThumbnail(input: RenderInput): Promise<RenderOutput> {
  const { format, buffer } = input;
  if (format === 'other' || format === 'rtf' || format === 'xcf')
    throw new Error('no renderer for this type');
  if (!Number.isFinite(input.maxEdge) || input.maxEdge < 1)
    throw new Error('maxEdge must be a positive number');
  const maxEdge = Math.round(input.maxEdge);
  if (buffer) {
    if (buffer.length === 0) throw new Error('empty file (0 bytes)');
  } else {
    const st = await fs.promises.stat(input.path);
    if (st.isDirectory()) throw new Error('is a folder');
    if (!st.isFile()) throw new Error('not a regular file');
    if (st.size === 0) throw new Error('empty file (0 bytes)');
  }
  const src = buffer ?? input.path;
  try {
    switch (format) {
      case 'jpeg':
      case 'png':
      case 'webp':
      case 'gif':
      case 'tiff':
      case 'avif':
        return await renderRaster(src, format, maxEdge);
      case 'heic':
        return await renderHeic(src, maxEdge);
      case 'svg':
        return await renderSvg(src, maxEdge);
      case 'raw':
        return await renderRaw(src, maxEdge);
      case 'psd':
        return await renderPsd(src, maxEdge);
      case 'video':
        return await renderVideo(input.path, maxEdge);
      case 'model3d':
        return await renderModel3d({ path: input.path, ...(buffer ? { buffer } : {}) }, maxEdge);
      case 'pdf':
        return await renderPdf(buffer ?? (await readWhole(input.path)), maxEdge);
      case 'eps':
        return await renderEps(input.path, buffer, maxEdge);
      case 'indd':
        return await renderIndd(src, maxEdge);
      case 'office':
        return await renderOffice(src, maxEdge);
      case 'bmp':
      case 'ico':
      case 'pcx':
      case 'pnm':
      case 'jp2':
      case 'jxl':
      case 'exr':
      case 'hdr':
        return await renderDecoded(src, format, maxEdge);
      case 'audio':
        return await renderWaveform(input.path, maxEdge);
      default: {
        const never: never = format;
        throw new Error(`no renderer for ${String(never)}`);
      }
    }
  } catch (err) {
    throw tidy(err);
  }
}
