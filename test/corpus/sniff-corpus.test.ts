import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../../electron/core/formats/sniff';
import { CORPUS, corpusFile } from '../helpers/corpus';
import { filesUnder, head } from '../helpers/files';

// The real camera corpus (DAM_CORPUS); test/unit/sniff.test.ts checks the same on generated files.

describe('sniffFormat on the camera corpus', () => {
  it('recognises every well-formed corpus JPEG, TIFF and HEIC by content', () => {
    const jpegs = filesUnder(CORPUS, 'jpg', /\.jpe?g$/i).filter((f) => !/invalid|corrupted/.test(f));
    expect(jpegs.length).toBeGreaterThan(50);
    for (const f of jpegs) expect([f, sniffFormat(head(f))]).toEqual([f, 'jpeg']);
    const tiffs = filesUnder(CORPUS, 'tiff', /\.tiff?$/i);
    expect(tiffs.length).toBeGreaterThan(3);
    for (const f of tiffs) expect([f, sniffFormat(head(f))]).toEqual([f, 'tiff']);
    const heics = filesUnder(CORPUS, 'heic', /\.(heic|heif)$/i);
    expect(heics.length).toBe(5);
    for (const f of heics) expect([f, sniffFormat(head(f))]).toEqual([f, 'heic']);
  });

  it('needs only the first 64 bytes for binary formats', () => {
    expect(sniffFormat(head(corpusFile('jpg/Canon_40D.jpg'), 64))).toBe('jpeg');
    expect(sniffFormat(head(corpusFile('heic/mobile/iphone_13_pro_max.HEIC'), 64))).toBe('heic');
    expect(sniffFormat(head(corpusFile('tiff/BSG1.tiff'), 64))).toBe('tiff');
  });
});
