import fs from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { openCatalog, type Db } from '../../electron/core/catalog/open';
import { CoreEventBus } from '../../electron/core/events';
import {
  claim,
  complete,
  enqueue,
  hold,
  jobStatus,
  retry,
} from '../../electron/core/catalog/jobs.repository';
import { JobRunner } from '../../electron/core/jobs/runner';
import { insertAssetWithFile } from '../helpers/catalog-rows';
import { tempDir } from '../helpers/corpus';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  while (dbs.length) dbs.pop()!.close();
  while (dirs.length) fs.rmSync(dirs.pop()!, { recursive: true, force: true });
});

/** A real catalogue with one online root and `n` files (ids 1..n), each its own asset. */
function catalogue(n: number): { db: Db; dir: string } {
  const dir = tempDir('dam-jobs-');
  dirs.push(dir);
  const db = openCatalog(dir, { create: true });
  dbs.push(db);
  db.prepare(`INSERT INTO roots (id, path, name, kind, added_at) VALUES (1, '/x', 'x', 'local', 0)`).run();
  for (let id = 1; id <= n; id++) insertAssetWithFile(db, id, { search: true });
  return { db, dir };
}

function state(db: Db, subject: number): { state: string; owner: string | null } | undefined {
  return db.prepare(`SELECT state, owner FROM jobs WHERE kind = 'process' AND subject = ?`).get(subject) as
    { state: string; owner: string | null } | undefined;
}

describe('the job table', () => {
  it('claims each job once, highest priority first, and a job owed again while it runs runs once more', () => {
    const { db } = catalogue(3);
    for (const id of [1, 2, 3]) enqueue(db, 'process', id);
    enqueue(db, 'process', 3, { priority: 99 });
    const first = claim(db, 'process', 2, 'me');
    expect(first.map((j) => j.subject)).toEqual([3, 1]);
    expect(claim(db, 'process', 5, 'other').map((j) => j.subject)).toEqual([2]);
    expect(claim(db, 'process', 5, 'me')).toEqual([]);
    // Owed again while running: not claimable meanwhile, queued again when the run ends.
    enqueue(db, 'process', 1);
    expect(claim(db, 'process', 5, 'other')).toEqual([]);
    complete(db, first[1]!);
    expect(state(db, 1)).toEqual({ state: 'queued', owner: null });
    complete(db, first[0]!);
    expect(state(db, 3)).toBeUndefined();
    // Settling names the owner: a run whose claim was taken over cannot settle the new one.
    const again = claim(db, 'process', 1, 'new')[0]!;
    complete(db, { ...again, owner: 'me' });
    expect(state(db, 1)).toEqual({ state: 'running', owner: 'new' });
  });

  it('a claim with nothing due takes no write lock, so it never waits behind another process', () => {
    const { db, dir } = catalogue(2);
    enqueue(db, 'process', 1, { now: 0 });
    // Another process (the app beside `dam scan`) holds the write lock.
    const other = openCatalog(dir);
    dbs.push(other);
    other.exec('BEGIN IMMEDIATE');
    db.pragma('busy_timeout = 0');
    try {
      // Nothing of these kinds is due: answered from a read, without asking for the lock.
      expect(claim(db, 'sidecar', 2, 'me')).toEqual([]);
      expect(claim(db, 'snapshot', 4, 'me')).toEqual([]);
      // Work that is due still needs the lock: this claim waits (here: fails at once) rather than read stale.
      expect(() => claim(db, 'process', 1, 'me')).toThrow(/busy|locked/i);
    } finally {
      other.exec('ROLLBACK');
    }
    expect(claim(db, 'process', 3, 'me').map((j) => j.subject)).toEqual([1]);
  });

  it('backs off, gives up after the attempts, and holds what waits for an outside change', () => {
    const { db } = catalogue(2);
    enqueue(db, 'process', 1);
    const now = Date.now();
    let job = claim(db, 'process', 1, 'me', now)[0]!;
    expect(retry(db, job, 'EIO', now)).toBe(true);
    expect(claim(db, 'process', 1, 'me', now + 1000)).toEqual([]);
    job = claim(db, 'process', 1, 'me', now + 2000)[0]!;
    expect(job.attempts).toBe(1);
    expect(retry(db, job, 'EIO', now + 2000)).toBe(true);
    job = claim(db, 'process', 1, 'me', now + 20_000)[0]!;
    expect(retry(db, job, 'EIO', now + 20_000)).toBe(true);
    job = claim(db, 'process', 1, 'me', now + 60_000)[0]!;
    expect(retry(db, job, 'EIO', now + 60_000)).toBe(false);
    enqueue(db, 'sidecar', 2);
    const side = claim(db, 'sidecar', 1, 'me')[0]!;
    hold(db, side, 'unreadable');
    expect(jobStatus(db, 'sidecar', 2)).toBe('held');
    expect(claim(db, 'sidecar', 1, 'me')).toEqual([]);
  });

  it('takes back the jobs of a process that died or whose lease ran out, never those of a live one', async () => {
    const { db } = catalogue(3);
    for (const id of [1, 2, 3]) enqueue(db, 'process', id);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      claim(db, 'process', 1, `${dead}:aaaa`);
      claim(db, 'process', 1, `${alive.pid}:bbbb`);
      claim(db, 'process', 1, `${alive.pid}:cccc`, Date.now() - 120_000);
      const runner = new JobRunner(db, new CoreEventBus());
      expect(runner.reclaim()).toBe(2);
      expect(state(db, 1)).toEqual({ state: 'queued', owner: null });
      expect(state(db, 2)).toEqual({ state: 'running', owner: `${alive.pid}:bbbb` });
      expect(state(db, 3)).toEqual({ state: 'queued', owner: null });
      await runner.stop();
    } finally {
      alive.kill();
    }
  });

  it('waits for work another process holds, and sees it finish without an event', async () => {
    const { db, dir } = catalogue(1);
    enqueue(db, 'process', 1);
    const elsewhere = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      claim(db, 'process', 1, `${elsewhere.pid}:dddd`);
      const runner = new JobRunner(db, new CoreEventBus());
      const never = { concurrency: () => 1, run: () => Promise.reject(new Error('not ours to run')) };
      runner.setHandlers({ process: never, snapshot: never, sidecar: never, publish: never, tagging: never });
      let idle = false;
      const waiting = runner.whenIdle(['process']).then(() => (idle = true));
      const done = runner.whenDone('process', 1);
      await new Promise((r) => setTimeout(r, 600));
      expect(idle).toBe(false);
      // The other process finishes, on its own connection.
      const other = openCatalog(dir);
      other.prepare(`DELETE FROM jobs WHERE subject = 1`).run();
      other.close();
      await Promise.all([waiting, done]);
      expect(idle).toBe(true);
      await runner.stop();
    } finally {
      elsewhere.kill();
    }
  });
});
