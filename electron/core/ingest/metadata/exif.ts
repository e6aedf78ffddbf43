import * as exifrModule from 'exifr';

// Node's ESM loader sees exifr's UMD build as CommonJS and offers only `default`; bundlers and
// the ESM build offer the named exports.
const exifr: { parse: typeof exifrModule.parse } =
  typeof exifrModule.parse === 'function'
    ? exifrModule
    : (exifrModule as unknown as { default: typeof exifrModule }).default;

// One options object for every call: exifr caches its parsed options per object identity in a
// Map that is never cleared, so a fresh object per file would leak.
//  - Only TIFF structures reach exifr (see tiff.ts); XMP, IPTC and containers are handled here.
//  - translateKeys is off on purpose: exifr's name tables are per IFD, so a tag stored in an
//    unusual IFD (the Pentax K10D keeps Exif tags in IFD0) would come back as a bare number
//    anyway. Numeric keys read the same whatever IFD the camera chose.
//  - reviveValues is off: revived dates become local-time Date objects, losing the wall-clock
//    time and any offset. Dates are parsed from the raw strings in dates.ts.
// (silentErrors is a real option that exifr's typings leave out.)
const OPTIONS = Object.freeze({
  exif: true,
  gps: true,
  ifd1: false,
  interop: false,
  makerNote: false,
  userComment: false,
  xmp: false,
  iptc: false,
  icc: false,
  jfif: false,
  ihdr: false,
  translateKeys: false,
  translateValues: false,
  reviveValues: false,
  sanitize: true,
  mergeOutput: false,
  silentErrors: true,
}) as unknown as Parameters<typeof exifrModule.parse>[1];

export type TagMap = Map<number, unknown>;

export interface ExifTags {
  /** IFD0 and Exif IFD tags together, by tag number (their numbers never collide). */
  main: TagMap;
  gps: TagMap;
  errors: string[];
}

function toMap(block: unknown, into: TagMap): void {
  if (!block || typeof block !== 'object') return;
  for (const [k, v] of Object.entries(block as Record<string, unknown>)) {
    const tag = Number(k);
    // The first block read wins: IFD0 before the Exif IFD, the first EXIF segment before a second one.
    if (Number.isInteger(tag) && !into.has(tag)) into.set(tag, v);
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Decodes one compact TIFF structure, adding to what earlier blocks gave. */
export async function decodeExif(tiff: Buffer, into: ExifTags): Promise<void> {
  let out: Record<string, unknown> | undefined;
  try {
    out = (await exifr.parse(tiff, OPTIONS)) as Record<string, unknown> | undefined;
  } catch (err) {
    into.errors.push(message(err));
    return;
  }
  if (!out) return;
  toMap(out.ifd0, into.main);
  toMap(out.exif, into.main);
  toMap(out.gps, into.gps);
  if (Array.isArray(out.errors)) into.errors.push(...out.errors.map(message));
}
