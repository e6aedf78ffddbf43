import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';

/**
 * The real camera corpus, for the corpus suite only (test/corpus/, `npm run test:corpus`):
 * DAM_CORPUS names its folder (the one holding exif-samples/, or exif-samples itself). The default
 * suite uses generated files instead (helpers/camera.ts).
 */
export function corpusRoot(): string | null {
  const dir = process.env.DAM_CORPUS;
  if (!dir) return null;
  const samples = path.join(dir, 'exif-samples');
  return fs.existsSync(samples) ? path.resolve(samples) : path.resolve(dir);
}

export const CORPUS = corpusRoot() ?? '/DAM_CORPUS-not-set';

export function corpusFile(rel: string): string {
  return path.join(CORPUS, rel);
}

/** A fresh temporary folder, removed by the caller's cleanup. */
export function tempDir(prefix = 'dam-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
