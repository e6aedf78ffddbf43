import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/corpus';
import { CLI, exiftoolJson } from '../helpers/library';

// Per-aspect crops through the CLI, as a person would: set, listed, refused when of another shape,
// kept in the XMP sidecar (read back with exiftool) and taken from a newer sidecar another
// catalogue wrote; renditions of an aspect have its shape and show the cropped part, upright
// whatever the file's stored orientation.
describe('per-aspect crops', () => {
  let work: string;
  let cat: string;
  let photos: string;
  let out: string;

  function run(...args: string[]) {
    return spawnSync(process.execPath, [CLI, '--catalog', cat, ...args], { encoding: 'utf8' });
  }
  function dam(...args: string[]): string {
    const r = run(...args);
    if (r.status !== 0) throw new Error(`dam ${args.join(' ')} (${r.status}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  }
  const damJson = <T>(...args: string[]): T => JSON.parse(dam(...args, '--json')) as T;
  const file = (n: string) => path.join(photos, n);
  const idOf = (n: string) => damJson<{ id: number }>('show', file(n)).id;
  /** The mean colour of a rendition: [r, g, b]. */
  async function colour(p: string): Promise<number[]> {
    const { channels } = await sharp(p).stats();
    return channels.slice(0, 3).map((c) => Math.round(c.mean));
  }

  beforeAll(async () => {
    work = tempDir('dam-crops-');
    cat = path.join(work, 'catalog');
    photos = path.join(work, 'photos');
    out = path.join(work, 'out');
    fs.mkdirSync(photos);
    // 1200×600, left half red, right half blue.
    const halves = (w: number, h: number) =>
      sharp({ create: { width: w, height: h, channels: 3, background: '#d22' } }).composite([
        {
          input: { create: { width: w / 2, height: h, channels: 3, background: '#22d' } },
          left: w / 2,
          top: 0,
        },
      ]);
    await halves(1200, 600).jpeg({ quality: 92 }).toFile(file('wide.jpg'));
    // Stored 1200×600 with orientation 6: shown upright as 600×1200, red on top, blue below.
    const stored = await halves(1200, 600).jpeg({ quality: 92 }).toBuffer();
    await sharp(stored).withMetadata({ orientation: 6 }).toFile(file('turned.jpg'));
    dam('add-root', photos);
    dam('scan');
  });
  afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('sets, lists and clears a crop per aspect, refusing a box of another shape with the reason', () => {
    const wide = file('wide.jpg');
    expect(damJson<unknown[]>('crop', wide)).toEqual([]);
    // A square of a 1200×600 picture is half as wide as it is tall, in fractions.
    const crops = damJson<{ aspect: string; box: { x: number; y: number; w: number; h: number } }[]>(
      'crop',
      wide,
      '--aspect',
      '1:1',
      '--box',
      '0.5,0,0.5,1',
    );
    expect(crops).toMatchObject([{ aspect: '1:1', box: { x: 0.5, y: 0, w: 0.5, h: 1 } }]);
    dam('crop', wide, '--aspect', 'free', '--box', '0,0,0.25,0.5');
    expect(dam('crop', wide)).toBe('1:1   0.5,0,0.5,1\nfree  0,0,0.25,0.5\n');

    const bad = run('crop', wide, '--aspect', '16:9', '--box', '0,0,1,1');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/16:9 box of this 1200×600 picture/);
    const outside = run('crop', wide, '--aspect', 'free', '--box', '0.5,0,0.6,1');
    expect(outside.stderr).toMatch(/inside the picture/);
    expect(run('crop', wide, '--aspect', '3:2', '--box', '0,0,1,1').stderr).toMatch(
      /--aspect 1:1\|4:5\|16:9\|free/,
    );
    expect(run('crop', wide, '--aspect', 'free', '--box', 'a,b').stderr).toMatch(/four numbers/);

    dam('crop', wide, '--aspect', 'free', '--clear');
    expect(damJson<{ aspect: string }[]>('crop', wide).map((c) => c.aspect)).toEqual(['1:1']);
  });

  it('keeps the crops in the XMP sidecar, and takes a newer one another catalogue wrote there', () => {
    const sidecar = path.join(photos, 'wide.xmp');
    const text = fs.readFileSync(sidecar, 'utf8');
    expect(text).toContain('<tessera:Crops>');
    // exiftool reads it as well-formed XMP with our values (it reports the first of the Bag's items:
    // the square); the cleared free crop stays as its aspect and time, without a box.
    const [tags] = exiftoolJson([sidecar]);
    expect(tags).toMatchObject({ CropsAspect: '1:1', CropsX: 0.5, CropsY: 0, CropsW: 0.5, CropsH: 1 });
    expect(text).toMatch(
      /<tessera:Aspect>free<\/tessera:Aspect>\s*<tessera:Modified>[^<]+<\/tessera:Modified>\s*<\/rdf:li>/,
    );

    // Another catalogue over the shared folder moved the square to the left half, later.
    const later = new Date(Date.now() + 60_000).toISOString();
    const edited = text.replace(
      /(<tessera:Aspect>1:1<\/tessera:Aspect>\s*<tessera:Modified>)[^<]*(<\/tessera:Modified>\s*<tessera:X>)0\.5(<)/,
      `$1${later}$20$3`,
    );
    expect(edited).not.toBe(text);
    fs.writeFileSync(sidecar, edited);
    dam('scan');
    expect(damJson<{ aspect: string; box: { x: number } }[]>('crop', file('wide.jpg'))).toMatchObject([
      { aspect: '1:1', box: { x: 0 } },
    ]);
  });

  it('renders an aspect as its crop (else the centred box), with the shape and the part asked, upright', async () => {
    const wide = file('wide.jpg');
    // The square is now the left (red) half.
    const r1 = damJson<{ files: { name: string }[] }>(
      'export',
      wide,
      '--preset',
      'web',
      '--aspect',
      '1:1',
      '--to',
      path.join(out, 'square'),
    );
    const square = path.join(out, 'square', r1.files[0]!.name);
    const m = await sharp(square).metadata();
    expect([m.width, m.height]).toEqual([600, 600]);
    const [r, , b] = await colour(square);
    expect(r).toBeGreaterThan(b! + 100);
    // No 16:9 crop: the centred one, full width.
    dam('export', wide, '--preset', 'web', '--aspect', '16:9', '--to', path.join(out, 'wide'));
    const w169 = await sharp(path.join(out, 'wide', 'wide.jpg')).metadata();
    expect([w169.width, w169.height]).toEqual([1066, 600]);

    // The turned file: upright 600×1200 (red on top). A 1:1 crop of its lower half is blue.
    const turned = file('turned.jpg');
    dam('crop', turned, '--aspect', '1:1', '--box', '0,0.5,1,0.5');
    dam('export', turned, '--preset', 'web', '--aspect', '1:1', '--to', path.join(out, 'turned'));
    const t = path.join(out, 'turned', 'turned.jpg');
    const tm = await sharp(t).metadata();
    expect([tm.width, tm.height, tm.orientation ?? 1]).toEqual([600, 600, 1]);
    const [tr, , tb] = await colour(t);
    expect(tb).toBeGreaterThan(tr! + 100);
    // 4:5 centred of the upright 600×1200: full width, 750 tall.
    dam('export', turned, '--preset', 'web', '--aspect', '4:5', '--to', path.join(out, 'portrait'));
    const p = await sharp(path.join(out, 'portrait', 'turned.jpg')).metadata();
    expect([p.width, p.height]).toEqual([600, 750]);
    expect(idOf('turned.jpg')).toBeGreaterThan(0);
  });
});
