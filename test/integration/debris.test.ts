// Temporary files that a killed `dam set` leaves beside originals (.NAME.xmp.PID.HEX.tmp): real
// leftover files on disk, with the pid of a real process that has exited.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { timeline } from '../../electron/core/governance/set-fields';
import { quadrantJpeg } from '../fixtures/make-fixtures';
import { tempDir } from '../helpers/corpus';
import { freshLibrary, waitFor } from '../helpers/library';

/** The pid of a process that ran and exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(r.stdout);
}

describe('leftovers of interrupted writes', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let root: string;

  beforeEach(async () => {
    ctx = freshLibrary();
    root = tempDir('dam-debris-');
    fs.mkdirSync(path.join(root, 'sub'));
    fs.writeFileSync(path.join(root, 'sub', 'a.jpg'), await quadrantJpeg(32, 24));
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
  });
  afterEach(async () => {
    await ctx.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('removes ours whose writer is gone at the next scan, notes it in the history, and keeps the rest', async () => {
    const dead = deadPid();
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    const leftover = (name: string, at: Date) => {
      const p = path.join(root, 'sub', name);
      fs.writeFileSync(p, '<x:xmpmeta xmlns:x="adobe:ns:meta/"/>');
      fs.utimesSync(p, at, at);
      return p;
    };
    const deadOld = leftover(`.a.xmp.${dead}.0badc0de.tmp`, hoursAgo(0.5));
    const liveAncient = leftover(`.a.jpg.xmp.${process.pid}.12345678.tmp`, hoursAgo(3));
    // Perhaps still being written: by this live process, or by another machine on a shared folder.
    const liveFresh = leftover(`.a.xmp.${process.pid}.abcdef01.tmp`, new Date());
    const deadFresh = leftover(`.a.xmp.${dead}.abcdef02.tmp`, new Date());
    // Not of our naming: never touched.
    const foreign = leftover('.a.xmp.tmp', hoursAgo(3));
    const foreign2 = leftover(`.a.xmp.${dead}.notours.tmp`, hoursAgo(3));

    await ctx.lib.scan();
    expect(fs.existsSync(deadOld)).toBe(false);
    expect(fs.existsSync(liveAncient)).toBe(false);
    for (const kept of [liveFresh, deadFresh, foreign, foreign2])
      expect(fs.existsSync(kept), kept).toBe(true);

    const a = ctx.lib.findAsset(path.join(root, 'sub', 'a.jpg'))!;
    const removed = timeline(ctx.lib, a.id).filter((e) => e.kind === 'change' && e.field === 'leftoverFile');
    expect(removed.map((e) => (e as { oldValue: unknown }).oldValue).sort()).toEqual([
      path.basename(liveAncient),
      path.basename(deadOld),
    ]);
  });

  it('removes one left while watching on a later check, not only at the next scan or start-up', async () => {
    await ctx.lib.startWatching();
    // A `dam set` killed while `dam serve` watches: its leftover appears under the running watcher.
    const dead = deadPid();
    const p = path.join(root, 'sub', `.a.xmp.${dead}.0badc0df.tmp`);
    fs.writeFileSync(p, '<x:xmpmeta xmlns:x="adobe:ns:meta/"/>');
    const old = new Date(Date.now() - 30 * 60_000);
    fs.utimesSync(p, old, old);
    const fresh = path.join(root, 'sub', `.a.xmp.${dead}.0badc0e0.tmp`);
    fs.writeFileSync(fresh, '<x:xmpmeta xmlns:x="adobe:ns:meta/"/>');
    const a = ctx.lib.findAsset(path.join(root, 'sub', 'a.jpg'))!;
    const notes = () =>
      timeline(ctx.lib, a.id).filter((e) => e.kind === 'change' && e.field === 'leftoverFile');
    // The note is written once the unlink has returned, a moment after the file is gone from disk:
    // wait for the note, which comes last.
    await waitFor(() => notes().length > 0, 30_000, 'the leftover to be removed and noted');
    expect(fs.existsSync(p)).toBe(false);
    // Perhaps still being written (another machine's): kept until it is old enough.
    expect(fs.existsSync(fresh)).toBe(true);
    expect(notes().map((e) => (e as { oldValue: unknown }).oldValue)).toEqual([path.basename(p)]);
  });

  it('on a polled root: removes one left while watching, and one left while the root was away', async () => {
    const share = tempDir('dam-debris-share-');
    try {
      fs.writeFileSync(path.join(share, 'b.jpg'), await quadrantJpeg(32, 24));
      ctx.lib.addRoot(share, { network: true, pollIntervalMs: 300 });
      await ctx.lib.scan();
      await ctx.lib.startWatching();
      const dead = deadPid();
      const old = new Date(Date.now() - 30 * 60_000);
      const leave = (dir: string, hex: string) => {
        const p = path.join(dir, `.b.xmp.${dead}.${hex}.tmp`);
        fs.writeFileSync(p, '<x:xmpmeta xmlns:x="adobe:ns:meta/"/>');
        fs.utimesSync(p, old, old);
        return path.join(share, path.basename(p));
      };
      const whileWatched = leave(share, '0badc0e1');
      await waitFor(() => !fs.existsSync(whileWatched), 30_000, 'the leftover under polling to be removed');

      const away = `${share}-away`;
      fs.renameSync(share, away);
      const rootState = () => ctx.lib.roots().find((r) => r.kind === 'network')?.state;
      await waitFor(() => rootState() === 'offline', 30_000, 'offline');
      const whileAway = leave(away, '0badc0e2');
      fs.renameSync(away, share);
      await waitFor(() => !fs.existsSync(whileAway), 30_000, 'the leftover made while away to be removed');
    } finally {
      fs.rmSync(share, { recursive: true, force: true });
    }
  });
});
