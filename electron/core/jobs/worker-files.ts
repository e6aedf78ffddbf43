import fs from 'node:fs';
import path from 'node:path';

/** Bundled workers sit beside the bundled core; under the test runner the core runs from source. */
export function workerFile(name: string): string {
  const candidates = [path.join(__dirname, name), path.resolve(__dirname, '..', '..', '..', 'dist', name)];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found)
    throw new Error(`worker ${name} not built (looked in ${candidates.join(', ')}); run npm run build`);
  return found;
}
