import type { ByteSource } from './byte-source';

// Sigma/Foveon X3F: a little-endian header ("FOVb", version, unique id, mark bits, then the
// image's columns, rows and rotation; from version 4 those sit further on), and a directory
// ("SECd") whose offset is the file's last 4 bytes, listing sections by type: PROP (camera
// properties as UTF-16 name/value pairs), IMAG/IMA2 (images, one a JPEG preview that carries EXIF
// from version 4 on), CAMF.

export const X3F_MAGIC = 'FOVb';

/** The most sections a directory may list and properties a PROP section may hold. */
const MAX_SECTIONS = 64;
const MAX_PROPERTIES = 4096;
/** Largest PROP section read: real ones are a few kB. */
const MAX_PROP_BYTES = 1024 * 1024;
/** A preview section's own header before the JPEG ("SECi", version, type 2, format 18, size). */
const IMAGE_HEADER_BYTES = 28;

export interface X3fSection {
  type: string;
  offset: number;
  length: number;
}

export interface X3fFile {
  /** Major and minor, e.g. 2.2 as [2, 2]. */
  version: [number, number];
  width: number | null;
  height: number | null;
  /** Degrees the camera was turned, as recorded (0, 90, 180, 270). */
  rotation: number | null;
  /** CAMMANUF, CAMMODEL, TIME (seconds since 1970 as the camera's wall clock), ... */
  properties: Map<string, string>;
  /** Embedded JPEG previews: offset and length of the JPEG itself. */
  jpegs: { offset: number; length: number }[];
  damage: string | null;
}

function utf16z(chars: Buffer, at: number): string | null {
  const count = chars.length >> 1;
  if (at >= count) return null;
  let end = at;
  while (end < count && chars.readUInt16LE(end * 2) !== 0) end++;
  return chars.toString('utf16le', at * 2, end * 2);
}

async function properties(src: ByteSource, s: X3fSection, into: Map<string, string>): Promise<string | null> {
  if (s.length < 24 || s.length > MAX_PROP_BYTES)
    return 'damaged X3F: a property section has an impossible size';
  const p = await src.read(s.offset, s.length);
  if (p.toString('latin1', 0, 4) !== 'SECp') return 'damaged X3F: a property section has no header';
  const entries = p.readUInt32LE(8);
  const format = p.readUInt32LE(12);
  const length = p.readUInt32LE(20);
  // Format 0 is UTF-16; no other was ever written.
  if (format !== 0) return null;
  if (entries > MAX_PROPERTIES || 24 + 8 * entries + 2 * length > p.length)
    return 'damaged X3F: a property section is cut short';
  const chars = p.subarray(24 + 8 * entries, 24 + 8 * entries + 2 * length);
  for (let i = 0; i < entries; i++) {
    const name = utf16z(chars, p.readUInt32LE(24 + 8 * i));
    const value = utf16z(chars, p.readUInt32LE(28 + 8 * i));
    if (name === null || value === null) return 'damaged X3F: a property points outside its section';
    if (!into.has(name)) into.set(name, value);
  }
  return null;
}

export async function readX3f(src: ByteSource): Promise<X3fFile | null> {
  const head = await src.read(0, 52);
  if (head.length < 40 || head.toString('latin1', 0, 4) !== X3F_MAGIC) return null;
  const raw = head.readUInt32LE(4);
  const version: [number, number] = [raw >>> 16, raw & 0xffff];
  // Columns, rows and rotation are words 7-9 of the header up to version 3, words 10-12 from 4 on.
  const at = version[0] >= 4 ? 40 : 28;
  const word = (o: number) => (head.length >= o + 4 ? head.readUInt32LE(o) : null);
  const file: X3fFile = {
    version,
    width: word(at) || null,
    height: word(at + 4) || null,
    rotation: word(at + 8),
    properties: new Map(),
    jpegs: [],
    damage: null,
  };
  if (src.size < 56) return { ...file, damage: 'the file is cut short inside its metadata' };
  const dirAt = (await src.read(src.size - 4, 4)).readUInt32LE(0);
  const dir = await src.read(dirAt, 12);
  if (dir.length < 12 || dir.toString('latin1', 0, 4) !== 'SECd')
    return { ...file, damage: 'damaged X3F: its section directory is missing' };
  const count = dir.readUInt32LE(8);
  if (count > MAX_SECTIONS) return { ...file, damage: 'damaged X3F: its section directory is damaged' };
  const list = await src.read(dirAt + 12, count * 12);
  if (list.length < count * 12) return { ...file, damage: 'damaged X3F: its section directory is cut short' };
  for (let i = 0; i < count; i++) {
    const s: X3fSection = {
      offset: list.readUInt32LE(i * 12),
      length: list.readUInt32LE(i * 12 + 4),
      type: list.toString('latin1', i * 12 + 8, i * 12 + 12),
    };
    if (s.offset + s.length > src.size) {
      file.damage ??= 'damaged X3F: a section runs past the end of the file';
      continue;
    }
    if (s.type === 'PROP') file.damage ??= await properties(src, s, file.properties);
    else if ((s.type === 'IMAG' || s.type === 'IMA2') && s.length > IMAGE_HEADER_BYTES) {
      const h = await src.read(s.offset, IMAGE_HEADER_BYTES + 3);
      // Only version 2.0 image sections of type 2, format 18 hold a JPEG.
      const jpeg =
        h.toString('latin1', 0, 4) === 'SECi' &&
        h.readUInt32LE(8) === 2 &&
        h.readUInt32LE(12) === 18 &&
        h[IMAGE_HEADER_BYTES] === 0xff &&
        h[IMAGE_HEADER_BYTES + 1] === 0xd8;
      if (jpeg)
        file.jpegs.push({ offset: s.offset + IMAGE_HEADER_BYTES, length: s.length - IMAGE_HEADER_BYTES });
    }
  }
  return file;
}
