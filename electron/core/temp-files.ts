import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The hidden name a file is written under before it is renamed over its target (sidecars, and
 * originals with embedded XMP): `.NAME.PID.HEX.tmp`. A process killed in between leaves one behind;
 * the pid in the name tells a later scan whether its writer can still be at work.
 */
const TEMP = /^\.(.+)\.(\d{1,10})\.[0-9a-f]{8}\.tmp$/;

export function tempNameFor(name: string): string {
  return `.${name}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
}

/** The target's name and the writer's pid when the name is one of ours, else null. */
export function parseTempName(name: string): { target: string; pid: number } | null {
  const m = TEMP.exec(name);
  return m ? { target: m[1]!, pid: Number(m[2]) } : null;
}

/** Whether a process of this machine lives (EPERM: it does, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A pid can be reused: a temp file this old is no write in progress, whoever holds the pid now. */
const STALE_TEMP_MS = 60 * 60_000;

/**
 * Empties a folder of temp files but for those another live process is writing now (a second
 * process on the same catalogue opens it while the first works). `pidOf` reads the writer's pid
 * from a name; a name without one is nobody's.
 */
export function removeDeadTemps(dir: string, pidOf: (name: string) => number | null): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    const file = path.join(dir, name);
    const pid = pidOf(name);
    if (pid && pid !== process.pid && processAlive(pid)) {
      let mtime = now;
      try {
        mtime = fs.statSync(file).mtimeMs;
      } catch {
        continue;
      }
      if (now - mtime < STALE_TEMP_MS) continue;
    }
    fs.rmSync(file, { force: true, recursive: true });
  }
}
