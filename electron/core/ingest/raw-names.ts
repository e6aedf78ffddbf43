import fs from 'node:fs';

/**
 * On Linux a file name is bytes, and one written by an old camera card or a Windows share may be
 * Latin-1 (`caf\xe9.jpg`). Node hands such a name over with U+FFFD in place of the bad bytes, a
 * name no call can open. These helpers find the real names so they can be reported by name.
 */

const STRICT = new TextDecoder('utf-8', { fatal: true });

/** True when the bytes are not valid UTF-8 (so the string Node gives for them is not the name). */
export function isUndecodableName(raw: Buffer): boolean {
  try {
    STRICT.decode(raw);
    return false;
  } catch {
    return true;
  }
}

/** A readable, unambiguous form of a raw name: valid UTF-8 as it is, other bytes as \xHH, "\" as "\\". */
export function escapeName(raw: Buffer): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    let len = 0;
    // The shortest run of 1-4 bytes that decodes on its own is one character.
    for (let n = 1; n <= 4 && i + n <= raw.length; n++) {
      try {
        out += STRICT.decode(raw.subarray(i, i + n)).replace(/\\/g, '\\\\');
        len = n;
        break;
      } catch {
        // not a whole character yet
      }
    }
    if (len === 0) {
      out += `\\x${raw[i]!.toString(16).padStart(2, '0')}`;
      len = 1;
    }
    i += len;
  }
  return out;
}

export interface UndecodableEntry {
  /** Escaped, for people. */
  name: string;
  /** What Node's string listing shows for it. */
  lossy: string;
  isDir: boolean;
}

/** The folder's entries whose names are not valid UTF-8. */
export function undecodableEntries(folder: string): UndecodableEntry[] {
  return fs
    .readdirSync(folder, { withFileTypes: true, encoding: 'buffer' })
    .filter((d) => isUndecodableName(d.name))
    .map((d) => ({ name: escapeName(d.name), lossy: d.name.toString('utf8'), isDir: d.isDirectory() }));
}
