import { checkPixelBudget, DecodeError, type Pixels } from './pixels';

// Windows bitmaps: the DIB (BITMAPCOREHEADER or BITMAPINFOHEADER and its V4/V5 extensions) with
// 1/4/8-bit palettes, RLE4/RLE8, 16/32-bit bit fields and 24-bit BGR. The same DIB, without the
// 14-byte file header and with a doubled height and a 1-bit AND mask, is an ICO/CUR entry.

const BI_RGB = 0;
const BI_RLE8 = 1;
const BI_RLE4 = 2;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

function damaged(msg: string): DecodeError {
  return new DecodeError(`damaged BMP: ${msg}`);
}

interface Mask {
  shift: number;
  max: number;
}

function mask(m: number): Mask | null {
  if (!m) return null;
  let shift = 0;
  while (!((m >>> shift) & 1)) shift++;
  return { shift, max: m >>> shift };
}

function channel(px: number, m: Mask | null, fallback: number): number {
  if (!m) return fallback;
  return Math.round((((px >>> m.shift) & m.max) * 255) / m.max);
}

/** Decodes RLE8/RLE4 into one palette index per pixel, bottom-up rows as stored. */
function unRle(src: Buffer, at: number, width: number, height: number, four: boolean): Uint8Array {
  const out = new Uint8Array(width * height);
  let x = 0;
  let y = 0;
  let p = at;
  while (p + 1 < src.length && y < height) {
    const n = src[p]!;
    const v = src[p + 1]!;
    p += 2;
    if (n > 0) {
      for (let i = 0; i < n && x < width; i++, x++) out[y * width + x] = four ? (i & 1 ? v & 15 : v >> 4) : v;
    } else if (v === 0) {
      x = 0;
      y++;
    } else if (v === 1) break;
    else if (v === 2) {
      x += src[p] ?? 0;
      y += src[p + 1] ?? 0;
      p += 2;
    } else {
      for (let i = 0; i < v && x < width; i++, x++) {
        const b = src[p + (four ? i >> 1 : i)] ?? 0;
        out[y * width + x] = four ? (i & 1 ? b & 15 : b >> 4) : b;
      }
      const bytes = four ? (v + 1) >> 1 : v;
      p += bytes + (bytes & 1);
    }
  }
  return out;
}

/**
 * A DIB at `dib` (its header), pixel data at `dataAt` (null: right after the palette, as in icons).
 * `icon`: the height counts the XOR image and the AND mask; the mask gives transparency.
 */
export function decodeDib(buf: Buffer, dib: number, dataAt: number | null, icon = false): Pixels {
  if (buf.length < dib + 12) throw damaged('the header is cut short');
  const headerSize = buf.readUInt32LE(dib);
  const core = headerSize === 12;
  if (!core && buf.length < dib + 40) throw damaged('the header is cut short');
  const width = core ? buf.readUInt16LE(dib + 4) : buf.readInt32LE(dib + 4);
  let rawHeight = core ? buf.readInt16LE(dib + 6) : buf.readInt32LE(dib + 8);
  if (icon) rawHeight = Math.trunc(rawHeight / 2);
  const topDown = rawHeight < 0;
  const height = Math.abs(rawHeight);
  const bpp = core ? buf.readUInt16LE(dib + 10) : buf.readUInt16LE(dib + 14);
  const compression = core ? BI_RGB : buf.readUInt32LE(dib + 16);
  checkPixelBudget(width, height, 'BMP');
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) throw new DecodeError(`unsupported BMP: ${bpp} bits per pixel`);
  if (![BI_RGB, BI_RLE8, BI_RLE4, BI_BITFIELDS, BI_ALPHABITFIELDS].includes(compression))
    throw new DecodeError(`unsupported BMP compression (${compression}: JPEG or PNG inside a BMP)`);

  // Bit fields follow a 40-byte header, or sit inside the V2-V5 headers at the same place.
  let masks: [number, number, number, number] | null = null;
  if (compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) {
    const n = compression === BI_ALPHABITFIELDS || headerSize >= 56 ? 4 : 3;
    if (buf.length < dib + 40 + n * 4) throw damaged('the bit fields are cut short');
    const m = [0, 1, 2, 3].map((i) => (i < n ? buf.readUInt32LE(dib + 40 + i * 4) : 0));
    masks = [m[0]!, m[1]!, m[2]!, m[3]!];
  } else if (bpp === 16) masks = [0x7c00, 0x03e0, 0x001f, 0];
  else if (bpp === 32) masks = [0xff0000, 0xff00, 0xff, 0];
  const fieldsAfterHeader =
    headerSize === 40 && masks && (compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS);

  const paletteAt =
    dib + headerSize + (fieldsAfterHeader ? (compression === BI_ALPHABITFIELDS ? 16 : 12) : 0);
  const entry = core ? 3 : 4;
  let colours = 0;
  if (bpp <= 8) {
    const used = core ? 0 : buf.readUInt32LE(dib + 32);
    colours = used > 0 && used <= 1 << bpp ? used : 1 << bpp;
  }
  const palette = buf.subarray(paletteAt, paletteAt + colours * entry);
  const pixelsAt = dataAt ?? paletteAt + colours * entry;
  if (pixelsAt > buf.length) throw damaged('the pixel data lies past the end of the file');

  const stride = Math.floor((width * bpp + 31) / 32) * 4;
  const rle = compression === BI_RLE8 || compression === BI_RLE4;
  const indices = rle ? unRle(buf, pixelsAt, width, height, compression === BI_RLE4) : null;
  const out = new Uint8Array(width * height * 4);
  const [rm, gm, bm, am] = (masks ?? [0, 0, 0, 0]).map(mask) as (Mask | null)[];
  const alphaMask = am ?? null;
  let anyAlpha = false;
  for (let row = 0; row < height; row++) {
    const y = topDown ? row : height - 1 - row; // destination row
    const line = pixelsAt + row * stride;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 255;
      if (bpp <= 8) {
        let idx: number;
        if (indices) idx = indices[row * width + x]!;
        else {
          const bit = x * bpp;
          const byte = buf[line + (bit >> 3)] ?? 0;
          idx = (byte >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        }
        if (idx < colours) {
          b = palette[idx * entry] ?? 0;
          g = palette[idx * entry + 1] ?? 0;
          r = palette[idx * entry + 2] ?? 0;
        }
      } else if (bpp === 24) {
        const p = line + x * 3;
        b = buf[p] ?? 0;
        g = buf[p + 1] ?? 0;
        r = buf[p + 2] ?? 0;
      } else {
        const p = line + x * (bpp / 8);
        const px =
          bpp === 16
            ? (buf[p] ?? 0) | ((buf[p + 1] ?? 0) << 8)
            : p + 4 <= buf.length
              ? buf.readUInt32LE(p)
              : 0;
        r = channel(px, rm ?? null, 0);
        g = channel(px, gm ?? null, 0);
        b = channel(px, bm ?? null, 0);
        if (alphaMask) {
          a = channel(px, alphaMask, 255);
          if (a !== 0) anyAlpha = true;
        } else if (icon && bpp === 32) {
          a = buf[p + 3] ?? 255;
          if (a !== 0) anyAlpha = true;
        }
      }
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      out[o + 3] = a;
    }
  }
  // An alpha channel that is zero everywhere is an unused one (common in 32-bit BMPs): opaque.
  if ((alphaMask || (icon && bpp === 32)) && !anyAlpha) for (let i = 3; i < out.length; i += 4) out[i] = 255;
  if (icon && bpp < 32) {
    // The AND mask follows the XOR image: 1 bit per pixel, rows padded to 32 bits, set = transparent.
    const maskAt = pixelsAt + stride * height;
    const maskStride = Math.floor((width + 31) / 32) * 4;
    for (let row = 0; row < height; row++) {
      const y = topDown ? row : height - 1 - row;
      for (let x = 0; x < width; x++) {
        const byte = buf[maskAt + row * maskStride + (x >> 3)];
        if (byte !== undefined && (byte >> (7 - (x & 7))) & 1) out[(y * width + x) * 4 + 3] = 0;
      }
    }
  }
  return { width, height, channels: 4, data: out };
}

/** A .bmp file: "BM", the file header (pixel data offset at 10), then the DIB. */
export function decodeBmp(buf: Buffer): Pixels {
  if (buf.length < 26 || buf[0] !== 0x42 || buf[1] !== 0x4d) throw new DecodeError('not a valid BMP');
  return decodeDib(buf, 14, buf.readUInt32LE(10));
}
