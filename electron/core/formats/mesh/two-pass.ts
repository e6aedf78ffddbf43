import { collectVertices, MeshBuilder, type MeshGeometry, type MeshSink } from './builder';

/**
 * Runs a streaming reader once into a MeshBuilder, and a second time only when the mesh has more
 * vertices than are held in memory, to fetch the positions its sampled triangles need.
 */
export async function buildMesh(pass: (sink: MeshSink) => Promise<void>): Promise<MeshGeometry> {
  const builder = new MeshBuilder();
  await pass(builder);
  const missing = builder.missingVertices();
  if (missing.length === 0) return builder.finish();
  const { sink, found } = collectVertices(missing);
  await pass(sink);
  return builder.finish(found);
}
