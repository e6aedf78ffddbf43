import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS, corpusFile } from '../helpers/corpus';
import {
  CANON_40D,
  expectReadOrCleanError,
  metadataAgainstExiftool,
  metaOf,
} from '../helpers/metadata-checks';
import { dumpKey, etDate, parseDump, read } from '../helpers/metadata-oracle';

// readMetadata over the real camera corpus (DAM_CORPUS), against exiftool and the EXIF.py dump;
// test/unit/metadata.test.ts checks the same on generated camera-like files (test/helpers/metadata-checks.ts).

function listCorpus(dir = CORPUS): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listCorpus(p));
    else if (e.isFile() && !/^README/.test(e.name) && !(dir === CORPUS && e.name === 'dump')) out.push(p);
  }
  return out.sort();
}

const files = listCorpus();

describe('readMetadata against exiftool, over the whole corpus', () => {
  const ours = metadataAgainstExiftool(files, {
    root: CORPUS,
    minFiles: 100,
    everyFileInExiftool: false,
    // Keep this short; each entry needs a reason.
    allowed: new Map<string, string>([]),
  });

  it('spot checks: the values a person would look for', () => {
    const m = (rel: string) => metaOf(ours, corpusFile(rel));
    expect(m('jpg/Canon_40D.jpg')).toMatchObject(CANON_40D);
    expect(m('heic/mobile/HMD_Nokia_8.3_5G_hdr.heif').captureDate).toBe('2022-01-12T07:30:14.364');
    expect(m('heic/IMG_5195.HEIC')).toMatchObject({
      captureDate: '2021-04-11T15:47:53.054-05:00',
      tzOffsetMin: -300,
    });
    expect(m('heic/IMG_5195.HEIC').captureTs).toBe(Date.UTC(2021, 3, 11, 20, 47, 53, 54));
    expect(m('jpg/WWL_(Polaroid)_ION230.jpg').model).toBe('ION230'); // stored as "ION230\0F"
    expect(m('jpg/Kodak_CX7530.jpg').gps!.lat).toBeLessThan(0); // ref S
    expect(m('jpg/gps/DSCN0010.jpg').gps).toMatchObject({
      lat: expect.closeTo(43.4674483, 6),
      lon: expect.closeTo(11.8851267, 6),
    });
    expect(m('heic/mobile/HMD_Nokia_8.3_5G.heif').gps!.lon).toBeLessThan(0); // ref W
    expect(m('jpg/exif-org/olympus-c960.jpg').description).toBeNull(); // "OLYMPUS DIGITAL CAMERA"
    expect(m('jpg/Samsung_Digimax_i50_MP3.jpg').description).toBeNull(); // the model name again
    expect(m('jpg/hdr/canon_hdr_NO.jpg').description).toBeNull(); // whitespace only
    expect(m('jpg/xmp/BlueSquare.jpg').keywords).toEqual([
      'XMP',
      'Blue Square',
      'test file',
      'Photoshop',
      '.jpg',
    ]);
    expect(m('jpg/long_description.jpg').description).toMatch(/^Operation Mountain Viper .* \(Released\)$/);
    expect(m('jpg/orientation/portrait_6.jpg').orientation).toBe(6);
    expect(m('tiff/DudleyLeavittUtah.tiff')).toMatchObject({
      creator: 'Russell Leavitt',
      width: 196,
      height: 257,
    });
    expect(m('jpg/tests/87_OSError.jpg').lens).toBe('18.0-70.0 mm f/3.5-4.5');
  });
});

describe('readMetadata against the EXIF.py dump', () => {
  it('matches make, model and DateTimeOriginal for every file the dump covers', async () => {
    const dump = parseDump(fs.readFileSync(path.join(CORPUS, 'dump'), 'utf8'));
    const mismatches: string[] = [];
    const notInDump: string[] = [];
    const used = new Set<string>();
    for (const f of files) {
      const rel = path.relative(CORPUS, f).split(path.sep).join('/');
      const key = dumpKey(rel, dump);
      if (!key) {
        notInDump.push(rel);
        continue;
      }
      used.add(key);
      const entry = dump.get(key)!;
      const m = await read(f);
      const want = (tag: string) => entry.tags.get(tag)?.trim() || null;
      if (m.make !== want('Image Make')) mismatches.push(`${rel}: make ${m.make} vs ${want('Image Make')}`);
      if (m.model !== want('Image Model'))
        mismatches.push(`${rel}: model ${m.model} vs ${want('Image Model')}`);
      const dto = etDate(want('EXIF DateTimeOriginal'));
      if (dto && m.captureDate?.slice(0, 19) !== dto.wall)
        mismatches.push(`${rel}: date ${m.captureDate} vs ${dto.wall}`);
      if (entry.noExif && (m.make || m.model))
        mismatches.push(`${rel}: the dump found no EXIF, we read make/model`);
    }
    expect(mismatches).toEqual([]);
    // The dump predates this copy of the corpus: two files are newer, three it lists are gone
    // (HMD_Nokia_8.3_5G_hdr.jpg, 46_UnicodeEncodeError.jpg, Crémieux11.tiff).
    expect(notInDump.sort()).toEqual(['heic/IMG_5195.HEIC', 'jpg/tests/32-lens_data.jpeg']);
    expect(dump.size - used.size).toBe(3);
  });
});

describe("the corpus's broken files", () => {
  it('never hangs and never crashes: every call gives a result or an Error with a message', async () => {
    const broken = [
      ...files.filter((f) => /[/\\]jpg[/\\](invalid|tests)[/\\]/.test(f)),
      corpusFile('jpg/corrupted.jpg'),
    ];
    expect(broken.length).toBeGreaterThan(10);
    await expectReadOrCleanError(broken);
  });
});
