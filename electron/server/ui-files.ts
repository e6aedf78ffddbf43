import fs from 'node:fs';
import path from 'node:path';
import { isInside } from '../core/media';

/** Decoded, or undefined for a malformed % escape or a NUL (a 400, never a 500). */
export function decodePath(p: string): string | undefined {
  try {
    const decoded = decodeURIComponent(p);
    return decoded.includes('\0') ? undefined : decoded;
  } catch {
    return undefined;
  }
}

/** A regular file confined to the UI folder, links resolved. */
function isUiFile(dir: string, file: string): boolean {
  try {
    return isInside(dir, file) && fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The file that answers a URL path of the UI (dam serve's pages, the desktop app's app://), and
 * the path relative to the UI folder it was asked as; undefined for a malformed path. Anything
 * that is not a regular file inside the folder (after links) gets index.html, whether it exists
 * elsewhere or not: the answer says nothing about the disk outside.
 */
export function uiFile(dir: string, pathname: string): { file: string; rel: string } | undefined {
  const decoded = decodePath(pathname);
  if (decoded === undefined) return undefined;
  const rel = decoded.replace(/^\/+/, '') || 'index.html';
  const file = path.join(dir, rel);
  return { file: isUiFile(dir, file) ? file : path.join(dir, 'index.html'), rel };
}
