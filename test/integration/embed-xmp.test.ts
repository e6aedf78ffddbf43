import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Asset } from '../../shared/model';
import { setFields, transition } from '../../electron/core/governance/set-fields';
import { readSettings, writeSettings } from '../../electron/core/governance/settings';
import { cameraFile } from '../helpers/camera';
import { tempDir } from '../helpers/corpus';
import { freshLibrary } from '../helpers/library';
import { makeTiffRaw } from '../fixtures/make-fixtures';

const JPG = cameraFile('jpg/Canon_40D.jpg');
const TIFF_BE = cameraFile('tiff/Arbitro.tiff');
const TIFF_LE = cameraFile('tiff/Picoawards.tiff');

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const pixels = async (file: string) => (await sharp(file).raw().toBuffer()).toString('base64');

/** exiftool's reading of the file itself, by group-qualified tag name. */
function exiftool(file: string): Record<string, unknown> {
  const out = execFileSync('exiftool', ['-j', '-G1', '-struct', file]).toString();
  return (JSON.parse(out) as Record<string, unknown>[])[0]!;
}

describe('writing XMP into originals (an option, off by default)', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let root: string;
  let warnings: string[];

  beforeEach(() => {
    ctx = freshLibrary();
    root = tempDir('dam-embed-');
    warnings = [];
    ctx.lib.events.on('warning', (w) => warnings.push(w.message));
  });
  afterEach(async () => {
    await ctx.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function catalogue(...names: [string, string | Buffer][]): Promise<Asset[]> {
    for (const [name, src] of names) {
      if (typeof src === 'string') fs.copyFileSync(src, path.join(root, name));
      else fs.writeFileSync(path.join(root, name), src);
    }
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    return names.map(([name]) => ctx.lib.findAsset(path.join(root, name))!);
  }

  const edit = async (a: Asset, patch: Parameters<typeof setFields>[2]) => {
    await setFields(ctx.lib, a.id, patch);
    await ctx.lib.governance.flush();
  };

  it('leaves originals untouched while the option is off', async () => {
    const [a] = await catalogue(['photo.jpg', JPG]);
    expect(readSettings(ctx.lib.db).embedXmp).toBe(false);
    await edit(a!, { title: 'Red bus', credit: 'North Studio' });
    expect(sha(path.join(root, 'photo.jpg'))).toBe(sha(JPG));
    expect(fs.existsSync(path.join(root, 'photo.xmp'))).toBe(true);
  });

  it('writes the fields into a JPEG that exiftool reads, keeping EXIF and every pixel', async () => {
    const [a] = await catalogue(['photo.jpg', JPG]);
    writeSettings(ctx.lib.db, { embedXmp: true });
    const file = path.join(root, 'photo.jpg');
    const before = await pixels(file);
    await edit(a!, {
      title: 'Red bus at dusk',
      credit: 'North Studio / Agency',
      altText: 'A red double-decker bus',
      keywordsAdd: ['bus', 'dusk'],
      licenseEnd: '2031-01-31',
    });
    expect(sha(file)).not.toBe(sha(JPG));
    const t = exiftool(file);
    expect(t['XMP-dc:Title']).toBe('Red bus at dusk');
    expect(t['XMP-photoshop:Credit']).toBe('North Studio / Agency');
    expect(t['XMP-iptcCore:AltTextAccessibility']).toBe('A red double-decker bus');
    expect(t['XMP-dc:Subject']).toEqual(expect.arrayContaining(['bus', 'dusk']));
    expect(t['XMP-plus:LicenseEndDate']).toBe('2031:01:31');
    expect(t['IFD0:Make']).toBe('Canon');
    expect(t['ExifIFD:ExposureTime']).toBeDefined();
    expect(Object.keys(t).filter((k) => /Error|Warning/.test(k))).toEqual([]);
    expect(await pixels(file)).toBe(before);
    // No tessera bookkeeping in the original: that stays in the sidecar.
    expect(fs.readFileSync(file).includes('ns.tessera.app')).toBe(false);

    // The catalogue holds the new bytes as they are: a rescan finds nothing changed.
    expect(ctx.lib.asset(a!.id)!.contentHash).toBe(sha(file));
    const again = await ctx.lib.scan();
    expect(again).toMatchObject({ changed: 0, new: 0 });
    expect(warnings).toEqual([]);
  });

  it('keeps an approval across the rewrite, and tells other catalogues through the sidecar', async () => {
    const [a] = await catalogue(['photo.jpg', JPG]);
    await edit(a!, { credit: 'North Studio', licenseType: 'royalty-free' });
    await transition(ctx.lib, a!.id, 'submit');
    await transition(ctx.lib, a!.id, 'approve');
    writeSettings(ctx.lib.db, { embedXmp: true });
    await edit(a!, { title: 'Approved title' });
    const file = path.join(root, 'photo.jpg');
    expect(exiftool(file)['XMP-dc:Title']).toBe('Approved title');
    const now = ctx.lib.asset(a!.id)!;
    expect(now.contentHash).toBe(sha(file));
    expect(now.approval.state).toBe('approved');
    // The sidecar's approval names the new bytes.
    expect(fs.readFileSync(path.join(root, 'photo.xmp'), 'utf8')).toContain(now.contentHash!);
    await ctx.lib.scan();
    expect(ctx.lib.asset(a!.id)!.approval.state).toBe('approved');
  });

  it('keeps what other applications wrote in the embedded XMP, and fields nobody edited here', async () => {
    const file = path.join(root, 'theirs.jpg');
    fs.copyFileSync(JPG, file);
    execFileSync('exiftool', [
      '-q',
      '-overwrite_original',
      '-XMP-xmp:CreatorTool=Other App',
      '-XMP-dc:Rights=Theirs 2020',
      '-XMP-iptcCore:AltTextAccessibility=Their alt text',
      file,
    ]);
    await catalogue();
    const asset = ctx.lib.findAsset(file)!;
    writeSettings(ctx.lib.db, { embedXmp: true });
    await edit(asset, { credit: 'Our credit' });
    const t = exiftool(file);
    expect(t['XMP-photoshop:Credit']).toBe('Our credit');
    expect(t['XMP-xmp:CreatorTool']).toBe('Other App');
    expect(t['XMP-iptcCore:AltTextAccessibility']).toBe('Their alt text');
    expect(t['XMP-dc:Rights']).toBe('Theirs 2020');
  });

  it('writes TIFF (both byte orders) and DNG without moving their image data', async () => {
    const raw = await makeTiffRaw(root, 'shot.dng');
    const [be, le] = await catalogue(['big.tiff', TIFF_BE], ['little.tiff', TIFF_LE]);
    const dng = ctx.lib.findAsset(raw.path)!;
    writeSettings(ctx.lib.db, { embedXmp: true });
    const beBefore = await pixels(path.join(root, 'big.tiff'));
    const leBefore = await pixels(path.join(root, 'little.tiff'));
    const dngBytes = fs.readFileSync(raw.path);
    for (const a of [be!, le!, dng]) await edit(a, { title: `Title of ${a.name}`, creator: 'Ann Example' });
    for (const a of [be!, le!, dng]) {
      const t = exiftool(a.path);
      expect(t['XMP-dc:Title'], a.name).toBe(`Title of ${a.name}`);
      expect(t['XMP-dc:Creator'], a.name).toEqual(['Ann Example']);
      expect(ctx.lib.asset(a.id)!.contentHash).toBe(sha(a.path));
    }
    expect(await pixels(path.join(root, 'big.tiff'))).toBe(beBefore);
    expect(await pixels(path.join(root, 'little.tiff'))).toBe(leBefore);
    // Append-only: every byte of the DNG but the IFD0 pointer is where it was.
    const after = fs.readFileSync(raw.path);
    expect(after.subarray(8, dngBytes.length).equals(dngBytes.subarray(8))).toBe(true);
    expect(ctx.lib.asset(dng.id)!.thumbnail).not.toBeNull();
    expect(warnings).toEqual([]);
  });

  it('leaves a file it cannot safely rewrite as it is, says why, and keeps the sidecar', async () => {
    // A JPEG whose own XMP is not well-formed, and one cut off before its image data.
    const broken = fs.readFileSync(JPG);
    const badXmp = Buffer.concat([
      broken.subarray(0, 2),
      Buffer.from([0xff, 0xe1]),
      (() => {
        const body = Buffer.from('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:RDF><unclosed>', 'latin1');
        const len = Buffer.alloc(2);
        len.writeUInt16BE(body.length + 2);
        return Buffer.concat([len, body]);
      })(),
      broken.subarray(2),
    ]);
    const [bad, cut] = await catalogue(['bad-xmp.jpg', badXmp], ['cut.jpg', broken.subarray(0, 4000)]);
    writeSettings(ctx.lib.db, { embedXmp: true });
    await edit(bad!, { title: 'Kept in the sidecar' });
    await edit(cut!, { title: 'Also kept' });
    expect(fs.readFileSync(path.join(root, 'bad-xmp.jpg')).equals(badXmp)).toBe(true);
    expect(fs.readFileSync(path.join(root, 'cut.jpg')).equals(broken.subarray(0, 4000))).toBe(true);
    expect(fs.readFileSync(path.join(root, 'bad-xmp.xmp'), 'utf8')).toContain('Kept in the sidecar');
    expect(fs.readFileSync(path.join(root, 'cut.xmp'), 'utf8')).toContain('Also kept');
    expect(warnings.some((w) => /bad-xmp\.jpg/.test(w) && /cannot be read/.test(w))).toBe(true);
    expect(warnings.filter((w) => w.includes(`asset ${cut!.id}:`))).toEqual([
      expect.stringMatching(/damaged JPEG|ends before its image data/),
    ]);
    expect(fs.readdirSync(root).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
