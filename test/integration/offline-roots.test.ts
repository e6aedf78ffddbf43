import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cameraFile } from '../helpers/camera';
import { tempDir } from '../helpers/corpus';
import { freshLibrary } from '../helpers/library';

const JPG = cameraFile('jpg/Canon_40D.jpg');

function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = tempDir('dam-mount-probe-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
}

describe('roots that go away', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let parent: string;

  beforeEach(() => {
    ctx = freshLibrary();
    parent = tempDir('dam-share-');
  });
  afterEach(async () => {
    await ctx.dispose();
    try {
      execFileSync('umount', [path.join(parent, 'share')], { stdio: 'ignore' });
    } catch {
      // not mounted
    }
    fs.rmSync(parent, { recursive: true, force: true });
  });

  function fill(dir: string, n: number, folders = 1): void {
    for (let f = 0; f < folders; f++) {
      fs.mkdirSync(path.join(dir, `f${f}`), { recursive: true });
      for (let i = 0; i < n; i++) fs.copyFileSync(JPG, path.join(dir, `f${f}`, `img${i}.jpg`));
    }
  }

  it('goes offline when its folder disappears, marks nothing missing, and comes back', async () => {
    const share = path.join(parent, 'share');
    fill(share, 3);
    const root = ctx.lib.addRoot(share);
    await ctx.lib.scan();
    fs.renameSync(share, path.join(parent, 'away'));
    const s = await ctx.lib.scan();
    expect(s.offline).toEqual([root.id]);
    expect(ctx.lib.roots()[0]).toMatchObject({ state: 'offline' });
    expect(ctx.lib.roots()[0]!.stateReason).toMatch(/not found/);
    expect(ctx.lib.stats().byState.missing).toBe(0);
    fs.renameSync(path.join(parent, 'away'), share);
    const back = await ctx.lib.scan();
    expect(back).toMatchObject({ unchanged: 3, missing: 0, offline: [] });
    expect(ctx.lib.roots()[0]!.state).toBe('online');
  });

  it.runIf(canMount())(
    'treats an unmounted share (an empty mount point) as offline, not as deleted files',
    async () => {
      const share = path.join(parent, 'share');
      fs.mkdirSync(share);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', share]);
      fill(share, 3, 2);
      ctx.lib.addRoot(share, { network: true });
      expect((await ctx.lib.scan()).new).toBe(6);
      execFileSync('umount', [share]);
      expect(fs.readdirSync(share)).toEqual([]);
      await ctx.lib.scan();
      expect(ctx.lib.roots()[0]).toMatchObject({ state: 'offline', kind: 'network' });
      expect(ctx.lib.roots()[0]!.stateReason).toMatch(/nothing is mounted/);
      expect(ctx.lib.stats().byState.missing).toBe(0);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', share]);
      fill(share, 3, 2);
      await ctx.lib.scan();
      expect(ctx.lib.roots()[0]!.state).toBe('online');
      expect(ctx.lib.stats()).toMatchObject({ assets: 6, byState: { missing: 0, present: 6 } });
    },
  );

  it('goes offline, marking nothing missing, when the share vanishes in the middle of a scan', async () => {
    const share = path.join(parent, 'share');
    fill(share, 2, 30);
    ctx.lib.addRoot(share);
    await ctx.lib.scan();
    // Add new files so the next scan has work, then pull the share while the walk is under way.
    fill(path.join(share, 'new'), 2, 3);
    let pulled = false;
    ctx.lib.events.on('scan-progress', (p) => {
      if (p.phase === 'walking' && !pulled) {
        pulled = true;
        fs.renameSync(share, path.join(parent, 'unplugged'));
      }
    });
    const s = await ctx.lib.scan();
    expect(pulled).toBe(true);
    expect(s.offline.length).toBe(1);
    expect(ctx.lib.stats()).toMatchObject({ assets: 60, byState: { missing: 0 } });
  });
});
