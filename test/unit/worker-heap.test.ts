import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { spawnWithOldSpaceFloor } from '../../electron/core/jobs/worker-heap';

const IDLE = `require('node:worker_threads').parentPort.once('message', () => process.exit(0));`;

// Real worker threads; only the flag setter is observed (V8 cannot be asked for a flag's value).
describe('a worker spawned with an old-space floor', () => {
  it('sets the floor for its start and puts the default back once every such worker is online', async () => {
    const calls: string[] = [];
    const set = (f: string) => calls.push(f);
    const a = spawnWithOldSpaceFloor(64, () => new Worker(IDLE, { eval: true }), set);
    const b = spawnWithOldSpaceFloor(64, () => new Worker(IDLE, { eval: true }), set);
    expect(calls).toEqual(['--initial-old-space-size=64', '--initial-old-space-size=64']);
    await Promise.all([a, b].map((w) => new Promise((r) => w.once('online', r))));
    // Reset once, after both: the second isolate may be made after the first is online.
    expect(calls).toEqual([
      '--initial-old-space-size=64',
      '--initial-old-space-size=64',
      '--initial-old-space-size=0',
    ]);
    await Promise.all([a.terminate(), b.terminate()]);
    expect(calls).toHaveLength(3);
  });

  it('puts the default back when the worker cannot start', async () => {
    const calls: string[] = [];
    const w = spawnWithOldSpaceFloor(
      64,
      () => new Worker(`throw new Error('broken worker')`, { eval: true }),
      (f) => calls.push(f),
    );
    await new Promise((r) => w.once('exit', r));
    expect(calls.at(-1)).toBe('--initial-old-space-size=0');
    expect(() =>
      spawnWithOldSpaceFloor(
        64,
        () => {
          throw new Error('no such file');
        },
        (f) => calls.push(f),
      ),
    ).toThrow('no such file');
    expect(calls.at(-1)).toBe('--initial-old-space-size=0');
  });
});
