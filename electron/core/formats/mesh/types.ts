import type { MeshGeometry, UpAxis } from './builder';

/** The 3D containers read; the FormatId of all of them is 'model3d'. */
export type MeshKind = 'gltf' | 'glb' | 'obj' | 'stl' | 'ply' | 'fbx' | 'usdz' | 'blend';

/** A picture the file carries of itself. */
export type EmbeddedImage =
  | { kind: 'encoded'; data: Buffer } // PNG or JPEG bytes, as stored
  | { kind: 'rgba'; data: Buffer; width: number; height: number; bottomUp: boolean };

export interface MeshFile {
  kind: MeshKind;
  /** Null when the file's geometry is not read (BLEND, binary USD): facts only, and any embedded picture. */
  geometry: MeshGeometry | null;
  materials: number | null;
  /** Meshes (glTF meshes, FBX geometries, USD Mesh prims), where the format has them. */
  meshes: number | null;
  /** The unit of the coordinates where the format fixes or states it ('m' for glTF). */
  units: string | null;
  /** The authoring tool as the file names it (glTF asset.generator, FBX Creator, "Blender 2.93"). */
  generator: string | null;
  title: string | null;
  copyright: string | null;
  /** Which axis points up in the file's convention, for the preview's camera. */
  up: UpAxis;
  thumbnail: EmbeddedImage | null;
  /** Why there is no geometry, said to the user when there is no thumbnail either. */
  unreadGeometry: string | null;
}

export function emptyMeshFile(kind: MeshKind, up: UpAxis = 'y'): MeshFile {
  return {
    kind,
    geometry: null,
    materials: null,
    meshes: null,
    units: null,
    generator: null,
    title: null,
    copyright: null,
    up,
    thumbnail: null,
    unreadGeometry: null,
  };
}

/** A 3D file that cannot be read: one line for the user. */
export class MeshError extends Error {
  override name = 'MeshError';
}
