import zlib from 'node:zlib';
import { sliceSource, type ByteSource } from '../byte-source';
import { buildMesh } from './two-pass';
import { emptyMeshFile, MeshError, type MeshFile } from './types';

// USDZ: an uncompressed zip of USD layers (the first is the scene) and their textures. A picture
// in the package serves as the preview; otherwise an ASCII layer (.usda) is read for meshes
// (points, faceVertexCounts, faceVertexIndices). Binary layers (.usdc, "crate") are not decoded.

const MAX_ENTRIES = 100_000;
const UNITS: Record<number, string> = { 1: 'm', 0.01: 'cm', 0.001: 'mm', 0.0254: 'in', 0.3048: 'ft' };
const MAX_TEXT_LAYER = 64 * 1024 * 1024;
const MAX_IMAGE = 64 * 1024 * 1024;

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

async function entries(src: ByteSource): Promise<Entry[]> {
  const tailLen = Math.min(src.size, 65_557);
  const tail = await src.read(src.size - tailLen, tailLen);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--)
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw new MeshError('not a USDZ file (no zip directory; cut short?)');
  const count = tail.readUInt16LE(eocd + 10);
  const dirSize = tail.readUInt32LE(eocd + 12);
  const dirOffset = tail.readUInt32LE(eocd + 16);
  if (dirOffset === 0xffffffff || count === 0xffff) throw new MeshError('ZIP64 USDZ packages are not read');
  if (dirOffset + dirSize > src.size)
    throw new MeshError('damaged USDZ: its zip directory lies outside the file');
  const dir = await src.read(dirOffset, dirSize);
  const out: Entry[] = [];
  for (let p = 0; p + 46 <= dir.length && out.length < Math.min(count, MAX_ENTRIES);) {
    if (dir.readUInt32LE(p) !== 0x02014b50) throw new MeshError('damaged USDZ: bad zip directory entry');
    const nameLen = dir.readUInt16LE(p + 28);
    const extra = dir.readUInt16LE(p + 30);
    const comment = dir.readUInt16LE(p + 32);
    out.push({
      method: dir.readUInt16LE(p + 10),
      compressedSize: dir.readUInt32LE(p + 20),
      size: dir.readUInt32LE(p + 24),
      localOffset: dir.readUInt32LE(p + 42),
      name: dir.toString('utf8', p + 46, p + 46 + nameLen),
    });
    p += 46 + nameLen + extra + comment;
  }
  return out;
}

async function entryBytes(src: ByteSource, e: Entry, limit: number): Promise<Buffer> {
  if (e.size > limit || e.compressedSize > limit)
    throw new MeshError(`USDZ entry "${e.name.slice(0, 80)}" is too large`);
  const local = await src.read(e.localOffset, 30);
  if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50)
    throw new MeshError('damaged USDZ: bad zip entry header');
  const dataAt = e.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  const raw = await sliceSource(src, dataAt, e.compressedSize).read(0, e.compressedSize);
  if (raw.length < e.compressedSize) throw new MeshError('the USDZ file is cut short');
  if (e.method === 0) return raw;
  if (e.method === 8) {
    try {
      return zlib.inflateRawSync(raw, { maxOutputLength: limit });
    } catch {
      throw new MeshError(`damaged USDZ: entry "${e.name.slice(0, 80)}" does not inflate`);
    }
  }
  throw new MeshError(`USDZ entry "${e.name.slice(0, 80)}" uses an unsupported compression`);
}

function numbersIn(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g)) out.push(Number(m[0]));
  return out;
}

/** The text of `name = [ … ]` starting at `from`, or null. */
function arrayAfter(text: string, re: RegExp): Array<{ at: number; values: number[] }> {
  const out: Array<{ at: number; values: number[] }> = [];
  for (const m of text.matchAll(re)) {
    const open = text.indexOf('[', m.index + m[0].length - 1);
    const close = text.indexOf(']', open);
    if (open < 0 || close < 0) continue;
    out.push({ at: m.index, values: numbersIn(text.slice(open + 1, close)) });
  }
  return out;
}

async function readUsda(text: string, out: MeshFile): Promise<void> {
  if (/upAxis\s*=\s*"Z"/.test(text)) out.up = 'z';
  out.materials = (text.match(/\bdef\s+Material\b/g) ?? []).length;
  const mpu = /metersPerUnit\s*=\s*([\d.eE+-]+)/.exec(text);
  if (mpu) out.units = UNITS[Number(mpu[1])] ?? `${Number(mpu[1])} m`;
  const doc = /\bdoc\s*=\s*"([^"\n]{1,500})"/.exec(text);
  if (doc) out.title = doc[1]!.trim() || null;
  // Each mesh: its points, counts and indices, taken in the order they appear after `def Mesh`.
  const meshes = [...text.matchAll(/\bdef\s+Mesh\b/g)].map((m) => m.index);
  out.meshes = meshes.length;
  const points = arrayAfter(text, /\bpoint3f\[\]\s+points\s*=\s*\[/g);
  const counts = arrayAfter(text, /\bint\[\]\s+faceVertexCounts\s*=\s*\[/g);
  const indices = arrayAfter(text, /\bint\[\]\s+faceVertexIndices\s*=\s*\[/g);
  const within = <T extends { at: number }>(list: T[], from: number, to: number): T | undefined =>
    list.find((x) => x.at > from && x.at < to);
  out.geometry = await buildMesh(async (sink) => {
    let base = 0;
    for (const [k, start] of meshes.entries()) {
      const end = meshes[k + 1] ?? text.length;
      const p = within(points, start, end)?.values ?? [];
      const c = within(counts, start, end)?.values ?? [];
      const i = within(indices, start, end)?.values ?? [];
      const nv = Math.floor(p.length / 3);
      for (let v = 0; v < nv; v++) sink.vertex(p[3 * v]!, p[3 * v + 1]!, p[3 * v + 2]!);
      let o = 0;
      const corners: number[] = [];
      for (const n of c) {
        corners.length = 0;
        for (let j = 0; j < n && o < i.length; j++) corners.push(base + i[o++]!);
        sink.polygon(corners, corners.length);
      }
      base += nv;
    }
  });
}

export async function readUsdz(src: ByteSource): Promise<MeshFile> {
  const list = await entries(src);
  const out = emptyMeshFile('usdz');
  const images = list.filter((e) => /\.(?:png|jpe?g)$/i.test(e.name));
  const image = images.find((e) => /thumb|preview|icon/i.test(e.name)) ?? images[0];
  if (image) out.thumbnail = { kind: 'encoded', data: await entryBytes(src, image, MAX_IMAGE) };
  const layer = list.find((e) => /\.usd[ac]?$/i.test(e.name));
  if (!layer) throw new MeshError('damaged USDZ: the package holds no USD layer');
  // The first bytes say ASCII or crate; a stored entry is peeked at, a deflated one inflated.
  const peek =
    layer.method === 0 ? { ...layer, compressedSize: Math.min(layer.compressedSize, 8), size: 8 } : layer;
  const start = await entryBytes(src, peek, layer.method === 0 ? 8 : MAX_TEXT_LAYER);
  if (start.toString('latin1', 0, 5) === '#usda') {
    await readUsda((await entryBytes(src, layer, MAX_TEXT_LAYER)).toString('utf8'), out);
  } else {
    out.unreadGeometry =
      'its scene is binary USD (usdc), which is not read, and the package holds no picture';
  }
  return out;
}
