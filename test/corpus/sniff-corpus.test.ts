import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../../electron/core/formats/sniff';
import { CORPUS, corpusFile } from '../helpers/corpus';

// The real camera corpus (DAM_CORPUS); test/unit/sniff.test.ts checks the same on generated files.

function head(file: string, n = 4096): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(n);
    const read = fs.readSync(fd, b, 0, n, 0);
    return b.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

function filesUnder(dir: string, ext: RegExp): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => ext.test(f))
    .map((f) => path.join(dir, f));
}

describe('sniffFormat on the camera corpus', () => {
  it('recognises every well-formed corpus JPEG, TIFF and HEIC by content', () => {
    const jpegs = filesUnder(path.join(CORPUS, 'jpg'), /\.jpe?g$/i).filter(
      (f) => !/invalid|corrupted/.test(f),
    );
    expect(jpegs.length).toBeGreaterThan(50);
    for (const f of jpegs) expect([f, sniffFormat(head(f))]).toEqual([f, 'jpeg']);
    const tiffs = filesUnder(path.join(CORPUS, 'tiff'), /\.tiff?$/i);
    expect(tiffs.length).toBeGreaterThan(3);
    for (const f of tiffs) expect([f, sniffFormat(head(f))]).toEqual([f, 'tiff']);
    const heics = filesUnder(path.join(CORPUS, 'heic'), /\.(heic|heif)$/i);
    expect(heics.length).toBe(5);
    for (const f of heics) expect([f, sniffFormat(head(f))]).toEqual([f, 'heic']);
  });

  it('needs only the first 64 bytes for binary formats', () => {
    expect(sniffFormat(head(corpusFile('jpg/Canon_40D.jpg'), 64))).toBe('jpeg');
    expect(sniffFormat(head(corpusFile('heic/mobile/iphone_13_pro_max.HEIC'), 64))).toBe('heic');
    expect(sniffFormat(head(corpusFile('tiff/BSG1.tiff'), 64))).toBe('tiff');
  });
});
