import fs from 'node:fs';
import exifr from 'exifr';
import { boxesIn, childBoxesIn } from '../../formats/bmff';
import { primaryItemProps, type PrimaryProps } from '../../formats/heif';
import { isBmff } from '../../formats/sniff';
import { DECODE_OPTIONS, encodeWebp, hasErrorCode, sharp, shortMessage } from './encode';
import { renderRaster } from './raster';
import type { RenderOutput } from './types';

// The prebuilt sharp has no HEVC decoder, so HEIC goes through libheif compiled to wasm
// (heic-decode). libheif applies the HEIF transforms (irot/imir) itself, so EXIF Orientation is
// never applied on top of them (iPhones write both, in agreement: applying both turns portraits
// sideways). Some Android phones write an irot that contradicts both their EXIF and the picture
// (the corpus Nokia 8.3: irot 270, EXIF Orientation 1, an upright landscape scene as stored);
// when the two disagree, EXIF wins.

/** HEIC files are photos; beyond this something is wrong and the wasm heap would balloon. */
const MAX_HEIC_BYTES = 512 * 1024 * 1024;
const HEIC_DECODE_BRANDS = new Set(['mif1', 'msf1', 'heic', 'heix', 'hevc', 'hevx']);

/** Clockwise degrees that make the stored pixels upright, for the rotation-only EXIF orientations. */
const EXIF_CLOCKWISE: Record<number, number> = { 1: 0, 3: 180, 6: 90, 8: 270 };

/** ispe, irot and imir of the primary item, read from meta/pitm and meta/iprp (ipco + ipma). */
export function heifPrimaryProps(buf: Buffer): PrimaryProps | null {
  const meta = boxesIn(buf, 0, buf.length).find((b) => b.type === 'meta');
  if (!meta) return null;
  const props = primaryItemProps(buf, childBoxesIn(buf, meta, 4)); // meta is a full box
  return props && props.width && props.height ? props : null;
}

async function loadBuffer(src: Buffer | string): Promise<Buffer> {
  if (typeof src !== 'string') return src;
  const { size } = await fs.promises.stat(src);
  if (size > MAX_HEIC_BYTES) throw new Error('HEIC file too large to preview');
  return fs.promises.readFile(src);
}

/**
 * Extra clockwise turn for libheif's output when EXIF Orientation contradicts irot. libheif has
 * turned the stored pixels irot*90 degrees anticlockwise; EXIF wants them turned its own way.
 */
export function exifCorrection(
  props: Pick<PrimaryProps, 'quarterTurns' | 'mirrored'> | null,
  exifOrientation: number | undefined,
): number {
  if (!props || props.mirrored || exifOrientation === undefined) return 0;
  const wanted = EXIF_CLOCKWISE[exifOrientation];
  if (wanted === undefined) return 0;
  return (wanted + props.quarterTurns * 90) % 360;
}

async function exifOrientation(buf: Buffer): Promise<number | undefined> {
  try {
    return await exifr.orientation(buf);
  } catch {
    return undefined;
  }
}

async function decodeWithLibheif(buf: Buffer, props: PrimaryProps | null, maxEdge: number, turn: number) {
  // Loaded on first use: compiling the wasm decoder costs ~100 ms that most workers never need.
  const heicDecode = require('heic-decode') as typeof import('heic-decode');
  // heic-decode only trusts a few major brands; files from some phones use another with
  // heic in the compatible list, which sniffing already accepted.
  let input = buf;
  if (!HEIC_DECODE_BRANDS.has(buf.toString('latin1', 8, 12))) {
    input = Buffer.from(buf);
    input.write('mif1', 8, 'latin1');
  }
  const images = await heicDecode.all({ buffer: input });
  try {
    // Top-level images are listed in item order; the primary is the one whose (rotated) size matches.
    const turned = props && props.quarterTurns % 2 === 1;
    const want = props && { w: turned ? props.height : props.width, h: turned ? props.width : props.height };
    const image = (want && images.find((i) => i.width === want.w && i.height === want.h)) || images[0];
    if (!image) throw new Error('no image in file');
    const { width, height, data } = await image.decode();
    const small = await sharp(data, { raw: { width, height, channels: 4 } })
      .rotate(turn)
      .resize({ width: maxEdge, height: maxEdge, fit: 'inside', withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    let opaque = true;
    for (let i = 3; i < small.data.length; i += 4) {
      if (small.data[i] !== 255) {
        opaque = false;
        break;
      }
    }
    const raw = { width: small.info.width, height: small.info.height, channels: 4 as const };
    const img = sharp(small.data, { raw });
    const out = await encodeWebp(opaque ? img.removeAlpha() : img, maxEdge);
    return { out, decoded: { width, height } };
  } finally {
    images.dispose();
  }
}

export async function renderHeic(src: Buffer | string, maxEdge: number): Promise<RenderOutput> {
  const buf = await loadBuffer(src);
  if (buf.length === 0) throw new Error('empty file');
  // Checked here because libheif logs to the console about files it cannot parse.
  if (!isBmff(buf)) throw new Error('corrupt HEIC: no HEIF header');
  const props = heifPrimaryProps(buf);
  const turn = exifCorrection(props, await exifOrientation(buf));
  try {
    const { out, decoded } = await decodeWithLibheif(buf, props, maxEdge, turn);
    const turned = props ? props.quarterTurns % 2 === 1 : false;
    return {
      ...out,
      sourceWidth: props?.width ?? (turned ? decoded.height : decoded.width),
      sourceHeight: props?.height ?? (turned ? decoded.width : decoded.height),
      durationS: null,
    };
  } catch (err) {
    if (hasErrorCode(err)) throw err;
    // Not HEVC-coded (AV1 or JPEG inside HEIF): the libheif built into sharp may manage.
    try {
      await sharp(buf, DECODE_OPTIONS).metadata();
      return await renderRaster(buf, 'heic', maxEdge);
    } catch {
      throw new Error(`corrupt HEIC: ${shortMessage(err)}`);
    }
  }
}
