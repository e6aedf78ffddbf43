// 3D files catalogued as a root: type 3d, their facts in the asset (as `show --json` carries
// them), a rendered or embedded preview, title/copyright/tool against exiftool where it reads
// them (it reads a .gltf's JSON), `type:3d` in search, and broken files as one-line errors.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Asset } from '../../shared/model';
import type { Library } from '../../electron/core/library';
import { tempDir } from '../helpers/corpus';
import { exiftoolJson, freshLibrary } from '../helpers/library';
import {
  blend,
  fbxAscii,
  fbxBinary,
  glb,
  gltfWithBin,
  objBox,
  plyAscii,
  plyBinary,
  stlAscii,
  stlBinary,
  usdz,
} from '../fixtures/meshes';

const ROOT = tempDir('dam-models3d-');
const { gltf, bin } = gltfWithBin();
const GOOD: Record<string, Buffer> = {
  'box.obj': objBox(),
  'box-ascii.stl': stlAscii(),
  'box-binary.stl': stlBinary(),
  'box-ascii.ply': plyAscii(),
  'box-binary.ply': plyBinary(),
  'box.gltf': gltf,
  'box.glb': glb(),
  'box-binary.fbx': fbxBinary(),
  'box-ascii.fbx': fbxAscii(),
  'box.usdz': usdz(),
  'scene.blend': blend(32, 16),
};
const BROKEN: Record<string, Buffer> = {
  'cut.glb': glb().subarray(0, 40),
  'cut.stl': stlBinary().subarray(0, 200),
  'noise.obj': Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 256)),
  'empty.fbx': Buffer.alloc(0),
};
const NO_THUMBNAIL = 'bare.blend';

describe('3D files, catalogued', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let lib: Library;
  const asset = (name: string): Asset => {
    const a = lib.findAsset(path.join(ROOT, name));
    if (!a) throw new Error(`${name} not catalogued`);
    return a;
  };

  beforeAll(async () => {
    for (const [name, data] of Object.entries({ ...GOOD, ...BROKEN }))
      fs.writeFileSync(path.join(ROOT, name), data);
    fs.writeFileSync(path.join(ROOT, 'box.bin'), bin);
    fs.writeFileSync(path.join(ROOT, NO_THUMBNAIL), blend(0, 0, [0, 0, 0, 0], false));
    ctx = freshLibrary();
    lib = ctx.lib;
    lib.addRoot(ROOT, { name: 'models' });
    await lib.scan();
  });
  afterAll(async () => {
    await ctx.dispose();
    fs.rmSync(ROOT, { recursive: true, force: true });
  });

  it('types every 3D file 3d, with a WebP preview and its facts, no error', async () => {
    for (const name of Object.keys(GOOD)) {
      const a = asset(name);
      expect(a, name).toMatchObject({ type: '3d', format: 'model3d', error: null });
      expect(a.thumbnail, name).toBeTruthy();
      const meta = await sharp(a.thumbnail!).metadata();
      expect(meta.format, name).toBe('webp');
      expect(Math.max(meta.width ?? 0, meta.height ?? 0), name).toBeLessThanOrEqual(512);
      if (name.endsWith('.blend')) continue;
      expect(a.facts, name).toMatchObject({ vertices: expect.any(Number), faces: expect.any(Number) });
      expect(a.facts.bounds, name).toBe('2 × 3 × 4');
    }
    expect(asset('box.obj').facts).toEqual({
      vertices: 8,
      faces: 6,
      triangles: 12,
      bounds: '2 × 3 × 4',
      materials: 2,
      application: 'Blender v2.93.1',
    });
    expect(asset('box-binary.stl').facts).toMatchObject({
      vertices: 36,
      faces: 12,
      application: 'Exported by TestCAD 1.0',
    });
    expect(asset('box-ascii.stl').title).toBe('Box');
    expect(asset('box-binary.fbx')).toMatchObject({
      title: 'Test Box',
      facts: { meshes: 1, materials: 2, units: 'm', application: 'TestCAD FBX Exporter 7.4' },
    });
    expect(asset('box.usdz')).toMatchObject({
      title: 'Test Box',
      facts: { meshes: 1, materials: 2, units: 'cm' },
    });
    expect(asset('scene.blend').facts).toEqual({ materials: 2, application: 'Blender 2.93' });
  });

  it('a .gltf agrees with exiftool (which reads its JSON) on title, copyright, tool, materials and size', () => {
    const file = path.join(ROOT, 'box.gltf');
    const [et] = exiftoolJson([file]);
    const a = asset('box.gltf');
    expect(a.title).toBe(et!.AssetExtrasTitle);
    expect(a.copyright).toBe(et!.AssetCopyright);
    expect(a.facts.application).toBe(et!.AssetGenerator);
    expect(a.facts.materials).toBe((et!.MaterialsName as unknown[]).length);
    const [max, min] = [et!.AccessorsMax as number[], et!.AccessorsMin as number[]];
    expect(a.facts.bounds).toBe(max.map((v, i) => v - min[i]!).join(' × '));
    expect(a.facts).toMatchObject({ vertices: 8, faces: 12, units: 'm', meshes: 1 });
    // The GLB holds the same scene; exiftool does not read GLB at all.
    expect(asset('box.glb')).toMatchObject({ title: a.title, copyright: a.copyright, facts: a.facts });
  });

  it('finds them with type:3d, and by the title the file states', () => {
    const hits = lib.search('type:3d', { limit: 100 }).items.map((a) => a.name);
    expect(hits.sort()).toEqual([...Object.keys(GOOD), ...Object.keys(BROKEN), NO_THUMBNAIL].sort());
    expect(lib.search('type:3d title:"Test Box"').total).toBe(5); // gltf, glb, two FBX, usdz
  });

  it('a .blend saved without a thumbnail keeps its type icon and its facts, without an error', () => {
    expect(asset(NO_THUMBNAIL)).toMatchObject({
      type: '3d',
      thumbnail: null,
      error: null,
      facts: { application: 'Blender 2.93' },
    });
  });

  it('broken 3D files: one clear line each, no preview', () => {
    for (const name of Object.keys(BROKEN)) {
      const a = asset(name);
      expect(a.thumbnail, name).toBeNull();
      expect(a.error, name).toMatch(/\S/);
      expect(a.error, name).not.toContain('\n');
    }
    expect(asset('cut.stl').error).toMatch(/not an STL file/);
    expect(asset('noise.obj').error).toMatch(/not a Wavefront OBJ/);
  });

  it('renders of the same box in two formats are not stacked as versions (3D previews are not compared by pixels)', () => {
    expect(asset('box.obj').stack).toBeNull();
    expect(asset('box-binary.stl').stack).toBeNull();
  });
});
