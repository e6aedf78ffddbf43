import { isIgnoredDir, isIgnoredFile } from '../ingest/ignore';

// Names that come from outside (an upload's file name, the uploader's name, a portal's folder)
// become one path segment each: never a path, never hidden, never a device, in NFC.

/** Device names Windows will not open as files, whatever their extension (a share may be SMB). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
/** Control characters (NUL included), and the invisible ones that disguise a name: bidi overrides, zero-width. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
/** What Windows and SMB shares refuse in a name. */
const FORBIDDEN = /[<>:"|?*]/g;
const MAX_BYTES = 200;

function truncateUtf8(s: string, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > maxBytes) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/**
 * One safe path segment from a name given by someone else: only its last element (`../../x`,
 * `/etc/x` and `C:\x\y` keep their final name), NFC, without control or invisible characters,
 * without what Windows forbids, without leading dots (no hidden files, no `..`) or trailing dots
 * and spaces, a reserved device name prefixed with `_`, at most 200 bytes (the extension kept).
 */
export function safeSegment(raw: string, fallback: string): string {
  let s = raw.normalize('NFC').replace(INVISIBLE, '');
  s = s.split(/[/\\]/).pop() ?? '';
  s = s
    .replace(FORBIDDEN, '_')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (Buffer.byteLength(s) > MAX_BYTES) {
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && s.length - dot <= 16 ? s.slice(dot) : '';
    s = truncateUtf8(s.slice(0, s.length - ext.length), MAX_BYTES - Buffer.byteLength(ext)) + ext;
  }
  if (WINDOWS_RESERVED.test(s)) s = `_${s}`;
  // A name the catalogue would skip (Thumbs.db, @eaDir, $RECYCLE.BIN) would land and never be seen.
  if (s && (isIgnoredFile(s) || isIgnoredDir(s))) s = `_${s}`;
  return s || fallback;
}

/** A folder path given for a portal (`Inbox`, `Clients/Acme`): each segment made safe, never empty. */
export function safeFolder(raw: string, fallback: string): string {
  const parts = raw
    .split(/[/\\]/)
    .map((p) => p.trim())
    .filter((p) => p && p !== '.' && p !== '..')
    .map((p) => safeSegment(p, ''))
    .filter(Boolean);
  return parts.length ? parts.join('/') : fallback;
}

/** `photo.jpg`, then `photo-2.jpg`, `photo-3.jpg`… */
export function numbered(name: string, n: number): string {
  if (n <= 1) return name;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}-${n}${name.slice(dot)}` : `${name}-${n}`;
}
