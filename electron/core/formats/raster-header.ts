// Recognition and pixel size of the still-image formats sharp's libvips cannot open here (BMP,
// ICO/CUR, PCX, Netpbm PBM/PGM/PPM/PAM/PFM, JPEG 2000, JPEG XL, OpenEXR, Radiance HDR), from
// their headers alone. The metadata reader reports the size from here; the decoders check it
// against LIMITS.decodePixels before allocating anything.

export type RasterKind = 'bmp' | 'ico' | 'pcx' | 'pnm' | 'jp2' | 'jxl' | 'exr' | 'hdr';

export interface RasterSize {
  width: number;
  height: number;
}

/** Bytes of the head that hold every header here (an EXR header with many attributes included). */
export const RASTER_HEADER_BYTES = 64 * 1024;

const JP2_SIGNATURE = Buffer.from([0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a]);
const JXL_CONTAINER = Buffer.from([0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20, 0x0d, 0x0a, 0x87, 0x0a]);
const BMP_DIB_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124]);

function starts(b: Buffer, sig: Buffer | readonly number[], at = 0): boolean {
  if (b.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[at + i] !== sig[i]) return false;
  return true;
}

function isIco(b: Buffer): boolean {
  if (b.length < 22 || b.readUInt16LE(0) !== 0) return false;
  const type = b.readUInt16LE(2);
  const count = b.readUInt16LE(4);
  if ((type !== 1 && type !== 2) || count < 1 || count > 256) return false;
  // The first directory entry must look like one: reserved byte 0, some bytes, data after the directory.
  const size = b.readUInt32LE(6 + 8);
  const offset = b.readUInt32LE(6 + 12);
  return b[6 + 3] === 0 && size > 0 && offset >= 6 + 16 * count;
}

function isPcx(b: Buffer): boolean {
  if (b.length < 66 || b[0] !== 0x0a || b[2]! > 1) return false;
  if (![0, 2, 3, 4, 5].includes(b[1]!) || ![1, 2, 4, 8].includes(b[3]!)) return false;
  const planes = b[65]!;
  return planes >= 1 && planes <= 4 && b.readUInt16LE(8) >= b.readUInt16LE(4) && b[64] === 0;
}

/** The raster kind the first bytes show (64 are enough), or null. */
export function sniffRaster(head: Buffer): RasterKind | null {
  if (head.length < 2) return null;
  if (head[0] === 0x42 && head[1] === 0x4d && head.length >= 18 && BMP_DIB_SIZES.has(head.readUInt32LE(14)))
    return 'bmp';
  if (starts(head, JP2_SIGNATURE) || starts(head, [0xff, 0x4f, 0xff, 0x51])) return 'jp2';
  if (starts(head, JXL_CONTAINER) || starts(head, [0xff, 0x0a])) return 'jxl';
  if (starts(head, [0x76, 0x2f, 0x31, 0x01])) return 'exr';
  const text = head.toString('latin1', 0, 11);
  if (text.startsWith('#?RADIANCE') || text.startsWith('#?RGBE')) return 'hdr';
  if (/^P[1-7Ff][\s#]/.test(head.toString('latin1', 0, 3))) return 'pnm';
  if (isIco(head)) return 'ico';
  if (isPcx(head)) return 'pcx';
  return null;
}

type Size = RasterSize | string;

function positiveSize(width: number, height: number, what: string): Size {
  if (!(width > 0 && height > 0) || !Number.isSafeInteger(width) || !Number.isSafeInteger(height))
    return `damaged ${what} header: impossible size ${width}×${height}`;
  return { width, height };
}

function bmpSize(b: Buffer): Size {
  if (b.length < 26) return 'damaged BMP: the header is cut short';
  const dib = b.readUInt32LE(14);
  if (dib === 12) return positiveSize(b.readUInt16LE(18), b.readUInt16LE(20), 'BMP');
  if (b.length < 26) return 'damaged BMP: the header is cut short';
  // A negative height is a top-down bitmap.
  return positiveSize(b.readInt32LE(18), Math.abs(b.readInt32LE(22)), 'BMP');
}

/** The largest image an icon holds (0 in the directory means 256). */
function icoSize(b: Buffer): Size {
  const count = b.readUInt16LE(4);
  let best: RasterSize | null = null;
  for (let i = 0; i < count && 6 + 16 * (i + 1) <= b.length; i++) {
    const w = b[6 + 16 * i] || 256;
    const h = b[6 + 16 * i + 1] || 256;
    if (!best || w * h > best.width * best.height) best = { width: w, height: h };
  }
  return best ?? 'damaged ICO: the directory is cut short';
}

function pcxSize(b: Buffer): Size {
  return positiveSize(
    b.readUInt16LE(8) - b.readUInt16LE(4) + 1,
    b.readUInt16LE(10) - b.readUInt16LE(6) + 1,
    'PCX',
  );
}

export interface PnmHeader extends RasterSize {
  /** P1-P7, or Pf (grey float) / PF (RGB float). */
  magic: string;
  /** Largest sample value (1 for bitmaps); for PFM the scale, negative for little-endian. */
  maxval: number;
  /** Samples per pixel. */
  depth: number;
  /** Offset of the raster data. */
  dataAt: number;
}

/** A Netpbm header: magic, then whitespace-separated numbers with # comments, one whitespace byte, data. */
export function pnmHeader(b: Buffer): PnmHeader | string {
  const magic = b.toString('latin1', 0, 2);
  let p = 2;
  if (magic === 'P7') {
    // PAM: "KEY value" lines until ENDHDR.
    const end = b.indexOf('ENDHDR', 2, 'latin1');
    if (end < 0) return 'damaged PAM: no ENDHDR in its header';
    const fields = new Map<string, string>();
    for (const line of b.toString('latin1', 2, end).split('\n')) {
      const m = /^\s*([A-Z_]+)\s+(.*?)\s*$/.exec(line);
      if (m) fields.set(m[1]!, m[2]!);
    }
    const width = Number(fields.get('WIDTH'));
    const height = Number(fields.get('HEIGHT'));
    const size = positiveSize(width, height, 'PAM');
    if (typeof size === 'string') return size;
    const nl = b.indexOf(0x0a, end);
    return {
      ...size,
      magic,
      maxval: Number(fields.get('MAXVAL') ?? 255),
      depth: Number(fields.get('DEPTH') ?? 1),
      dataAt: nl < 0 ? b.length : nl + 1,
    };
  }
  const float = magic === 'Pf' || magic === 'PF';
  const want = magic === 'P1' || magic === 'P4' ? 2 : 3;
  const nums: number[] = [];
  while (nums.length < want) {
    while (p < b.length && /\s/.test(String.fromCharCode(b[p]!))) p++;
    if (p >= b.length) return `damaged ${float ? 'PFM' : 'PNM'}: the header is cut short`;
    if (b[p] === 0x23) {
      const nl = b.indexOf(0x0a, p);
      if (nl < 0) return 'damaged PNM: the header is cut short';
      p = nl + 1;
      continue;
    }
    const m = /^[-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?\d+)?/.exec(
      b.toString('latin1', p, Math.min(b.length, p + 32)),
    );
    if (!m) return `damaged ${float ? 'PFM' : 'PNM'} header: a number was expected`;
    nums.push(Number(m[0]));
    p += m[0].length;
  }
  const size = positiveSize(nums[0]!, nums[1]!, float ? 'PFM' : 'PNM');
  if (typeof size === 'string') return size;
  const depth = magic === 'PF' || magic === 'P3' || magic === 'P6' ? 3 : 1;
  return { ...size, magic, maxval: want === 2 ? 1 : nums[2]!, depth, dataAt: p + 1 };
}

function jp2Size(b: Buffer): Size {
  // The codestream's SIZ segment follows SOC (FF4F FF51) directly, in a .j2k or inside jp2c.
  let siz = starts(b, [0xff, 0x4f, 0xff, 0x51]) ? 4 : -1;
  if (siz < 0) {
    const ihdr = b.indexOf('ihdr', 0, 'latin1');
    if (ihdr >= 4 && ihdr + 12 <= b.length)
      return positiveSize(b.readUInt32BE(ihdr + 8), b.readUInt32BE(ihdr + 4), 'JPEG 2000');
    const at = b.indexOf(Buffer.from([0xff, 0x4f, 0xff, 0x51]));
    if (at < 0) return 'damaged JPEG 2000: no image header';
    siz = at + 4;
  }
  if (siz + 2 + 2 + 16 > b.length) return 'damaged JPEG 2000: the header is cut short';
  const x = b.readUInt32BE(siz + 4);
  const y = b.readUInt32BE(siz + 8);
  const x0 = b.readUInt32BE(siz + 12);
  const y0 = b.readUInt32BE(siz + 16);
  return positiveSize(x - x0, y - y0, 'JPEG 2000');
}

/** JPEG XL's SizeHeader (ISO/IEC 18181-1 D.2), right after the codestream's FF 0A. */
function jxlCodestreamSize(b: Buffer, at: number): Size {
  let bit = 0;
  const read = (n: number): number => {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const byte = b[at + ((bit + i) >> 3)];
      if (byte === undefined) throw new RangeError('cut short');
      v |= ((byte >> ((bit + i) & 7)) & 1) << i;
    }
    bit += n;
    return v >>> 0;
  };
  const u32 = (): number => [() => read(9), () => read(13), () => read(18), () => read(30)][read(2)]!() + 1;
  const ratioWidth = (r: number, h: number): number =>
    [
      0,
      h,
      Math.floor((h * 12) / 10),
      Math.floor((h * 4) / 3),
      Math.floor((h * 3) / 2),
      Math.floor((h * 16) / 9),
      Math.floor((h * 5) / 4),
      h * 2,
    ][r]!;
  try {
    const small = read(1);
    const height = small ? (read(5) + 1) * 8 : u32();
    const ratio = read(3);
    const width = ratio ? ratioWidth(ratio, height) : small ? (read(5) + 1) * 8 : u32();
    return positiveSize(width, height, 'JPEG XL');
  } catch {
    return 'damaged JPEG XL: the header is cut short';
  }
}

function jxlSize(b: Buffer): Size {
  if (b[0] === 0xff && b[1] === 0x0a) return jxlCodestreamSize(b, 2);
  // The container: the codestream is in jxlc, or split over jxlp boxes (4 bytes of index first).
  let p = 0;
  while (p + 8 <= b.length) {
    let size = b.readUInt32BE(p);
    const type = b.toString('latin1', p + 4, p + 8);
    let header = 8;
    if (size === 1 && p + 16 <= b.length) {
      size = Number(b.readBigUInt64BE(p + 8));
      header = 16;
    }
    if (type === 'jxlc') return jxlCodestreamSize(b, p + header + 2);
    if (type === 'jxlp') return jxlCodestreamSize(b, p + header + 4 + 2);
    if (size === 0 || size < header) break;
    p += size;
  }
  return 'damaged JPEG XL: no codestream in its first bytes';
}

/** OpenEXR: attributes "name\0type\0" + int32 size + value until an empty name; dataWindow is a box2i. */
function exrSize(b: Buffer): Size {
  let p = 8;
  for (let n = 0; n < 1000 && p < b.length; n++) {
    if (b[p] === 0) break;
    const nameEnd = b.indexOf(0, p);
    const typeEnd = nameEnd < 0 ? -1 : b.indexOf(0, nameEnd + 1);
    if (typeEnd < 0 || typeEnd + 5 > b.length) break;
    const name = b.toString('latin1', p, nameEnd);
    const size = b.readInt32LE(typeEnd + 1);
    const value = typeEnd + 5;
    if (size < 0) break;
    if (name === 'dataWindow' && size >= 16 && value + 16 <= b.length) {
      const [x0, y0, x1, y1] = [0, 4, 8, 12].map((o) => b.readInt32LE(value + o)) as [
        number,
        number,
        number,
        number,
      ];
      return positiveSize(x1 - x0 + 1, y1 - y0 + 1, 'OpenEXR');
    }
    p = value + size;
  }
  return 'damaged OpenEXR: no dataWindow in its header';
}

export interface HdrHeader extends RasterSize {
  /** Offset of the pixel data, after the resolution line. */
  dataAt: number;
  /** True for "-Y H +X W", the usual top-to-bottom, left-to-right order. */
  standard: boolean;
}

/** Radiance RGBE: text lines, a blank line, then "-Y H +X W". */
export function hdrHeader(b: Buffer): HdrHeader | string {
  const blank = b.indexOf('\n\n', 0, 'latin1');
  if (blank < 0) return 'damaged Radiance HDR: the header is cut short';
  const lineEnd = b.indexOf(0x0a, blank + 2);
  if (lineEnd < 0) return 'damaged Radiance HDR: no resolution line';
  const m = /^([-+])([XY]) (\d+) ([-+])([XY]) (\d+)$/.exec(b.toString('latin1', blank + 2, lineEnd).trim());
  if (!m || m[2] === m[5]) return 'damaged Radiance HDR: unreadable resolution line';
  const [first, second] = [Number(m[3]), Number(m[6])];
  const size =
    m[2] === 'Y' ? positiveSize(second, first, 'Radiance HDR') : positiveSize(first, second, 'Radiance HDR');
  if (typeof size === 'string') return size;
  return { ...size, dataAt: lineEnd + 1, standard: m[1] === '-' && m[2] === 'Y' && m[4] === '+' };
}

/** The stored pixel size from a raster's header bytes, or why it cannot be read. */
export function rasterSize(kind: RasterKind, head: Buffer): Size {
  switch (kind) {
    case 'bmp':
      return bmpSize(head);
    case 'ico':
      return icoSize(head);
    case 'pcx':
      return head.length < 128 ? 'damaged PCX: the header is cut short' : pcxSize(head);
    case 'pnm': {
      const h = pnmHeader(head);
      return typeof h === 'string' ? h : { width: h.width, height: h.height };
    }
    case 'jp2':
      return jp2Size(head);
    case 'jxl':
      return jxlSize(head);
    case 'exr':
      return exrSize(head);
    case 'hdr': {
      const h = hdrHeader(head);
      return typeof h === 'string' ? h : { width: h.width, height: h.height };
    }
  }
}
