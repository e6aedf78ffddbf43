// The ingest checks shared by the default suite (generated camera-like files,
// test/integration/ingest-camera-files.test.ts) and the corpus suite (the real camera corpus,
// test/corpus/ingest-corpus.test.ts): one set of checks, run on whichever file set is catalogued.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { expect, it } from 'vitest';
import type { Library } from '../../electron/core/library';
import { exiftoolJson } from './library';

export interface IngestedSet {
  lib: Library;
  /** Every file below the root, as listFiles() gives them. */
  files: string[];
  root: string;
  first: Awaited<ReturnType<Library['scan']>>;
}

/** What the file set is large enough to promise: lower bounds that differ between the sets. */
export interface IngestLimits {
  /** stats.byType.image must be greater than this. */
  imagesAbove: number;
  /** JPEGs compared with exiftool must be more than this. */
  comparedAbove: number;
  /** search('canon') must find at least this many. */
  canonAtLeast: number;
  /** search('has:gps') must find at least this many. */
  gpsAtLeast: number;
  /** The HEIC's make, where the set's HEIC is known to carry one. */
  heicMake?: string;
}

/** Registers the ingest checks in the calling describe(); `set()` is read once beforeAll has run. */
export function ingestChecks(set: () => IngestedSet, limits: IngestLimits): void {
  it('catalogues every file, the broken ones included, and finishes all its work', () => {
    const { lib, files, first } = set();
    expect(first.files).toBe(files.length);
    expect(first.new).toBe(files.length);
    const stats = lib.stats();
    expect(stats.assets).toBe(files.length);
    expect(stats.byState.pending).toBe(0);
    // README and the dump are catalogued as "other", not skipped.
    expect(stats.byType.other).toBeGreaterThanOrEqual(2);
    expect(stats.byType.image).toBeGreaterThan(limits.imagesAbove);
  });

  it('gives every file a hash, and every decodable image a thumbnail with orientation applied', async () => {
    const { lib, files, root } = set();
    const all = lib.search('', { limit: 1000 }).items;
    expect(all.length).toBe(files.length);
    for (const a of all) {
      expect(a.contentHash, a.path).toMatch(/^[0-9a-f]{64}$/);
      if (a.type === 'image' && !a.error) expect(a.thumbnail, a.path).not.toBeNull();
    }
    // landscape_6.jpg is stored as portrait pixels with "rotate 90° CW": upright, it is landscape.
    const rotated = lib.findAsset(path.join(root, 'jpg/orientation/landscape_6.jpg'))!;
    const meta = await sharp(rotated.thumbnail!).metadata();
    expect(rotated.orientation).toBe(6);
    expect(rotated.height!).toBeGreaterThan(rotated.width!);
    expect(meta.width!).toBeGreaterThan(meta.height!);
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(512);
  });

  it('decodes the HEVC HEIC', () => {
    const { lib, root } = set();
    const heic = lib.findAsset(path.join(root, 'heic/IMG_5195.HEIC'))!;
    expect(heic.type).toBe('image');
    expect(heic.error).toBeNull();
    if (limits.heicMake !== undefined) expect(heic.make).toBe(limits.heicMake);
    expect(fs.existsSync(heic.thumbnail!)).toBe(true);
  });

  it('reads the same camera, date, orientation and GPS as exiftool', () => {
    const { lib, files } = set();
    const jpgs = files.filter(
      (f) => /\.jpe?g$/i.test(f) && !f.includes('invalid') && !f.includes(`${path.sep}tests${path.sep}`),
    );
    // Group-qualified names (-G1): the standard EXIF tags, not a maker note's private copy of them.
    const ref = exiftoolJson(['-G1', ...jpgs]);
    let compared = 0;
    for (const r of ref) {
      const a = lib.findAsset(String(r.SourceFile))!;
      expect(a, String(r.SourceFile)).toBeDefined();
      const make = r['IFD0:Make'];
      const model = r['IFD0:Model'];
      const orientation = r['IFD0:Orientation'];
      const dto = r['ExifIFD:DateTimeOriginal'];
      const lat = r['Composite:GPSLatitude'];
      const lon = r['Composite:GPSLongitude'];
      if (typeof make === 'string' && make.trim()) expect(a.make, a.path).toBe(make.trim());
      if (typeof model === 'string' && model.trim()) expect(a.model, a.path).toBe(model.trim());
      if (typeof orientation === 'number') expect(a.orientation, a.path).toBe(orientation);
      if (typeof dto === 'string' && /^\d{4}:\d\d:\d\d \d\d:\d\d:\d\d/.test(dto)) {
        const wall = dto.slice(0, 19).replace(/^(\d{4}):(\d\d):(\d\d) /, '$1-$2-$3T');
        expect(a.captureDate?.slice(0, 19), a.path).toBe(wall);
      }
      if (typeof lat === 'number' && typeof lon === 'number') {
        expect(a.gps, a.path).not.toBeNull();
        expect(a.gps!.lat).toBeCloseTo(lat, 5);
        expect(a.gps!.lon).toBeCloseTo(lon, 5);
      }
      compared++;
    }
    expect(compared).toBeGreaterThan(limits.comparedAbove);
  });

  it('records a readable error on files it could not read, instead of failing the scan', () => {
    const { lib } = set();
    const broken = lib.search('is:error', { limit: 1000 }).items;
    expect(broken.length).toBeGreaterThan(0);
    for (const a of broken) {
      expect(a.error).toMatch(/\S/);
      expect(a.error).not.toMatch(/\n\s+at /); // no stack traces
    }
  });

  it('rescans without reading unchanged files', async () => {
    const { lib, files } = set();
    const again = await lib.scan();
    expect(again).toMatchObject({
      files: files.length,
      new: 0,
      changed: 0,
      unchanged: files.length,
      missing: 0,
    });
  });

  it('searches what it catalogued', () => {
    const { lib } = set();
    const canon = lib.search('canon');
    expect(canon.total).toBeGreaterThanOrEqual(limits.canonAtLeast);
    for (const a of canon.items) expect(`${a.make} ${a.model} ${a.path}`.toLowerCase()).toContain('canon');
    const gps = lib.search('has:gps', { limit: 1000 });
    expect(gps.items.every((a) => a.gps !== null)).toBe(true);
    expect(gps.total).toBeGreaterThanOrEqual(limits.gpsAtLeast);
    const noTiff = lib.search('-ext:tiff -ext:tif type:image', { limit: 1000 });
    expect(noTiff.items.some((a) => a.format === 'tiff')).toBe(false);
    expect(lib.search('type:other', { limit: 100 }).items.map((a) => a.name)).toContain('dump');
  });
}
