import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cameraFile } from '../helpers/camera';
import { tempDir } from '../helpers/corpus';
import { CLI, PROJECT } from '../helpers/library';

function dam(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DAM_CATALOG: '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the dam command', () => {
  let catalog: string;
  let root: string;

  beforeAll(() => {
    catalog = tempDir('dam-cli-cat-');
    root = tempDir('dam-cli-root-');
    fs.copyFileSync(cameraFile('jpg/gps/DSCN0010.jpg'), path.join(root, 'DSCN0010.jpg'));
    fs.copyFileSync(cameraFile('jpg/Canon_40D.jpg'), path.join(root, 'Canon_40D.jpg'));
    fs.writeFileSync(path.join(root, 'readme.txt'), 'hello');
  });
  afterAll(() => {
    fs.rmSync(catalog, { recursive: true, force: true });
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('prints help through the package bin, and exits 2 on bad arguments with one line', () => {
    const help = spawnSync(process.execPath, [path.join(PROJECT, 'bin', 'dam.js'), '--help'], {
      encoding: 'utf8',
    });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/add-root PATH/);
    const bad = dam('--catalog', catalog, 'frobnicate');
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(dam('--bogus-flag').code).toBe(2);
    expect(dam('--catalog', catalog, 'search', 'x', '--limit', 'lots').code).toBe(2);
  });

  it('exits non-zero with one line when the catalog does not exist', () => {
    const r = dam('--catalog', path.join(catalog, 'nowhere'), 'stats');
    expect(r.code).toBe(1);
    expect(r.err.trim()).toMatch(/^dam: no catalog at .*nowhere/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('adds a root, scans, and reports in JSON', () => {
    const add = dam('--catalog', catalog, 'add-root', root, '--name', 'Shoot');
    expect(add.code, add.err).toBe(0);
    expect(dam('--catalog', catalog, 'add-root', path.join(root, 'nope')).code).toBe(1);

    const roots = JSON.parse(dam('--catalog', catalog, 'roots', '--json').out);
    expect(roots).toEqual([
      expect.objectContaining({ path: fs.realpathSync(root), kind: 'local', state: 'online', name: 'Shoot' }),
    ]);

    const scan = dam('--catalog', catalog, 'scan', '--json');
    expect(scan.code, scan.err).toBe(0);
    const summary = JSON.parse(scan.out);
    expect(Object.keys(summary).sort()).toEqual([
      'changed',
      'errors',
      'files',
      'missing',
      'new',
      'problems',
      'seconds',
      'unchanged',
    ]);
    expect(summary).toMatchObject({ files: 3, new: 3, changed: 0, unchanged: 0, missing: 0, errors: 0 });
    expect(summary.problems).toEqual([]);

    const stats = JSON.parse(dam('--catalog', catalog, 'stats', '--json').out);
    expect(stats).toMatchObject({
      assets: 3,
      byType: { image: 2, other: 1 },
      byState: { missing: 0, errors: 0 },
    });
  });

  it('shows an asset by path or id with the documented fields', () => {
    const byPath = dam('--catalog', catalog, 'show', path.join(root, 'DSCN0010.jpg'), '--json');
    expect(byPath.code, byPath.err).toBe(0);
    const a = JSON.parse(byPath.out);
    for (const k of [
      'path',
      'type',
      'size',
      'width',
      'height',
      'orientation',
      'captureDate',
      'make',
      'model',
      'lens',
      'gps',
      'title',
      'description',
      'keywords',
      'creator',
      'copyright',
      'contentHash',
      'thumbnail',
      'error',
    ]) {
      expect(a, k).toHaveProperty(k);
    }
    expect(a).toMatchObject({
      type: 'image',
      make: 'NIKON',
      width: 640,
      height: 480,
      captureDate: '2008-10-22T16:28:39',
      error: null,
    });
    expect(a.gps.lat).toBeCloseTo(43.4674, 3);
    expect(a.gps.lon).toBeCloseTo(11.8851, 3);
    expect(fs.existsSync(a.thumbnail)).toBe(true);
    const byId = JSON.parse(dam('--catalog', catalog, 'show', String(a.id), '--json').out);
    expect(byId.path).toBe(a.path);
    expect(dam('--catalog', catalog, 'show', '999999').code).toBe(1);
  });

  it('searches with the query syntax', () => {
    const nikon = JSON.parse(dam('--catalog', catalog, 'search', 'nikon', '--json').out);
    expect(nikon.items.map((i: { name: string }) => i.name)).toEqual(['DSCN0010.jpg']);
    const notNikon = JSON.parse(
      dam('--catalog', catalog, 'search', 'type:image', '-camera:nikon', '--json').out,
    );
    expect(notNikon.items.map((i: { name: string }) => i.name)).toEqual(['Canon_40D.jpg']);
    const y2008 = JSON.parse(dam('--catalog', catalog, 'search', 'date:2008', '--json', '--limit', '10').out);
    expect(y2008.total).toBe(2);
    const bad = dam('--catalog', catalog, 'search', 'type:spreadsheet');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/type: expects/);
  });

  it('serves the contract over HTTP on 127.0.0.1 with a per-start token, URL first on stdout', async () => {
    const child = spawn(process.execPath, [CLI, '--catalog', catalog, 'serve', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        let buf = '';
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
        });
        child.once('exit', () => reject(new Error('serve exited early')));
      });
      const m = /^http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]{20,})$/.exec(firstLine);
      expect(m, firstLine).not.toBeNull();
      const res = await fetch(`http://127.0.0.1:${m![1]}/api/stats`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${m![2]}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      const body = (await res.json()) as { ok: boolean; value: { assets: number } };
      expect(body).toMatchObject({ ok: true, value: { assets: 3 } });
      const denied = await fetch(`http://127.0.0.1:${m![1]}/api/stats`, { method: 'POST', body: '{}' });
      expect(denied.status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise<number | null>((r) =>
      child.exitCode !== null ? r(child.exitCode) : child.once('exit', (c) => r(c)),
    );
    expect(code).toBe(0);
  });
});
