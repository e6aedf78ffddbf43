import type { ByteSource } from '../byte-source';
import { buildMesh } from './two-pass';
import { forEachLine, LineCursor } from './text-lines';
import { emptyMeshFile, MeshError, type MeshFile } from './types';

// STL: binary (80-byte header, a triangle count, 50 bytes per triangle) or ASCII (`solid`,
// `facet`/`vertex` lines). Binary files may also begin with "solid", so the size decides:
// a binary STL is exactly 84 + 50 × count bytes.

const CHUNK_TRIANGLES = 20_000; // 1 MB per read

export function isBinaryStl(head: Buffer, size: number): boolean {
  if (size < 84 || head.length < 84) return false;
  const count = head.readUInt32LE(80);
  return 84 + 50 * count === size;
}

async function readBinary(src: ByteSource, head: Buffer): Promise<MeshFile> {
  const out = emptyMeshFile('stl', 'z');
  const count = head.readUInt32LE(80);
  // Some exporters name themselves in the header ("solid" + name, or "Exported from …").
  const header = head.toString('latin1', 0, 80).replace(/\0.*$/s, '').trim();
  if (header && !/^solid\b/i.test(header) && /^[\x20-\x7e]+$/.test(header)) out.generator = header;
  // Materialise's "COLOR=" header and VisCAM's per-facet colours say nothing about materials.
  const tri = new Float32Array(9);
  out.geometry = await buildMesh(async (sink) => {
    for (let t = 0; t < count; t += CHUNK_TRIANGLES) {
      const n = Math.min(CHUNK_TRIANGLES, count - t);
      const buf = await src.read(84 + 50 * t, 50 * n);
      if (buf.length < 50 * n) throw new MeshError('the STL file is cut short');
      for (let i = 0; i < n; i++) {
        const o = 50 * i + 12; // after the facet normal
        for (let k = 0; k < 9; k++) tri[k] = buf.readFloatLE(o + 4 * k);
        sink.triangle(tri);
      }
    }
  });
  return out;
}

async function readAscii(src: ByteSource): Promise<MeshFile> {
  const out = emptyMeshFile('stl', 'z');
  const tri = new Float32Array(9);
  const line = new LineCursor();
  let corner = 0;
  let solids = 0;
  out.geometry = await buildMesh(async (sink) => {
    await forEachLine(src, 0, (buf, start, end) => {
      const c = line.set(buf, start, end);
      if (c.keyword('vertex')) {
        if (corner < 3) {
          tri[3 * corner] = c.number();
          tri[3 * corner + 1] = c.number();
          tri[3 * corner + 2] = c.number();
        }
        corner++;
      } else if (c.keyword('endloop')) {
        if (corner === 3) sink.triangle(tri);
        corner = 0;
      } else if (c.keyword('solid')) {
        solids++;
        if (solids === 1) {
          const name = buf.toString('utf8', c.pos, end).trim();
          if (name) out.title = name;
        }
      }
    });
  });
  if (solids === 0) throw new MeshError('not an STL file (no "solid" line, and not binary STL)');
  return out;
}

export async function readStl(src: ByteSource): Promise<MeshFile> {
  const head = await src.read(0, 84);
  if (isBinaryStl(head, src.size)) return readBinary(src, head);
  if (/^\s*solid\b/.test(head.toString('latin1'))) return readAscii(src);
  if (src.size >= 84)
    throw new MeshError(
      `not an STL file: binary STL of ${head.readUInt32LE(80)} triangles would be ${84 + 50 * head.readUInt32LE(80)} bytes, not ${src.size}`,
    );
  throw new MeshError('not an STL file (too short)');
}
