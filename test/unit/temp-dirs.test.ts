import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { Library } from '../../electron/core/library';
import { TMP_DIR } from '../../electron/core/ingest/thumb-cache';
import { tempDir } from '../helpers/corpus';

// A catalogue opened by a second process (dam scan beside dam serve) must not take away the temp
// files the first is writing: two-processes.test.ts saw "preview: file not found" when the scan's
// open emptied the thumbnail temp folder under serve's feet. Only a dead writer's leftovers go.
describe('temp folders when a catalogue opens', () => {
  const dirs: string[] = [];
  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  afterAll(() => {
    sleeper.kill('SIGKILL');
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("keeps a live process's thumbnail in the making, removes a dead one's", async () => {
    const dir = tempDir('dam-tmpdirs-');
    dirs.push(dir);
    await Library.open(dir, { create: true }).close();
    const tmp = path.join(dir, 'thumbs', TMP_DIR);
    fs.mkdirSync(tmp, { recursive: true });
    // A pid no process has: past the kernel's pid_max.
    const dead = 4_194_305;
    const live = path.join(tmp, `${'ab'.repeat(32)}.${sleeper.pid}.7`);
    const gone = path.join(tmp, `${'cd'.repeat(32)}.${dead}.8`);
    const foreign = path.join(tmp, 'not-ours');
    for (const f of [live, gone, foreign]) fs.writeFileSync(f, 'x');
    const lib = Library.open(dir);
    try {
      expect(fs.existsSync(live)).toBe(true);
      expect(fs.existsSync(gone)).toBe(false);
      expect(fs.existsSync(foreign)).toBe(false);
    } finally {
      await lib.close();
    }
  });
});
