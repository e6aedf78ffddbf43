// Sidecars that are not what their name says: links (to /dev/zero, out of the root), FIFOs and
// huge files, made for real on disk. Every dam process runs with a kill timeout, so that a
// regression fails the test instead of hanging it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Asset } from '../../shared/model';
import { quadrantJpeg } from '../fixtures/make-fixtures';
import { tempDir } from '../helpers/corpus';
import { setFields } from '../../electron/core/governance/set-fields';
import { writeSettings } from '../../electron/core/governance/settings';
import { writeAtomically } from '../../electron/core/governance/sidecars';
import { CLI, exiftoolJson, freshLibrary, waitFor } from '../helpers/library';

const KILL_AFTER_MS = 60_000;

function dam(catalog: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, '--catalog', catalog, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DAM_CATALOG: '' },
    timeout: KILL_AFTER_MS,
    killSignal: 'SIGKILL',
  });
  return { code: r.status, out: r.stdout, err: r.stderr, signal: r.signal };
}

function show(catalog: string, file: string): Asset {
  const r = dam(catalog, 'show', file, '--json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as Asset;
}

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function xmp(props: string, padding = ''): string {
  return `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">
${props}
</rdf:Description></rdf:RDF></x:xmpmeta>${padding}
<?xpacket end="w"?>`;
}

const isFifo = (p: string) => fs.lstatSync(p).isFIFO();

describe('sidecars that are links, pipes or huge', () => {
  let catalog: string;
  let root: string;
  let outside: string;

  beforeEach(async () => {
    catalog = tempDir('dam-untrusted-cat-');
    root = tempDir('dam-untrusted-root-');
    outside = tempDir('dam-untrusted-outside-');
    const jpg = await quadrantJpeg(64, 48);
    for (const name of ['zero.jpg', 'pipe.jpg', 'away.jpg', 'huge.jpg', 'plain.jpg'])
      fs.writeFileSync(path.join(root, name), jpg);
    expect(dam(catalog, 'add-root', root).code).toBe(0);
    expect(dam(catalog, 'scan').code).toBe(0);
  });
  afterEach(() => {
    for (const d of [catalog, root, outside]) fs.rmSync(d, { recursive: true, force: true });
  });

  it('dam set keeps the edit and leaves a sidecar linked to /dev/zero as it is', () => {
    const link = path.join(root, 'zero.xmp');
    fs.symlinkSync('/dev/zero', link);
    const r = dam(catalog, 'set', path.join(root, 'zero.jpg'), 'credit=North');
    expect(r.signal, 'dam set was killed: it hung').toBeNull();
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('symbolic link');
    const a = show(catalog, path.join(root, 'zero.jpg'));
    expect(a.credit).toBe('North');
    expect(a.warnings).toContain('sidecar-unreadable');
    expect(fs.readlinkSync(link)).toBe('/dev/zero');
  });

  it('dam set keeps the edit and leaves a FIFO sidecar as it is', () => {
    const fifo = path.join(root, 'pipe.xmp');
    execFileSync('mkfifo', [fifo]);
    const r = dam(catalog, 'set', path.join(root, 'pipe.jpg'), 'credit=North');
    expect(r.signal, 'dam set was killed: it hung').toBeNull();
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('not a regular file');
    expect(show(catalog, path.join(root, 'pipe.jpg'))).toMatchObject({ credit: 'North' });
    expect(isFifo(fifo)).toBe(true);
  });

  it('never follows a sidecar link out of the root', () => {
    const foreign = path.join(outside, 'secret.xmp');
    fs.writeFileSync(
      foreign,
      xmp(
        '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">from outside</rdf:li></rdf:Alt></dc:description>',
      ),
    );
    fs.symlinkSync(foreign, path.join(root, 'away.xmp'));
    const before = sha(foreign);
    expect(dam(catalog, 'set', path.join(root, 'away.jpg'), 'credit=North').code).toBe(0);
    const a = show(catalog, path.join(root, 'away.jpg'));
    expect(a.description ?? null).toBeNull();
    expect(a.credit).toBe('North');
    expect(sha(foreign)).toBe(before);
    const hist = dam(catalog, 'history', path.join(root, 'away.jpg'), '--json');
    expect(hist.out).not.toContain('from outside');
    // The scan reports it too (it used to skip it without a word).
    const scan = dam(catalog, 'scan');
    expect(scan.out + scan.err).toContain('away.xmp');
  });

  it('refuses a 50 MB sidecar under scan and set, leaving it untouched', () => {
    const big = path.join(root, 'huge.xmp');
    const text = xmp(
      '<photoshop:Credit>Big</photoshop:Credit>',
      ' '.repeat(50 * 1024 * 1024), // XMP padding: well-formed, just large
    );
    fs.writeFileSync(big, text);
    const before = sha(big);
    const scan = dam(catalog, 'scan', '--json');
    expect(scan.signal).toBeNull();
    expect(scan.code, scan.err).toBe(0);
    expect(JSON.parse(scan.out)).toMatchObject({ errors: 1 });
    expect(scan.err).toContain('too large');
    const set = dam(catalog, 'set', path.join(root, 'huge.jpg'), 'title=Kept');
    expect(set.code, set.err).toBe(0);
    const a = show(catalog, path.join(root, 'huge.jpg'));
    expect(a.title).toBe('Kept');
    expect(a.credit ?? null).toBeNull();
    expect(a.warnings).toContain('sidecar-unreadable');
    expect(sha(big)).toBe(before);
  });

  it('dam watch stays small and keeps cataloguing with FIFOs and a /dev/zero link as sidecars', async () => {
    const child = spawn(process.execPath, [CLI, '--catalog', catalog, 'watch'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DAM_CATALOG: '' },
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    let peakRss = 0;
    const rss = () => {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      peakRss = Math.max(peakRss, m ? Number(m[1]) * 1024 : 0);
    };
    try {
      await waitFor(() => err.includes('watching'), 30_000, 'watch to start');
      for (const name of ['zero.xmp', 'pipe.xmp', 'huge.xmp', 'plain.xmp'])
        execFileSync('mkfifo', [path.join(root, name)]);
      execFileSync('mkfifo', [path.join(root, 'away.jpg.xmp')]);
      fs.symlinkSync('/dev/zero', path.join(root, 'zero.jpg.xmp'));
      fs.writeFileSync(path.join(root, 'new.jpg'), await quadrantJpeg(80, 60));
      await waitFor(
        () => {
          rss();
          const r = dam(catalog, 'show', path.join(root, 'new.jpg'), '--json');
          return r.code === 0 && (JSON.parse(r.out) as Asset).width === 80;
        },
        45_000,
        'the new photo to be catalogued',
      );
      rss();
      expect(child.exitCode, err).toBeNull();
      expect(peakRss).toBeLessThan(1024 * 1024 * 1024);
    } finally {
      clearTimeout(killer);
      child.kill('SIGKILL');
    }
  });
});

describe('sidecar encodings', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let root: string;

  beforeEach(async () => {
    ctx = freshLibrary();
    root = tempDir('dam-encoding-root-');
    const jpg = await quadrantJpeg(64, 48);
    for (const name of ['bad.jpg', 'latin.jpg', 'wide.jpg', 'bom.jpg'])
      fs.writeFileSync(path.join(root, name), jpg);
  });
  afterEach(async () => {
    await ctx.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const asset = (name: string) => ctx.lib.findAsset(path.join(root, name))!;

  it('reports a sidecar with invalid UTF-8 and never rewrites it', async () => {
    const file = path.join(root, 'bad.xmp');
    const [head, tail] = xmp('<photoshop:Credit>Caf@ Noir</photoshop:Credit>').split('@') as [string, string];
    // Latin-1 é in a file that declares no encoding: invalid UTF-8.
    const bytes = Buffer.concat([Buffer.from(head), Buffer.from([0xe9]), Buffer.from(tail)]);
    fs.writeFileSync(file, bytes);
    ctx.lib.addRoot(root);
    const summary = await ctx.lib.scan();
    expect(summary.problems.join('\n')).toContain('not valid UTF-8');
    const a = asset('bad.jpg');
    expect(a.warnings).toContain('sidecar-unreadable');
    expect(a.credit ?? null).toBeNull();
    await setFields(ctx.lib, a.id, { title: 'Kept' });
    expect(ctx.lib.asset(a.id)!.title).toBe('Kept');
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it('honours a declared ISO-8859-1 encoding, and rewrites the sidecar without loss', async () => {
    const file = path.join(root, 'latin.xmp');
    const text = xmp('<photoshop:Credit>Café ñandú</photoshop:Credit>').replace(
      '<?xpacket begin',
      '<?xml version="1.0" encoding="ISO-8859-1"?>\n<?xpacket begin',
    );
    fs.writeFileSync(file, Buffer.from(text, 'latin1'));
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    const a = asset('latin.jpg');
    expect(a.credit).toBe('Café ñandú');
    expect(a.warnings).not.toContain('sidecar-unreadable');
    await setFields(ctx.lib, a.id, { title: 'Größe' });
    const out = exiftoolJson([file])[0]!;
    expect(out.Credit).toBe('Café ñandú');
    expect(out.Title).toBe('Größe');
  });

  it('never embeds into an original whose own XMP is not valid UTF-8', async () => {
    const [head, tail] = xmp('<photoshop:Credit>Caf@</photoshop:Credit>').split('@') as [string, string];
    const body = Buffer.concat([
      Buffer.from('http://ns.adobe.com/xap/1.0/\0'),
      Buffer.from(head),
      Buffer.from([0xe9]),
      Buffer.from(tail),
    ]);
    const app1 = Buffer.concat([
      Buffer.from([0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 255]),
      body,
    ]);
    const jpg = await quadrantJpeg(64, 48);
    const file = path.join(root, 'bad.jpg');
    const original = Buffer.concat([jpg.subarray(0, 2), app1, jpg.subarray(2)]);
    fs.writeFileSync(file, original);
    writeSettings(ctx.lib.db, { embedXmp: true });
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    const warnings: string[] = [];
    ctx.lib.events.on('warning', (w) => warnings.push(w.message));
    await setFields(ctx.lib, asset('bad.jpg').id, { title: 'Kept' });
    expect(ctx.lib.asset(asset('bad.jpg').id)!.title).toBe('Kept');
    expect(fs.readFileSync(file).equals(original)).toBe(true);
    expect(warnings.join('\n')).toContain('not valid UTF-8');
  });

  it('reads UTF-16 sidecars (with a byte-order mark, and declared without one)', async () => {
    const body = xmp('<photoshop:Credit>Łódź 東京</photoshop:Credit>');
    fs.writeFileSync(
      path.join(root, 'bom.xmp'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')]),
    );
    const be = Buffer.from(`<?xml version="1.0" encoding="UTF-16"?>${body}`, 'utf16le').swap16();
    fs.writeFileSync(path.join(root, 'wide.xmp'), be);
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    expect(asset('bom.jpg').credit).toBe('Łódź 東京');
    expect(asset('wide.jpg').credit).toBe('Łódź 東京');
  });
});

describe('the sidecar write path', () => {
  it('never replaces a link or a FIFO put where the sidecar goes, and leaves no temporary file', async () => {
    const dir = tempDir('dam-write-');
    try {
      const fifo = path.join(dir, 'a.xmp');
      execFileSync('mkfifo', [fifo]);
      fs.symlinkSync('/dev/null', path.join(dir, 'b.xmp'));
      await expect(writeAtomically(fifo, xmp(''))).rejects.toThrow(/not a regular file/);
      await expect(writeAtomically(path.join(dir, 'b.xmp'), xmp(''))).rejects.toThrow(/symbolic link/);
      expect(isFifo(fifo)).toBe(true);
      expect(fs.readlinkSync(path.join(dir, 'b.xmp'))).toBe('/dev/null');
      expect(fs.readdirSync(dir).sort()).toEqual(['a.xmp', 'b.xmp']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
