import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../catalog/open';
import { stmt } from '../catalog/statements';
import { parseTempName, processAlive } from '../temp-files';
import { appendChange } from './change-log.repository';
import type { Actor } from './settings';
import { absPath, sidecarOwners } from './sidecars';

/**
 * Temporary files a killed `dam set` (or embedding) left beside originals: other applications and
 * sync tools see them, so the next scan of their folder removes them, once their writer is gone.
 */

/** On a shared folder the writer may be another machine, whose pid means nothing here: give it time. */
export const DEAD_WRITER_MIN_AGE_MS = 5 * 60_000;
/** A pid can be reused: a file this old is no write in progress, whoever holds the pid now. */
export const ANY_WRITER_MAX_AGE_MS = 60 * 60_000;

function alive(pid: number): boolean {
  if (pid <= 1) return true; // 0 and 1 are no writer of ours: let the age decide
  return processAlive(pid);
}

function ownersOf(db: Db, rootId: number, targetRel: string): number[] {
  if (targetRel.toLowerCase().endsWith('.xmp')) return sidecarOwners(db, rootId, targetRel);
  const id = stmt(db, `SELECT asset_id FROM files WHERE root_id = ? AND rel_path = ?`)
    .pluck()
    .get(rootId, targetRel) as number | undefined;
  return id == null ? [] : [id];
}

/**
 * Remove our leftover temporary files ([rootRel, mtimeMs] from the walk) whose writer is gone, and
 * note each in its asset's history. Returns the root-relative paths removed.
 */
export async function removeDebris(
  db: Db,
  actor: Actor,
  rootId: number,
  rootPath: string,
  found: readonly [string, number][],
  now = Date.now(),
): Promise<string[]> {
  const removed: string[] = [];
  for (const [rel, mtimeMs] of found) {
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    const ours = parseTempName(name);
    if (!ours) continue;
    const age = now - mtimeMs;
    if (age < DEAD_WRITER_MIN_AGE_MS || (alive(ours.pid) && age < ANY_WRITER_MAX_AGE_MS)) continue;
    const abs = absPath(rootPath, rel);
    try {
      // Still the regular file the walk saw (not a link put in its place, not rewritten since).
      const st = await fs.promises.lstat(abs);
      if (!st.isFile() || Math.trunc(st.mtimeMs) !== mtimeMs) continue;
      await fs.promises.unlink(abs);
    } catch {
      continue; // gone already, or not ours to remove (permissions): left for a later scan
    }
    removed.push(rel);
    const folder = path.posix.dirname(rel);
    const targetRel = folder === '.' ? ours.target : `${folder}/${ours.target}`;
    for (const assetId of ownersOf(db, rootId, targetRel))
      appendChange(db, {
        assetId,
        field: 'leftoverFile',
        oldValue: name,
        newValue: null,
        actor: actor.user,
        machine: actor.machine,
        at: now,
        source: 'local',
      });
  }
  return removed;
}
