// The 3D readers (electron/core/formats/mesh) and the preview renderer on files written at test
// time (test/fixtures/meshes.ts): the facts each container states, decimation of large meshes,
// the shaded render and embedded thumbnails, and a clear one-line error for broken files.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferSource } from '../../electron/core/formats/byte-source';
import { collectVertices, MeshBuilder } from '../../electron/core/formats/mesh/builder';
import { readMeshFile, type MeshFile } from '../../electron/core/formats/mesh';
import { sniffFormat } from '../../electron/core/formats/sniff';
import { loadMesh } from '../../electron/core/ingest/formats/mesh-file';
import { renderThumbnail } from '../../electron/core/ingest/thumbnails';
import { tempDir } from '../helpers/corpus';
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

let dir = '';
beforeAll(() => {
  dir = tempDir('dam-mesh-');
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, data: Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, data);
  return file;
}

async function readFile(file: string): Promise<MeshFile> {
  return loadMesh({ path: file });
}

function bounds(m: MeshFile): number[] {
  return m.geometry!.bounds!.map((v) => Math.round(v * 1000) / 1000);
}

describe('facts each 3D container states, read from a 2 × 3 × 4 box', () => {
  it('OBJ: 8 vertices, 6 quads (12 triangles), two materials, the exporter from its comment', async () => {
    const m = await readFile(write('box.obj', objBox()));
    expect(m.kind).toBe('obj');
    expect(m.geometry).toMatchObject({ vertices: 8, faces: 6, triangles: 12 });
    expect(bounds(m)).toEqual([0, 0, 0, 2, 3, 4]);
    expect(m.materials).toBe(2);
    expect(m.generator).toBe('Blender v2.93.1');
    expect(m.geometry!.sample.length).toBe(12 * 9);
  });

  it('STL binary and ASCII: 12 facets, bounds, the header as the tool, the solid name as title', async () => {
    const bin = await readFile(write('box-bin.stl', stlBinary()));
    expect(bin.geometry).toMatchObject({ faces: 12, triangles: 12, vertices: 36 });
    expect(bounds(bin)).toEqual([0, 0, 0, 2, 3, 4]);
    expect(bin.generator).toBe('Exported by TestCAD 1.0');
    expect(bin.up).toBe('z');
    const ascii = await readFile(write('box-ascii.stl', stlAscii()));
    expect(ascii.geometry).toMatchObject({ faces: 12, triangles: 12 });
    expect(bounds(ascii)).toEqual([0, 0, 0, 2, 3, 4]);
    expect(ascii.title).toBe('Box');
    // A binary STL whose header starts with "solid" (some exporters do) is still binary: the size says so.
    const tricky = await readFile(write('solid-header.stl', stlBinary('solid from a CAD tool')));
    expect(tricky.geometry).toMatchObject({ faces: 12 });
  });

  it('PLY ASCII and binary (both byte orders, an element of lists skipped)', async () => {
    for (const [name, data] of [
      ['a.ply', plyAscii()],
      ['le.ply', plyBinary(true)],
      ['be.ply', plyBinary(false)],
    ] as const) {
      const m = await readFile(write(name, data));
      expect(m.geometry, name).toMatchObject({ vertices: 8, faces: 6, triangles: 12 });
      expect(bounds(m), name).toEqual([0, 0, 0, 2, 3, 4]);
    }
    expect((await readFile(path.join(dir, 'a.ply'))).generator).toBe('TestScanner 2');
  });

  it('glTF with its .bin and GLB: node transforms applied, generator, title, copyright, materials', async () => {
    const { gltf, bin } = gltfWithBin();
    write('box.bin', bin);
    for (const file of [write('box.gltf', gltf), write('box.glb', glb())]) {
      const m = await readFile(file);
      expect(m.geometry, file).toMatchObject({ vertices: 8, faces: 12, triangles: 12 });
      expect(bounds(m), file).toEqual([10, 0, 0, 12, 3, 4]);
      expect(m).toMatchObject({
        generator: 'Tessera test exporter 1.2',
        title: 'Test Box',
        copyright: '2026 North Studio',
        materials: 2,
      });
    }
  });

  it('a .gltf whose .bin is missing, or names one outside its folder, keeps its facts and says why there is no geometry', async () => {
    const sub = path.join(dir, 'lonely');
    fs.mkdirSync(sub);
    fs.writeFileSync(path.join(sub, 'box.gltf'), gltfWithBin().gltf);
    const m = await readFile(path.join(sub, 'box.gltf'));
    expect(m.geometry).toBeNull();
    expect(m.materials).toBe(2);
    expect(m.unreadGeometry).toMatch(/buffer "box.bin" is missing/);
    fs.writeFileSync(path.join(sub, 'escape.gltf'), gltfWithBin('../box.bin').gltf);
    const escaped = await readFile(path.join(sub, 'escape.gltf'));
    expect(escaped.geometry).toBeNull();
    expect(escaped.unreadGeometry).toMatch(/missing/);
  });

  it('FBX binary (a zlib-compressed array) and ASCII: polygons, creator, title, materials', async () => {
    const b = await readFile(write('box-bin.fbx', fbxBinary()));
    expect(b.geometry).toMatchObject({ vertices: 8, faces: 6, triangles: 12 });
    expect(bounds(b)).toEqual([0, 0, 0, 2, 3, 4]);
    expect(b).toMatchObject({
      generator: 'TestCAD FBX Exporter 7.4',
      title: 'Test Box',
      materials: 2,
      units: 'm',
    });
    const a = await readFile(write('box-ascii.fbx', fbxAscii()));
    expect(a.geometry).toMatchObject({ vertices: 8, faces: 6, triangles: 12 });
    expect(bounds(a)).toEqual([0, 0, 0, 2, 3, 4]);
    expect(a).toMatchObject({ generator: 'TestCAD ASCII 3', title: 'Test Box', materials: 1, units: 'in' });
  });

  it('USDZ with an ASCII layer: its mesh, materials, doc as title, Z up; a picture in it is the thumbnail', async () => {
    const m = await readFile(write('box.usdz', usdz()));
    expect(m.geometry).toMatchObject({ vertices: 8, faces: 6, triangles: 12 });
    expect(bounds(m)).toEqual([0, 0, 0, 2, 3, 4]);
    expect(m).toMatchObject({ materials: 2, title: 'Test Box', up: 'z', thumbnail: null });
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#00ff00' } })
      .png()
      .toBuffer();
    const withPicture = await readFile(write('pic.usdz', usdz(png)));
    expect(withPicture.thumbnail).toEqual({ kind: 'encoded', data: png });
  });

  it('BLEND: the version as the tool, materials counted, the TEST block as thumbnail', async () => {
    const m = await readFile(write('scene.blend', blend(16, 8)));
    expect(m).toMatchObject({ kind: 'blend', generator: 'Blender 2.93', materials: 2, geometry: null });
    expect(m.thumbnail).toMatchObject({ kind: 'rgba', width: 16, height: 8, bottomUp: true });
  });

  it('sniffs GLB, binary FBX, BLEND, PLY and USDZ by content; OBJ and STL by their extension', () => {
    for (const data of [glb(), fbxBinary(), blend(), plyAscii(), usdz()])
      expect(sniffFormat(data.subarray(0, 4096))).toBe('model3d');
    expect(sniffFormat(objBox().subarray(0, 4096))).toBeNull();
  });
});

describe('large meshes: bounded memory, uniform decimation', () => {
  it('keeps at most 200k of 300k STL triangles while counting and measuring all of them', async () => {
    const big = stlBinary('big', 300_000);
    const m = await readMeshFile(bufferSource(big), 'stl', null);
    expect(m.geometry).toMatchObject({ faces: 300_000, triangles: 300_000 });
    const kept = m.geometry!.sample.length / 9;
    expect(kept).toBeGreaterThan(100_000);
    expect(kept).toBeLessThanOrEqual(200_000);
    expect(bounds(m)).toEqual([0, 0, 0, 2, 3, 4]);
  });

  it('a mesh with more vertices than are held fetches the sampled triangles’ corners in a second pass', () => {
    const caps = { triangles: 4, vertices: 5 };
    const pass = (sink: {
      vertex: (x: number, y: number, z: number) => void;
      polygon: (i: number[], n: number) => void;
    }) => {
      for (let i = 0; i < 20; i++) sink.vertex(i, 2 * i, 3 * i);
      for (let i = 0; i + 2 < 20; i++) sink.polygon([i, i + 1, i + 2], 3);
    };
    const b = new MeshBuilder(caps);
    pass(b);
    const missing = b.missingVertices();
    expect(missing.length).toBeGreaterThan(0);
    expect(Math.min(...missing)).toBeGreaterThanOrEqual(5);
    const { sink, found } = collectVertices(missing);
    pass(sink);
    const g = b.finish(found);
    expect(g).toMatchObject({ vertices: 20, triangles: 18 });
    expect(g.sample.length / 9).toBeLessThanOrEqual(4);
    // Every kept corner is a real vertex (x, 2x, 3x), including those past the held five.
    for (let k = 0; k < g.sample.length; k += 3)
      expect([g.sample[k + 1], g.sample[k + 2]]).toEqual([2 * g.sample[k]!, 3 * g.sample[k]!]);
    expect(Math.max(...g.sample)).toBeGreaterThan(15);
  });
});

describe('hostile scenes are refused quickly', () => {
  const gltfOf = (json: object) =>
    bufferSource(Buffer.from(JSON.stringify({ asset: { version: '2.0' }, ...json })));

  it('an accessor of a trillion zeros, and nodes nested to explode, end in one line each', async () => {
    const zeros = await readMeshFile(
      gltfOf({
        meshes: [{ primitives: [{ attributes: { POSITION: 0 } }] }],
        accessors: [{ componentType: 5126, count: 1e12, type: 'VEC3' }],
      }),
      'gltf',
      null,
    );
    expect(zeros.geometry).toBeNull();
    expect(zeros.unreadGeometry).toMatch(/claims 1000000000000 elements and no data/);
    // 30 levels of 4 children each: 4^30 paths through 31 nodes.
    const nodes = Array.from({ length: 31 }, (_, i) =>
      i < 30 ? { children: [i + 1, i + 1, i + 1, i + 1] } : { mesh: 0 },
    );
    const exploding = await readMeshFile(
      gltfOf({ scenes: [{ nodes: [0] }], nodes, meshes: [{ primitives: [] }] }),
      'gltf',
      null,
    );
    expect(exploding.unreadGeometry).toMatch(/over a million node instances/);
  });

  it('a PLY point cloud (vertices, no faces) is drawn as points', async () => {
    const n = 2000;
    const body = Array.from({ length: n }, (_, i) => `${Math.cos(i)} ${Math.sin(i)} ${i / n}`).join('\n');
    const file = write(
      'cloud.ply',
      Buffer.from(
        `ply\nformat ascii 1.0\nelement vertex ${n}\nproperty float x\nproperty float y\nproperty float z\nend_header\n${body}\n`,
      ),
    );
    const m = await readFile(file);
    expect(m.geometry).toMatchObject({ vertices: n, faces: 0, triangles: 0 });
    expect(m.geometry!.points.length).toBe(3 * n);
    const out = await renderThumbnail({ path: file, format: 'model3d', maxEdge: 256 });
    const { data } = await sharp(out.data).raw().toBuffer({ resolveWithObject: true });
    let drawn = 0;
    for (let p = 0; p < data.length; p += 3) if (data[p]! < 200) drawn++;
    expect(drawn).toBeGreaterThan(100);
  });
});

describe('preview', () => {
  async function pixels(file: string) {
    const out = await renderThumbnail({ path: file, format: 'model3d', maxEdge: 512 });
    const { data, info } = await sharp(out.data).raw().toBuffer({ resolveWithObject: true });
    return { out, data, info };
  }

  it('renders a shaded box for every container with geometry: a WebP within 512 px, faces in several shades', async () => {
    for (const name of [
      'box.obj',
      'box-bin.stl',
      'box-ascii.stl',
      'a.ply',
      'le.ply',
      'box.gltf',
      'box.glb',
      'box-bin.fbx',
      'box-ascii.fbx',
      'box.usdz',
    ]) {
      const { out, data, info } = await pixels(path.join(dir, name));
      expect(out.data.subarray(8, 12).toString('latin1'), name).toBe('WEBP');
      expect(Math.max(info.width, info.height), name).toBe(512);
      expect(out.sourceWidth).toBeNull();
      // The centre is the model (not the light grey background), and at least three shades show (three visible faces).
      const centre = ((info.height >> 1) * info.width + (info.width >> 1)) * info.channels;
      expect(data[centre]! + data[centre + 1]! + data[centre + 2]!, name).toBeLessThan(3 * 225);
      const shades = new Set<number>();
      for (let p = 0; p < data.length; p += info.channels * 97)
        if (data[p + 2]! - data[p]! > 20) shades.add(data[p]! >> 3);
      expect(shades.size, name).toBeGreaterThanOrEqual(3);
    }
  });

  it('uses the embedded thumbnail of a .blend (upright) and of a USDZ', async () => {
    const { data, info } = await pixels(write('red.blend', blend(16, 8, [200, 40, 40, 255])));
    expect(info.width / info.height).toBe(2);
    expect([data[0], data[1], data[2]]).toEqual([
      expect.closeTo(200, -1),
      expect.closeTo(40, -1),
      expect.closeTo(40, -1),
    ]);
    const png = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#00c000' } })
      .png()
      .toBuffer();
    const u = await pixels(write('green.usdz', usdz(png)));
    expect(u.info.width / u.info.height).toBe(2);
    expect(u.data[1]).toBeGreaterThan(150);
  });

  it('broken, empty and mislabelled 3D files get one clear line, never a crash or a hang', async () => {
    const cases: Array<[string, Buffer, RegExp]> = [
      ['empty.stl', Buffer.alloc(0), /empty file/],
      ['cut.glb', glb().subarray(0, 30), /GLB|cut short|JSON/],
      ['cut.stl', stlBinary().subarray(0, 300), /not an STL file/],
      [
        'noise.obj',
        Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256)),
        /not a Wavefront OBJ/,
      ],
      ['text.obj', Buffer.from('hello\nworld\n'.repeat(600)), /not a Wavefront OBJ/],
      ['bad.ply', Buffer.from('ply\nformat weird 1.0\nend_header\n'), /PLY format/],
      ['cut.ply', plyBinary().subarray(0, 300), /cut short/],
      ['cut.fbx', fbxBinary().subarray(0, 200), /FBX/],
      ['junk.blend', Buffer.from('not a blender file at all'), /not a Blender file/],
      ['cut.usdz', usdz().subarray(0, 100), /USDZ/],
      [
        'huge-count.stl',
        Buffer.concat([Buffer.alloc(80), Buffer.from([0xff, 0xff, 0xff, 0xff]), Buffer.alloc(100)]),
        /not an STL file/,
      ],
    ];
    for (const [name, data, re] of cases) {
      const file = write(name, data);
      const err = await renderThumbnail({ path: file, format: 'model3d', maxEdge: 512 }).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(err, name).toBeInstanceOf(Error);
      expect(err!.message, name).toMatch(re);
      expect(err!.message, name).not.toContain('\n');
    }
  });
});
