import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFields } from '../../electron/core/governance/field-store';
import { setFields } from '../../electron/core/governance/set-fields';
import { quadrantJpeg } from '../fixtures/make-fixtures';
import { tempDir } from '../helpers/corpus';
import { freshLibrary } from '../helpers/library';

// Sidecar I/O is the business of 'sidecar' jobs: the edit is committed first, and a sidecar that
// cannot be written costs nothing but a held job, done at the next scan.
describe('sidecar writes as jobs', () => {
  let root: string;
  let ctx: ReturnType<typeof freshLibrary>;
  beforeEach(async () => {
    root = tempDir('dam-sidecar-jobs-');
    fs.writeFileSync(path.join(root, 'bus.jpg'), await quadrantJpeg(64, 48));
    ctx = freshLibrary();
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
  });
  afterEach(async () => {
    await ctx.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('keeps the edit when its sidecar cannot be written, and writes it once the way is clear', async () => {
    const { lib } = ctx;
    const id = lib.findAsset(path.join(root, 'bus.jpg'))!.id;
    // Where the sidecar goes there is a folder: neither readable nor writable as a file.
    const sidecar = path.join(root, 'bus.xmp');
    fs.mkdirSync(sidecar);
    const warnings: string[] = [];
    lib.events.on('warning', (w) => warnings.push(w.message));
    const { changed } = await setFields(lib, id, { credit: 'North Studio', keywordsAdd: ['bus'] });
    expect(changed.sort()).toEqual(['credit', 'keywords']);
    expect(readFields(lib.db, id)).toMatchObject({ credit: 'North Studio', keywords: ['bus'] });
    expect(warnings.join('\n')).toMatch(/bus\.xmp/);
    expect(
      lib.db.prepare(`SELECT state, last_error FROM jobs WHERE kind = 'sidecar' AND subject = ?`).get(id),
    ).toMatchObject({
      state: 'held',
      last_error: expect.stringMatching(/EISDIR|directory|not a regular file/),
    });
    // Held work does not keep a scan waiting.
    await lib.scan();
    fs.rmdirSync(sidecar);
    await lib.scan();
    expect(fs.readFileSync(sidecar, 'utf8')).toContain('North Studio');
    expect(lib.db.prepare(`SELECT count(*) FROM jobs`).pluck().get()).toBe(0);
  });

  it('writes what a closed catalogue still owed when it is opened again', async () => {
    const { lib, dir } = ctx;
    const id = lib.findAsset(path.join(root, 'bus.jpg'))!.id;
    // The state a crash between the edit's commit and the sidecar write leaves: the job owed.
    await setFields(lib, id, { credit: 'North Studio' });
    fs.rmSync(path.join(root, 'bus.xmp'));
    lib.db
      .prepare(`INSERT INTO jobs (kind, subject_type, subject, created_at) VALUES ('sidecar', 'asset', ?, 0)`)
      .run(id);
    await lib.close();
    const { Library } = await import('../../electron/core/library');
    const again = Library.open(dir, { workers: 1 });
    try {
      await again.scan();
      expect(fs.readFileSync(path.join(root, 'bus.xmp'), 'utf8')).toContain('North Studio');
    } finally {
      await again.close();
    }
  });
});
