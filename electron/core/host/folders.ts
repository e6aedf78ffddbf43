import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FolderListing, HostInfo, Place } from '../../../shared/contract';
import { isIgnoredDir } from '../ingest/ignore';
import { listMounts } from '../ingest/mounts';
import { invalidInput, notFound, refused, unavailable } from '../errors';

/** More sub-folders than anyone scrolls through; the rest is reachable by typing the path. */
const MAX_FOLDERS = 2000;

/** Mount points under these are drives and shares a person plugged in or mounted. */
const MOUNT_PARENTS = ['/media/', '/mnt/', '/run/media/', '/Volumes/'];
/** Kernel and memory file systems: nothing a person keeps pictures on. */
const VIRTUAL_FS =
  /^(proc|sysfs|tmpfs|devtmpfs|devpts|cgroup2?|securityfs|debugfs|tracefs|overlay|squashfs|autofs|mqueue|bpf|pstore|configfs|fusectl|hugetlbfs|binfmt_misc|nsfs|ramfs)$/;

export function hostInfo(): HostInfo {
  const home = os.homedir();
  const platform = process.platform;
  const examplePath = (platform === 'win32' ? path.win32 : path.posix).join(home, 'Pictures');
  return { platform, home, examplePath, separator: platform === 'win32' ? '\\' : '/' };
}

/**
 * A path typed by a person into the server's UI: `~` is their home folder, and a relative path
 * is refused (it would be taken from the folder the server happens to run in, which means nothing
 * to someone in a browser).
 */
export function expandUserPath(typed: string): string {
  const p = typed.trim();
  const home = os.homedir();
  if (p === '~') return home;
  if (p.startsWith('~/') || (process.platform === 'win32' && p.startsWith('~\\')))
    return path.join(home, p.slice(2));
  if (p.startsWith('~'))
    throw invalidInput(`only your own home folder can be written as ~ (${home}): give the full path`);
  if (!path.isAbsolute(p))
    throw invalidInput(
      `give the full path of the folder, e.g. ${hostInfo().examplePath} ("${p}" is relative)`,
    );
  return path.resolve(p);
}

/**
 * Where the folder browser may look: the home folder and the drives and shares mounted under the
 * usual places. Over `dam serve` anyone holding the token browses as the server's user, so the
 * browser shows where pictures live, not the whole system (/etc, /proc, other users' homes).
 */
export function places(): Place[] {
  const out: Place[] = [];
  const seen = new Set<string>();
  const add = (name: string, p: string) => {
    const real = realOrNull(p);
    if (!real || seen.has(real) || !isDir(real)) return;
    seen.add(real);
    out.push({ name, path: real });
  };
  add('Home', os.homedir());
  for (const m of listMounts()) {
    if (VIRTUAL_FS.test(m.type)) continue;
    if (MOUNT_PARENTS.some((p) => m.point.startsWith(p))) add(path.basename(m.point), m.point);
  }
  if (process.platform === 'darwin') {
    for (const name of safeReaddir('/Volumes')) add(name, path.join('/Volumes', name));
  }
  return out;
}

/** The sub-folders of `dir` (no files, no hidden or OS clutter folders), or the places when dir is absent. */
export function browseFolders(dir: string | undefined): FolderListing {
  const allowed = places();
  if (dir === undefined || dir.trim() === '')
    return { path: null, parent: null, folders: allowed, places: allowed };
  const abs = expandUserPath(dir);
  const real = realOrNull(abs);
  if (!real || !isDir(real)) throw notFound(`folder not found: ${abs}`);
  const within = allowed.find((pl) => real === pl.path || real.startsWith(withSep(pl.path)));
  if (!within)
    throw refused(
      'not-browsable',
      `${real} is outside the folders that can be browsed here (your home folder and mounted drives): type its full path instead`,
    );
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(real, { withFileTypes: true });
  } catch (err) {
    throw unavailable(`cannot read ${real}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  // Symbolic links are left out, as the scanner does not follow them: every folder shown is inside the place.
  const folders = entries
    .filter((e) => e.isDirectory() && !isIgnoredDir(e.name))
    .map((e) => ({ name: e.name, path: path.join(real, e.name) }))
    .sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true }))
    .slice(0, MAX_FOLDERS);
  return { path: real, parent: real === within.path ? null : path.dirname(real), folders, places: allowed };
}

function withSep(p: string): string {
  return p.endsWith(path.sep) ? p : p + path.sep;
}

function realOrNull(p: string): string | null {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function safeReaddir(p: string): string[] {
  try {
    return fs.readdirSync(p).filter((n) => !n.startsWith('.'));
  } catch {
    return [];
  }
}
