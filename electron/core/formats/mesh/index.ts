import type { ByteSource } from '../byte-source';
import { readBlend } from './blend';
import { FBX_MAGIC, readFbx } from './fbx';
import { readGltf, type BufferResolver } from './gltf';
import { readObj } from './obj';
import { readPly } from './ply';
import { isBinaryStl, readStl } from './stl';
import { MeshError, type MeshFile, type MeshKind } from './types';
import { readUsdz } from './usdz';

export { MeshError, type EmbeddedImage, type MeshFile, type MeshKind } from './types';
export type { MeshGeometry, UpAxis } from './builder';
export type { BufferResolver } from './gltf';

/** Extensions of the 3D files read, by container. */
export const MESH_EXTENSIONS: Record<string, MeshKind> = {
  gltf: 'gltf',
  glb: 'glb',
  obj: 'obj',
  stl: 'stl',
  ply: 'ply',
  fbx: 'fbx',
  usdz: 'usdz',
  blend: 'blend',
};

/** A zip whose first entry is a USD layer: a USDZ package whatever its name. */
export function isUsdz(head: Buffer): boolean {
  if (head.length < 34 || head.readUInt32LE(0) !== 0x04034b50) return false;
  const nameLen = head.readUInt16LE(26);
  return /\.usd[ac]?$/i.test(head.toString('utf8', 30, Math.min(head.length, 30 + nameLen)));
}

/** The 3D container the first bytes show (only formats with a signature), or null. */
export function sniffMesh(head: Buffer): MeshKind | null {
  const s = head.toString('latin1', 0, Math.min(head.length, 21));
  if (s.startsWith('glTF') && head.length >= 8 && head.readUInt32LE(4) === 2) return 'glb';
  if (s === FBX_MAGIC) return 'fbx';
  if (s.startsWith('BLENDER')) return 'blend';
  if (/^ply\r?\n(?:format|comment|obj_info)/.test(head.toString('latin1', 0, 16))) return 'ply';
  if (isUsdz(head)) return 'usdz';
  return null;
}

function looksBinary(head: Buffer): boolean {
  return head.subarray(0, 4096).includes(0);
}

/**
 * Reads any supported 3D file: which container from its first bytes where they tell, else from
 * the extension. `resolve` opens the external buffers a .gltf names (null: none are opened).
 */
export async function readMeshFile(
  src: ByteSource,
  ext: string,
  resolve: BufferResolver | null,
): Promise<MeshFile> {
  if (src.size === 0) throw new MeshError('empty file (0 bytes)');
  const head = await src.read(0, 4096);
  const kind = sniffMesh(head) ?? MESH_EXTENSIONS[ext.toLowerCase()];
  switch (kind) {
    case 'glb':
    case 'gltf':
      return readGltf(src, resolve);
    case 'fbx':
      return readFbx(src);
    case 'blend':
      return readBlend(src);
    case 'ply':
      return readPly(src);
    case 'usdz':
      return readUsdz(src);
    case 'stl':
      return readStl(src);
    case 'obj':
      if (looksBinary(head) && !isBinaryStl(head, src.size))
        throw new MeshError('not a Wavefront OBJ file (binary data)');
      return readObj(src);
    default:
      throw new MeshError('not a 3D file that is read');
  }
}
