import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PIXEL_NEIGHBOURS_SQL,
  SAME_BASE_SQL,
  pixelNeighbours,
} from '../../electron/core/catalog/version-keys.repository';
import { hamming } from '../../electron/core/ingest/thumbnails/dhash';
import { MAX_PIXEL_DISTANCE } from '../../electron/core/versions/auto-group';
import { tempDir } from '../helpers/corpus';
import { freshLibrary } from '../helpers/library';

// The look-ups automatic grouping makes for every new file, on generated photos (no corpus):
// exports and versions are found, while the frames of a shoot (same format, same size) never even
// come back from the pixel look-up, and neither look-up walks every file of its folder or root.

let ctx: ReturnType<typeof freshLibrary>;
let root = '';

/** A smooth random scene, like a photo: its difference hash has bits of both kinds. */
async function scene(seed: number, width = 1200, height = 800): Promise<Buffer> {
  const w = 12;
  const h = 8;
  const px = Buffer.alloc(w * h * 3);
  let s = seed;
  for (let i = 0; i < px.length; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    px[i] = (s >> 16) & 0xff;
  }
  return sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .resize(width, height, { kernel: 'cubic' })
    .raw()
    .toBuffer();
}

async function save(name: string, raw: Buffer, width: number, height: number, fmt: 'jpeg' | 'png') {
  const file = path.join(root, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await sharp(raw, { raw: { width, height, channels: 3 } })
    .toFormat(fmt)
    .toFile(file);
  return file;
}

function stackOf(rel: string): number | null {
  const a = ctx.lib.findAsset(path.join(root, rel));
  if (!a) throw new Error(`not catalogued: ${rel}`);
  return ctx.lib.versions.list(a.id).stackId;
}

function pixelsOf(rel: string) {
  return ctx.lib.db
    .prepare(
      `SELECT f.id, f.root_id, f.format, p.dhash, md.width, md.height, md.orientation
         FROM files f JOIN file_pixels p ON p.file_id = f.id LEFT JOIN file_metadata md ON md.file_id = f.id
        WHERE f.rel_path = ?`,
    )
    .safeIntegers(true)
    .get(rel) as {
    id: bigint;
    root_id: bigint;
    format: string;
    dhash: bigint;
    width: bigint | null;
    height: bigint | null;
    orientation: bigint | null;
  };
}

const num = (v: bigint | null) => (v == null ? null : Number(v));

beforeAll(async () => {
  ctx = freshLibrary();
  root = tempDir('dam-versions-pixels-');
  // A shoot: twelve frames of one scene, a touch brighter each time; same camera, size, format.
  const shoot = await scene(7);
  for (let i = 0; i < 12; i++) {
    const frame = await sharp(shoot, { raw: { width: 1200, height: 800, channels: 3 } })
      .linear(1 + i * 0.01, 0)
      .raw()
      .toBuffer();
    await save(`shoot/DSC_${1000 + i}.jpg`, frame, 1200, 800, 'jpeg');
  }
  // A photo, its smaller export and a PNG of it at full size.
  const photo = await scene(99);
  await save('photo.jpg', photo, 1200, 800, 'jpeg');
  await save('exports/for-web.jpg', await scene(99, 600, 400), 600, 400, 'jpeg');
  await save('exports/lossless.png', photo, 1200, 800, 'png');
  // The same frame stored turned a quarter, with EXIF orientation 6 to stand it upright again:
  // same format and the same upright size, so no export.
  const still = await scene(555);
  await save('still.jpg', still, 1200, 800, 'jpeg');
  await sharp(still, { raw: { width: 1200, height: 800, channels: 3 } })
    .rotate(-90)
    .withMetadata({ orientation: 6 })
    .jpeg()
    .toFile(path.join(root, 'still-turned.jpg'));
  // Versions by name, in the shoot's folder.
  await save('shoot/DSC_1003_edit.jpg', await scene(3), 900, 600, 'jpeg');
  ctx.lib.addRoot(root);
  await ctx.lib.scan();
});

afterAll(async () => {
  await ctx?.dispose();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('grouping by pixels', () => {
  it('stacks an export in another size or another format with its photo', () => {
    const s = stackOf('photo.jpg');
    expect(s).not.toBeNull();
    expect(stackOf('exports/for-web.jpg')).toBe(s);
    expect(stackOf('exports/lossless.png')).toBe(s);
  });

  it('never stacks the frames of a shoot, nor a frame stored turned with an EXIF orientation', () => {
    // DSC_1003 has an edit beside it (the name test below); no frame is stacked with another.
    for (let i = 0; i < 12; i++) if (i !== 3) expect(stackOf(`shoot/DSC_${1000 + i}.jpg`)).toBeNull();
    expect(stackOf('still.jpg')).toBeNull();
    expect(stackOf('still-turned.jpg')).toBeNull();
    const turned = pixelsOf('still-turned.jpg');
    expect([num(turned.width), num(turned.height), num(turned.orientation)]).toEqual([800, 1200, 6]);
    // Upright, the two look alike: only their format and upright size keep them apart.
    expect(hamming(turned.dhash, pixelsOf('still.jpg').dhash)).toBeLessThanOrEqual(MAX_PIXEL_DISTANCE);
  });

  it('looks up only files that could be exports: none of a frame of the shoot', () => {
    const frame = pixelsOf('shoot/DSC_1011.jpg');
    const first = pixelsOf('shoot/DSC_1000.jpg');
    // The frames do look alike: the look-up's slices of the hash would pair them.
    expect(frame.dhash ^ first.dhash).toBe(0n);
    const like = {
      format: frame.format,
      width: num(frame.width),
      height: num(frame.height),
      orientation: num(frame.orientation),
    };
    expect(pixelNeighbours(ctx.lib.db, Number(frame.root_id), frame.dhash, Number(frame.id), like)).toEqual(
      [],
    );
    // The photo's look-up still brings its exports.
    const photo = pixelsOf('photo.jpg');
    const found = pixelNeighbours(ctx.lib.db, Number(photo.root_id), photo.dhash, Number(photo.id), {
      format: photo.format,
      width: num(photo.width),
      height: num(photo.height),
      orientation: num(photo.orientation),
    }).map((c) => c.name);
    expect(found.sort()).toEqual(['for-web.jpg', 'lossless.png']);
  });

  it('starts the look-up from the hash slices, never from every file of the root', () => {
    // Without statistics SQLite would rather walk the root's files (files_root_folder) and look
    // each one's pixels up: a cost that grows with the root, paid for every new picture.
    const plan = (
      ctx.lib.db
        .prepare(`EXPLAIN QUERY PLAN ${PIXEL_NEIGHBOURS_SQL}`)
        .all(1, 2, 3, 4, 5, 1, 1, { format: 'jpeg', w: 1200, h: 800 }) as { detail: string }[]
    ).map((r) => r.detail);
    for (let band = 0; band < 5; band++) expect(plan.join('\n')).toContain(`file_pixels_band${band}`);
    expect(plan.filter((d) => /\b(?:SCAN|SEARCH) f\b/.test(d))).toEqual([
      'SEARCH f USING INTEGER PRIMARY KEY (rowid=?)',
    ]);
  });

  it('stacks a version by its name, looked up from the base name, not from the whole folder', () => {
    expect(stackOf('shoot/DSC_1003.jpg')).not.toBeNull();
    expect(stackOf('shoot/DSC_1003_edit.jpg')).toBe(stackOf('shoot/DSC_1003.jpg'));
    expect(stackOf('shoot/DSC_1004.jpg')).toBeNull();
    const plan = (
      ctx.lib.db.prepare(`EXPLAIN QUERY PLAN ${SAME_BASE_SQL}`).all('DSC_1003', 1, 'shoot', 1) as {
        detail: string;
      }[]
    ).map((r) => r.detail);
    expect(plan[0]).toMatch(/^SEARCH k USING INDEX file_version_keys_base \(base=\?\)/);
    expect(plan.filter((d) => /\b(?:SCAN|SEARCH) f\b/.test(d))).toEqual([
      'SEARCH f USING INTEGER PRIMARY KEY (rowid=?)',
    ]);
  });
});
