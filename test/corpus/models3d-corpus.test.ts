// Real .blend files, as Blender writes them: the templates and material libraries Debian's
// blender-data ships (installed by .ci/run), plain and gzip-compressed. A .blend cannot be made
// without Blender; test/unit/mesh-formats.test.ts checks a hand-written one.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../../electron/core/formats/sniff';
import { loadMesh } from '../../electron/core/ingest/formats/mesh-file';
import { renderThumbnail } from '../../electron/core/ingest/thumbnails';
import { head } from '../helpers/files';

const BLENDER_DATA = '/usr/share/blender/scripts';

function blendFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.blend'))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('Blender files from blender-data', () => {
  it('reads the version, the materials and the 128 px thumbnail of every one, and renders it upright', async () => {
    expect(fs.existsSync(BLENDER_DATA), 'install Debian blender-data (.ci/run does)').toBe(true);
    const files = blendFiles(BLENDER_DATA);
    expect(files.length).toBeGreaterThanOrEqual(4);
    const compressed = files.filter((f) => head(f, 2).equals(Buffer.from([0x1f, 0x8b])));
    expect(compressed.length).toBeGreaterThan(0);
    for (const f of files) {
      if (!compressed.includes(f)) expect(sniffFormat(head(f)), f).toBe('model3d');
      const m = await loadMesh({ path: f });
      expect(m.generator, f).toMatch(/^Blender [2-9]\.\d\d$/);
      expect(m.materials, f).toBeGreaterThanOrEqual(0);
      expect(m.thumbnail, f).toMatchObject({ kind: 'rgba', width: 128, height: 128 });
      const out = await renderThumbnail({ path: f, format: 'model3d', maxEdge: 512 });
      const meta = await sharp(out.data).metadata();
      expect([meta.format, meta.width, meta.height], f).toEqual(['webp', 128, 128]);
    }
    // The material library holds dozens of materials (one MA block each).
    const library = files.find((f) => f.endsWith('sample_materials.blend'))!;
    expect((await loadMesh({ path: library })).materials).toBeGreaterThan(20);
  });
});
