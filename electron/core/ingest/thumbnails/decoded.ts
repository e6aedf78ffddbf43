import fs from 'node:fs';
import { LIMITS } from '../../formats/limits';
import { rasterSize, RASTER_HEADER_BYTES, type RasterKind } from '../../formats/raster-header';
import { decodeBmp } from './decoders/bmp';
import { decodeExr, decodeJp2, decodeJxl } from './decoders/libraries';
import { checkPixelBudget, DecodeError, type Pixels } from './decoders/pixels';
import { decodeHdr, decodeIco, decodePcx, decodePnm } from './decoders/simple';
import { toneMap } from './decoders/tonemap';
import { decodeError, DECODE_OPTIONS, encodeWebp, sharp } from './encode';
import type { RenderOutput } from './types';

// Stills that libvips cannot open here: decoded in-process to raw pixels (tone-mapped when they
// are high dynamic range), then resized and encoded like every other thumbnail.

const LABEL: Record<RasterKind, string> = {
  bmp: 'BMP',
  ico: 'ICO',
  pcx: 'PCX',
  pnm: 'Netpbm image',
  jp2: 'JPEG 2000',
  jxl: 'JPEG XL',
  exr: 'OpenEXR',
  hdr: 'Radiance HDR',
};

async function loadBuffer(src: Buffer | string, what: string): Promise<Buffer> {
  if (typeof src !== 'string') return src;
  const { size } = await fs.promises.stat(src);
  if (size > LIMITS.decodeFileBytes)
    throw new DecodeError(
      `${what} file too large to preview (over ${LIMITS.decodeFileBytes / 1024 / 1024} MB)`,
    );
  return fs.promises.readFile(src);
}

async function decode(kind: RasterKind, buf: Buffer, maxEdge: number): Promise<Pixels | { png: Buffer }> {
  const head = buf.subarray(0, RASTER_HEADER_BYTES);
  const size = rasterSize(kind, head);
  if (typeof size === 'string') throw new DecodeError(size);
  // The header's claim is checked before any decoder allocates (JPEG 2000 checks its reduced size).
  if (kind !== 'jp2' && kind !== 'ico') checkPixelBudget(size.width, size.height, LABEL[kind]);
  switch (kind) {
    case 'bmp':
      return decodeBmp(buf);
    case 'ico':
      return decodeIco(buf);
    case 'pcx':
      return decodePcx(buf);
    case 'pnm':
      return decodePnm(buf);
    case 'hdr':
      return decodeHdr(buf);
    case 'exr':
      return decodeExr(buf, size);
    case 'jp2':
      return decodeJp2(buf, size, maxEdge);
    case 'jxl':
      return decodeJxl(buf, size);
  }
}

export async function renderDecoded(
  src: Buffer | string,
  kind: RasterKind,
  maxEdge: number,
): Promise<RenderOutput> {
  const label = LABEL[kind];
  const buf = await loadBuffer(src, label);
  let px: Pixels | { png: Buffer };
  try {
    px = await decode(kind, buf, maxEdge);
  } catch (err) {
    if (err instanceof DecodeError) throw new Error(err.message);
    // A reader of ours running off its data is damage in the file, not a fault of ours.
    if (err instanceof RangeError) throw new Error(`damaged ${label}: the file is cut short`);
    throw err;
  }
  try {
    if ('png' in px) {
      // A PNG inside an icon: libvips decodes it.
      const img = sharp(px.png, DECODE_OPTIONS);
      const meta = await img.metadata();
      return {
        ...(await encodeWebp(img, maxEdge)),
        sourceWidth: meta.width ?? null,
        sourceHeight: meta.height ?? null,
        durationS: null,
      };
    }
    const pixels = px.data instanceof Float32Array ? toneMap(px) : px;
    const raw = { width: pixels.width, height: pixels.height, channels: pixels.channels };
    const img = sharp(pixels.data as Uint8Array, { raw });
    const size = kind === 'jp2' ? rasterSize(kind, buf.subarray(0, RASTER_HEADER_BYTES)) : null;
    const source = size && typeof size !== 'string' ? size : { width: px.width, height: px.height };
    return {
      ...(await encodeWebp(img, maxEdge)),
      sourceWidth: source.width,
      sourceHeight: source.height,
      durationS: null,
    };
  } catch (err) {
    throw decodeError(`cannot preview ${label}`, err);
  }
}
