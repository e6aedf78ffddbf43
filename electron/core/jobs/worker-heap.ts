import v8 from 'node:v8';
import type { Worker } from 'node:worker_threads';

// V8 sizes a new isolate's heap from the process's flags when the isolate is made, and a worker
// thread has no option of its own for the old generation's starting size. Some workers promote
// megabytes of short-lived objects per task (the tagging models' framework: ~5 MB per picture);
// V8's default limit sits just above their live heap (~22 MB), so they collected their old
// generation every two or three pictures. A floor is set only while such a worker's isolate is
// made, and put back (0, V8's default) once every worker started so has come online.

let starting = 0;

/** Spawns a worker whose old generation is first collected past `mb` (see above); `setFlags` is seen by tests. */
export function spawnWithOldSpaceFloor(
  mb: number,
  spawn: () => Worker,
  setFlags: (flags: string) => void = (f) => v8.setFlagsFromString(f),
): Worker {
  setFlags(`--initial-old-space-size=${Math.max(1, Math.round(mb))}`);
  starting++;
  let settled = false;
  const started = () => {
    if (settled) return;
    settled = true;
    if (--starting === 0) setFlags('--initial-old-space-size=0');
  };
  let worker: Worker;
  try {
    worker = spawn();
  } catch (err) {
    started();
    throw err;
  }
  worker.once('online', started);
  worker.once('error', started);
  worker.once('exit', started);
  return worker;
}
