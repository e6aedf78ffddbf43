import fs from 'node:fs';
import { describeError } from './errors';

export type Reachability = { ok: true; dev: number } | { ok: false; reason: string };

/**
 * Can the root be read right now? An unmounted share usually leaves its mount point behind as an
 * empty folder on another device: that is "offline", never "every file deleted".
 */
export function checkRoot(rootPath: string, knownDev: number | null): Reachability {
  let st: fs.Stats;
  try {
    st = fs.statSync(rootPath);
  } catch (err) {
    const e = describeError(err);
    return {
      ok: false,
      reason: e === 'file not found' ? 'folder not found (drive disconnected or share unmounted?)' : e,
    };
  }
  if (!st.isDirectory()) return { ok: false, reason: 'not a folder' };
  let empty: boolean;
  try {
    const dir = fs.opendirSync(rootPath);
    empty = dir.readSync() === null;
    dir.closeSync();
  } catch (err) {
    return { ok: false, reason: `cannot be read: ${describeError(err)}` };
  }
  if (knownDev != null && st.dev !== knownDev && empty) {
    return { ok: false, reason: 'nothing is mounted there (the share or drive is not connected)' };
  }
  return { ok: true, dev: st.dev };
}
