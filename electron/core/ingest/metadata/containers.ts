import zlib from 'node:zlib';
import { walkHeif } from './bmff';
import { bufferSource, sliceSource, type ByteSource } from '../../formats/byte-source';
import { APP1, APP13, isSofMarker, startsJpeg, walkJpegSegments } from '../../formats/jpeg';
import { LIMITS } from '../../formats/limits';
import { PSD_HEADER_BYTES, photoshopResources, psdHeader } from '../../formats/photoshop';
import { RAF_HEADER_BYTES, rafPreview, rafPreviewInside } from '../../formats/raf';
import { RASTER_HEADER_BYTES, rasterSize, sniffRaster } from '../../formats/raster-header';
import { sniffContainer } from '../../formats/sniff';
import { emptyBlocks, type RawBlocks } from './blocks';
import { walkCr3, walkCrw, walkMrw, walkX3f } from './raw-containers';
import { decodeXmpPacket, scanXmpPackets } from '../../formats/xmp-packet';
import { iptcFromPhotoshopIrb } from './iptc';

// Each walker visits only segment/chunk headers and reads the metadata payloads it wants, so the
// same code serves a file already in memory and a multi-GB file on disk.

const TRUNCATED = 'the file is cut short inside its metadata';
const XMP_MAIN = 'http://ns.adobe.com/xap/1.0/\0';
const XMP_EXTENDED = 'http://ns.adobe.com/xmp/extension/\0';
const PHOTOSHOP = 'Photoshop 3.0\0';

function startsWith(b: Buffer, s: string): boolean {
  return b.length >= s.length && b.toString('latin1', 0, s.length) === s;
}

/** Drops the "Exif\0\0" prefix some writers leave in front of a bare TIFF structure. */
function stripExifHeader(b: Buffer): Buffer {
  return startsWith(b, 'Exif\0') ? b.subarray(6) : b;
}

async function walkJpeg(src: ByteSource, out: RawBlocks): Promise<void> {
  const irb: Buffer[] = [];
  // Extended XMP arrives in pieces keyed by the GUID of the whole packet, each with its offset.
  const extended = new Map<string, { buf: Buffer; got: number }>();
  const stop = await walkJpegSegments(src, async ({ marker, data, end }) => {
    const len = end - data;
    if (isSofMarker(marker) && len >= 5) {
      const sof = await src.read(data, 5);
      out.height = sof.readUInt16BE(1) || null;
      out.width = sof.readUInt16BE(3) || null;
    } else if (marker === APP1) {
      const p = await src.read(data, len);
      if (startsWith(p, 'Exif\0')) out.tiff.push(bufferSource(p.subarray(6)));
      else if (startsWith(p, XMP_MAIN)) out.xmp.push(decodeXmpPacket(p.subarray(XMP_MAIN.length)));
      else if (startsWith(p, XMP_EXTENDED) && p.length >= XMP_EXTENDED.length + 40) {
        const at = XMP_EXTENDED.length;
        const guid = p.toString('latin1', at, at + 32);
        const total = p.readUInt32BE(at + 32);
        const offset = p.readUInt32BE(at + 36);
        const piece = p.subarray(at + 40);
        if (total <= LIMITS.blockBytes && offset + piece.length <= total) {
          const ext = extended.get(guid) ?? { buf: Buffer.alloc(total), got: 0 };
          piece.copy(ext.buf, offset);
          ext.got += piece.length;
          extended.set(guid, ext);
        }
      }
    } else if (marker === APP13) {
      // Photoshop may split its resource block over several APP13 segments.
      const p = await src.read(data, len);
      if (startsWith(p, PHOTOSHOP)) irb.push(p.subarray(PHOTOSHOP.length));
    }
  });
  if (stop.kind === 'damaged') out.damage = stop.reason;
  if (irb.length) out.iptc.push(...iptcFromPhotoshopIrb(Buffer.concat(irb)));
  for (const ext of extended.values()) if (ext.got >= ext.buf.length) out.xmp.push(decodeXmpPacket(ext.buf));
}

/** ImageMagick's "Raw profile type exif|xmp|iptc" text chunks: a name, a length and hex lines. */
function rawProfile(text: string): Buffer | null {
  const m = /^\s*\S+\s+(\d+)\s+([0-9a-fA-F\s]+)$/.exec(text);
  if (!m) return null;
  const bytes = Buffer.from(m[2]!.replace(/\s+/g, ''), 'hex');
  return bytes.subarray(0, Number(m[1]));
}

function inflate(data: Buffer): Buffer | null {
  try {
    return zlib.inflateSync(data, { maxOutputLength: LIMITS.blockBytes });
  } catch {
    return null;
  }
}

function pngTextChunk(type: string, data: Buffer, out: RawBlocks): void {
  const z = data.indexOf(0);
  if (z <= 0) return;
  const keyword = data.toString('latin1', 0, z);
  let text: Buffer | null;
  if (type === 'iTXt') {
    const compressed = data[z + 1] === 1;
    const langEnd = data.indexOf(0, z + 3);
    const transEnd = langEnd === -1 ? -1 : data.indexOf(0, langEnd + 1);
    if (transEnd === -1) return;
    const body = data.subarray(transEnd + 1);
    text = compressed ? inflate(body) : body;
  } else if (type === 'zTXt') text = inflate(data.subarray(z + 2));
  else text = data.subarray(z + 1);
  if (!text) return;
  if (keyword === 'XML:com.adobe.xmp') {
    out.xmp.push(decodeXmpPacket(text));
    return;
  }
  const kind = /^Raw profile type (exif|xmp|iptc|APP1)$/i.exec(keyword)?.[1]?.toLowerCase();
  if (!kind) return;
  const profile = rawProfile(text.toString('latin1'));
  if (!profile) return;
  if (kind === 'xmp') out.xmp.push(decodeXmpPacket(profile));
  else if (kind === 'iptc')
    out.iptc.push(...(startsWith(profile, '8BIM') ? iptcFromPhotoshopIrb(profile) : [profile]));
  else out.tiff.push(bufferSource(stripExifHeader(profile)));
}

async function walkPng(src: ByteSource, out: RawBlocks): Promise<void> {
  let off = 8;
  for (let steps = 0; steps < LIMITS.chunks; steps++) {
    const h = await src.read(off, 8);
    if (h.length < 8) break; // no IEND: a truncated PNG, but nothing more to find
    const len = h.readUInt32BE(0);
    const type = h.toString('latin1', 4, 8);
    if (type === 'IEND') break;
    const at = off + 8;
    if (len > 0x7fffffff || at + len > src.size) {
      out.damage = TRUNCATED;
      break;
    }
    if (type === 'IHDR' && len >= 8) {
      const d = await src.read(at, 8);
      out.width = d.readUInt32BE(0) || null;
      out.height = d.readUInt32BE(4) || null;
    } else if (type === 'eXIf' && len <= LIMITS.blockBytes) {
      out.tiff.push(bufferSource(stripExifHeader(await src.read(at, len))));
    } else if ((type === 'iTXt' || type === 'zTXt' || type === 'tEXt') && len <= LIMITS.blockBytes) {
      pngTextChunk(type, await src.read(at, len), out);
    }
    off = at + len + 4; // data and CRC
  }
}

async function walkWebp(src: ByteSource, out: RawBlocks): Promise<void> {
  let off = 12;
  for (let steps = 0; off + 8 <= src.size && steps < LIMITS.chunks; steps++) {
    const h = await src.read(off, 8);
    const type = h.toString('latin1', 0, 4);
    const len = h.readUInt32LE(4);
    const at = off + 8;
    if (at + len > src.size) {
      out.damage = TRUNCATED;
      break;
    }
    if (type === 'VP8X' && len >= 10) {
      const d = await src.read(at, 10);
      out.width = 1 + d.readUIntLE(4, 3);
      out.height = 1 + d.readUIntLE(7, 3);
    } else if (type === 'VP8 ' && len >= 10 && out.width === null) {
      const d = await src.read(at, 10);
      if (d[3] === 0x9d && d[4] === 0x01 && d[5] === 0x2a) {
        out.width = d.readUInt16LE(6) & 0x3fff;
        out.height = d.readUInt16LE(8) & 0x3fff;
      }
    } else if (type === 'VP8L' && len >= 5 && out.width === null) {
      const d = await src.read(at, 5);
      if (d[0] === 0x2f) {
        const bits = d.readUInt32LE(1);
        out.width = (bits & 0x3fff) + 1;
        out.height = ((bits >>> 14) & 0x3fff) + 1;
      }
    } else if (type === 'EXIF' && len <= LIMITS.blockBytes) {
      out.tiff.push(bufferSource(stripExifHeader(await src.read(at, len))));
    } else if (type === 'XMP ' && len <= LIMITS.blockBytes) {
      out.xmp.push(decodeXmpPacket(await src.read(at, len)));
    }
    off = at + len + (len & 1);
  }
}

/** Fujifilm RAF: the metadata lives in the embedded JPEG preview the header points to. */
async function walkRaf(src: ByteSource, out: RawBlocks): Promise<void> {
  const preview = rafPreview(await src.read(0, RAF_HEADER_BYTES));
  if (!preview) {
    out.damage = TRUNCATED;
    return;
  }
  if (!rafPreviewInside(preview, src.size)) {
    out.damage = 'damaged RAF: the preview lies outside the file';
    return;
  }
  const jpeg = sliceSource(src, preview.offset, preview.length);
  const sig = await jpeg.read(0, 3);
  if (!startsJpeg(sig)) return;
  await walkJpeg(jpeg, out);
  // The preview's size is not the raw image's.
  out.width = null;
  out.height = null;
}

/** Photoshop PSD/PSB: the header, then colour-mode data, then the image resources we want. */
async function walkPsd(src: ByteSource, out: RawBlocks): Promise<void> {
  const h = psdHeader(await src.read(0, PSD_HEADER_BYTES));
  if (h?.resourcesAt == null) {
    out.damage = TRUNCATED;
    return;
  }
  out.height = h.height || null;
  out.width = h.width || null;
  const resourcesAt = h.resourcesAt;
  const lenBytes = await src.read(resourcesAt, 4);
  if (lenBytes.length < 4) {
    out.damage = TRUNCATED;
    return;
  }
  const len = lenBytes.readUInt32BE(0);
  if (len > LIMITS.blockBytes) return; // absurd for resources; leave it be rather than read it
  const resources = photoshopResources(await src.read(resourcesAt + 4, len));
  out.iptc.push(...(resources.get(0x0404) ?? []));
  for (const xmp of resources.get(0x0424) ?? []) out.xmp.push(decodeXmpPacket(xmp));
  for (const exif of resources.get(0x0422) ?? [])
    out.tiff.push(bufferSource(stripExifHeader(Buffer.from(exif.buffer, exif.byteOffset, exif.byteLength))));
}

const GIF_XMP_APP = 'XMP DataXMP';

/**
 * GIF: the logical screen's size, and XMP from the "XMP DataXMP" application extension. That
 * extension stores the packet as raw bytes followed by a 258-byte "magic trailer" that lets a
 * reader skipping sub-blocks land on the terminator, so the block walk below stays in step.
 */
async function walkGif(src: ByteSource, out: RawBlocks): Promise<void> {
  const h = await src.read(0, 13);
  if (h.length < 13) {
    out.damage = TRUNCATED;
    return;
  }
  out.width = h.readUInt16LE(6) || null;
  out.height = h.readUInt16LE(8) || null;
  let off = 13 + (h[10]! & 0x80 ? 3 * 2 ** ((h[10]! & 7) + 1) : 0);
  /** Skips a run of data sub-blocks; the offset after its terminator, or null past the end. */
  const skipSubBlocks = async (at: number): Promise<number | null> => {
    for (let steps = 0; steps < LIMITS.chunks; steps++) {
      const len = (await src.read(at, 1))[0];
      if (len === undefined) return null;
      at += 1 + len;
      if (len === 0) return at;
    }
    return null;
  };
  for (let blocks = 0; off < src.size && blocks < LIMITS.chunks; blocks++) {
    const b = await src.read(off, 2);
    if (b[0] === 0x3b || b.length < 2) return; // trailer
    if (b[0] === 0x21) {
      if (b[1] === 0xff) {
        const app = await src.read(off + 2, 12);
        if (app[0] === 11 && app.toString('latin1', 1, 12) === GIF_XMP_APP) {
          const [packet] = await scanXmpPackets(src, { start: off + 14, max: 1 });
          if (packet) out.xmp.push(packet.text);
        }
      }
      const next = await skipSubBlocks(off + 2);
      if (next === null) return;
      off = next;
    } else if (b[0] === 0x2c) {
      const d = await src.read(off, 10);
      if (d.length < 10) return;
      const lct = d[9]! & 0x80 ? 3 * 2 ** ((d[9]! & 7) + 1) : 0;
      const next = await skipSubBlocks(off + 10 + lct + 1); // after the LZW minimum code size
      if (next === null) return;
      off = next;
    } else return; // not a block: damage after the metadata we could read
  }
}

/**
 * SVG: an XMP packet anywhere in it (Illustrator's <metadata>), else the RDF Inkscape and others
 * write into <metadata> (cc:Work with dc:title, dc:subject), read from the whole document so the
 * namespaces declared on <svg> apply.
 */
async function walkSvg(src: ByteSource, out: RawBlocks): Promise<void> {
  const [packet] = await scanXmpPackets(src, { max: 1 });
  if (packet) {
    out.xmp.push(packet.text);
    return;
  }
  if (src.size > LIMITS.blockBytes) return;
  const text = decodeXmpPacket(await src.read(0, src.size));
  if (/<(?:[\w.-]+:)?RDF[\s>]/.test(text)) out.xmp.push(text);
}

/**
 * The rasters we decode ourselves: the size from the header; XMP where the format has a place
 * for it (JPEG 2000's uuid or xml box, JPEG XL's xml box), found by the one packet scanner.
 */
async function walkRaster(src: ByteSource, out: RawBlocks): Promise<void> {
  const head = await src.read(0, RASTER_HEADER_BYTES);
  const kind = sniffRaster(head);
  if (!kind) return;
  const size = rasterSize(kind, head);
  if (typeof size === 'string') {
    out.damage = size;
    return;
  }
  out.width = size.width;
  out.height = size.height;
  if (kind === 'jp2' || kind === 'jxl') {
    const [packet] = await scanXmpPackets(src, { max: 1 });
    if (packet) out.xmp.push(packet.text);
  }
}

/** Finds the metadata blocks of a file; null when its format is not one we read. */
export async function walkContainer(src: ByteSource): Promise<RawBlocks | null> {
  const head = await src.read(0, 128);
  const format = sniffContainer(head);
  if (!format) return null;
  if (format === 'heif') return walkHeif(src);
  const out = emptyBlocks(format);
  if (format === 'jpeg') await walkJpeg(src, out);
  else if (format === 'png') await walkPng(src, out);
  else if (format === 'webp') await walkWebp(src, out);
  else if (format === 'gif') await walkGif(src, out);
  else if (format === 'svg') await walkSvg(src, out);
  else if (format === 'raster') await walkRaster(src, out);
  else if (format === 'cr3') await walkCr3(src, out);
  else if (format === 'mrw') await walkMrw(src, out);
  else if (format === 'crw') await walkCrw(src, out);
  else if (format === 'x3f')
    await walkX3f(src, out, async (jpeg) => {
      const inner = emptyBlocks('jpeg');
      await walkJpeg(jpeg, inner);
      return inner;
    });
  else if (format === 'raf') await walkRaf(src, out);
  else if (format === 'psd') await walkPsd(src, out);
  else out.tiff.push(src); // a TIFF or TIFF-based RAW is itself the TIFF structure
  return out;
}
