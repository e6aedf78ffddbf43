import { bufferSource, type ByteSource } from '../../formats/byte-source';
import { LIMITS } from '../../formats/limits';
import { emptyBlocks, utf8, type RawBlocks } from './blocks';

// HEIF/AVIF items are located here rather than by exifr: exifr ignores XMP items, items stored
// in 'idat', and multi-extent items, and its chunked reader is not needed once we know where the
// Exif item lives.

const HEIF_BRANDS = new Set([
  'heic',
  'heix',
  'heim',
  'heis',
  'hevc',
  'hevx',
  'mif1',
  'msf1',
  'avif',
  'avis',
  'miaf',
  'mif2',
]);

interface Box {
  type: string;
  /** Offset of the payload (after the header) and its length, relative to the buffer it came from. */
  start: number;
  end: number;
}

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

/** The boxes directly inside b[start, end). */
function children(b: Buffer, start: number, end: number): Box[] {
  const out: Box[] = [];
  let off = start;
  while (off + 8 <= end && out.length < LIMITS.boxes) {
    let size = b.readUInt32BE(off);
    const type = b.toString('latin1', off + 4, off + 8);
    let header = 8;
    if (size === 1) {
      if (off + 16 > end) break;
      size = u64(b, off + 8);
      header = 16;
    } else if (size === 0) size = end - off;
    if (size < header || off + size > end) break;
    out.push({ type, start: off + header, end: off + size });
    off += size;
  }
  return out;
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
  const version = b[box.start]!;
  const first = box.start + 4 + (version === 0 ? 2 : 4);
  for (const infe of children(b, first, box.end)) {
    if (infe.type !== 'infe' || infe.end - infe.start < 8) continue;
    const v = b[infe.start]!;
    let p = infe.start + 4;
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
  const version = b[box.start]!;
  let p = box.start + 4;
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

/** Width and height from the 'ispe' property associated with the primary item. */
function primarySize(b: Buffer, iprp: Box | undefined, primary: number | null): [number, number] | null {
  if (!iprp || primary === null) return null;
  const kids = children(b, iprp.start, iprp.end);
  const ipco = kids.find((k) => k.type === 'ipco');
  if (!ipco) return null;
  const props = children(b, ipco.start, ipco.end);
  for (const ipma of kids.filter((k) => k.type === 'ipma')) {
    const version = b[ipma.start]!;
    const wide = (b[ipma.start + 3]! & 1) === 1;
    let p = ipma.start + 4;
    const count = b.readUInt32BE(p);
    p += 4;
    for (let i = 0; i < count && p < ipma.end; i++) {
      const id = version < 1 ? b.readUInt16BE(p) : b.readUInt32BE(p);
      p += version < 1 ? 2 : 4;
      const n = b[p++]!;
      for (let a = 0; a < n; a++) {
        const index = wide ? b.readUInt16BE(p) & 0x7fff : b[p]! & 0x7f;
        p += wide ? 2 : 1;
        const prop = props[index - 1];
        if (id === primary && prop?.type === 'ispe' && prop.end - prop.start >= 12) {
          return [b.readUInt32BE(prop.start + 4), b.readUInt32BE(prop.start + 8)];
        }
      }
    }
  }
  return null;
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
      const len = len0 || idat.end - idat.start - off;
      if (idat.start + off + len > idat.end) return null;
      part = meta.subarray(idat.start + off, idat.start + off + len);
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
  const looksTiff = (i: number) =>
    i + 4 <= data.length &&
    (data.toString('latin1', i, i + 4) === 'II*\0' || data.toString('latin1', i, i + 4) === 'MM\0*');
  if (looksTiff(at)) return data.subarray(at);
  for (let i = 0; i < Math.min(64, data.length - 4); i++) if (looksTiff(i)) return data.subarray(i);
  return null;
}

export function isHeif(head: Buffer): boolean {
  if (head.length < 16 || head.toString('latin1', 4, 8) !== 'ftyp') return false;
  const size = Math.min(head.readUInt32BE(0), head.length);
  if (HEIF_BRANDS.has(head.toString('latin1', 8, 12))) return true;
  for (let p = 16; p + 4 <= size; p += 4) if (HEIF_BRANDS.has(head.toString('latin1', p, p + 4))) return true;
  return false;
}

export async function walkHeif(src: ByteSource): Promise<RawBlocks> {
  const out = emptyBlocks('heif');
  let off = 0;
  let meta: Buffer | null = null;
  for (let steps = 0; off + 8 <= src.size && steps < LIMITS.boxes; steps++) {
    const h = await src.read(off, 16);
    let size = h.readUInt32BE(0);
    const type = h.toString('latin1', 4, 8);
    if (size === 1 && h.length >= 16) size = u64(h, 8);
    else if (size === 0) size = src.size - off;
    if (size < 8) {
      out.damage = 'damaged HEIF: a box has an impossible size';
      return out;
    }
    if (type === 'meta') {
      if (off + size > src.size) {
        out.damage = 'the file is cut short inside its metadata';
        return out;
      }
      if (size > LIMITS.blockBytes) {
        out.damage = 'damaged HEIF: the metadata box is implausibly large';
        return out;
      }
      meta = await src.read(off, size);
      break;
    }
    off += size;
  }
  if (!meta) return out; // no item metadata at all (a plain MP4-like file)

  try {
    // Skip the box header (with its 64-bit size, if any) and the full-box version/flags.
    const boxes = children(meta, meta.readUInt32BE(0) === 1 ? 20 : 12, meta.length);
    const find = (t: string) => boxes.find((b) => b.type === t);
    const iinf = find('iinf');
    const iloc = find('iloc');
    const pitm = find('pitm');
    const primary = pitm
      ? meta[pitm.start] === 0
        ? meta.readUInt16BE(pitm.start + 4)
        : meta.readUInt32BE(pitm.start + 4)
      : null;
    const dims = primarySize(meta, find('iprp'), primary);
    if (dims && dims[0] > 0 && dims[1] > 0) [out.width, out.height] = dims;
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
      if (isXmp) out.xmp.push(utf8(data));
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
