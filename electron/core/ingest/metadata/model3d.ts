import { cleanFacts } from '../../../../shared/facts';
import { MeshError, type MeshFile } from '../../formats/mesh';
import { loadMesh } from '../formats/mesh-file';
import { emptyMetadata, type FileMetadata } from './file-metadata';

// A 3D file's metadata: title and copyright where the file states them, the rest as facts
// (vertices, faces, triangles, bounding size, materials, meshes, the authoring application).

/** A length as people write it: up to 4 significant digits, no trailing zeros. */
function length(v: number): string {
  if (v === 0) return '0';
  return String(Number(v.toPrecision(4)));
}

export function meshFacts(mesh: MeshFile): Record<string, string | number> {
  const facts: Record<string, string | number> = {};
  const g = mesh.geometry;
  if (g) {
    facts.vertices = g.vertices;
    if (g.faces > 0) facts.faces = g.faces;
    if (g.triangles > 0 && g.triangles !== g.faces) facts.triangles = g.triangles;
    if (g.bounds) {
      const [x0, y0, z0, x1, y1, z1] = g.bounds;
      facts.bounds = `${length(x1 - x0)} × ${length(y1 - y0)} × ${length(z1 - z0)}`;
    }
  }
  if (mesh.meshes !== null) facts.meshes = mesh.meshes;
  if (mesh.materials !== null) facts.materials = mesh.materials;
  if (mesh.units) facts.units = mesh.units;
  if (mesh.generator) facts.application = mesh.generator;
  return facts;
}

/**
 * Reads a 3D file (the parse is shared with the renderer). A file that does not parse yields no
 * metadata rather than an error: the preview reports it, once.
 */
export async function readModelMetadata(input: { path: string; buffer?: Buffer }): Promise<FileMetadata> {
  let mesh: MeshFile;
  try {
    mesh = await loadMesh(input);
  } catch (err) {
    if (err instanceof MeshError) return emptyMetadata();
    throw err;
  }
  const meta = emptyMetadata();
  meta.title = mesh.title;
  meta.copyright = mesh.copyright;
  meta.facts = cleanFacts(meshFacts(mesh));
  return meta;
}
