// Our metadata reader against exiftool, the oracle: what exiftool's values say our fields should
// be, and a field-by-field comparison. Shared by the unit tests (generated files) and the corpus
// suite (the real camera corpus).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isCameraBoilerplate, lensInfoText } from '../../electron/core/ingest/metadata/normalize';
import { readMetadata, type FileMetadata } from '../../electron/core/ingest/metadata/read-metadata';

// ---------------------------------------------------------------------------------------------
// Harness

export const CALL_TIMEOUT_MS = 10_000;

class Timeout extends Error {}

/** Every call is raced against a timer: a reader that hangs fails the test instead of stalling it. */
export async function within<T>(p: Promise<T>, what: string, ms = CALL_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Timeout(`readMetadata hung on ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export type Outcome = { ok: true; meta: FileMetadata } | { ok: false; error: string; kind: string };

export async function attempt(input: { path: string; buffer?: Buffer }): Promise<Outcome> {
  try {
    return { ok: true, meta: await within(readMetadata(input), input.path) };
  } catch (err) {
    if (err instanceof Timeout || !(err instanceof Error)) throw err;
    return { ok: false, error: err.message, kind: err.constructor.name };
  }
}

export async function read(file: string): Promise<FileMetadata> {
  return within(readMetadata({ path: file, buffer: fs.readFileSync(file) }), file);
}

export type Rec = Record<string, unknown>;

/** exiftool's own reading, by absolute path. -G1 keeps IFD0 apart from IFD1 and XMP-dc apart from XMP-exif. */
export function exiftool(files: string[]): Map<string, Rec> {
  const r = spawnSync('exiftool', ['-j', '-n', '-G1', '-struct', '-charset', 'filename=UTF8', ...files], {
    maxBuffer: 256 * 1024 * 1024,
  });
  // exiftool exits non-zero when some file is unreadable; its JSON still covers every file.
  const list = JSON.parse(r.stdout.toString() || '[]') as Rec[];
  return new Map(list.map((rec) => [path.resolve(String(rec.SourceFile)), rec]));
}

// ---------------------------------------------------------------------------------------------
// What exiftool's values say our fields should be. The precedence mirrors the documented one in
// read-metadata; the reading itself (binary parsing, rationals, charsets) is exiftool's.

export function etText(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return null;
  const s = v.replace(/\0/g, '').normalize('NFC').trim();
  return s || null;
}

export function etList(v: unknown): string[] {
  const items = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  return items.map(etText).filter((s): s is string => s !== null);
}

export function etNum(v: unknown): number | null {
  if (Array.isArray(v)) return etNum(v[0]);
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim().split(/\s+/)[0]) : NaN;
  return Number.isFinite(n) ? n : null;
}

export function etPositive(v: unknown): number | null {
  const n = etNum(v);
  return n !== null && n > 0 ? n : null;
}

export function firstOf<T>(...values: (T | null | undefined)[]): T | null {
  for (const v of values) if (v !== null && v !== undefined) return v;
  return null;
}

export function dedupeCi(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = v.toLocaleLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export interface EtDate {
  wall: string;
  frac: string | null;
  offset: string | null;
}

export function etOffset(v: unknown): string | null {
  const s = typeof v === 'string' ? v.trim() : '';
  if (s === 'Z') return '+00:00';
  const m = /^([+-])(\d{1,2}):?(\d{2})$/.exec(s);
  return m ? `${m[1]}${m[2]!.padStart(2, '0')}:${m[3]}` : null;
}

/** exiftool prints EXIF, XMP and IPTC dates alike as "YYYY:MM:DD HH:MM:SS[.ss][±HH:MM]" (any prefix of it for XMP). */
export function etDate(v: unknown, subsec?: unknown, ...offsets: unknown[]): EtDate | null {
  const s = typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';
  const m =
    /^(\d{4})(?:[:-](\d{2})(?:[:-](\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.(\d+))?)?)?)?\s*(Z|[+-]\d{1,2}:?\d{2})?$/.exec(
      s,
    );
  if (!m) return null;
  const num = (x: string | undefined) => (x === undefined ? null : Number(x));
  const [y, mo, d, h, mi] = [num(m[1]), num(m[2]), num(m[3]), num(m[4]), num(m[5])] as const;
  if (!y || y < 1000 || (mo !== null && (mo < 1 || mo > 12))) return null;
  if (d !== null && (d < 1 || d > new Date(Date.UTC(y, mo!, 0)).getUTCDate())) return null;
  if (h !== null && (h > 23 || mi! > 59 || Number(m[6] ?? 0) > 59)) return null;
  let wall = m[1]!;
  if (m[2]) wall += `-${m[2]}`;
  if (m[3]) wall += `-${m[3]}`;
  if (m[4]) wall += `T${m[4]}:${m[5]}:${m[6] ?? '00'}`;
  const fracRaw = m[7] ?? (subsec === undefined || subsec === null ? null : String(subsec).trim());
  const frac = m[4] && fracRaw && /^\d+$/.test(fracRaw) && /[1-9]/.test(fracRaw) ? fracRaw : null;
  const offset = m[4] ? firstOf(etOffset(m[8]), ...offsets.map(etOffset)) : null;
  return { wall, frac, offset };
}

export interface Expected {
  make: string | null;
  model: string | null;
  lens: string | null;
  orientation: number | null;
  iso: number | null;
  fNumber: number | null;
  exposureTime: number | null;
  focalLength: number | null;
  width: number | null;
  height: number | null;
  gps: { lat: number; lon: number; alt: number | null } | null;
  latRef: string | null;
  lonRef: string | null;
  date: EtDate | null;
  /** Offsets recorded by XMP/IPTC copies of the same wall-clock time (ours may adopt one). */
  twinOffsets: string[];
  title: string | null;
  description: string | null;
  keywords: string[];
  creator: string | null;
  copyright: string | null;
  credit: string | null;
  rating: number | null;
}

export function expectedFrom(r: Rec): Expected {
  const make = firstOf(etText(r['IFD0:Make']), etText(r['XMP-tiff:Make']));
  const model = firstOf(etText(r['IFD0:Model']), etText(r['XMP-tiff:Model']));
  const orient = (v: unknown) => {
    const n = etNum(v);
    return n !== null && Number.isInteger(n) && n >= 1 && n <= 8 ? n : null;
  };
  const rating = (v: unknown) => {
    const n = etNum(v);
    return n !== null && n >= -1 && n <= 5 ? n : null;
  };
  const isoRaw = etPositive(r['ExifIFD:ISO']);
  const iso = firstOf(
    isoRaw !== null && isoRaw < 65535 ? isoRaw : null,
    etPositive(r['ExifIFD:ISOSpeed']),
    etPositive(r['ExifIFD:RecommendedExposureIndex']),
    etPositive(r['ExifIFD:StandardOutputSensitivity']),
    isoRaw,
    etPositive(r['XMP-exif:ISO']),
  );

  const ew = etNum(r['ExifIFD:ExifImageWidth']);
  const eh = etNum(r['ExifIFD:ExifImageHeight']);
  const isTiff = r['File:FileType'] === 'TIFF';
  const [width, height] =
    ew && eh && ew > 0 && eh > 0
      ? [ew, eh]
      : [
          firstOf(
            etNum(r['File:ImageWidth']),
            etNum(r['PNG:ImageWidth']),
            etNum(r['RIFF:ImageWidth']),
            etNum(r['Photoshop:ImageWidth']),
            isTiff ? etNum(r['IFD0:ImageWidth']) : null,
          ),
          firstOf(
            etNum(r['File:ImageHeight']),
            etNum(r['PNG:ImageHeight']),
            etNum(r['RIFF:ImageHeight']),
            etNum(r['Photoshop:ImageHeight']),
            isTiff ? etNum(r['IFD0:ImageHeight']) : null,
          ),
        ];

  const latRef = etText(r['GPS:GPSLatitudeRef']);
  const lonRef = etText(r['GPS:GPSLongitudeRef']);
  const lat = etNum(r['Composite:GPSLatitude']);
  const lon = etNum(r['Composite:GPSLongitude']);
  const noFix = lat === 0 && lon === 0 && !latRef && !lonRef;
  const gps =
    lat !== null && lon !== null && !noFix && Math.abs(lat) <= 90 && Math.abs(lon) <= 180
      ? // exiftool only composes a signed altitude when GPSAltitudeRef is present; a missing ref means above sea level.
        { lat, lon, alt: firstOf(etNum(r['Composite:GPSAltitude']), etNum(r['GPS:GPSAltitude'])) }
      : null;

  const xmpDates = [
    r['XMP-exif:DateTimeOriginal'],
    r['XMP-photoshop:DateCreated'],
    r['XMP-xmp:CreateDate'],
  ].map((v) => etDate(v));
  const iptcDate = etDate(
    typeof r['IPTC:DateCreated'] === 'string' && typeof r['IPTC:TimeCreated'] === 'string'
      ? `${r['IPTC:DateCreated']} ${r['IPTC:TimeCreated']}`
      : r['IPTC:DateCreated'],
  );
  const date = firstOf(
    etDate(
      r['ExifIFD:DateTimeOriginal'],
      r['ExifIFD:SubSecTimeOriginal'],
      r['ExifIFD:OffsetTimeOriginal'],
      r['ExifIFD:OffsetTime'],
    ),
    etDate(
      r['ExifIFD:CreateDate'],
      r['ExifIFD:SubSecTimeDigitized'],
      r['ExifIFD:OffsetTimeDigitized'],
      r['ExifIFD:OffsetTime'],
    ),
    ...xmpDates,
    iptcDate,
    etDate(r['IFD0:ModifyDate'], r['ExifIFD:SubSecTime'], r['ExifIFD:OffsetTime']),
  );
  const twinOffsets = [...xmpDates, etDate(r['XMP-exif:DateTimeDigitized']), iptcDate]
    .filter((d): d is EtDate => d !== null && d.offset !== null && d.wall === date?.wall)
    .map((d) => d.offset!);

  const description =
    [
      etText(r['XMP-dc:Description']),
      etText(r['IPTC:Caption-Abstract']),
      etText(r['IFD0:ImageDescription']),
    ].find((d): d is string => d !== null && !isCameraBoilerplate(d, make, model)) ?? null;
  const creators = dedupeCi(etList(r['XMP-dc:Creator']));
  const bylines = dedupeCi(etList(r['IPTC:By-line']));

  return {
    make,
    model,
    lens: firstOf(
      etText(r['ExifIFD:LensModel']),
      etText(r['XMP-aux:Lens']),
      lensInfoText(r['ExifIFD:LensInfo']),
      lensInfoText(r['XMP-aux:LensInfo']),
      etText(r['XMP-exifEX:LensModel']),
    ),
    orientation: firstOf(orient(r['IFD0:Orientation']), orient(r['XMP-tiff:Orientation'])),
    iso,
    fNumber: firstOf(etPositive(r['ExifIFD:FNumber']), etPositive(r['XMP-exif:FNumber'])),
    exposureTime: firstOf(etPositive(r['ExifIFD:ExposureTime']), etPositive(r['XMP-exif:ExposureTime'])),
    focalLength: firstOf(etPositive(r['ExifIFD:FocalLength']), etPositive(r['XMP-exif:FocalLength'])),
    width,
    height,
    gps,
    latRef,
    lonRef,
    date,
    twinOffsets,
    title: firstOf(etText(r['XMP-dc:Title']), etText(r['IPTC:ObjectName'])),
    description,
    keywords: dedupeCi([
      ...etList(r['XMP-dc:Subject']),
      ...etList(r['IPTC:Keywords']),
      ...etList(r['XMP-lr:HierarchicalSubject']).map((k) => k.split('|').pop()!.trim()),
    ]),
    creator: creators.length
      ? creators.join('; ')
      : bylines.length
        ? bylines.join('; ')
        : etText(r['IFD0:Artist']),
    copyright: firstOf(
      etText(r['XMP-dc:Rights']),
      etText(r['IPTC:CopyrightNotice']),
      etText(r['IFD0:Copyright']),
    ),
    credit: firstOf(etText(r['XMP-photoshop:Credit']), etText(r['IPTC:Credit'])),
    rating: firstOf(rating(r['XMP-xmp:Rating']), rating(r['IFD0:Rating'])),
  };
}

export function close(a: number | null, b: number | null, rel: number): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-12);
}

/** Field-by-field differences between our reading and exiftool's. */
export function compare(m: FileMetadata, e: Expected): string[] {
  const diffs: string[] = [];
  const diff = (field: string, ours: unknown, theirs: unknown) =>
    diffs.push(`${field}: ours=${JSON.stringify(ours)} exiftool=${JSON.stringify(theirs)}`);
  for (const f of [
    'make',
    'model',
    'lens',
    'title',
    'description',
    'creator',
    'copyright',
    'credit',
  ] as const) {
    if (m[f] !== e[f]) diff(f, m[f], e[f]);
  }
  for (const f of ['orientation', 'rating', 'width', 'height'] as const)
    if (m[f] !== e[f]) diff(f, m[f], e[f]);
  if (!close(m.iso, e.iso, 1e-9)) diff('iso', m.iso, e.iso);
  for (const f of ['fNumber', 'exposureTime', 'focalLength'] as const)
    if (!close(m[f], e[f], 1e-6)) diff(f, m[f], e[f]);
  if (JSON.stringify(m.keywords) !== JSON.stringify(e.keywords)) diff('keywords', m.keywords, e.keywords);

  if ((m.gps === null) !== (e.gps === null)) diff('gps', m.gps, e.gps);
  else if (m.gps && e.gps) {
    if (Math.abs(m.gps.lat - e.gps.lat) > 1e-5 || Math.abs(m.gps.lon - e.gps.lon) > 1e-5)
      diff('gps', m.gps, e.gps);
    if ((e.latRef === 'S') !== m.gps.lat < 0 && m.gps.lat !== 0) diff('gps.latRef', m.gps.lat, e.latRef);
    if ((e.lonRef === 'W') !== m.gps.lon < 0 && m.gps.lon !== 0) diff('gps.lonRef', m.gps.lon, e.lonRef);
    if (!close(m.gps.alt, e.gps.alt, 1e-6)) diff('gps.alt', m.gps.alt, e.gps.alt);
  }

  const d = m.captureDate === null ? null : /^([^.+Z]*?)(?:\.(\d+))?([+-]\d{2}:\d{2})?$/.exec(m.captureDate);
  if ((m.captureDate === null) !== (e.date === null)) diff('captureDate', m.captureDate, e.date);
  else if (m.captureDate !== null && (!d || !e.date)) diff('captureDate', m.captureDate, e.date);
  else if (d && e.date) {
    const [, wall, frac = null, offset = null] = d;
    if (wall !== e.date.wall || frac !== e.date.frac) diff('captureDate', m.captureDate, e.date);
    // Without an offset of its own, the date takes the one an XMP/IPTC copy of the same moment records.
    const wantOffset = e.date.offset ?? e.twinOffsets[0] ?? null;
    if (offset !== wantOffset) diff('captureDate.offset', offset, wantOffset);
    const offMin = offset
      ? (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)))
      : null;
    if (m.tzOffsetMin !== offMin) diff('tzOffsetMin', m.tzOffsetMin, offMin);
    const full = wall!.includes('T') ? wall! : `${wall!.padEnd(10, '-01').slice(0, 10)}T00:00:00`;
    const ts = Date.parse(`${full}${frac ? `.${frac.slice(0, 3)}` : ''}Z`) - (offMin ?? 0) * 60_000;
    if (m.captureTs !== ts) diff('captureTs', m.captureTs, ts);
  }
  if (m.captureDate === null && (m.captureTs !== null || m.tzOffsetMin !== null))
    diff('captureTs', m.captureTs, null);
  return diffs;
}

// ---------------------------------------------------------------------------------------------
// EXIF.py's dump

export interface DumpEntry {
  noExif: boolean;
  tags: Map<string, string>;
}

export function parseDump(text: string): Map<string, DumpEntry> {
  const out = new Map<string, DumpEntry>();
  let cur: DumpEntry | null = null;
  for (const line of text.split('\n')) {
    const open = /^Opening: exif-samples-master\/(.+)$/.exec(line);
    if (open) {
      cur = { noExif: false, tags: new Map() };
      out.set(open[1]!, cur);
      continue;
    }
    if (!cur) continue;
    if (line.startsWith('No EXIF information found')) cur.noExif = true;
    const tag = /^(\S+ \S+) \([^)]*\): (.*)$/.exec(line);
    if (tag) cur.tags.set(tag[1]!, tag[2]!);
  }
  return out;
}

/** The dump was made from an older copy of the corpus: match by folder and name, ignoring case and extension. */
export function dumpKey(rel: string, dump: Map<string, DumpEntry>): string | null {
  if (dump.has(rel)) return rel;
  const stem = (p: string) => path.join(path.dirname(p), path.parse(p).name).toLowerCase();
  for (const k of dump.keys()) if (stem(k) === stem(rel)) return k;
  return null;
}
