import type { ByteSource } from '../byte-source';
import { bufferSource, sliceSource } from '../byte-source';
import type { MeshSink } from './builder';
import { buildMesh } from './two-pass';
import { emptyMeshFile, MeshError, type MeshFile } from './types';

// glTF 2.0: a JSON scene (.gltf, with its buffers in .bin files or data: URIs) or the same JSON
// and one binary chunk in a GLB. Vertices are read through the scene's node transforms, so the
// bounding size is the scene's as a viewer shows it.

/** Largest JSON part parsed (real scenes are kilobytes to a few MB). */
const MAX_JSON = 64 * 1024 * 1024;
const MAX_NODE_DEPTH = 64;
const CHUNK_ELEMENTS = 65_536;
/** Most elements of an accessor without data (all zeros), and most mesh instances and node visits: a scene that reuses one big mesh in thousands of nodes, or nests nodes exponentially, is refused rather than streamed for hours. */
const MAX_EMPTY_ACCESSOR = 10_000_000;
const MAX_INSTANCED_VERTICES = 200_000_000;
const MAX_NODE_VISITS = 1_000_000;

/** Opens a buffer that the .gltf names by relative URI, or null when it is missing or not allowed. */
export type BufferResolver = (uri: string) => Promise<ByteSource | null>;

type Json = Record<string, unknown>;
type Mat4 = Float64Array;

const COMPONENT_BYTES: Record<number, number> = { 5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4 };
const TYPE_COMPONENTS: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4, MAT4: 16 };

function obj(v: unknown): Json | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function int(v: unknown): number | null {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null;
}
function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v.trim().slice(0, 1000) : null;
}

function identity(): Mat4 {
  const m = new Float64Array(16);
  m[0] = m[5] = m[10] = m[15] = 1;
  return m;
}
function multiply(a: Mat4, b: Mat4): Mat4 {
  const r = new Float64Array(16);
  for (let c = 0; c < 4; c++)
    for (let row = 0; row < 4; row++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[k * 4 + row]! * b[c * 4 + k]!;
      r[c * 4 + row] = s;
    }
  return r;
}
function nums(v: unknown, n: number): number[] | null {
  const a = arr(v);
  return a.length === n && a.every((x) => typeof x === 'number' && Number.isFinite(x))
    ? (a as number[])
    : null;
}
/** The node's local matrix (column-major), from `matrix` or translation × rotation × scale. */
function localMatrix(node: Json): Mat4 {
  const m = nums(node.matrix, 16);
  if (m) return Float64Array.from(m);
  const [tx, ty, tz] = nums(node.translation, 3) ?? [0, 0, 0];
  const [qx, qy, qz, qw] = nums(node.rotation, 4) ?? [0, 0, 0, 1];
  const [sx, sy, sz] = nums(node.scale, 3) ?? [1, 1, 1];
  const r = new Float64Array(16);
  r[0] = (1 - 2 * (qy! * qy! + qz! * qz!)) * sx!;
  r[1] = 2 * (qx! * qy! + qz! * qw!) * sx!;
  r[2] = 2 * (qx! * qz! - qy! * qw!) * sx!;
  r[4] = 2 * (qx! * qy! - qz! * qw!) * sy!;
  r[5] = (1 - 2 * (qx! * qx! + qz! * qz!)) * sy!;
  r[6] = 2 * (qy! * qz! + qx! * qw!) * sy!;
  r[8] = 2 * (qx! * qz! + qy! * qw!) * sz!;
  r[9] = 2 * (qy! * qz! - qx! * qw!) * sz!;
  r[10] = (1 - 2 * (qx! * qx! + qy! * qy!)) * sz!;
  r[12] = tx!;
  r[13] = ty!;
  r[14] = tz!;
  r[15] = 1;
  return r;
}

interface Ctx {
  json: Json;
  buffers: Map<number, Promise<ByteSource>>;
  openBuffer: (i: number) => Promise<ByteSource>;
}

interface Accessor {
  src: ByteSource;
  offset: number;
  stride: number;
  count: number;
  comps: number;
  componentType: number;
  normalized: boolean;
}

async function accessor(ctx: Ctx, index: unknown): Promise<Accessor> {
  const i = int(index);
  const a = i === null ? null : obj(arr(ctx.json.accessors)[i]);
  if (!a) throw new MeshError(`damaged glTF: accessor ${String(index)} does not exist`);
  const count = int(a.count) ?? 0;
  const componentType = Number(a.componentType);
  const compBytes = COMPONENT_BYTES[componentType];
  const comps = TYPE_COMPONENTS[String(a.type)];
  if (!compBytes || !comps) throw new MeshError(`damaged glTF: accessor ${i} has an unknown type`);
  const viewIndex = int(a.bufferView);
  if (viewIndex === null) {
    if (count > MAX_EMPTY_ACCESSOR)
      throw new MeshError(`damaged glTF: accessor ${i} claims ${count} elements and no data`);
    // No buffer view: all zeros (sparse accessors are not read; zeros keep the counts right).
    return {
      src: bufferSource(Buffer.alloc(compBytes * comps)),
      offset: 0,
      stride: 0,
      count,
      comps,
      componentType,
      normalized: false,
    };
  }
  const view = obj(arr(ctx.json.bufferViews)[viewIndex]);
  const bufIndex = view ? int(view.buffer) : null;
  if (!view || bufIndex === null)
    throw new MeshError(`damaged glTF: buffer view ${viewIndex} does not exist`);
  const src = await ctx.openBuffer(bufIndex);
  const elem = compBytes * comps;
  const stride = int(view.byteStride) || elem;
  const offset = (int(view.byteOffset) ?? 0) + (int(a.byteOffset) ?? 0);
  if (count > 0 && offset + (count - 1) * stride + elem > src.size)
    throw new MeshError(`damaged glTF: accessor ${i} reaches past the end of its buffer`);
  return { src, offset, stride, count, comps, componentType, normalized: a.normalized === true };
}

function readComponent(b: Buffer, o: number, type: number, normalized: boolean): number {
  switch (type) {
    case 5126: return b.readFloatLE(o);
    case 5125: return b.readUInt32LE(o);
    case 5123: return normalized ? b.readUInt16LE(o) / 65535 : b.readUInt16LE(o);
    case 5122: return normalized ? Math.max(b.readInt16LE(o) / 32767, -1) : b.readInt16LE(o);
    case 5121: return normalized ? b[o]! / 255 : b[o]!;
    default: return normalized ? Math.max(b.readInt8(o) / 127, -1) : b.readInt8(o);
  } // prettier-ignore
}

/** Calls fn(elementIndex, buffer, byteOffset) for every element, reading the buffer in chunks. */
async function eachElement(acc: Accessor, fn: (i: number, b: Buffer, o: number) => void): Promise<void> {
  const elem = COMPONENT_BYTES[acc.componentType]! * acc.comps;
  for (let first = 0; first < acc.count; first += CHUNK_ELEMENTS) {
    const n = Math.min(CHUNK_ELEMENTS, acc.count - first);
    const b =
      acc.stride === 0
        ? await acc.src.read(0, elem)
        : await acc.src.read(acc.offset + first * acc.stride, (n - 1) * acc.stride + elem);
    for (let i = 0; i < n; i++) fn(first + i, b, acc.stride * i);
  }
}

async function emitPrimitive(ctx: Ctx, prim: Json, m: Mat4, sink: MeshSink, base: number): Promise<number> {
  const attrs = obj(prim.attributes);
  if (!attrs || attrs.POSITION === undefined) return 0;
  const pos = await accessor(ctx, attrs.POSITION);
  if (pos.comps !== 3) throw new MeshError('damaged glTF: POSITION is not a VEC3');
  const cb = COMPONENT_BYTES[pos.componentType]!;
  await eachElement(pos, (_, b, o) => {
    const x = readComponent(b, o, pos.componentType, pos.normalized);
    const y = readComponent(b, o + cb, pos.componentType, pos.normalized);
    const z = readComponent(b, o + 2 * cb, pos.componentType, pos.normalized);
    sink.vertex(
      m[0]! * x + m[4]! * y + m[8]! * z + m[12]!,
      m[1]! * x + m[5]! * y + m[9]! * z + m[13]!,
      m[2]! * x + m[6]! * y + m[10]! * z + m[14]!,
    );
  });
  const mode = prim.mode === undefined ? 4 : Number(prim.mode);
  if (mode !== 4 && mode !== 5 && mode !== 6) return pos.count; // points and lines: no faces
  const tri = new Int32Array(3);
  // The corner sequence: the indices accessor, or 0..count-1.
  const corners: (fn: (k: number, v: number) => void) => Promise<void> =
    prim.indices === undefined
      ? async (fn) => {
          for (let k = 0; k < pos.count; k++) fn(k, k);
        }
      : async (fn) => {
          const idx = await accessor(ctx, prim.indices);
          await eachElement(idx, (k, b, o) => fn(k, readComponent(b, o, idx.componentType, false)));
        };
  let first = 0;
  let prev = 0;
  await corners((k, v) => {
    const i = base + v;
    if (mode === 4) {
      tri[k % 3] = i;
      if (k % 3 === 2) sink.polygon(tri, 3);
    } else if (mode === 5) {
      if (k >= 2) {
        // Strips alternate winding; the preview shades both sides alike, so the order is kept simple.
        tri[0] = first;
        tri[1] = prev;
        tri[2] = i;
        sink.polygon(tri, 3);
      }
      first = prev;
      prev = i;
    } else {
      if (k === 0) first = i;
      else if (k >= 2) {
        tri[0] = first;
        tri[1] = prev;
        tri[2] = i;
        sink.polygon(tri, 3);
      }
      prev = i;
    }
  });
  return pos.count;
}

async function emitScene(ctx: Ctx, sink: MeshSink): Promise<void> {
  const { json } = ctx;
  const meshes = arr(json.meshes);
  const nodes = arr(json.nodes);
  let base = 0;
  let visits = 0;
  const emitMesh = async (meshIndex: unknown, m: Mat4): Promise<void> => {
    const i = int(meshIndex);
    const mesh = i === null ? null : obj(meshes[i]);
    if (!mesh) return;
    if (base > MAX_INSTANCED_VERTICES)
      throw new MeshError('scene too large to draw (over 200 million vertices placed)');
    for (const p of arr(mesh.primitives)) {
      const prim = obj(p);
      if (prim) base += await emitPrimitive(ctx, prim, m, sink, base);
    }
  };
  const scenes = arr(json.scenes);
  const scene = obj(scenes[int(json.scene) ?? 0]);
  if (!scene || nodes.length === 0) {
    // No scene graph: every mesh once, untransformed.
    for (let i = 0; i < meshes.length; i++) await emitMesh(i, identity());
    return;
  }
  const visit = async (index: unknown, parent: Mat4, depth: number): Promise<void> => {
    const i = int(index);
    const node = i === null ? null : obj(nodes[i]);
    if (!node || depth > MAX_NODE_DEPTH) return; // a cycle or absurd nesting
    if (++visits > MAX_NODE_VISITS)
      throw new MeshError('scene too large to draw (over a million node instances)');
    const m = multiply(parent, localMatrix(node));
    if (node.mesh !== undefined) await emitMesh(node.mesh, m);
    for (const child of arr(node.children)) await visit(child, m, depth + 1);
  };
  for (const root of arr(scene.nodes)) await visit(root, identity(), 0);
}

function decodeDataUri(uri: string): Buffer | null {
  const m = /^data:[^,]*?;base64,/.exec(uri);
  if (!m) return null;
  if (uri.length > MAX_JSON) throw new MeshError('glTF data URI too large');
  return Buffer.from(uri.slice(m[0].length), 'base64');
}

async function parseJson(bytes: Buffer): Promise<Json> {
  try {
    let text = bytes.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const json = obj(JSON.parse(text));
    if (json) return json;
  } catch {
    // fall through
  }
  throw new MeshError('not a glTF file (its JSON does not parse)');
}

export async function readGltf(src: ByteSource, resolve: BufferResolver | null): Promise<MeshFile> {
  const head = await src.read(0, 20);
  const glb = head.toString('latin1', 0, 4) === 'glTF';
  let json: Json;
  let bin: ByteSource | null = null;
  if (glb) {
    if (head.length < 20) throw new MeshError('the GLB file is cut short');
    const version = head.readUInt32LE(4);
    if (version !== 2) throw new MeshError(`GLB version ${version} is not read (only glTF 2.0)`);
    const jsonLen = head.readUInt32LE(12);
    if (head.toString('latin1', 16, 20) !== 'JSON')
      throw new MeshError('damaged GLB: the first chunk is not JSON');
    if (jsonLen > MAX_JSON || 20 + jsonLen > src.size) throw new MeshError('damaged GLB: JSON chunk length');
    json = await parseJson(await src.read(20, jsonLen));
    const binAt = 20 + jsonLen + ((4 - (jsonLen % 4)) % 4);
    const binHead = await src.read(binAt, 8);
    if (binHead.length === 8 && binHead.toString('latin1', 4, 8) === 'BIN\0')
      bin = sliceSource(src, binAt + 8, binHead.readUInt32LE(0));
  } else {
    if (src.size > MAX_JSON) throw new MeshError('glTF JSON larger than 64 MB');
    json = await parseJson(await src.read(0, src.size));
  }
  const asset = obj(json.asset);
  if (!asset) throw new MeshError('not a glTF file (no "asset" object)');
  const version = str(asset.version);
  if (version && !version.startsWith('2.')) throw new MeshError(`glTF ${version} is not read (only 2.0)`);

  const out = emptyMeshFile(glb ? 'glb' : 'gltf');
  out.generator = str(asset.generator);
  out.copyright = str(asset.copyright);
  out.title = str(obj(asset.extras)?.title);
  out.materials = arr(json.materials).length;
  out.meshes = arr(json.meshes).length;
  out.units = 'm'; // glTF's unit is the metre, by the specification

  const compressed = arr(json.extensionsUsed).find(
    (e) => e === 'KHR_draco_mesh_compression' || e === 'EXT_meshopt_compression',
  );
  if (compressed) {
    out.unreadGeometry = `its meshes are compressed (${String(compressed)}), which is not read`;
    return out;
  }

  const buffers = new Map<number, Promise<ByteSource>>();
  const openBuffer = (i: number): Promise<ByteSource> => {
    let p = buffers.get(i);
    if (!p) {
      p = (async () => {
        const b = obj(arr(json.buffers)[i]);
        if (!b) throw new MeshError(`damaged glTF: buffer ${i} does not exist`);
        const uri = str(b.uri);
        if (!uri) {
          if (glb && i === 0 && bin) return bin;
          throw new MeshError(`damaged glTF: buffer ${i} has no data`);
        }
        const data = decodeDataUri(uri);
        if (data) return bufferSource(data);
        const opened = resolve ? await resolve(uri) : null;
        if (!opened) throw new MeshError(`its buffer "${uri.slice(0, 80)}" is missing`);
        return opened;
      })();
      buffers.set(i, p);
    }
    return p;
  };
  const ctx: Ctx = { json, buffers, openBuffer };
  try {
    out.geometry = await buildMesh((sink) => emitScene(ctx, sink));
  } catch (err) {
    // The facts above stand without the geometry (a .bin left behind when the .gltf was copied).
    if (!(err instanceof MeshError)) throw err;
    out.unreadGeometry = err.message;
  }
  return out;
}
