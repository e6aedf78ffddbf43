import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { quadrantJpeg } from '../fixtures/make-fixtures';
import { tempDir } from '../helpers/corpus';
import { freshLibrary, waitFor } from '../helpers/library';

// Watching starts with a catch-up scan and chokidar's initial crawl. A change made between the two
// must not fall through: the crawl does not report what it finds (ignoreInitial), so the scan has to
// come after the watcher is ready.
describe('watching from start-up', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let root: string;
  beforeEach(() => {
    ctx = freshLibrary();
    root = tempDir('dam-watch-start-');
  });
  afterEach(async () => {
    await ctx.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('catalogues a file that appears the moment the catch-up scan ends', async () => {
    const jpg = await quadrantJpeg(64, 48);
    for (let i = 0; i < 20; i++) {
      fs.mkdirSync(path.join(root, `d${i}`));
      fs.writeFileSync(path.join(root, `d${i}`, 'old.jpg'), Buffer.concat([jpg, Buffer.from(`#${i}`)]));
    }
    const { lib } = ctx;
    lib.addRoot(root);
    const late = path.join(root, 'd19', 'late.jpg');
    let made = false;
    lib.events.on('scan-progress', (p) => {
      if (p.phase !== 'done' || made) return;
      made = true;
      fs.writeFileSync(late, Buffer.concat([jpg, Buffer.from('#late')]));
    });
    await lib.startWatching();
    expect(made).toBe(true);
    const found = await waitFor(() => lib.findAsset(late)?.contentHash, 20_000, 'the late file catalogued');
    expect(found).toMatch(/^[0-9a-f]{64}$/);
    await waitFor(
      () => lib.findAsset(path.join(root, 'd0', 'old.jpg'))?.contentHash,
      20_000,
      'the old files',
    );
    expect(lib.stats().files).toBe(21);
  });
});
