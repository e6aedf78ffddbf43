import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Library } from '../../electron/core/library';
import { tempDir } from './corpus';

export const PROJECT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(PROJECT, 'dist', 'cli.js');

/** A library in a fresh catalogue folder; close() also removes the folder. */
export function freshLibrary(opts: { workers?: number } = {}): {
  lib: Library;
  dir: string;
  dispose(): Promise<void>;
} {
  const dir = tempDir('dam-catalog-');
  const lib = Library.open(dir, { create: true, workers: opts.workers ?? 2 });
  return {
    lib,
    dir,
    async dispose() {
      await lib.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Poll until the check passes (or give up after `ms`): waits on real events, asserts nothing about speed. */
export async function waitFor<T>(
  check: () => T | undefined | false | null | Promise<T | undefined | false | null>,
  ms = 30_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function exiftoolJson(files: string[]): Record<string, unknown>[] {
  const out = execFileSync('exiftool', ['-j', '-n', ...files], { maxBuffer: 64 * 1024 * 1024 }).toString();
  return JSON.parse(out) as Record<string, unknown>[];
}

/** Every regular, non-hidden file under a folder, as the catalogue should see it. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else if (e.isFile() && !e.name.toLowerCase().endsWith('.xmp')) out.push(p);
  }
  return out;
}
