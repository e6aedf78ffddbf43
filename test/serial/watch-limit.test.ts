import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cameraFile } from '../helpers/camera';
import { tempDir } from '../helpers/corpus';
import { freshLibrary, waitFor } from '../helpers/library';

// This test lowers the machine-wide inotify limit for a moment, so it runs on its own
// (vitest.serial.config.mts), after the main suite: a watcher started by a test running
// beside it would take the few watches left, or fail itself.

const JPG = cameraFile('jpg/Canon_40D.jpg');

const WATCHES = '/proc/sys/fs/inotify/max_user_watches';

function inotifyWatchesInUse(): number {
  let n = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let fds: string[] = [];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fdinfo`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        n += (fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8').match(/^inotify wd:/gm) ?? []).length;
      } catch {
        // the process or descriptor went away
      }
    }
  }
  return n;
}

function canLowerWatchLimit(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    fs.writeFileSync(WATCHES, fs.readFileSync(WATCHES, 'utf8'));
    return true;
  } catch {
    return false;
  }
}

describe.runIf(canLowerWatchLimit())('the OS watch limit', () => {
  it('falls back to polling, says so, and still sees changes', async () => {
    const ctx = freshLibrary();
    const root = tempDir('dam-watch-limit-');
    const original = fs.readFileSync(WATCHES, 'utf8').trim();
    try {
      for (let i = 0; i < 40; i++) fs.mkdirSync(path.join(root, `d${i}`));
      const r = ctx.lib.addRoot(root, { pollIntervalMs: 300 });
      // Leave room for only a few more watches, machine-wide, for the moment it takes to start.
      fs.writeFileSync(WATCHES, String(inotifyWatchesInUse() + 4));
      try {
        await ctx.lib.startWatching();
        await waitFor(() => ctx.lib.isWatchingWithPolling(r.id), 30_000, 'fallback to polling');
      } finally {
        fs.writeFileSync(WATCHES, original);
      }
      expect(ctx.lib.roots()[0]!.stateReason).toMatch(/file-watch limit/);
      fs.copyFileSync(JPG, path.join(root, 'd39', 'late.jpg'));
      await waitFor(
        () => ctx.lib.findAsset(path.join(root, 'd39', 'late.jpg'))?.contentHash,
        30_000,
        'file seen by polling',
      );
    } finally {
      fs.writeFileSync(WATCHES, original);
      await ctx.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
