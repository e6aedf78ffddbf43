import zlib from 'node:zlib';
import type { ByteSource } from '../byte-source';
import type { MeshSink } from './builder';
import { buildMesh } from './two-pass';
import { forEachLine } from './text-lines';
import { emptyMeshFile, MeshError, type MeshFile } from './types';

// Autodesk FBX, binary ("Kaydara FBX Binary") and ASCII. Geometry nodes hold `Vertices` (x, y, z
// doubles) and `PolygonVertexIndex` (a polygon ends at a negative index, stored as -(i + 1)).
// Vertices are in each geometry's own space: model transforms are not applied.

export const FBX_MAGIC = 'Kaydara FBX Binary  \0';
/** Most nodes walked in one file, and the largest array decoded (in elements). */
const MAX_NODES = 2_000_000;
const MAX_ARRAY = 64 * 1024 * 1024;

type Prop = string | number | bigint | boolean | ArrayLike<number> | null;
interface Node {
  name: string;
  props: Prop[];
  /** Where its children start and where it ends. */
  childrenAt: number;
  end: number;
}

class FbxBinary {
  private nodes = 0;
  constructor(
    private readonly src: ByteSource,
    private readonly wide: boolean,
  ) {}

  /** The node at `at`, or null at a list's null terminator. Properties are read only when `withProps`. */
  async node(at: number, withProps: boolean): Promise<Node | null> {
    if (++this.nodes > MAX_NODES) throw new MeshError('damaged FBX: too many nodes');
    const hl = this.wide ? 25 : 13;
    const h = await this.src.read(at, hl + 256);
    if (h.length < hl) throw new MeshError('the FBX file is cut short');
    const end = this.wide ? Number(h.readBigUInt64LE(0)) : h.readUInt32LE(0);
    const numProps = this.wide ? Number(h.readBigUInt64LE(8)) : h.readUInt32LE(4);
    const propLen = this.wide ? Number(h.readBigUInt64LE(16)) : h.readUInt32LE(8);
    const nameLen = h[hl - 1]!;
    if (end === 0) return null;
    if (end <= at || end > this.src.size) throw new MeshError('damaged FBX: a node ends outside the file');
    const name = h.toString('latin1', hl, hl + nameLen);
    const propsAt = at + hl + nameLen;
    const childrenAt = propsAt + propLen;
    if (childrenAt > end) throw new MeshError('damaged FBX: node properties overrun the node');
    const props: Prop[] = [];
    if (withProps) {
      let p = propsAt;
      for (let i = 0; i < numProps && p < childrenAt; i++) {
        const [v, next] = await this.prop(p);
        props.push(v);
        p = next;
      }
    }
    return { name, props, childrenAt, end };
  }

  private async prop(p: number): Promise<[Prop, number]> {
    const t = await this.src.read(p, 13);
    const code = String.fromCharCode(t[0]!);
    switch (code) {
      case 'Y': return [t.readInt16LE(1), p + 3];
      case 'C': return [t[1] !== 0, p + 2];
      case 'I': return [t.readInt32LE(1), p + 5];
      case 'F': return [t.readFloatLE(1), p + 5];
      case 'D': return [t.readDoubleLE(1), p + 9];
      case 'L': return [t.readBigInt64LE(1), p + 9];
      case 'S': case 'R': {
        const len = t.readUInt32LE(1);
        if (code === 'R' || len > 1024 * 1024) return [null, p + 5 + len];
        return [(await this.src.read(p + 5, len)).toString('utf8'), p + 5 + len];
      }
      case 'f': case 'd': case 'l': case 'i': case 'b': {
        const count = t.readUInt32LE(1);
        const encoding = t.readUInt32LE(5);
        const stored = t.readUInt32LE(9);
        return [await this.array(code, count, encoding, p + 13, stored), p + 13 + stored];
      }
      default:
        throw new MeshError(`damaged FBX: unknown property type 0x${t[0]!.toString(16)}`);
    } // prettier-ignore
  }

  private async array(
    code: string,
    count: number,
    encoding: number,
    at: number,
    stored: number,
  ): Promise<ArrayLike<number>> {
    if (count > MAX_ARRAY) throw new MeshError('FBX array too large to read');
    const size = { f: 4, d: 8, l: 8, i: 4, b: 1 }[code]!;
    let raw = await this.src.read(at, stored);
    if (raw.length < stored) throw new MeshError('the FBX file is cut short');
    if (encoding === 1) {
      try {
        raw = zlib.inflateSync(raw, { maxOutputLength: count * size });
      } catch {
        throw new MeshError('damaged FBX: a compressed array does not inflate');
      }
    } else if (encoding !== 0) throw new MeshError('damaged FBX: unknown array encoding');
    const n = Math.min(count, Math.floor(raw.length / size));
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const o = i * size;
      out[i] =
        code === 'd' ? raw.readDoubleLE(o)
        : code === 'f' ? raw.readFloatLE(o)
        : code === 'i' ? raw.readInt32LE(o)
        : code === 'l' ? Number(raw.readBigInt64LE(o))
        : raw[o]!; // prettier-ignore
    }
    return out;
  }
}

function emitGeometry(
  vertices: ArrayLike<number>,
  polys: ArrayLike<number>,
  sink: MeshSink,
  base: number,
): number {
  const nv = Math.floor(vertices.length / 3);
  for (let i = 0; i < nv; i++) sink.vertex(vertices[3 * i]!, vertices[3 * i + 1]!, vertices[3 * i + 2]!);
  const corners: number[] = [];
  for (let k = 0; k < polys.length; k++) {
    const v = polys[k]!;
    if (v < 0) {
      corners.push(base + (-v - 1));
      sink.polygon(corners, corners.length);
      corners.length = 0;
    } else if (corners.length < 4096) corners.push(base + v);
  }
  return nv;
}

/** FBX's UnitScaleFactor is centimetres per unit (1 by default). */
export function fbxUnits(v: unknown): string | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (!(n > 0)) return null;
  const named: Record<number, string> = {
    1: 'cm',
    100: 'm',
    0.1: 'mm',
    2.54: 'in',
    30.48: 'ft',
    100000: 'km',
  };
  return named[n] ?? `${Number(n.toPrecision(6))} cm`;
}

function propString(p: Prop | undefined): string | null {
  return typeof p === 'string' && p.trim() ? p.replace(/\0\x01.*$/s, '').trim() : null;
}

async function readBinary(src: ByteSource): Promise<MeshFile> {
  const head = await src.read(0, 27);
  if (head.length < 27) throw new MeshError('the FBX file is cut short');
  const version = head.readUInt32LE(23);
  const fbx = new FbxBinary(src, version >= 7500);
  const out = emptyMeshFile('fbx');
  const top: Node[] = [];
  for (let at = 27; at < src.size;) {
    const n = await fbx.node(at, false).catch((err: unknown) => {
      // Top-level reading past the last node runs into the footer: that is the end, not damage.
      if (top.length > 0 && err instanceof MeshError) return null;
      throw err;
    });
    if (!n) break;
    top.push(n);
    at = n.end;
  }
  if (top.length === 0) throw new MeshError('damaged FBX: no nodes');
  const creator = top.find((n) => n.name === 'Creator');
  const childrenWithStart = async (n: Node): Promise<Array<{ node: Node; at: number }>> => {
    const out2: Array<{ node: Node; at: number }> = [];
    for (let p = n.childrenAt; p < n.end;) {
      const c = await fbx.node(p, false);
      if (!c) break;
      out2.push({ node: c, at: p });
      p = c.end;
    }
    return out2;
  };
  // Top-level node offsets, for reading their properties.
  const topAt: number[] = [];
  for (let p = 27, i = 0; i < top.length; i++) {
    topAt.push(p);
    p = top[i]!.end;
  }
  if (creator) out.generator = propString((await fbx.node(topAt[top.indexOf(creator)]!, true))!.props[0]);

  const header = top.find((n) => n.name === 'FBXHeaderExtension');
  if (header) {
    for (const { node, at: p } of await childrenWithStart(header)) {
      if (node.name === 'Creator' && !out.generator)
        out.generator = propString((await fbx.node(p, true))!.props[0]);
      if (node.name !== 'SceneInfo') continue;
      for (const { node: s } of await childrenWithStart(node)) {
        if (s.name !== 'Properties70') continue;
        for (const { at: pp } of await childrenWithStart(s)) {
          const pnode = (await fbx.node(pp, true))!;
          const key = propString(pnode.props[0]);
          const value = propString(pnode.props[4]);
          if (key === 'Title' && value) out.title = value;
          if (key === 'Original|ApplicationName' && value && !out.generator) out.generator = value;
        }
      }
    }
  }

  const settings = top.find((n) => n.name === 'GlobalSettings');
  if (settings) {
    for (const { node: s } of await childrenWithStart(settings)) {
      if (s.name !== 'Properties70') continue;
      for (const { at: pp } of await childrenWithStart(s)) {
        const pnode = (await fbx.node(pp, true))!;
        if (propString(pnode.props[0]) === 'UnitScaleFactor') out.units = fbxUnits(pnode.props[4]);
      }
    }
  }

  const objects = top.find((n) => n.name === 'Objects');
  const geometries: Array<{ at: number }> = [];
  let materials = 0;
  if (objects) {
    for (const { node, at: p } of await childrenWithStart(objects)) {
      if (node.name === 'Material') materials++;
      if (node.name === 'Geometry') geometries.push({ at: p });
    }
  }
  out.materials = materials;
  out.meshes = geometries.length;
  out.geometry = await buildMesh(async (sink) => {
    let base = 0;
    for (const g of geometries) {
      const gnode = (await fbx.node(g.at, false))!;
      let vertices: ArrayLike<number> = [];
      let polys: ArrayLike<number> = [];
      for (const { node, at: p } of await childrenWithStart(gnode)) {
        if (node.name === 'Vertices')
          vertices = ((await fbx.node(p, true))!.props[0] as ArrayLike<number>) ?? [];
        if (node.name === 'PolygonVertexIndex')
          polys = ((await fbx.node(p, true))!.props[0] as ArrayLike<number>) ?? [];
      }
      base += emitGeometry(vertices, polys, sink, base);
    }
  });
  return out;
}

/** ASCII FBX: read line by line; arrays are comma-separated numbers over one or many lines. */
async function readAscii(src: ByteSource): Promise<MeshFile> {
  const out = emptyMeshFile('fbx');
  let materials = 0;
  let inObjects = false;
  let depth = 0;
  // Geometries collected as (vertex count, polygon corners) are streamed straight to the sink.
  let collecting: 'v' | 'p' | null = null;
  let bufV: number[] = [];
  let bufP: number[] = [];
  const pending: Array<{ v: number[]; p: number[] }> = [];
  const take = (text: string, into: number[]): void => {
    for (const m of text.matchAll(/-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?/g))
      if (into.length < MAX_ARRAY) into.push(Number(m[0]));
  };
  await forEachLine(src, 0, (buf, start, end) => {
    const line = buf.toString('utf8', start, Math.min(end, start + 16 * 1024 * 1024)).trim();
    if (collecting) {
      // An array continues over lines until a new key or a closing brace.
      const into = collecting === 'v' ? bufV : bufP;
      const keyed = /^(a:|[A-Za-z]\w*:)/.exec(line);
      if (keyed && keyed[1] === 'a:') {
        take(line.slice(2), into);
        return;
      }
      if (!keyed && line !== '}' && line !== '') {
        take(line, into);
        return;
      }
      collecting = null;
    }
    if (line.startsWith(';')) {
      if (!out.generator) {
        const m = /^;\s*(?:FBX [\d.]+ project file|Created by)\s*(.*)$/i.exec(line);
        if (m && /created by/i.test(line)) out.generator = m[1]!.trim() || null;
      }
      return;
    }
    const creator = /^Creator:\s*"([^"]*)"/.exec(line);
    if (creator && !out.generator) out.generator = creator[1]!.trim() || null;
    const unit = /^P:\s*"UnitScaleFactor"\s*,\s*"[^"]*"\s*,\s*"[^"]*"\s*,\s*"[^"]*"\s*,\s*([\d.eE+-]+)/.exec(
      line,
    );
    if (unit) out.units = fbxUnits(unit[1]);
    const title = /^P:\s*"Title"\s*,\s*"KString"\s*,\s*"[^"]*"\s*,\s*"[^"]*"\s*,\s*"([^"]*)"/.exec(line);
    if (title && title[1]) out.title = title[1];
    if (depth === 0 && line.startsWith('Objects:')) inObjects = true;
    if (inObjects && depth === 1 && line.startsWith('Material:')) materials++;
    if (inObjects && depth === 1 && line.startsWith('Geometry:')) {
      bufV = [];
      bufP = [];
      pending.push({ v: bufV, p: bufP });
    }
    const arrayKey = /^(Vertices|PolygonVertexIndex):\s*(?:\*\d+\s*\{)?(.*)$/.exec(line);
    if (arrayKey && inObjects) {
      collecting = arrayKey[1] === 'Vertices' ? 'v' : 'p';
      take(arrayKey[2]!.replace(/^\s*a:/, ''), collecting === 'v' ? bufV : bufP);
      if (/\}\s*$/.test(line)) collecting = null;
    }
    for (const ch of line.replace(/"[^"]*"/g, '')) {
      if (ch === '{') depth++;
      else if (ch === '}') depth--;
    }
    if (depth <= 0) {
      depth = 0;
      inObjects = false;
    }
  });
  if (!out.generator && pending.length === 0 && materials === 0)
    throw new MeshError('not an FBX file (no FBX header, objects or geometry)');
  out.materials = materials;
  out.meshes = pending.length;
  out.geometry = await buildMesh(async (sink) => {
    let base = 0;
    for (const g of pending) base += emitGeometry(g.v, g.p, sink, base);
  });
  return out;
}

export async function readFbx(src: ByteSource): Promise<MeshFile> {
  const head = await src.read(0, 21);
  if (head.toString('latin1') === FBX_MAGIC) return readBinary(src);
  // ASCII FBX holds whole arrays in memory while reading: bounded by the file size.
  if (src.size > 128 * 1024 * 1024) throw new MeshError('ASCII FBX larger than 128 MB is not read');
  return readAscii(src);
}
