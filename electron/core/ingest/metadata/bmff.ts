import { boxesIn, childBoxesIn, listBoxes, type Box } from '../../formats/bmff';
import { bufferSource, type ByteSource } from '../../formats/byte-source';
import { primaryItemProps } from '../../formats/heif';
import { LIMITS } from '../../formats/limits';
import { tiffHeader, TIFF_MAGIC } from '../../formats/tiff';
import { emptyBlocks, type RawBlocks } from './blocks';
import { decodeXmpPacket } from '../../formats/xmp-packet';

// HEIF/AVIF items are located here rather than by exifr: exifr ignores XMP items, items stored
// in 'idat', and multi-extent items, and its chunked reader is not needed once we know where the
// Exif item lives.

function u64(b: Buffer, at: number): number {
  return Number(b.readBigUInt64BE(at));
}

function uintN(b: Buffer, at: number, bytes: number): number {
  switch (bytes) {
    case 0:
      return 0;
    case 1:
      return b[at]!;
    case 2:
      return b.readUInt16BE(at);
    case 4:
      return b.readUInt32BE(at);
    case 8:
      return u64(b, at);
    default:
      throw new RangeError(`unsupported ${bytes}-byte field`);
  }
}

function cstring(b: Buffer, at: number, end: number): [string, number] {
  let z = at;
  while (z < end && b[z] !== 0) z++;
  return [b.toString('utf8', at, z), Math.min(z + 1, end)];
}

interface ItemInfo {
  type: string;
  contentType: string;
}

function parseIinf(b: Buffer, box: Box): Map<number, ItemInfo> {
  const items = new Map<number, ItemInfo>();
  const version = b[box.body]!;
  for (const infe of childBoxesIn(b, box, 4 + (version === 0 ? 2 : 4))) {
    if (infe.type !== 'infe' || infe.end - infe.body < 8) continue;
    const v = b[infe.body]!;
    let p = infe.body + 4;
    if (v >= 2) {
      const id = v === 2 ? b.readUInt16BE(p) : b.readUInt32BE(p);
      p += (v === 2 ? 2 : 4) + 2;
      const type = b.toString('latin1', p, p + 4);
      p += 4;
      const [, afterName] = cstring(b, p, infe.end);
      const contentType = type === 'mime' ? cstring(b, afterName, infe.end)[0] : '';
      items.set(id, { type, contentType });
    } else {
      const id = b.readUInt16BE(p);
      const [, afterName] = cstring(b, p + 4, infe.end);
      items.set(id, { type: 'mime', contentType: cstring(b, afterName, infe.end)[0] });
    }
  }
  return items;
}

interface Location {
  method: number;
  extents: [offset: number, length: number][];
}

function parseIloc(b: Buffer, box: Box): Map<number, Location> {
  const locs = new Map<number, Location>();
  const version = b[box.body]!;
  let p = box.body + 4;
  const offsetSize = b[p]! >> 4;
  const lengthSize = b[p]! & 15;
  const baseSize = b[p + 1]! >> 4;
  const indexSize = version === 1 || version === 2 ? b[p + 1]! & 15 : 0;
  p += 2;
  const count = version < 2 ? b.readUInt16BE(p) : b.readUInt32BE(p);
  p += version < 2 ? 2 : 4;
  for (let i = 0; i < count && p < box.end; i++) {
    const id = version < 2 ? b.readUInt16BE(p) : b.readUInt32BE(p);
    p += version < 2 ? 2 : 4;
    let method = 0;
    if (version === 1 || version === 2) {
      method = b.readUInt16BE(p) & 15;
      p += 2;
    }
    p += 2; // data_reference_index
    const base = uintN(b, p, baseSize);
    p += baseSize;
    const extentCount = b.readUInt16BE(p);
    p += 2;
    const extents: [number, number][] = [];
    for (let e = 0; e < extentCount; e++) {
      p += indexSize;
      const off = uintN(b, p, offsetSize);
      p += offsetSize;
      const len = uintN(b, p, lengthSize);
      p += lengthSize;
      extents.push([base + off, len]);
    }
    locs.set(id, { method, extents });
  }
  return locs;
}

async function itemBytes(
  src: ByteSource,
  meta: Buffer,
  idat: Box | undefined,
  loc: Location,
): Promise<Buffer | null> {
  const parts: Buffer[] = [];
  let total = 0;
  for (const [off, len0] of loc.extents) {
    let part: Buffer;
    if (loc.method === 0) {
      const len = len0 || src.size - off;
      if (off + len > src.size) return null;
      if (total + len > LIMITS.blockBytes) return null;
      part = await src.read(off, len);
    } else if (loc.method === 1 && idat) {
      const len = len0 || idat.end - idat.body - off;
      if (idat.body + off + len > idat.end) return null;
      part = meta.subarray(idat.body + off, idat.body + off + len);
    } else return null;
    total += part.length;
    parts.push(part);
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** The TIFF inside an Exif item: a 4-byte offset to the header comes first ("Exif\0\0" may sit between). */
function tiffFromExifItem(data: Buffer): Buffer | null {
  if (data.length < 8) return null;
  const skip = data.readUInt32BE(0);
  const at = 4 + skip;
  const looksTiff = (i: number) => tiffHeader(data.subarray(i, i + 8))?.magic === TIFF_MAGIC.classic;
  if (looksTiff(at)) return data.subarray(at);
  for (let i = 0; i < Math.min(64, data.length - 4); i++) if (looksTiff(i)) return data.subarray(i);
  return null;
}

export async function walkHeif(src: ByteSource): Promise<RawBlocks> {
  const out = emptyBlocks('heif');
  const top = await listBoxes(src, 0, src.size, 0, (box) => box.type === 'meta');
  const metaBox = top.boxes.find((box) => box.type === 'meta');
  if (top.stop?.reason === 'impossible-size') {
    out.damage = 'damaged HEIF: a box has an impossible size';
    return out;
  }
  if (top.stop?.reason === 'past-end' && top.stop.type === 'meta') {
    out.damage = 'the file is cut short inside its metadata';
    return out;
  }
  if (metaBox && metaBox.end - metaBox.start > LIMITS.blockBytes) {
    out.damage = 'damaged HEIF: the metadata box is implausibly large';
    return out;
  }
  const meta = metaBox ? await src.read(metaBox.start, metaBox.end - metaBox.start) : null;
  if (!meta) return out; // no item metadata at all (a plain MP4-like file)

  try {
    // Skip the box header (with its 64-bit size, if any) and the full-box version/flags.
    const boxes = boxesIn(meta, meta.readUInt32BE(0) === 1 ? 20 : 12, meta.length, 1);
    const find = (t: string) => boxes.find((b) => b.type === t);
    const iinf = find('iinf');
    const iloc = find('iloc');
    const primary = primaryItemProps(meta, boxes);
    if (primary && primary.width > 0 && primary.height > 0)
      [out.width, out.height] = [primary.width, primary.height];
    if (!iinf || !iloc) return out;
    const infos = parseIinf(meta, iinf);
    const locs = parseIloc(meta, iloc);
    const idat = find('idat');
    for (const [id, info] of infos) {
      const isExif = info.type === 'Exif';
      const isXmp = info.type === 'mime' && info.contentType.toLowerCase().startsWith('application/rdf+xml');
      if (!isExif && !isXmp) continue;
      const loc = locs.get(id);
      const data = loc ? await itemBytes(src, meta, idat, loc) : null;
      if (!data) continue;
      if (isXmp) out.xmp.push(decodeXmpPacket(data));
      else {
        const tiff = tiffFromExifItem(data);
        if (tiff) out.tiff.push(bufferSource(tiff));
      }
    }
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    // A field ran past its box: keep whatever was already found.
    out.damage = 'damaged HEIF: the metadata box is malformed';
  }
  return out;
}
