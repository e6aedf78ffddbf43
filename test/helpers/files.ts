// Small file readers shared by the unit tests (generated files) and the corpus suite.
import fs from 'node:fs';
import path from 'node:path';

/** Every file below `root/sub` whose name matches `ext` (JPEG and TIFF unless told). */
export function filesUnder(root: string, sub: string, ext = /\.(jpe?g|tiff?)$/i): string[] {
  const dir = path.join(root, sub);
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => ext.test(f))
    .map((f) => path.join(dir, f));
}

/** The first `n` bytes of a file (fewer if it is shorter): what sniffing gets to see. */
export function head(file: string, n = 4096): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(n);
    const read = fs.readSync(fd, b, 0, n, 0);
    return b.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}
