// File names that are not UTF-8 (Latin-1 bytes from an old camera card or a Windows share), made
// for real on disk with Buffer paths: each is reported by its escaped name, never skipped silently.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escapeName } from '../../electron/core/ingest/raw-names';
import { quadrantJpeg } from '../fixtures/make-fixtures';
import { tempDir } from '../helpers/corpus';
import { freshLibrary, waitFor } from '../helpers/library';

const latin1 = (s: string) => Buffer.from(s, 'latin1');
const under = (dir: string, ...names: Buffer[]) =>
  Buffer.concat([Buffer.from(dir), ...names.flatMap((n) => [Buffer.from('/'), n])]);

describe('file names that are not UTF-8', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let root: string;

  beforeEach(() => {
    ctx = freshLibrary();
    root = tempDir('dam-rawnames-');
  });
  afterEach(async () => {
    await ctx.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('escapes names readably and unambiguously', () => {
    expect(escapeName(latin1('caf\xe9.jpg'))).toBe('caf\\xe9.jpg');
    expect(escapeName(Buffer.from('Café 東京.jpg'))).toBe('Café 東京.jpg');
    expect(escapeName(Buffer.concat([Buffer.from('a\\b'), Buffer.from([0xff])]))).toBe('a\\\\b\\xff');
  });

  it('lists each undecodable file and folder by name as a scan error', async () => {
    const jpg = await quadrantJpeg(32, 24);
    fs.writeFileSync(path.join(root, 'plain.jpg'), jpg);
    fs.writeFileSync(under(root, latin1('caf\xe9.jpg')), jpg);
    fs.mkdirSync(under(root, latin1('d\xe9p\xf4t')));
    fs.writeFileSync(under(root, latin1('d\xe9p\xf4t'), Buffer.from('inside.jpg')), jpg);
    // A valid name that happens to contain U+FFFD is an ordinary file.
    fs.writeFileSync(path.join(root, 'odd\uFFFD.jpg'), jpg);
    ctx.lib.addRoot(root);
    const summary = await ctx.lib.scan();
    expect(summary.files).toBe(2);
    expect(summary.errors).toBe(2);
    const problems = summary.problems.join('\n');
    expect(problems).toContain(path.join(root, 'caf\\xe9.jpg') + ': file name is not valid UTF-8');
    expect(problems).toContain(path.join(root, 'd\\xe9p\\xf4t') + ': folder name is not valid UTF-8');
    expect(problems).not.toContain('file not found');
  });

  it('reports a new undecodable file or folder by name under watch, once each, as the scan does', async () => {
    const jpg = await quadrantJpeg(32, 24);
    // One there before watching: the catch-up scan finds it, and says so.
    fs.writeFileSync(under(root, latin1('\xe0vant.jpg')), jpg);
    ctx.lib.addRoot(root);
    const warnings: string[] = [];
    ctx.lib.events.on('warning', (w) => warnings.push(w.message));
    await ctx.lib.startWatching();
    const before = path.join(root, '\\xe0vant.jpg') + ': file name is not valid UTF-8';
    expect(warnings.join('\n')).toContain(before);

    fs.mkdirSync(path.join(root, 'sub'));
    fs.writeFileSync(under(root, Buffer.from('sub'), latin1('caf\xe9.jpg')), jpg);
    fs.mkdirSync(under(root, latin1('d\xe9p\xf4t')));
    fs.writeFileSync(path.join(root, 'sub', 'plain.jpg'), jpg);
    const file = path.join(root, 'sub', 'caf\\xe9.jpg') + ': file name is not valid UTF-8';
    const folder = path.join(root, 'd\\xe9p\\xf4t') + ': folder name is not valid UTF-8';
    await waitFor(
      () => {
        const all = warnings.join('\n');
        return all.includes(file) && all.includes(folder);
      },
      30_000,
      'warnings naming the new undecodable file and folder',
    );
    // The plain file beside it is catalogued as ever.
    await waitFor(() => ctx.lib.findAsset(path.join(root, 'sub', 'plain.jpg')), 30_000, 'plain.jpg');
    // Once each, however many events the folder sees.
    fs.writeFileSync(path.join(root, 'sub', 'plain2.jpg'), jpg);
    await waitFor(() => ctx.lib.findAsset(path.join(root, 'sub', 'plain2.jpg')), 30_000, 'plain2.jpg');
    for (const w of [before, file, folder])
      expect(
        warnings.filter((m) => m.startsWith(w)),
        w,
      ).toHaveLength(1);
  });
});
