import { describe, expect, it } from 'vitest';
import { compareTuples, finality, parseVersionName } from '../../shared/version-names';
import { hamming } from '../../electron/core/ingest/thumbnails/dhash';
import { dhashBands } from '../../electron/core/catalog/pixel-bands';
import { defaultCurrent } from '../../electron/core/versions/stack-edit';

describe('version names', () => {
  it.each([
    ['photo.jpg', 'photo', false, false, 0],
    ['photo_v2.jpg', 'photo', true, false, 2],
    ['photo-v3.tif', 'photo', true, false, 3],
    ['Photo V12.JPG', 'photo', true, false, 12],
    ['photo_final.jpg', 'photo', true, true, 0],
    ['photo-FINAL.psd', 'photo', true, true, 0],
    ['photo_FINAL_v3.jpg', 'photo', true, true, 3],
    ['photo_v3_final.jpg', 'photo', true, true, 3],
    ['photo (1).jpg', 'photo', true, false, 1],
    ['photo(2).jpg', 'photo', true, false, 2],
    ['photo copy.jpg', 'photo', true, false, 1],
    ['photo copy 2.jpg', 'photo', true, false, 2],
    ['photo_edit.jpg', 'photo', true, false, 1],
    ['DSC_0042-Edit.jpg', 'dsc_0042', true, false, 1],
    ['photo_v2 copy (1).jpg', 'photo', true, false, 2],
    ['photo_edited_v4.jpg', 'photo', true, false, 4],
  ])('%s → base %s', (name, base, marked, final, version) => {
    expect(parseVersionName(name)).toMatchObject({ base, marked, final, version });
  });

  it('leaves names alone whose ending only looks like a mark', () => {
    // No separator before v2 / final: part of the word.
    expect(parseVersionName('nov2.jpg')).toMatchObject({ base: 'nov2', marked: false });
    expect(parseVersionName('semifinal.jpg')).toMatchObject({ base: 'semifinal', marked: false });
    expect(parseVersionName('IMG_0001.CR2')).toMatchObject({ base: 'img_0001', ext: 'cr2', marked: false });
    // A mark alone is the whole name, not a mark.
    expect(parseVersionName('copy.jpg')).toMatchObject({ base: 'copy', marked: false });
    expect(parseVersionName('_final.jpg')).toMatchObject({ base: '_final', marked: false });
    expect(parseVersionName('trip 2008.jpg')).toMatchObject({ base: 'trip 2008', marked: false });
  });

  it('ranks _final above numbers, numbers above none, a JPEG above its RAW, then the newest', () => {
    const rank = (names: string[]) => defaultCurrent(names.map((name, i) => ({ asset_id: i + 1, name })));
    expect(rank(['photo.jpg', 'photo_v3.jpg', 'photo_v2.jpg'])).toBe(2);
    expect(rank(['photo_v9.jpg', 'photo_final.jpg', 'photo_v2.jpg'])).toBe(2);
    expect(rank(['IMG_1.JPG', 'IMG_1.CR2'])).toBe(1);
    expect(rank(['IMG_1.CR2', 'IMG_1.JPG'])).toBe(2);
    expect(rank(['a.jpg', 'b.jpg', 'c.jpg'])).toBe(3);
    expect(compareTuples(finality('x_v2.jpg', 1), finality('x_v10.jpg', 0))).toBeLessThan(0);
  });
});

describe('perceptual hash helpers', () => {
  it('counts differing bits and slices 64 bits into five bands', () => {
    expect(hamming(0n, 0n)).toBe(0);
    expect(hamming(0n, -1n)).toBe(64);
    expect(hamming(0b1011n, 0b0001n)).toBe(2);
    const bands = dhashBands(-1n);
    expect(bands).toEqual([8191, 8191, 8191, 8191, 4095]);
    // Two hashes 4 bits apart always share at least one band exactly.
    const a = 0x0123456789abcdefn;
    const b = a ^ (1n | (1n << 14n) | (1n << 27n) | (1n << 40n));
    expect(hamming(a, b)).toBe(4);
    const shared = dhashBands(a).filter((x, i) => x === dhashBands(b)[i]);
    expect(shared.length).toBeGreaterThanOrEqual(1);
  });
});
