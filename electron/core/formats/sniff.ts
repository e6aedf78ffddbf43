import type { FormatId } from './format-id';
import { sniffMesh } from './mesh';
import { sniffRaster } from './raster-header';
import { isTiffMagic, tiffHeader, TIFF_MAGIC } from './tiff';

export type { FormatId };

// Magic-byte recognition of the first bytes of a file. Extensions lie (exports renamed by hand,
// phones that save HEIC as .jpg), so the decoder is chosen from content whenever it is clear.

const HEIC_BRANDS = new Set([
  'heic',
  'heix',
  'hevc',
  'hevx',
  'heim',
  'heis',
  'hevm',
  'hevs',
  'mif1',
  'msf1',
  'mif2',
  'miaf',
  'MiHE',
  'MiHB',
  'MiPr',
  'MiHA',
]);
const AVIF_BRANDS = new Set(['avif', 'avis', 'avio']);
const AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B ']);
// InDesign documents (and templates) open with this GUID, the kDocumentHeaderGUID.
const INDD_GUID = [
  0x06, 0x06, 0xed, 0xf5, 0xd8, 0x1d, 0x46, 0xe5, 0xbd, 0x31, 0xef, 0xe7, 0xfe, 0x74, 0xb7, 0x1d,
];
// QuickTime files written before ftyp existed start straight with one of these atoms.
const QT_FIRST_ATOMS = new Set(['moov', 'mdat', 'wide', 'pnot']);

function ascii(b: Buffer, start: number, end: number): string {
  return b.toString('latin1', start, Math.min(end, b.length));
}

function startsWith(b: Buffer, bytes: readonly number[], at = 0): boolean {
  if (b.length < at + bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (b[at + i] !== bytes[i]) return false;
  return true;
}

function sniffFtyp(head: Buffer): FormatId | null {
  const size = head.readUInt32BE(0);
  const major = ascii(head, 8, 12);
  const brands = [major];
  // Compatible brands follow the minor version; a short head simply yields fewer of them.
  const end = Math.min(size >= 16 ? size : 16, head.length);
  for (let p = 16; p + 4 <= end; p += 4) brands.push(ascii(head, p, p + 4));
  if (brands.includes('crx ')) return 'raw';
  if (brands.some((b) => AVIF_BRANDS.has(b))) return 'avif';
  if (brands.some((b) => HEIC_BRANDS.has(b))) return 'heic';
  if (AUDIO_BRANDS.has(major)) return 'audio';
  // Everything else in an ftyp box (isom, mp41/2, qt, M4V, 3gp*, avc1, XAVC, ...) is a movie.
  return 'video';
}

function isTsPacketStream(head: Buffer): boolean {
  if (head.length >= 189 && head[0] === 0x47 && head[188] === 0x47) return true;
  // M2TS/MTS (AVCHD, Blu-ray): each 188-byte packet follows a 4-byte timestamp.
  return head.length >= 197 && head[4] === 0x47 && head[196] === 0x47;
}

/** MPEG audio (MP3, ADTS AAC) frame sync: eleven set bits, a layer and a bit-rate index that are not reserved. */
function isMpegAudioFrame(head: Buffer): boolean {
  if (head.length < 3 || head[0] !== 0xff || (head[1]! & 0xe0) !== 0xe0) return false;
  const layer = (head[1]! >> 1) & 3;
  if (((head[1]! >> 3) & 3) === 1) return false; // reserved MPEG version
  if (layer === 0) return (head[1]! & 0xf6) === 0xf0; // ADTS: MPEG-4/2 AAC, layer bits 00
  return head[2]! >> 4 !== 0xf && ((head[2]! >> 2) & 3) !== 3;
}

function sniffAudio(head: Buffer): FormatId | null {
  const first4 = ascii(head, 0, 4);
  if (ascii(head, 0, 3) === 'ID3' || first4 === 'fLaC' || first4 === 'MAC ' || first4 === 'wvpk')
    return 'audio';
  if (first4 === 'FORM' && /^AIF[FC]$/.test(ascii(head, 8, 12))) return 'audio';
  if (first4 === 'OggS') {
    // The first page's first packet names the codec; Theora (and Dirac) make an Ogg a video.
    const codec = ascii(head, 28, 36);
    return /^\x80theora|^BBCD/.test(codec) ? 'video' : 'audio';
  }
  if (ascii(head, 0, 5) === '#!AMR') return 'audio';
  return isMpegAudioFrame(head) ? 'audio' : null;
}

/** Skips the XML prolog (declaration, comments, doctype) and reports whether the root element is svg. */
function looksLikeSvg(head: Buffer): boolean {
  let text = head.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let i = 0;
  for (let guard = 0; guard < 64; guard++) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    if (text[i] !== '<') return false;
    if (text.startsWith('<?', i)) {
      const e = text.indexOf('?>', i);
      if (e < 0) break;
      i = e + 2;
    } else if (text.startsWith('<!--', i)) {
      const e = text.indexOf('-->', i);
      if (e < 0) break;
      i = e + 3;
    } else if (/^<!DOCTYPE/i.test(text.slice(i, i + 9))) {
      // An internal subset may hold '>' characters of its own.
      const bracket = text.indexOf('[', i);
      const close = text.indexOf('>', i);
      if (close < 0) break;
      if (bracket >= 0 && bracket < close) {
        const e = text.indexOf(']', bracket);
        const e2 = e < 0 ? -1 : text.indexOf('>', e);
        if (e2 < 0) break;
        i = e2 + 1;
      } else i = close + 1;
    } else {
      return /^<(?:[A-Za-z_][\w.-]*:)?svg[\s>/]/.test(text.slice(i, i + 64));
    }
  }
  // The head ended inside the prolog (a long licence comment, say): settle for a mention of <svg.
  return /<(?:[A-Za-z_][\w.-]*:)?svg[\s>/]/.test(text);
}

function sniffTiff(head: Buffer): FormatId | null {
  const h = tiffHeader(head.length >= 8 ? head : Buffer.concat([head, Buffer.alloc(8 - head.length)]));
  if (!h || !isTiffMagic(h)) return null;
  if (h.magic === TIFF_MAGIC.orf || h.magic === TIFF_MAGIC.orfS) return 'raw'; // Olympus ORF (IIRO / IIRS / MMOR)
  if (h.magic === TIFF_MAGIC.rw2) return 'raw'; // Panasonic RW2 / RAW
  if (h.le && ascii(head, 8, 10) === 'CR') return 'raw'; // Canon CR2
  // DNG, NEF, ARW, PEF... are plain TIFF here; the extension decides (see reconcileFormat).
  return 'tiff';
}

/** The format the content says it is, from the first bytes (128 cover all but SVG and MPEG-TS), or null. */
export function sniffFormat(head: Buffer): FormatId | null {
  // SOI and the first marker's FF are enough: a JPEG cut after 3 bytes is still a (broken) JPEG.
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (head.length < 4) return null;
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  const first6 = ascii(head, 0, 6);
  if (first6 === 'GIF87a' || first6 === 'GIF89a') return 'gif';
  const first4 = ascii(head, 0, 4);
  if (first4 === 'RIFF' && head.length >= 12) {
    const kind = ascii(head, 8, 12);
    if (kind === 'WEBP') return 'webp';
    if (kind === 'AVI ' || kind === 'AVIX') return 'video';
    if (kind === 'WAVE') return 'audio';
    return null;
  }
  if (head.length >= 12 && ascii(head, 4, 8) === 'ftyp') return sniffFtyp(head);
  if (head.length >= 8 && QT_FIRST_ATOMS.has(ascii(head, 4, 8))) return 'video';
  if (isRaf(head)) return 'raw';
  if (first4 === '8BPS') return 'psd';
  if (first4 === '%PDF') return 'pdf';
  // PostScript and EPS (old Illustrator files too), bare or behind the DOS EPS binary header.
  if (ascii(head, 0, 10) === '%!PS-Adobe' || startsWith(head, [0xc5, 0xd0, 0xd3, 0xc6])) return 'eps';
  if (startsWith(head, INDD_GUID)) return 'indd';
  if (ascii(head, 0, 9) === 'gimp xcf ') return 'xcf';
  if (ascii(head, 0, 5) === '{\\rtf') return 'rtf';
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return 'video'; // Matroska / WebM (EBML)
  if (startsWith(head, [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11])) return 'video'; // ASF / WMV
  if (ascii(head, 0, 3) === 'FLV') return 'video';
  if (startsWith(head, [0x00, 0x00, 0x01, 0xba]) || startsWith(head, [0x00, 0x00, 0x01, 0xb3]))
    return 'video'; // MPEG-PS
  if (isTsPacketStream(head)) return 'video';
  if (sniffMesh(head)) return 'model3d'; // GLB, binary FBX, BLEND, PLY, USDZ (a zip of USD)
  const audio = sniffAudio(head);
  if (audio) return audio;
  if (isCrw(head)) return 'raw'; // Canon CRW
  if (isMrw(head)) return 'raw'; // Minolta MRW
  if (isX3f(head)) return 'raw'; // Sigma X3F
  const tiff = sniffTiff(head);
  if (tiff) return tiff;
  const raster = sniffRaster(head);
  if (raster) return raster;
  if (looksLikeSvg(head)) return 'svg';
  return null;
}

/** The structures the metadata reader walks; every other format carries none it reads. */
export type ContainerFormat =
  | 'jpeg'
  | 'tiff'
  | 'png'
  | 'webp'
  | 'gif'
  | 'svg'
  | 'heif'
  | 'raf'
  | 'psd'
  /** Canon CR3 (ISO-BMFF with TIFFs in CMT1-CMT4) and Minolta MRW (a TIFF in its TTW block). */
  | 'cr3'
  | 'mrw'
  /** Canon CRW (CIFF records) and Sigma X3F (a header and a PROP section): no TIFF inside. */
  | 'crw'
  | 'x3f'
  /** BMP, ICO, PCX, Netpbm, JPEG 2000, JPEG XL, OpenEXR, Radiance: a header with the size, XMP in some. */
  | 'raster';

/** An ISO-BMFF file (MP4, MOV, HEIF, AVIF, CR3): an ftyp box first. */
export function isBmff(head: Buffer): boolean {
  return head.length >= 12 && ascii(head, 4, 8) === 'ftyp';
}

export function isMrw(head: Buffer): boolean {
  return startsWith(head, [0x00, 0x4d, 0x52, 0x4d]);
}

/** Canon CRW: a CIFF header ("II", its length, "HEAPCCDR"). */
export function isCrw(head: Buffer): boolean {
  return ascii(head, 0, 2) === 'II' && ascii(head, 6, 14) === 'HEAPCCDR';
}

export function isX3f(head: Buffer): boolean {
  return ascii(head, 0, 4) === 'FOVb';
}

export function isRaf(head: Buffer): boolean {
  return ascii(head, 0, 15) === 'FUJIFILMCCD-RAW';
}

/** The metadata structure of a file from its first bytes (128 are enough), or null for one we do not read. */
export function sniffContainer(head: Buffer): ContainerFormat | null {
  const format = sniffFormat(head);
  switch (format) {
    case 'jpeg':
    case 'png':
    case 'webp':
    case 'gif':
    case 'svg':
    case 'psd':
    case 'tiff':
      return format;
    case 'heic':
    case 'avif':
      return 'heif';
    case 'bmp':
    case 'ico':
    case 'pcx':
    case 'pnm':
    case 'jp2':
    case 'jxl':
    case 'exr':
    case 'hdr':
      return 'raster';
    case 'raw':
      // TIFF-based RAWs (CR2, ORF, RW2...), RAF, CR3 and MRW.
      if (isRaf(head)) return 'raf';
      if (isBmff(head)) return 'cr3';
      if (isMrw(head)) return 'mrw';
      if (isCrw(head)) return 'crw';
      if (isX3f(head)) return 'x3f';
      return isTiffMagic(tiffHeader(head)) ? 'tiff' : null;
    default:
      return null;
  }
}

/**
 * Chooses between what the extension claims and what the content shows. Content wins when it is
 * recognised and disagrees (a PNG named .jpg is a PNG); `mismatch` says the extension lied.
 */
export function reconcileFormat(
  byExt: FormatId,
  sniffed: FormatId | null,
): { format: FormatId; mismatch: boolean } {
  if (sniffed === null || sniffed === byExt) return { format: byExt, mismatch: false };
  // DNG, NEF, ARW, PEF, 3FR... are TIFF containers: the bytes alone cannot tell them from a TIFF.
  if (byExt === 'raw' && sniffed === 'tiff') return { format: 'raw', mismatch: false };
  // An unknown extension makes no claim to contradict (an .ai file is a PDF underneath).
  if (byExt === 'other') return { format: sniffed, mismatch: false };
  return { format: sniffed, mismatch: true };
}
