import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportResult } from '../../shared/contract';
import { makePhoto } from '../fixtures/make-fixtures';
import { tempDir } from '../helpers/corpus';
import { CLI, exiftoolJson, freshLibrary } from '../helpers/library';

// Renditions and exports from a real catalogue of real files, read back with exiftool: what the
// catalogue says travels in the file, what the camera knew about where and which body does not.

let ctx: ReturnType<typeof freshLibrary>;
let root: string;
let out: string;
const id: Record<string, number> = {};

const dam = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, '--catalog', ctx.dir, ...args], { encoding: 'utf8' });

beforeAll(async () => {
  ctx = freshLibrary();
  root = tempDir('dam-renditions-root-');
  out = tempDir('dam-renditions-out-');
  fs.mkdirSync(path.join(root, 'b'));
  await makePhoto(root, 'bus.jpg', {
    seed: 3,
    width: 3000,
    height: 2000,
    make: 'Canon',
    model: 'Canon EOS R5',
    taken: '2024:05:01 10:00:00',
  });
  execFileSync('exiftool', [
    '-q',
    '-overwrite_original',
    '-GPSLatitude=51.5',
    '-GPSLatitudeRef=N',
    '-GPSLongitude=0.12',
    '-GPSLongitudeRef=W',
    '-SerialNumber=CANON-083021',
    '-LensSerialNumber=LENS-77',
    '-Orientation#=6',
    path.join(root, 'bus.jpg'),
  ]);
  // The same name in another folder: one export must keep both.
  await makePhoto(path.join(root, 'b'), 'bus.jpg', { seed: 4 });
  ctx.lib.addRoot(root);
  await ctx.lib.scan();
  for (const a of ctx.lib.search('').items) id[a.relPath] = a.id;
  expect(
    dam(
      'set',
      String(id['bus.jpg']),
      'credit=North Studio',
      'altText=A red bus at dusk',
      'creator=Ana Lima',
      'keywords+=bus',
      'title=../../escape',
    ).status,
  ).toBe(0);
});
afterAll(async () => {
  await ctx.dispose();
  for (const d of [root, out]) fs.rmSync(d, { recursive: true, force: true });
});

describe('renditions', () => {
  it('are upright, fitted, and carry the catalogue\u2019s credit, alt text and keywords but no GPS or serial numbers', async () => {
    const dir = path.join(out, 'web');
    const r = JSON.parse(
      dam('export', String(id['bus.jpg']), '--preset', 'web', '--to', dir, '--json').stdout,
    ) as ExportResult;
    expect(r.failed).toEqual([]);
    expect(r.files.map((f) => f.name)).toEqual(['bus.jpg']);
    const file = path.join(dir, 'bus.jpg');
    const meta = await sharp(file).metadata();
    // Stored 3000×2000 turned a quarter (Orientation 6): upright it is portrait, fitted in 2048.
    expect([meta.width, meta.height, meta.orientation ?? 1]).toEqual([1365, 2048, 1]);
    const [tags] = exiftoolJson([file]) as Record<string, unknown>[];
    expect(tags).toMatchObject({
      Credit: 'North Studio',
      AltTextAccessibility: 'A red bus at dusk',
      Creator: 'Ana Lima',
      Make: 'Canon',
      Model: 'Canon EOS R5',
      DateTimeOriginal: '2024:05:01 10:00:00',
    });
    expect(String(tags!.Subject)).toMatch(/bus/);
    for (const gone of ['GPSLatitude', 'GPSLongitude', 'SerialNumber', 'LensSerialNumber'])
      expect(tags, gone).not.toHaveProperty(gone);
  });

  it('keep the position when a preset says so, and draw its watermark', async () => {
    const h = ctx.lib.renditions;
    h.savePreset({
      name: 'press',
      longEdge: 800,
      format: 'jpeg',
      quality: 90,
      keepGps: true,
      keepSerials: false,
      watermark: '© North Studio',
      fileName: '{name}-{preset}',
    });
    const plain = await h.render(id['bus.jpg']!, 'social');
    const marked = await h.render(id['bus.jpg']!, 'press');
    const file = path.join(out, 'press.jpg');
    fs.writeFileSync(file, marked.data);
    const [tags] = exiftoolJson([file]) as Record<string, unknown>[];
    expect(Number(tags!.GPSLatitude)).toBeCloseTo(51.5, 5);
    expect(Number(tags!.GPSLongitude)).toBeCloseTo(-0.12, 5);
    expect(tags).not.toHaveProperty('SerialNumber');
    // The watermark sits bottom right: that corner differs from the same picture without one.
    const corner = async (data: Buffer) =>
      sharp(data)
        .resize(800, 800, { fit: 'inside' })
        .extract({ left: 393, top: 730, width: 133, height: 60 })
        .raw()
        .toBuffer();
    const [a, b] = [await corner(plain.data), await corner(marked.data)];
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff += Math.abs(a[i]! - b[i]!);
    expect(diff / a.length).toBeGreaterThan(4);
    expect(() => h.savePreset({ ...h.preset('press'), name: 'web' })).toThrow(/built-in/);
  });

  it('export into a zip with each name once, nothing outside the target, and missing files reported', async () => {
    const zip = path.join(out, 'selection.zip');
    fs.rmSync(path.join(root, 'b', 'bus.jpg'));
    await ctx.lib.scan();
    const ids = [id['bus.jpg']!, id['b/bus.jpg']!];
    const r = await ctx.lib.renditions.export(ids, 'thumb', zip);
    expect(r.failed).toEqual([{ assetId: id['b/bus.jpg'], reason: 'its file is missing' }]);
    const names = execFileSync(
      'python3',
      ['-c', 'import sys,zipfile;print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', zip],
      { encoding: 'utf8' },
    ).trim();
    expect(names).toBe('bus-thumb.webp');
    // A title used as the file name cannot climb out of the folder.
    ctx.lib.renditions.savePreset({
      name: 'titled',
      longEdge: 64,
      format: 'jpeg',
      quality: 70,
      keepGps: false,
      keepSerials: false,
      watermark: null,
      fileName: '{title}',
    });
    const dir = path.join(out, 'titled');
    const t1 = await ctx.lib.renditions.export([id['bus.jpg']!], 'titled', dir);
    const t2 = await ctx.lib.renditions.export([id['bus.jpg']!], 'titled', dir);
    expect([...t1.files, ...t2.files].map((f) => f.name)).toEqual(['_.._escape.jpg', '_.._escape-2.jpg']);
    expect(fs.readdirSync(dir).sort()).toEqual(['_.._escape-2.jpg', '_.._escape.jpg']);
    expect(fs.readdirSync(out).sort()).toEqual(['press.jpg', 'selection.zip', 'titled', 'web']);
    expect(() => ctx.lib.renditions.preset('nope')).toThrow(/no preset "nope"/);
    const bad = dam('export', String(id['bus.jpg']), '--preset', 'web', '--to', zip);
    expect([bad.status, bad.stderr.trim()]).toEqual([1, `dam: ${zip} exists already: choose another name`]);
  });
});
