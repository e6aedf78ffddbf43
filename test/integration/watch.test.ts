import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WRITE_SETTLE_MS } from '../../electron/core/ingest/watcher';
import { cameraFile } from '../helpers/camera';
import { tempDir } from '../helpers/corpus';
import { CLI, freshLibrary, waitFor } from '../helpers/library';

const JPG = cameraFile('jpg/Canon_40D.jpg');
const GPS = cameraFile('jpg/gps/DSCN0010.jpg');

describe('watching a root', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let root: string;

  beforeEach(() => {
    ctx = freshLibrary();
    root = tempDir('dam-watch-');
  });
  afterEach(async () => {
    await ctx.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const processed = (p: string) => {
    const a = ctx.lib.findAsset(p);
    return a && a.contentHash ? a : undefined;
  };

  it('catalogues new files, keeps assets through renames, and marks deletions missing', async () => {
    fs.copyFileSync(JPG, path.join(root, 'existing.jpg'));
    ctx.lib.addRoot(root);
    await ctx.lib.startWatching();
    // Files already there are caught up at start.
    const existing = await waitFor(() => processed(path.join(root, 'existing.jpg')), 30_000, 'existing file');

    fs.copyFileSync(GPS, path.join(root, 'new.jpg'));
    const added = await waitFor(() => processed(path.join(root, 'new.jpg')), 30_000, 'new file');
    expect(added.make).toBe('NIKON');

    fs.renameSync(path.join(root, 'existing.jpg'), path.join(root, 'renamed.jpg'));
    const renamed = await waitFor(() => processed(path.join(root, 'renamed.jpg')), 30_000, 'renamed file');
    expect(renamed.id).toBe(existing.id);
    expect(ctx.lib.stats().assets).toBe(2);

    fs.rmSync(path.join(root, 'new.jpg'));
    await waitFor(() => ctx.lib.asset(added.id)?.state === 'missing', 30_000, 'missing');
    expect(ctx.lib.stats().assets).toBe(2);
  });

  it('watches a root added after watching started, and catalogues what it already held', async () => {
    await ctx.lib.startWatching();
    fs.copyFileSync(JPG, path.join(root, 'before.jpg'));
    const r = ctx.lib.addRoot(root);
    await waitFor(() => processed(path.join(root, 'before.jpg')), 30_000, 'file already in the new root');
    await waitFor(() => ctx.lib.isWatchingWithPolling(r.id) !== undefined, 30_000, 'watcher on the new root');
    fs.copyFileSync(GPS, path.join(root, 'after.jpg'));
    const after = await waitFor(() => processed(path.join(root, 'after.jpg')), 30_000, 'file added later');
    expect(after.make).toBe('NIKON');
  });

  it('does not ingest a file while it is still being copied', async () => {
    ctx.lib.addRoot(root);
    await ctx.lib.startWatching();
    const bytes = fs.readFileSync(JPG);
    const target = path.join(root, 'slow.jpg');
    const fd = fs.openSync(target, 'w');
    // Written in pieces, with pauses shorter than the settle time: a slow copy over a network.
    let checked = 0;
    for (let i = 0; i < 6; i++) {
      fs.writeSync(fd, bytes.subarray((i * bytes.length) / 6, ((i + 1) * bytes.length) / 6));
      const wrote = Date.now();
      await new Promise((r) => setTimeout(r, 700));
      // A loaded machine can stretch the pause past the settle time, and then the file has
      // rightly settled: only a check made inside it says something.
      if (Date.now() - wrote >= WRITE_SETTLE_MS) continue;
      expect(ctx.lib.findAsset(target), `catalogued after part ${i + 1} of 6`).toBeUndefined();
      checked++;
    }
    fs.closeSync(fd);
    expect(checked, 'checks made within the settle time').toBeGreaterThan(0);
    const done = await waitFor(() => processed(target), 30_000, 'copied file');
    expect(done.size).toBe(bytes.length);
    expect(done.make).toBe('Canon');
    expect(done.error).toBeNull();
  });

  it('polls a network root (forced), and takes it offline without marking anything missing when it vanishes', async () => {
    const share = path.join(root, 'share');
    fs.mkdirSync(share);
    fs.copyFileSync(JPG, path.join(share, 'a.jpg'));
    const r = ctx.lib.addRoot(share, { network: true, pollIntervalMs: 300 });
    expect(r.kind).toBe('network');
    await ctx.lib.startWatching();
    expect(ctx.lib.isWatchingWithPolling(r.id)).toBe(true);
    await waitFor(() => processed(path.join(share, 'a.jpg')), 30_000, 'initial file');
    fs.copyFileSync(GPS, path.join(share, 'b.jpg'));
    await waitFor(() => processed(path.join(share, 'b.jpg')), 30_000, 'polled file');

    fs.renameSync(share, path.join(root, 'gone'));
    await waitFor(() => ctx.lib.roots()[0]!.state === 'offline', 30_000, 'offline');
    expect(ctx.lib.stats().byState.missing).toBe(0);

    fs.renameSync(path.join(root, 'gone'), share);
    fs.copyFileSync(GPS, path.join(share, 'c.jpg'));
    await waitFor(() => ctx.lib.roots()[0]!.state === 'online', 30_000, 'online again');
    await waitFor(() => processed(path.join(share, 'c.jpg')), 30_000, 'file added while offline');
    expect(ctx.lib.stats()).toMatchObject({ assets: 3, byState: { missing: 0 } });
  });
});

describe('dam watch', () => {
  it('runs until SIGTERM and then exits cleanly', async () => {
    const catalog = tempDir('dam-watch-cli-');
    const root = tempDir('dam-watch-cli-root-');
    try {
      const add = spawn(process.execPath, [CLI, '--catalog', catalog, 'add-root', root]);
      await new Promise((r) => add.once('exit', r));
      const child = spawn(process.execPath, [CLI, '--catalog', catalog, 'watch'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      await waitFor(() => err.includes('watching'), 30_000, 'watch to start');
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      expect(code).toBe(0);
    } finally {
      fs.rmSync(catalog, { recursive: true, force: true });
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
