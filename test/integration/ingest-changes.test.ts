import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cameraFile } from '../helpers/camera';
import { tempDir } from '../helpers/corpus';
import { freshLibrary } from '../helpers/library';

const BUS = cameraFile('jpg/Canon_40D.jpg');
const GPS = cameraFile('jpg/gps/DSCN0010.jpg');

describe('rescans, moves and odd files', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let root: string;

  beforeEach(() => {
    ctx = freshLibrary();
    root = tempDir('dam-root-');
  });
  afterEach(async () => {
    await ctx.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const put = (rel: string, from: string | Buffer) => {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    if (typeof from === 'string') fs.copyFileSync(from, p);
    else fs.writeFileSync(p, from);
    return p;
  };

  it('runs overlapping scans of one root one after the other: every file once, both answers whole', async () => {
    for (let i = 0; i < 40; i++) put(`f${i}.txt`, Buffer.from(`file ${i}`));
    put('a.jpg', BUS);
    ctx.lib.addRoot(root);
    const [first, second] = await Promise.all([ctx.lib.scan(), ctx.lib.scan()]);
    expect(first).toMatchObject({ files: 41, new: 41 });
    // The second waited for the first, then found everything already catalogued.
    expect(second).toMatchObject({ files: 41, new: 0, unchanged: 41 });
    expect(ctx.lib.stats().files).toBe(41);
    const dupes = ctx.lib.db
      .prepare(`SELECT count(*) FROM files GROUP BY root_id, rel_path HAVING count(*) > 1`)
      .all();
    expect(dupes).toEqual([]);
  });

  it('skips hidden files, OS junk and sidecars; catalogues unknown types as other', async () => {
    put('a.jpg', BUS);
    put('a.xmp', Buffer.from('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>'));
    put('a.jpg.xmp', Buffer.from('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>'));
    put('.hidden.jpg', BUS);
    put('.cache/b.jpg', BUS);
    put('.DS_Store', Buffer.from('junk'));
    put('Thumbs.db', Buffer.from('junk'));
    put('desktop.ini', Buffer.from('[junk]'));
    put('notes/brief.xyz', Buffer.from('a brief'));
    ctx.lib.addRoot(root);
    const s = await ctx.lib.scan();
    expect(s.files).toBe(2);
    const other = ctx.lib.findAsset(path.join(root, 'notes/brief.xyz'))!;
    expect(other.type).toBe('other');
    expect(other.error).toBeNull();
  });

  it('handles empty, truncated, mislabelled and oddly named files without losing any', async () => {
    put('zero.jpg', Buffer.alloc(0));
    put('truncated.jpg', fs.readFileSync(BUS).subarray(0, 4000));
    put(
      'really-a-png.jpg',
      await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } })
        .png()
        .toBuffer(),
    );
    const nfc = 'caf\u00e9.jpg';
    const nfd = 'cafe\u0301.jpg';
    put(nfc, BUS);
    put(nfd, GPS);
    put('with space  and\nnewline.jpg', BUS);
    put('日本語/写真 1.jpg', GPS);
    ctx.lib.addRoot(root);
    const s = await ctx.lib.scan();
    expect(s.files).toBe(7);
    expect(ctx.lib.stats().assets).toBe(7);

    const zero = ctx.lib.findAsset(path.join(root, 'zero.jpg'))!;
    expect(zero.error).toMatch(/empty/);
    const trunc = ctx.lib.findAsset(path.join(root, 'truncated.jpg'))!;
    expect(trunc.state).toBe('present');
    expect(trunc.error ?? trunc.thumbnail).toBeTruthy();
    const png = ctx.lib.findAsset(path.join(root, 'really-a-png.jpg'))!;
    expect(png.format).toBe('png');
    expect(png.thumbnail).not.toBeNull();
    expect(png.error).toMatch(/png/);

    // Both normalisation forms are distinct files on Linux, and both are found by either spelling.
    expect(ctx.lib.findAsset(path.join(root, nfc))!.make).toBe('Canon');
    expect(ctx.lib.findAsset(path.join(root, nfd))!.make).toBe('NIKON');
    expect(ctx.lib.search('café').total).toBe(2);
    expect(ctx.lib.search('cafe\u0301').total).toBe(2);
    expect(ctx.lib.findAsset(path.join(root, 'with space  and\nnewline.jpg'))!.make).toBe('Canon');
    expect(ctx.lib.search('写真').total).toBe(1);
  });

  it('marks a deleted file missing (recoverable), and present again when it returns', async () => {
    const p = put('keep/a.jpg', BUS);
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    const id = ctx.lib.findAsset(p)!.id;
    const saved = fs.readFileSync(p);
    fs.rmSync(p);
    const s = await ctx.lib.scan();
    expect(s.missing).toBe(1);
    expect(ctx.lib.asset(id)!.state).toBe('missing');
    expect(ctx.lib.search('is:missing').items.map((a) => a.id)).toEqual([id]);
    fs.writeFileSync(p, saved);
    await ctx.lib.scan();
    expect(ctx.lib.asset(id)!.state).toBe('present');
  });

  it('re-reads a changed file and keeps its asset', async () => {
    const p = put('a.jpg', BUS);
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    const before = ctx.lib.findAsset(p)!;
    fs.copyFileSync(GPS, p);
    const s = await ctx.lib.scan();
    expect(s).toMatchObject({ changed: 1, new: 0 });
    const after = ctx.lib.findAsset(p)!;
    expect(after.id).toBe(before.id);
    expect(after.make).toBe('NIKON');
    expect(after.contentHash).not.toBe(before.contentHash);
  });

  it('keeps the asset through a rename (same inode) and through a copy-then-delete move (same content)', async () => {
    const a = put('a.jpg', BUS);
    const b = put('b.jpg', GPS);
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    const idA = ctx.lib.findAsset(a)!.id;
    const idB = ctx.lib.findAsset(b)!.id;

    fs.mkdirSync(path.join(root, 'sorted'));
    fs.renameSync(a, path.join(root, 'sorted', 'bus.jpg'));
    // A move across devices is a copy and a delete: new inode, same bytes.
    fs.copyFileSync(b, path.join(root, 'sorted', 'map.jpg'));
    fs.rmSync(b);
    const s = await ctx.lib.scan();
    expect(s.missing).toBe(0);
    expect(ctx.lib.stats().assets).toBe(2);
    expect(ctx.lib.findAsset(path.join(root, 'sorted', 'bus.jpg'))!.id).toBe(idA);
    expect(ctx.lib.findAsset(path.join(root, 'sorted', 'map.jpg'))!.id).toBe(idB);
  });

  it('hashes a file larger than the in-memory limit by streaming it, and matches sha256sum', async () => {
    const big = path.join(root, 'huge.bin');
    const fd = fs.openSync(big, 'w');
    // Sparse, so the test costs no disk: 300 MB, above the 64 MB read-whole limit.
    fs.writeSync(fd, Buffer.from('start'), 0, 5, 0);
    fs.writeSync(fd, Buffer.from('end'), 0, 3, 300 * 1024 * 1024);
    fs.closeSync(fd);
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    const a = ctx.lib.findAsset(big)!;
    const expected = execFileSync('sha256sum', [big]).toString().split(' ')[0];
    expect(a.contentHash).toBe(expected);
    expect(a.type).toBe('other');
  });

  it('survives a symlink loop and does not follow links out of the root', async () => {
    put('a.jpg', BUS);
    fs.symlinkSync(root, path.join(root, 'loop'));
    fs.symlinkSync('/etc', path.join(root, 'etc-link'));
    ctx.lib.addRoot(root);
    const s = await ctx.lib.scan();
    expect(s.files).toBe(1);
  });

  it('refuses a root that does not exist, or one inside another root, with a clear message', () => {
    expect(() => ctx.lib.addRoot(path.join(root, 'no', 'such'))).toThrow(/folder not found/);
    fs.mkdirSync(path.join(root, 'sub'));
    ctx.lib.addRoot(root);
    expect(() => ctx.lib.addRoot(path.join(root, 'sub'))).toThrow(/inside the root/);
    expect(() => ctx.lib.addRoot(root)).toThrow(/already catalogued/);
  });
});
