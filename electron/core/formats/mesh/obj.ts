import type { ByteSource } from '../byte-source';
import { buildMesh } from './two-pass';
import type { MeshSink } from './builder';
import { forEachLine, LineCursor } from './text-lines';
import { emptyMeshFile, MeshError, type MeshFile } from './types';

// Wavefront OBJ: text, `v x y z` vertices and `f a b c…` faces (1-based, negative counts back
// from the latest vertex, each corner may carry /texture/normal indices). Streamed line by line.

const MAX_MATERIAL_NAMES = 100_000;
const MAX_CORNERS = 4096;

export async function readObj(src: ByteSource): Promise<MeshFile> {
  const out = emptyMeshFile('obj');
  const materials = new Set<string>();
  let lines = 0;
  let recognised = 0;
  const line = new LineCursor();
  const corners = new Int32Array(MAX_CORNERS);

  const pass = async (sink: MeshSink, first: boolean): Promise<void> => {
    let vcount = 0;
    await forEachLine(src, 0, (buf, start, end) => {
      const c = line.set(buf, start, end);
      c.skipSpace();
      const ch = c.peek();
      if (first) lines++;
      if (ch === 0x76 /* v */ && c.keyword('v')) {
        const x = c.number();
        const y = c.number();
        const z = c.number();
        sink.vertex(x, y, z);
        vcount++;
        if (first) recognised++;
      } else if (ch === 0x66 /* f */ && c.keyword('f')) {
        if (!first) return;
        recognised++;
        let n = 0;
        while (!c.atEnd() && n < MAX_CORNERS) {
          const i = c.number();
          c.skipWord();
          if (!Number.isInteger(i) || i === 0) continue;
          corners[n++] = i > 0 ? i - 1 : vcount + i;
        }
        sink.polygon(corners, n);
      } else if (first && ch === 0x75 /* u */ && c.keyword('usemtl')) {
        recognised++;
        if (materials.size < MAX_MATERIAL_NAMES) materials.add(c.word());
      } else if (first && ch === 0x23 /* # */ && lines === 1) {
        const m =
          /^#\s*(.*?(?:Blender|3ds Max|Maya|Cinema 4D|ZBrush|Rhino|SketchUp|MeshLab|OBJ Export)[^\r\n]*)/i.exec(
            buf.toString('utf8', start, Math.min(end, start + 200)),
          );
        if (m) out.generator = m[1]!.replace(/\s*OBJ File:.*$/i, '').trim() || null;
      } else if (first && ch >= 0x61 && ch <= 0x7a) {
        recognised += /^(?:vt|vn|vp|o|g|s|l|p|mtllib|usemap|maplib|curv|surf|cstype|deg|parm|end)\b/.test(
          buf.toString('latin1', c.pos, Math.min(end, c.pos + 8)),
        )
          ? 1
          : 0;
      }
      // Text that is not OBJ at all (a binary file under .obj): give up early instead of reading GBs.
      if (first && lines === 1000 && recognised === 0) return false;
    });
  };
  let firstPass = true;
  const geometry = await buildMesh(async (sink) => {
    await pass(sink, firstPass);
    firstPass = false;
  });
  if (recognised === 0) throw new MeshError('not a Wavefront OBJ file (no vertex, face or group line)');
  out.geometry = geometry;
  out.materials = materials.size;
  return out;
}
