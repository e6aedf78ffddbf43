import type { EmbeddedImage } from '../../formats/mesh';
import { loadMesh } from '../formats/mesh-file';
import { decodeError, DECODE_OPTIONS, encodeWebp, sharp } from './encode';
import { rasterizeMesh } from './mesh-raster';
import { NothingToDrawError, type RenderOutput } from './types';

// 3D files: the picture the file carries of itself (a .blend's thumbnail, an image in a USDZ),
// else a shaded render of the mesh at twice the size, scaled down (which smooths its edges).

async function embedded(img: EmbeddedImage, maxEdge: number): Promise<RenderOutput> {
  const pipeline =
    img.kind === 'encoded'
      ? sharp(img.data, DECODE_OPTIONS)
      : sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } })
          .flip(img.bottomUp)
          .flatten({ background: '#eceef0' });
  try {
    const out = await encodeWebp(pipeline, maxEdge);
    return { ...out, sourceWidth: null, sourceHeight: null, durationS: null };
  } catch (err) {
    throw decodeError('the embedded preview does not decode', err);
  }
}

export async function renderModel3d(
  input: { path: string; buffer?: Buffer },
  maxEdge: number,
): Promise<RenderOutput> {
  const mesh = await loadMesh(input);
  if (mesh.thumbnail) return embedded(mesh.thumbnail, maxEdge);
  if (!mesh.geometry)
    throw new NothingToDrawError(`no preview: ${mesh.unreadGeometry ?? 'no geometry read'}`);
  const img = rasterizeMesh(mesh.geometry, mesh.up, maxEdge * 2);
  const out = await encodeWebp(
    sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } }),
    maxEdge,
  );
  return { ...out, sourceWidth: null, sourceHeight: null, durationS: null };
}
