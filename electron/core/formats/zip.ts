import zlib from 'node:zlib';
import type { ByteSource } from './byte-source';
import { LIMITS } from './limits';

// The zip container of Office (OOXML), OpenDocument and iWork files, read from its central
// directory with random access: a multi-GB Keynote file costs a few small reads, and an entry is
// inflated only up to a cap, so a zip bomb (a tiny entry claiming or inflating to gigabytes) stops
// there. Zip64, encryption and multi-disk archives are not needed for document parts and refused.

export class ZipError extends Error {
  override name = 'ZipError';
}

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderAt: number;
  encrypted: boolean;
}

const EOCD_SIG = 0x06054b50;
const CEN_SIG = 0x02014b50;
const LOC_SIG = 0x04034b50;
/** The end record is 22 bytes plus a comment of up to 64 KB. */
const EOCD_SEARCH = 22 + 0xffff;

export function isZip(head: Buffer): boolean {
  return head.length >= 4 && head.readUInt32LE(0) === LOC_SIG;
}

/** Every entry of the central directory, by name (the first of a repeated name wins). */
export async function readZipDirectory(src: ByteSource): Promise<Map<string, ZipEntry>> {
  const tailStart = Math.max(0, src.size - EOCD_SEARCH);
  const tail = await src.read(tailStart, src.size - tailStart);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('damaged zip: no central directory (the file is cut short?)');
  const count = tail.readUInt16LE(eocd + 10);
  const dirSize = tail.readUInt32LE(eocd + 12);
  const dirAt = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || dirAt === 0xffffffff) throw new ZipError('zip64 archives are not read');
  if (count > LIMITS.zipEntries || dirSize > LIMITS.blockBytes || dirAt + dirSize > src.size)
    throw new ZipError('damaged zip: the central directory lies outside the file');
  const dir = await src.read(dirAt, dirSize);
  const entries = new Map<string, ZipEntry>();
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > dir.length || dir.readUInt32LE(p) !== CEN_SIG)
      throw new ZipError('damaged zip: a central directory entry is broken');
    const flags = dir.readUInt16LE(p + 8);
    const nameLen = dir.readUInt16LE(p + 28);
    const extraLen = dir.readUInt16LE(p + 30);
    const commentLen = dir.readUInt16LE(p + 32);
    const name = dir.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen);
    if (!entries.has(name))
      entries.set(name, {
        name,
        method: dir.readUInt16LE(p + 10),
        compressedSize: dir.readUInt32LE(p + 20),
        size: dir.readUInt32LE(p + 24),
        localHeaderAt: dir.readUInt32LE(p + 42),
        encrypted: (flags & 1) === 1,
      });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/**
 * One entry's bytes, at most `cap` of them uncompressed (LIMITS.zipEntryBytes by default): more
 * is refused rather than truncated, as half an XML part or a JPEG is of no use.
 */
export async function readZipEntry(
  src: ByteSource,
  entry: ZipEntry,
  cap: number = LIMITS.zipEntryBytes,
): Promise<Buffer> {
  if (entry.encrypted) throw new ZipError(`${entry.name} is encrypted`);
  if (entry.size > cap || entry.compressedSize > cap)
    throw new ZipError(`${entry.name} is too large (over ${Math.round(cap / 1024 / 1024)} MB)`);
  const loc = await src.read(entry.localHeaderAt, 30);
  if (loc.length < 30 || loc.readUInt32LE(0) !== LOC_SIG)
    throw new ZipError(`damaged zip: ${entry.name} is not where the directory says`);
  const dataAt = entry.localHeaderAt + 30 + loc.readUInt16LE(26) + loc.readUInt16LE(28);
  const data = await src.read(dataAt, entry.compressedSize);
  if (data.length < entry.compressedSize) throw new ZipError(`the zip is cut short inside ${entry.name}`);
  if (entry.method === 0) return data;
  if (entry.method !== 8)
    throw new ZipError(`${entry.name} uses an unsupported compression (${entry.method})`);
  try {
    return zlib.inflateRawSync(data, { maxOutputLength: cap });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new ZipError(`${entry.name} inflates past ${Math.round(cap / 1024 / 1024)} MB (a zip bomb?)`);
    throw new ZipError(`damaged zip: ${entry.name} does not inflate`);
  }
}
