import { hdrHeader, pnmHeader } from '../../../formats/raster-header';
import { decodeDib } from './bmp';
import { checkPixelBudget, DecodeError, type Pixels } from './pixels';

// The formats simple enough for a small reader of our own: ICO/CUR (its largest entry, PNG ones
// handed back for sharp), PCX, Netpbm (PBM, PGM, PPM, PAM, PFM) and Radiance RGBE.

/** An icon's largest entry: decoded pixels, or a PNG for sharp to decode. */
export function decodeIco(buf: Buffer): Pixels | { png: Buffer } {
  if (buf.length < 6) throw new DecodeError('damaged ICO: the header is cut short');
  const count = buf.readUInt16LE(4);
  let best: { w: number; h: number; bpp: number; size: number; offset: number } | null = null;
  for (let i = 0; i < count; i++) {
    const e = 6 + 16 * i;
    if (e + 16 > buf.length) break;
    const entry = {
      w: buf[e] || 256,
      h: buf[e + 1] || 256,
      bpp: buf.readUInt16LE(e + 6),
      size: buf.readUInt32LE(e + 8),
      offset: buf.readUInt32LE(e + 12),
    };
    if (entry.offset + Math.min(entry.size, 40) > buf.length) continue;
    if (
      !best ||
      entry.w * entry.h > best.w * best.h ||
      (entry.w * entry.h === best.w * best.h && entry.bpp > best.bpp)
    )
      best = entry;
  }
  if (!best) throw new DecodeError('damaged ICO: no image inside lies within the file');
  const data = buf.subarray(best.offset, Math.min(buf.length, best.offset + best.size));
  if (data.length >= 8 && data.readUInt32BE(0) === 0x89504e47) return { png: data };
  return decodeDib(data, 0, null, true);
}

export function decodePcx(buf: Buffer): Pixels {
  if (buf.length < 128) throw new DecodeError('damaged PCX: the header is cut short');
  const bpp = buf[3]!;
  const width = buf.readUInt16LE(8) - buf.readUInt16LE(4) + 1;
  const height = buf.readUInt16LE(10) - buf.readUInt16LE(6) + 1;
  const planes = buf[65]!;
  const bytesPerLine = buf.readUInt16LE(66);
  checkPixelBudget(width, height, 'PCX');
  if (bytesPerLine * 8 < width * bpp)
    throw new DecodeError('damaged PCX: its lines are shorter than its width');
  const rle = buf[2] === 1;
  // Every scan line holds `planes` runs of bytesPerLine bytes (R, G, B[, A] for 24/32-bit).
  const lineBytes = bytesPerLine * planes;
  const raw = new Uint8Array(lineBytes * height);
  let p = 128;
  for (let o = 0; o < raw.length && p < buf.length;) {
    const b = buf[p++]!;
    if (rle && (b & 0xc0) === 0xc0) {
      const v = buf[p++] ?? 0;
      for (let n = b & 0x3f; n > 0 && o < raw.length; n--) raw[o++] = v;
    } else raw[o++] = b;
  }
  const out = new Uint8Array(width * height * 3);
  const vgaPalette =
    buf.length >= 769 && buf[buf.length - 769] === 0x0c ? buf.subarray(buf.length - 768) : null;
  const egaPalette = buf.subarray(16, 64);
  for (let y = 0; y < height; y++) {
    const line = y * lineBytes;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      if (bpp === 8 && planes >= 3) {
        for (let c = 0; c < 3; c++) out[o + c] = raw[line + c * bytesPerLine + x]!;
      } else if (bpp === 8) {
        const idx = raw[line + x]!;
        const pal = vgaPalette ?? null;
        if (pal) for (let c = 0; c < 3; c++) out[o + c] = pal[idx * 3 + c]!;
        else out[o] = out[o + 1] = out[o + 2] = idx;
      } else {
        // 1, 2 or 4 bits per pixel in 1-4 planes: the bits of each plane form the palette index.
        let idx = 0;
        for (let pl = 0; pl < planes; pl++) {
          const bit = x * bpp;
          const byte = raw[line + pl * bytesPerLine + (bit >> 3)]!;
          idx |= ((byte >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1)) << (pl * bpp);
        }
        if (bpp === 1 && planes === 1) out[o] = out[o + 1] = out[o + 2] = idx ? 255 : 0;
        else for (let c = 0; c < 3; c++) out[o + c] = egaPalette[(idx % 16) * 3 + c] ?? 0;
      }
    }
  }
  return { width, height, channels: 3, data: out };
}

/** Netpbm: plain (ASCII) and raw P1-P6, PAM (P7) and PFM (float, bottom row first). */
export function decodePnm(buf: Buffer): Pixels {
  const h = pnmHeader(buf.subarray(0, Math.min(buf.length, 64 * 1024)));
  if (typeof h === 'string') throw new DecodeError(h);
  const { width, height, magic, depth } = h;
  const what = magic === 'Pf' || magic === 'PF' ? 'PFM' : magic === 'P7' ? 'PAM' : 'PNM';
  checkPixelBudget(width, height, what);
  if (!(depth >= 1 && depth <= 4)) throw new DecodeError(`unsupported PAM: depth ${depth}`);
  const n = width * height * depth;
  if (what === 'PFM') {
    const le = h.maxval < 0;
    const out = new Float32Array(n);
    if (h.dataAt + n * 4 > buf.length) throw new DecodeError('damaged PFM: the file is cut short');
    // Rows are stored bottom to top.
    for (let y = 0; y < height; y++)
      for (let i = 0; i < width * depth; i++) {
        const at = h.dataAt + ((height - 1 - y) * width * depth + i) * 4;
        out[y * width * depth + i] = le ? buf.readFloatLE(at) : buf.readFloatBE(at);
      }
    return { width, height, channels: depth as 1 | 3, data: out };
  }
  const maxval = h.maxval;
  if (!(maxval >= 1 && maxval <= 65535))
    throw new DecodeError(`damaged ${what} header: maximum value ${maxval}`);
  const out = new Uint8Array(n);
  const scale = (v: number) => Math.round((Math.min(v, maxval) * 255) / maxval);
  if (magic === 'P4') {
    const stride = Math.ceil(width / 8);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const byte = buf[h.dataAt + y * stride + (x >> 3)] ?? 0;
        out[y * width + x] = (byte >> (7 - (x & 7))) & 1 ? 0 : 255; // 1 is black
      }
  } else if (magic === 'P1' || magic === 'P2' || magic === 'P3') {
    let p = h.dataAt - 1;
    for (let i = 0; i < n; i++) {
      while (p < buf.length && (buf[p]! < 0x30 || buf[p]! > 0x39)) {
        if (buf[p] === 0x23) p = buf.indexOf(0x0a, p) < 0 ? buf.length : buf.indexOf(0x0a, p);
        else p++;
      }
      if (p >= buf.length) break; // a short file: the rest stays black
      let v = 0;
      if (magic === 'P1') v = buf[p++] === 0x31 ? 0 : 255;
      else {
        while (p < buf.length && buf[p]! >= 0x30 && buf[p]! <= 0x39) v = v * 10 + buf[p++]! - 0x30;
        v = scale(v);
      }
      out[i] = v;
    }
  } else {
    const wide = maxval > 255;
    for (let i = 0; i < n; i++) {
      const at = h.dataAt + i * (wide ? 2 : 1);
      if (at + (wide ? 2 : 1) > buf.length) break;
      out[i] = scale(wide ? buf.readUInt16BE(at) : buf[at]!);
    }
    // A PAM BLACKANDWHITE image stores 0 as black, 1 as white: scale() already maps it.
  }
  return { width, height, channels: depth as 1 | 2 | 3 | 4, data: out };
}

/** Radiance RGBE (.hdr): flat or new-style run-length scan lines, to linear float RGB. */
export function decodeHdr(buf: Buffer): Pixels {
  const h = hdrHeader(buf.subarray(0, Math.min(buf.length, 64 * 1024)));
  if (typeof h === 'string') throw new DecodeError(h);
  const { width, height } = h;
  checkPixelBudget(width, height, 'Radiance HDR');
  const rgbe = new Uint8Array(width * height * 4);
  let p = h.dataAt;
  const line = new Uint8Array(width * 4);
  for (let y = 0; y < height && p < buf.length; y++) {
    const rle = width >= 8 && width < 32768 && buf[p] === 2 && buf[p + 1] === 2 && !(buf[p + 2]! & 0x80);
    if (rle) {
      if (((buf[p + 2]! << 8) | buf[p + 3]!) !== width)
        throw new DecodeError('damaged Radiance HDR: a scan line of the wrong length');
      p += 4;
      // Four runs, one per component.
      for (let c = 0; c < 4; c++) {
        for (let x = 0; x < width && p < buf.length;) {
          let n = buf[p++]!;
          if (n > 128) {
            n -= 128;
            const v = buf[p++] ?? 0;
            for (; n > 0 && x < width; n--) line[x++ * 4 + c] = v;
          } else {
            for (; n > 0 && x < width; n--) line[x++ * 4 + c] = buf[p++] ?? 0;
          }
        }
      }
    } else {
      for (let i = 0; i < width * 4; i++) line[i] = buf[p++] ?? 0;
    }
    rgbe.set(line, y * width * 4);
  }
  const out = new Float32Array(width * height * 3);
  for (let i = 0, j = 0; i < rgbe.length; i += 4, j += 3) {
    const e = rgbe[i + 3]!;
    if (e === 0) continue;
    const f = Math.pow(2, e - 136); // 2^(e-128) / 256
    out[j] = (rgbe[i]! + 0.5) * f;
    out[j + 1] = (rgbe[i + 1]! + 0.5) * f;
    out[j + 2] = (rgbe[i + 2]! + 0.5) * f;
  }
  return { width, height, channels: 3, data: out };
}
