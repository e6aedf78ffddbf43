import type { ByteSource } from './byte-source';

// Windows Media (ASF: WMV, WMA) header: only the File Properties object's creation date, which
// ffmpeg's probe does not print. The header object lists its children right after its own 30 bytes.

const HEADER_GUID = '3026b2758e66cf11a6d900aa0062ce6c';
const FILE_PROPERTIES_GUID = 'a1dcab8c47a9cf118ee400c00c205365';
/** 100-ns ticks from 1601-01-01 (FILETIME) to 1970-01-01. */
const FILETIME_1970 = 116_444_736_000_000_000n;
/** Most header children looked at; real files have a dozen. */
const MAX_OBJECTS = 256;

export function isAsf(head: Buffer): boolean {
  return head.length >= 16 && head.toString('hex', 0, 16) === HEADER_GUID;
}

/** The creation time (ms since 1970, UTC) an ASF file records, or null. */
export async function asfCreationTime(src: ByteSource): Promise<number | null> {
  const header = await src.read(0, 30);
  if (header.length < 30 || !isAsf(header)) return null;
  const end = Math.min(src.size, Number(header.readBigUInt64LE(16)));
  let at = 30;
  for (let n = 0; n < MAX_OBJECTS && at + 24 <= end; n++) {
    const h = await src.read(at, 24 + 32);
    if (h.length < 24) return null;
    const size = Number(h.readBigUInt64LE(16));
    if (size < 24 || at + size > end) return null;
    if (h.toString('hex', 0, 16) === FILE_PROPERTIES_GUID) {
      if (h.length < 56) return null;
      const ticks = h.readBigUInt64LE(48);
      if (ticks === 0n) return null;
      return Number((ticks - FILETIME_1970) / 10_000n);
    }
    at += size;
  }
  return null;
}
