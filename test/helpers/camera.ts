import fs from 'node:fs';
import path from 'node:path';
import { cameraFilesDir } from '../fixtures/camera-files-dir';

/**
 * A generated camera-like file (test/fixtures/camera-files.ts), by the corpus path it stands in
 * for, e.g. `jpg/Canon_40D.jpg`. Read-only: copy it before changing it.
 */
export function cameraFile(rel: string): string {
  const file = path.join(cameraFilesDir(), rel);
  if (!fs.existsSync(file))
    throw new Error(
      `no generated camera file ${rel} (made by the vitest global setup camera-files-setup.ts)`,
    );
  return file;
}
