import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';

/** The shared corpus of real camera files, beside the project (never copied into it). */
export const CORPUS = path.resolve(__dirname, '..', '..', '..', 'shared', 'corpus', 'exif-samples');

export function corpusFile(rel: string): string {
  return path.join(CORPUS, rel);
}

/** A fresh temporary folder, removed by the caller's cleanup. */
export function tempDir(prefix = 'dam-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
