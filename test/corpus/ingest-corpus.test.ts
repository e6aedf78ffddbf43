import { afterAll, beforeAll, describe } from 'vitest';
import type { Library } from '../../electron/core/library';
import { CORPUS } from '../helpers/corpus';
import { ingestChecks } from '../helpers/ingest-checks';
import { freshLibrary, listFiles } from '../helpers/library';

// The real camera corpus, catalogued in place (read-only): every file, including the broken ones.
// The checks are the ones the default suite runs on generated files (test/helpers/ingest-checks.ts).
describe('ingest of the camera corpus', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let lib: Library;
  let first: Awaited<ReturnType<Library['scan']>>;
  const files = listFiles(CORPUS);

  beforeAll(async () => {
    ctx = freshLibrary();
    lib = ctx.lib;
    lib.addRoot(CORPUS, { name: 'corpus' });
    first = await lib.scan();
  });
  afterAll(() => ctx.dispose());

  ingestChecks(() => ({ lib, files, root: CORPUS, first }), {
    imagesAbove: 80,
    comparedAbove: 50,
    canonAtLeast: 4, // more than 3
    gpsAtLeast: 5,
  });
});
