import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { workerFile } from '../jobs/worker-files';
import { parseTempName } from '../temp-files';
import { describeError } from './errors';
import { isIgnoredDir, isIgnoredFile, isSidecarName } from './ignore';
import { undecodableEntries, type UndecodableEntry } from './raw-names';

export interface WalkEntry {
  relPath: string;
  size: number;
  mtimeMs: number;
  dev: number;
  ino: number;
}

/**
 * One folder's files, column-wise: names, and per file [size, mtimeMs, dev, ino] in `num`. A typed
 * array crosses from the walking thread without copying and without 100k small objects.
 */
export interface WalkBatch {
  rel: string[];
  num: Float64Array;
}
export const NUMS_PER_ENTRY = 4;

export function entryAt(b: WalkBatch, i: number): WalkEntry {
  const o = i * NUMS_PER_ENTRY;
  return {
    relPath: b.rel[i]!,
    size: b.num[o]!,
    mtimeMs: b.num[o + 1]!,
    dev: b.num[o + 2]!,
    ino: b.num[o + 3]!,
  };
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
  /** XMP sidecars seen (not catalogued as assets): [relPath, size, mtimeMs]. */
  sidecars: [string, number, number][];
  /** Our temporary files (.NAME.PID.HEX.tmp) that an interrupted write left: [relPath, mtimeMs]. */
  debris: [string, number][];
}

export interface WalkOptions {
  exclude?: readonly string[];
}

/** The folder's undecodable names as problems (the scan's and the watcher's one wording). */
export function undecodableProblems(entries: readonly UndecodableEntry[], rel: string): WalkProblem[] {
  return entries
    .filter((e) => !(e.isDir ? isIgnoredDir(e.name) : isIgnoredFile(e.name) && !isSidecarName(e.name)))
    .map((e) => ({
      relPath: rel ? `${rel}/${e.name}` : e.name,
      message: e.isDir
        ? 'folder name is not valid UTF-8 (from an old card or a Windows share?): its files are not catalogued; rename it'
        : 'file name is not valid UTF-8 (from an old card or a Windows share?): not catalogued; rename it',
    }));
}

/** Lists the folder's undecodable names as problems; returns them as the string listing shows them. */
function reportUndecodable(abs: string, rel: string, result: WalkResult): Set<string> {
  let entries: UndecodableEntry[];
  try {
    entries = undecodableEntries(abs);
  } catch {
    return new Set(); // the folder went away since it was listed
  }
  result.problems.push(...undecodableProblems(entries, rel));
  return new Set(entries.map((e) => e.lossy));
}

/**
 * Lists every regular file under a root with the stat the rescan compares against. Synchronous
 * calls are several times faster than promises for 100k files. Symbolic links are not followed:
 * that keeps every path inside its root and makes loops harmless.
 */
export function walkSync(root: string, onBatch: (b: WalkBatch) => void, opts: WalkOptions = {}): WalkResult {
  const result: WalkResult = { unreadable: [], problems: [], skippedLinks: 0, sidecars: [], debris: [] };
  const exclude = new Set((opts.exclude ?? []).map((p) => path.resolve(p)));
  const sep = path.sep;
  const stack: string[] = [''];
  while (stack.length) {
    const rel = stack.pop()!;
    const abs = rel ? root + sep + (sep === '/' ? rel : rel.split('/').join(sep)) : root;
    let dirents: fs.Dirent[];
    try {
      dirents = fs.readdirSync(abs, { withFileTypes: true });
    } catch (err) {
      result.unreadable.push(rel);
      result.problems.push({
        relPath: rel || '.',
        message: `folder could not be read: ${describeError(err)}`,
      });
      continue;
    }
    const names: string[] = [];
    const num = new Float64Array(dirents.length * NUMS_PER_ENTRY);
    let undecodable: Set<string> | null = null;
    for (const d of dirents) {
      const name = d.name;
      // Perhaps not the name on disk (its bytes are not UTF-8): reported by name, never skipped silently.
      if (name.includes('\uFFFD')) {
        undecodable ??= reportUndecodable(abs, rel, result);
        if (undecodable.has(name)) continue;
      }
      if (d.isFile()) {
        if (isIgnoredFile(name)) {
          if (name.endsWith('.tmp') && parseTempName(name)) {
            const st = fs.lstatSync(abs + sep + name, { throwIfNoEntry: false });
            if (st) result.debris.push([rel ? rel + '/' + name : name, Math.trunc(st.mtimeMs)]);
            continue;
          }
          if (!isSidecarName(name)) continue;
          const st = fs.statSync(abs + sep + name, { throwIfNoEntry: false });
          if (st) result.sidecars.push([rel ? rel + '/' + name : name, st.size, Math.trunc(st.mtimeMs)]);
          continue;
        }
        const st = fs.statSync(abs + sep + name, { throwIfNoEntry: false });
        if (!st) continue; // deleted between listing and stat
        const o = names.length * NUMS_PER_ENTRY;
        num[o] = st.size;
        num[o + 1] = Math.trunc(st.mtimeMs);
        num[o + 2] = st.dev;
        num[o + 3] = st.ino;
        names.push(rel ? rel + '/' + name : name);
      } else if (d.isDirectory()) {
        if (isIgnoredDir(name) || (exclude.size > 0 && exclude.has(abs + sep + name))) continue;
        stack.push(rel ? rel + '/' + name : name);
      } else {
        if (d.isSymbolicLink()) result.skippedLinks++;
        // A sidecar that is a link, a pipe or a device is not followed or read, but reported:
        // the sidecar reader refuses it, so that an asset's missing rights are explained.
        if (isSidecarName(name)) {
          const st = fs.lstatSync(abs + sep + name, { throwIfNoEntry: false });
          if (st) result.sidecars.push([rel ? rel + '/' + name : name, st.size, Math.trunc(st.mtimeMs)]);
        }
      }
    }
    if (names.length) onBatch({ rel: names, num: num.subarray(0, names.length * NUMS_PER_ENTRY) });
  }
  return result;
}

/**
 * Walks on a thread of its own: the main thread stays free for the UI and meanwhile loads the
 * catalogue's side of the comparison. Batches arrive through `onBatch` as the walk goes.
 */
export function walkRoot(
  root: string,
  onBatch: (b: WalkBatch) => void,
  opts: WalkOptions = {},
): Promise<WalkResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile('walk-worker.js'), {
      workerData: { root, exclude: opts.exclude ?? [] },
    });
    worker.on('message', (m: { batch?: WalkBatch; done?: WalkResult }) => {
      if (m.batch) onBatch(m.batch);
      else if (m.done) {
        resolve(m.done);
        void worker.terminate();
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`folder walk stopped unexpectedly (exit ${code})`));
    });
  });
}
