import fs from 'node:fs';
import path from 'node:path';

/**
 * Bundled workers sit beside the bundled core (dist/, or dist/electron/'s parent for the app);
 * under the test runner the core runs from source. Inside a packaged app they are unpacked from
 * the asar archive, which a worker thread cannot read.
 */
export function workerFile(name: string): string {
  const candidates = [
    path.join(__dirname, name),
    path.join(__dirname, '..', name),
    path.resolve(__dirname, '..', '..', '..', 'dist', name),
  ].map((p) => p.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`));
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found)
    throw new Error(`worker ${name} not built (looked in ${candidates.join(', ')}); run npm run build`);
  return found;
}
