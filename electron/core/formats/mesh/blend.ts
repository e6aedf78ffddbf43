import zlib from 'node:zlib';
import { bufferSource, type ByteSource } from '../byte-source';
import { emptyMeshFile, MeshError, type MeshFile } from './types';

// Blender's .blend: a header naming the Blender version, then blocks (a 4-byte code, a length,
// the writer's pointer, a struct index, a count). The `TEST` block near the start is the file's
// thumbnail (width, height, then RGBA rows bottom-up); `MA` blocks are materials. Mesh data
// needs the file's own struct catalogue (DNA) to decode, so vertices are not counted.

const MAX_BLOCKS = 2_000_000;
/** Of a gzip-compressed .blend, only the start is inflated: the thumbnail sits at the front. */
const GZIP_READ = 8 * 1024 * 1024;
const GZIP_OUTPUT = 64 * 1024 * 1024;
const MAX_THUMB_EDGE = 2048;

interface Header {
  ptr: 4 | 8;
  le: boolean;
  version: string;
  /** Blocks with 64-bit lengths (the header format of Blender 5). */
  large: boolean;
  size: number;
}

function parseHeader(h: Buffer): Header | null {
  const s = h.toString('latin1', 0, 17);
  // Blender 5: "BLENDER17-01v0500"; before: "BLENDER_v293" / "BLENDER-V279".
  const big = /^BLENDER(\d\d)-(\d\d)([vV])(\d{4})/.exec(s);
  if (big) {
    const v = Number(big[4]);
    return {
      ptr: 8,
      le: big[3] === 'v',
      version: `${Math.floor(v / 100)}.${v % 100}`,
      large: true,
      size: Number(big[1]),
    };
  }
  const old = /^BLENDER([_-])([vV])(\d{3})/.exec(s);
  if (!old) return null;
  const v = Number(old[3]);
  return {
    ptr: old[1] === '-' ? 8 : 4,
    le: old[2] === 'v',
    version: `${Math.floor(v / 100)}.${v % 100}`,
    large: false,
    size: 12,
  };
}

async function walk(src: ByteSource, h: Header, out: MeshFile, complete: boolean): Promise<void> {
  const headLen = h.large ? 32 : 16 + h.ptr;
  let materials = 0;
  let at = h.size;
  const u32 = (b: Buffer, o: number): number => (h.le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  for (let n = 0; n < MAX_BLOCKS; n++) {
    const b = await src.read(at, headLen);
    if (b.length < headLen) {
      if (complete) throw new MeshError('the .blend file is cut short');
      return; // only the inflated start of a compressed file
    }
    const code = b.toString('latin1', 0, 4).replace(/\0+$/, '');
    const len = h.large ? Number(h.le ? b.readBigInt64LE(16) : b.readBigInt64BE(16)) : u32(b, 4);
    if (len < 0 || at + headLen + len > src.size) {
      if (complete) throw new MeshError('damaged .blend: a block reaches past the end of the file');
      return;
    }
    if (code === 'ENDB') {
      out.materials = materials;
      return;
    }
    if (code === 'MA') materials++;
    if (code === 'TEST' && !out.thumbnail && len >= 8) {
      const d = await src.read(at + headLen, len);
      const width = h.le ? d.readInt32LE(0) : d.readInt32BE(0);
      const height = h.le ? d.readInt32LE(4) : d.readInt32BE(4);
      if (
        width > 0 &&
        height > 0 &&
        width <= MAX_THUMB_EDGE &&
        height <= MAX_THUMB_EDGE &&
        8 + width * height * 4 <= d.length
      )
        out.thumbnail = {
          kind: 'rgba',
          data: Buffer.from(d.subarray(8, 8 + width * height * 4)),
          width,
          height,
          bottomUp: true,
        };
    }
    at += headLen + len;
  }
}

export async function readBlend(src: ByteSource): Promise<MeshFile> {
  let head = await src.read(0, 17);
  let body = src;
  let complete = true;
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd)
    throw new MeshError('zstd-compressed .blend files are not read (save without compression for a preview)');
  if (head[0] === 0x1f && head[1] === 0x8b) {
    // Old "Compress File" saves: gzip. Inflate the first megabytes only.
    const part = await src.read(0, GZIP_READ);
    let inflated: Buffer;
    try {
      inflated = zlib.gunzipSync(part, {
        finishFlush: zlib.constants.Z_SYNC_FLUSH,
        maxOutputLength: GZIP_OUTPUT,
      });
    } catch {
      throw new MeshError('damaged gzip-compressed .blend file');
    }
    body = bufferSource(inflated);
    complete = part.length === src.size && inflated.length < GZIP_OUTPUT;
    head = inflated.subarray(0, 17);
  }
  const h = parseHeader(head);
  if (!h) throw new MeshError('not a Blender file (no BLENDER header)');
  const out = emptyMeshFile('blend', 'z');
  out.generator = `Blender ${h.version}`;
  out.unreadGeometry = 'Blender meshes are not read, and this file has no thumbnail (saved without one)';
  await walk(body, h, out, complete);
  return out;
}
