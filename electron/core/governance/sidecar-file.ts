import fs from 'node:fs';
import path from 'node:path';

/**
 * Sidecars come from anywhere (a shared folder, another application, a client's drive), so a file
 * named *.xmp is read only when it is what it claims: a regular file of sidecar size inside its root.
 * A link, a FIFO, a device or a huge file is refused without being opened for long or read whole:
 * a FIFO would block a thread forever, /dev/zero would grow memory without end.
 */

/** Real sidecars are kilobytes (a long Lightroom edit history stays well under one MB). */
export const MAX_SIDECAR_BYTES = 4 * 1024 * 1024;

// O_NOFOLLOW: a link swapped in after the lstat fails to open instead of being followed.
// O_NONBLOCK: a FIFO swapped in opens at once instead of waiting for a writer (and fstat refuses it).
// Both are 0 where the platform lacks them (Windows has no FIFOs and its links are not followed here).
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

export interface SidecarStat {
  size: number;
  mtimeMs: number;
  ino: number;
}

export type SidecarFile =
  | { kind: 'absent' }
  /** Not read, and never to be written over: the reason is one line for the user. */
  | ({ kind: 'refused'; reason: string } & SidecarStat)
  | ({ kind: 'read'; bytes: Buffer } & SidecarStat);

function statOf(st: fs.Stats): SidecarStat {
  return { size: st.size, mtimeMs: Math.trunc(st.mtimeMs), ino: st.ino };
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;

const tooLarge = (size: number) =>
  `is too large for a sidecar (${mb(size)}, the limit is ${mb(MAX_SIDECAR_BYTES)})`;

/** Why a file of this kind is not a sidecar we read or write; null when it is one. */
export function refusal(st: fs.Stats): string | null {
  if (st.isSymbolicLink()) return 'is a symbolic link (links are not followed)';
  if (!st.isFile()) return 'is not a regular file';
  if (st.size > MAX_SIDECAR_BYTES) return tooLarge(st.size);
  return null;
}

/** lstat, or null when nothing is there. */
export async function lstatOrNull(file: string): Promise<fs.Stats | null> {
  try {
    return await fs.promises.lstat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** The folder holding the file, with links resolved, is the root or under it. */
async function insideRoot(rootPath: string, abs: string): Promise<boolean> {
  const [root, dir] = await Promise.all([
    fs.promises.realpath(rootPath),
    fs.promises.realpath(path.dirname(abs)),
  ]);
  return dir === root || dir.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * Read a sidecar if it is a regular file of sidecar size inside its root. I/O errors (permissions,
 * a share that went away) are thrown as they are: they may pass, unlike a refusal.
 */
export async function readSidecarFile(rootPath: string, abs: string): Promise<SidecarFile> {
  const lst = await lstatOrNull(abs);
  if (!lst) return { kind: 'absent' };
  const early = refusal(lst);
  if (early) return { kind: 'refused', reason: early, ...statOf(lst) };
  if (!(await insideRoot(rootPath, abs)))
    return { kind: 'refused', reason: 'is outside its root (through a linked folder)', ...statOf(lst) };
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(abs, OPEN_FLAGS);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'absent' };
    // Replaced by a link between the lstat and the open.
    if (code === 'ELOOP')
      return { kind: 'refused', reason: refusal(lst) ?? 'is a symbolic link', ...statOf(lst) };
    throw err;
  }
  try {
    // The descriptor is what will be read: check it, not the name (which may have been swapped).
    const st = await fh.stat();
    const bad = refusal(st);
    if (bad) return { kind: 'refused', reason: bad, ...statOf(st) };
    // Read at most one byte past the limit: a file that grows while read is refused, never followed.
    let buf = Buffer.allocUnsafe(Math.min(st.size, MAX_SIDECAR_BYTES) + 1);
    let got = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (got > MAX_SIDECAR_BYTES) return { kind: 'refused', reason: tooLarge(got), ...statOf(st) };
      if (got === buf.length) {
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, MAX_SIDECAR_BYTES + 1));
        buf.copy(bigger, 0, 0, got);
        buf = bigger;
      }
    }
    return { kind: 'read', bytes: buf.subarray(0, got), ...statOf(st) };
  } finally {
    await fh.close();
  }
}

/** Before a sidecar is replaced: only a regular file (or nothing) is ever written over. */
export async function assertReplaceable(abs: string): Promise<void> {
  const st = await lstatOrNull(abs);
  if (!st) return;
  if (st.isSymbolicLink() || !st.isFile())
    throw new Error(`${refusal(st) ?? 'is not a regular file'}: not written over`);
}
