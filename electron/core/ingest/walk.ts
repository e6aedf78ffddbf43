import fs from 'node:fs';
import path from 'node:path';
import { describeError } from './errors';
import { isIgnoredDir, isIgnoredFile } from './ignore';

export interface WalkEntry {
  relPath: string;
  size: number;
  mtimeMs: number;
  dev: number;
  ino: number;
}

export interface WalkProblem {
  relPath: string;
  message: string;
}

export interface WalkResult {
  /** Folders that could not be listed: files catalogued under them are not known to be gone. */
  unreadable: string[];
  problems: WalkProblem[];
  skippedLinks: number;
}

/**
 * Lists every regular file under a root with the stat the rescan compares against. Synchronous
 * calls are several times faster than promises for 100k files; the caller yields between folders.
 * Symbolic links are not followed: that keeps every path inside its root and makes loops harmless.
 */
export async function walkRoot(
  root: string,
  onBatch: (entries: WalkEntry[]) => void,
  opts: { exclude?: readonly string[]; shouldStop?: () => boolean } = {},
): Promise<WalkResult> {
  const result: WalkResult = { unreadable: [], problems: [], skippedLinks: 0 };
  const exclude = new Set((opts.exclude ?? []).map((p) => path.resolve(p)));
  const stack: string[] = [''];
  let sliceStart = Date.now();
  while (stack.length) {
    if (opts.shouldStop?.()) break;
    const rel = stack.pop()!;
    const abs = rel ? path.join(root, rel) : root;
    let dirents: fs.Dirent[];
    try {
      dirents = fs.readdirSync(abs, { withFileTypes: true });
    } catch (err) {
      result.unreadable.push(rel);
      result.problems.push({ relPath: rel || '.', message: `folder could not be read: ${describeError(err)}` });
      continue;
    }
    const batch: WalkEntry[] = [];
    for (const d of dirents) {
      const name = d.name;
      const childRel = rel ? `${rel}/${name}` : name;
      if (d.isDirectory()) {
        if (isIgnoredDir(name)) continue;
        if (exclude.size && exclude.has(path.join(abs, name))) continue;
        stack.push(childRel);
      } else if (d.isFile()) {
        if (isIgnoredFile(name)) continue;
        const st = fs.statSync(path.join(abs, name), { throwIfNoEntry: false });
        if (!st) continue; // deleted between listing and stat
        batch.push({ relPath: childRel, size: st.size, mtimeMs: Math.trunc(st.mtimeMs), dev: st.dev, ino: st.ino });
      } else if (d.isSymbolicLink()) {
        result.skippedLinks++;
      }
    }
    if (batch.length) onBatch(batch);
    // Keep the event loop (the UI's bridge, the watcher) responsive during a long walk.
    if (Date.now() - sliceStart > 30) {
      await new Promise((r) => setImmediate(r));
      sliceStart = Date.now();
    }
  }
  return result;
}
