import { parseExifDate, parseIptcDate, parseXmpDate, wallClock, withOffset, type CaptureDate } from './dates';
import type { ExifTags } from './exif';
import { emptyMetadata, type FileMetadata } from './file-metadata';
import { gpsFromExif, gpsFromXmp } from './gps';
import { IPTC, type IptcRecords } from './iptc';
import { cleanText, exifText, positive, positiveInt, toNumber, toNumbers } from './text';
import { NS, type XmpData } from './xmp';
import { readFaceRegions } from './face-regions';

// EXIF tag numbers (IFD0 and Exif IFD share one numbering). The Windows XP tags (0x9c9b-0x9c9f)
// are deliberately not read: they duplicate XMP/IPTC, in UCS-2, and are often stale.
const T = {
  imageDescription: 0x010e,
  make: 0x010f,
  model: 0x0110,
  orientation: 0x0112,
  modifyDate: 0x0132,
  artist: 0x013b,
  rating: 0x4746,
  copyright: 0x8298,
  exposureTime: 0x829a,
  fNumber: 0x829d,
  iso: 0x8827,
  standardOutputSensitivity: 0x8831,
  recommendedExposureIndex: 0x8832,
  isoSpeed: 0x8833,
  dateTimeOriginal: 0x9003,
  createDate: 0x9004,
  offsetTime: 0x9010,
  offsetTimeOriginal: 0x9011,
  offsetTimeDigitized: 0x9012,
  focalLength: 0x920a,
  subSecTime: 0x9290,
  subSecTimeOriginal: 0x9291,
  subSecTimeDigitized: 0x9292,
  pixelXDimension: 0xa002,
  pixelYDimension: 0xa003,
  lensInfo: 0xa432,
  lensModel: 0xa434,
} as const;

export interface MetadataSources {
  exif: ExifTags;
  xmp: XmpData;
  iptc: IptcRecords;
  /** Pixel size from the container header (JPEG SOF, PNG IHDR, TIFF IFD0...). */
  width: number | null;
  height: number | null;
}

// Text cameras put in ImageDescription when the user wrote nothing.
const CAMERA_DEFAULTS = [
  /^(?:(?:olympus|sanyo|konica minolta|minolta|samsung|kodak|pentax|nikon|casio|fujifilm|ricoh|toshiba|sealife|vivitar|polaroid|mgi|aiptek|agfa|rollei|praktica) )?digital (?:still )?camera$/i,
  /^(?:sony )?dsc$/i,
  /^exif_jpeg_picture$/i,
  /^(?:default|image|picture|photo|camera|dcim)$/i,
  /^lead technologies/i,
];

/** True for descriptions that are only camera boilerplate, or the camera's own make or model. */
export function isCameraBoilerplate(text: string, make: string | null, model: string | null): boolean {
  const t = text.trim().toLowerCase();
  if (make && t === make.toLowerCase()) return true;
  if (model && t === model.toLowerCase()) return true;
  return CAMERA_DEFAULTS.some((re) => re.test(t));
}

function fmt(n: number): string {
  return String(Number(n.toFixed(1)));
}

/** "18-70mm f/3.5-4.5" from LensInfo's [minFocal, maxFocal, minFNumberAtMin, minFNumberAtMax]. */
export function lensInfoText(v: unknown): string | null {
  const [f1 = NaN, f2 = NaN, a1 = NaN, a2 = NaN] = toNumbers(v);
  if (!(f1 > 0)) return null;
  let s = f2 > f1 ? `${fmt(f1)}-${fmt(f2)}mm` : `${fmt(f1)}mm`;
  if (a1 > 0) s += a2 > a1 ? ` f/${fmt(a1)}-${fmt(a2)}` : ` f/${fmt(a1)}`;
  return s;
}

function lensName(v: unknown): string | null {
  const s = cleanText(v);
  // "----" and "0.0 mm f/0.0" are how some bodies say "no electronic lens".
  if (!s || /^[-\s]*$/.test(s) || /^0(\.0+)? ?mm f\/0(\.0+)?$/i.test(s)) return null;
  return s;
}

function first<T>(...candidates: (() => T | null)[]): T | null {
  for (const c of candidates) {
    const v = c();
    if (v !== null) return v;
  }
  return null;
}

function rating(v: unknown): number | null {
  const n = toNumber(v);
  return n !== null && n >= -1 && n <= 5 ? n : null;
}

function orientation(v: unknown): number | null {
  const n = toNumber(v);
  return n !== null && Number.isInteger(n) && n >= 1 && n <= 8 ? n : null;
}

/** Trimmed, de-duplicated (case-insensitively, first spelling kept) keywords in their original order. */
function dedupe(values: (string | null)[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const s = cleanText(v);
    if (!s) continue;
    const key = s.toLocaleLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out;
}

/** The EXIF Copyright tag may hold "photographer\0editor"; keep both parts when both are there. */
function exifCopyright(v: unknown): string | null {
  if (typeof v !== 'string') return exifText(v);
  const parts = v
    .split('\0')
    .map(cleanText)
    .filter((p): p is string => p !== null);
  return parts.length ? parts.join(' - ') : null;
}

function captureDate(src: MetadataSources): CaptureDate | null {
  const t = src.exif.main;
  const x = src.xmp;
  const ip = src.iptc;
  const xmpDates = () =>
    [
      x.text(NS.exif, 'DateTimeOriginal'),
      x.text(NS.photoshop, 'DateCreated'),
      x.text(NS.xmp, 'CreateDate'),
    ].map(parseXmpDate);
  const iptcDate = () => parseIptcDate(ip.get(IPTC.dateCreated)?.[0], ip.get(IPTC.timeCreated)?.[0]);
  const date = first<CaptureDate>(
    () =>
      parseExifDate(t.get(T.dateTimeOriginal), t.get(T.subSecTimeOriginal), [
        t.get(T.offsetTimeOriginal),
        t.get(T.offsetTime),
      ]),
    () =>
      parseExifDate(t.get(T.createDate), t.get(T.subSecTimeDigitized), [
        t.get(T.offsetTimeDigitized),
        t.get(T.offsetTime),
      ]),
    () => xmpDates().find((d) => d !== null) ?? null,
    iptcDate,
    () => parseExifDate(t.get(T.modifyDate), t.get(T.subSecTime), [t.get(T.offsetTime)]),
  );
  if (!date || date.offsetMin !== null) return date;
  // EXIF often lacks the offset that the XMP or IPTC copy of the very same moment carries.
  const twin = [...xmpDates(), parseXmpDate(x.text(NS.exif, 'DateTimeDigitized')), iptcDate()].find(
    (d) => d !== null && d.offsetMin !== null && wallClock(d) === wallClock(date),
  );
  return twin ? withOffset(date, twin.offsetMin!) : date;
}

export function normalize(src: MetadataSources): FileMetadata {
  const m = emptyMetadata();
  const t = src.exif.main;
  const x = src.xmp;
  const iptc = (dataset: number) => cleanText(src.iptc.get(dataset)?.[0]);

  m.make = exifText(t.get(T.make)) ?? cleanText(x.text(NS.tiff, 'Make'));
  m.model = exifText(t.get(T.model)) ?? cleanText(x.text(NS.tiff, 'Model'));
  m.lens = first(
    () => lensName(exifText(t.get(T.lensModel))),
    () => lensName(x.text(NS.aux, 'Lens')),
    () => lensInfoText(t.get(T.lensInfo)),
    () => lensInfoText(x.text(NS.aux, 'LensInfo')),
    () => lensName(x.text(NS.exifEX, 'LensModel')),
    () => lensName(x.textInAnyNamespace('LensModel')),
  );

  m.exposureTime = positive(t.get(T.exposureTime)) ?? positive(x.text(NS.exif, 'ExposureTime'));
  m.fNumber = positive(t.get(T.fNumber)) ?? positive(x.text(NS.exif, 'FNumber'));
  m.focalLength = positive(t.get(T.focalLength)) ?? positive(x.text(NS.exif, 'FocalLength'));
  // 65535 means "too high for this SHORT field"; the real value then sits in a LONG tag.
  const iso = positive(t.get(T.iso));
  m.iso =
    (iso !== null && iso < 65535 ? iso : null) ??
    positive(t.get(T.isoSpeed)) ??
    positive(t.get(T.recommendedExposureIndex)) ??
    positive(t.get(T.standardOutputSensitivity)) ??
    iso ??
    positive(x.list(NS.exif, 'ISOSpeedRatings')[0]) ??
    positive(x.text(NS.exifEX, 'PhotographicSensitivity'));

  const w = positiveInt(t.get(T.pixelXDimension));
  const h = positiveInt(t.get(T.pixelYDimension));
  [m.width, m.height] = w && h ? [w, h] : [src.width, src.height];
  m.orientation = orientation(t.get(T.orientation)) ?? orientation(x.text(NS.tiff, 'Orientation'));

  m.gps =
    gpsFromExif(src.exif.gps) ??
    gpsFromXmp(
      x.text(NS.exif, 'GPSLatitude'),
      x.text(NS.exif, 'GPSLongitude'),
      x.text(NS.exif, 'GPSAltitude'),
      x.text(NS.exif, 'GPSAltitudeRef'),
    );

  const date = captureDate(src);
  if (date) {
    m.captureDate = date.iso;
    m.captureTs = date.ts;
    m.tzOffsetMin = date.offsetMin;
  }

  m.title = cleanText(x.text(NS.dc, 'title')) ?? iptc(IPTC.objectName);
  const description = [
    cleanText(x.text(NS.dc, 'description')),
    iptc(IPTC.caption),
    exifText(t.get(T.imageDescription)),
  ];
  m.description =
    description.find((d): d is string => d !== null && !isCameraBoilerplate(d, m.make, m.model)) ?? null;
  m.keywords = dedupe([
    ...x.list(NS.dc, 'subject'),
    ...(src.iptc.get(IPTC.keywords) ?? []),
    // Lightroom's "Places|France|Paris": the leaf is the keyword the user picked.
    ...x.list(NS.lr, 'hierarchicalSubject').map((k) => k.split('|').pop() ?? null),
  ]);
  const creators = dedupe(x.list(NS.dc, 'creator'));
  const bylines = dedupe(src.iptc.get(IPTC.byline) ?? []);
  m.creator = creators.length
    ? creators.join('; ')
    : bylines.length
      ? bylines.join('; ')
      : exifText(t.get(T.artist));
  m.copyright =
    cleanText(x.text(NS.dc, 'rights')) ?? iptc(IPTC.copyrightNotice) ?? exifCopyright(t.get(T.copyright));
  m.credit = cleanText(x.text(NS.photoshop, 'Credit')) ?? iptc(IPTC.credit);
  m.rating = rating(x.text(NS.xmp, 'Rating')) ?? rating(t.get(T.rating));
  m.faceRegions = readFaceRegions(x);
  return m;
}
