// The naming habits that mark a file as a version of another: photo_v2.jpg, photo-final.jpg,
// photo_FINAL_v3.jpg, photo (1).jpg, photo copy.jpg, photo_edit.jpg. Pure: unit-tested on names alone.

/** Camera RAW extensions: a RAW and a JPEG of one base name are one picture. */
export const RAW_EXTS = new Set([
  'cr2',
  'cr3',
  'nef',
  'nrw',
  'arw',
  'dng',
  'raf',
  'orf',
  'rw2',
  'pef',
  'srw',
]);
export const JPEG_EXTS = new Set(['jpg', 'jpeg']);

export interface VersionName {
  /** The stem with every version mark taken off, lowercased: the stack's key within a folder. */
  base: string;
  /** Lowercased extension without the dot ('' when none). */
  ext: string;
  /** The name carried a version mark (so it is a version of its base, not merely a RAW+JPEG pair). */
  marked: boolean;
  /** _final / -FINAL: the person meant it as the final one. */
  final: boolean;
  /** The highest explicit version number (_v3 → 3, "(2)" and "copy 2" count too); 0 when none. */
  version: number;
}

// One mark at the end of a stem. The separator is required so that "nov2" or "Kiev3" are not
// read as versions; "copy" and "(1)" are what file managers append.
const MARKS: { re: RegExp; kind: 'version' | 'final' | 'other' }[] = [
  { re: /[\s._-]+v(?:er(?:sion)?)?[\s._-]?(\d{1,4})$/i, kind: 'version' },
  { re: /[\s._-]+final$/i, kind: 'final' },
  { re: /\s*\((\d{1,4})\)$/, kind: 'version' },
  { re: /[\s._-]+copy(?:[\s._-]+(\d{1,4}))?$/i, kind: 'version' },
  { re: /[\s._-]+edit(?:ed)?(?:[\s._-]*(\d{1,4}))?$/i, kind: 'version' },
];

export function parseVersionName(fileName: string): VersionName {
  const dot = fileName.lastIndexOf('.');
  const stem = dot > 0 ? fileName.slice(0, dot) : fileName;
  const ext = dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
  let rest = stem.normalize('NFC');
  let marked = false;
  let final = false;
  let version = 0;
  for (let changed = true; changed;) {
    changed = false;
    for (const m of MARKS) {
      const hit = m.re.exec(rest);
      // Never strip a stem down to nothing: "v2.jpg" or "copy.jpg" is a name, not a mark.
      if (!hit || hit.index === 0) continue;
      rest = rest.slice(0, hit.index);
      marked = changed = true;
      if (m.kind === 'final') final = true;
      // "copy" alone is the second version, "(1)" likewise: both sit above the unmarked original.
      else version = Math.max(version, hit[1] ? Number(hit[1]) : 1);
    }
  }
  return { base: rest.trim().toLowerCase(), ext, marked, final, version };
}

export const isRaw = (ext: string): boolean => RAW_EXTS.has(ext.toLowerCase());
export const isJpeg = (ext: string): boolean => JPEG_EXTS.has(ext.toLowerCase());

/**
 * How "final" a version looks, for choosing the current one: _final above any number, a higher
 * number above a lower one, a JPEG above the RAW it was made from (it is what renders and
 * publishes), then the newest added. Compare as a tuple, larger wins.
 */
export function finality(name: string, addedOrder: number): [number, number, number, number] {
  const v = parseVersionName(name);
  return [v.final ? 1 : 0, v.version, isRaw(v.ext) ? 0 : 1, addedOrder];
}

export function compareTuples(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
