import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Library } from '../../electron/core/library';
import { cameraFilesDir } from '../fixtures/camera-files-dir';
import { tempDir } from '../helpers/corpus';
import { cameraFile } from '../helpers/camera';
import { ingestChecks } from '../helpers/ingest-checks';
import { freshLibrary, listFiles } from '../helpers/library';

// The generated camera-like files (test/fixtures/camera-files.ts) with a few broken ones and a
// text file, catalogued as a root: what test/corpus/ingest-corpus.test.ts checks on the real
// camera corpus, on files made here, with the same checks (test/helpers/ingest-checks.ts).
describe('ingest of camera-like files', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let lib: Library;
  let first: Awaited<ReturnType<Library['scan']>>;
  const ROOT = tempDir('dam-ingest-camera-');
  fs.cpSync(cameraFilesDir(), ROOT, { recursive: true });
  fs.mkdirSync(path.join(ROOT, 'jpg', 'invalid'));
  fs.writeFileSync(path.join(ROOT, 'jpg', 'invalid', 'not-a-jpeg.jpg'), 'text, whatever the name says\n');
  const canon = fs.readFileSync(cameraFile('jpg/Canon_40D.jpg'));
  fs.writeFileSync(path.join(ROOT, 'jpg', 'invalid', 'header-only.jpg'), canon.subarray(0, 3000));
  fs.writeFileSync(path.join(ROOT, 'README.txt'), 'camera-like files made for the tests\n');
  fs.writeFileSync(path.join(ROOT, 'dump'), 'no extension\n');
  const files = listFiles(ROOT);

  beforeAll(async () => {
    ctx = freshLibrary();
    lib = ctx.lib;
    lib.addRoot(ROOT, { name: 'camera-like' });
    first = await lib.scan();
  });
  afterAll(async () => {
    await ctx.dispose();
    fs.rmSync(ROOT, { recursive: true, force: true });
  });

  ingestChecks(() => ({ lib, files, root: ROOT, first }), {
    imagesAbove: 25,
    comparedAbove: 25,
    canonAtLeast: 3,
    gpsAtLeast: 3,
    heicMake: 'Apple',
  });
});
