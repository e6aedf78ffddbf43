import type { Gps } from '../../../../shared/model';
import type { TagMap } from './exif';
import { toNumber, toNumbers } from './text';

const GPS = { latRef: 1, lat: 2, lonRef: 3, lon: 4, altRef: 5, alt: 6 } as const;
const MAX_ALTITUDE_M = 1_000_000; // beyond this it is a broken rational, not a position

/** Degrees from [deg, min, sec] (any trailing parts may be missing). */
function dmsToDegrees(v: unknown): number | null {
  const parts = toNumbers(v);
  if (parts.length === 0 || parts.length > 3 || parts.some((n) => !Number.isFinite(n))) return null;
  const [d = 0, m = 0, s = 0] = parts;
  return d + m / 60 + s / 3600;
}

function ref(v: unknown): string | null {
  const s = typeof v === 'string' ? v.replace(/\0/g, '').trim().toUpperCase() : '';
  return /^[NSEW]/.test(s) ? s[0]! : null;
}

function signed(value: number, r: string | null, negative: string): number {
  // Some writers store a negative value and the matching ref; never flip twice.
  return r === negative ? -Math.abs(value) : value;
}

function finish(lat: number, lon: number, alt: number | null): Gps | null {
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
    return null;
  const a = alt !== null && Number.isFinite(alt) && Math.abs(alt) <= MAX_ALTITUDE_M ? alt : null;
  return { lat, lon, alt: a };
}

function altitudeBelowSeaLevel(v: unknown): boolean {
  // GPSAltitudeRef is a BYTE: exifr hands it over as a one-element Uint8Array.
  return toNumber(v) === 1;
}

export function gpsFromExif(gps: TagMap): Gps | null {
  const lat = dmsToDegrees(gps.get(GPS.lat));
  const lon = dmsToDegrees(gps.get(GPS.lon));
  if (lat === null || lon === null) return null;
  const latRef = ref(gps.get(GPS.latRef));
  const lonRef = ref(gps.get(GPS.lonRef));
  // Receivers without a fix often write zeros and no hemisphere at all.
  if (lat === 0 && lon === 0 && !latRef && !lonRef) return null;
  let alt = toNumber(gps.get(GPS.alt));
  if (alt !== null && altitudeBelowSeaLevel(gps.get(GPS.altRef))) alt = -Math.abs(alt);
  return finish(signed(lat, latRef, 'S'), signed(lon, lonRef, 'W'), alt);
}

/** XMP exif:GPSLatitude/GPSLongitude: "DDD,MM,SSk" or "DDD,MM.mmk", k being N/S/E/W. */
function xmpCoordinate(raw: string | null): number | null {
  const m = raw
    ? /^\s*(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?(?:,(\d+(?:\.\d+)?))?\s*([NSEW])\s*$/i.exec(raw)
    : null;
  if (!m) return null;
  const v = Number(m[1]) + Number(m[2] ?? 0) / 60 + Number(m[3] ?? 0) / 3600;
  return /[SW]/i.test(m[4]!) ? -v : v;
}

export function gpsFromXmp(
  lat: string | null,
  lon: string | null,
  alt: string | null,
  altRef: string | null,
): Gps | null {
  const la = xmpCoordinate(lat);
  const lo = xmpCoordinate(lon);
  if (la === null || lo === null) return null;
  let a = toNumber(alt);
  if (a !== null && toNumber(altRef) === 1) a = -Math.abs(a);
  return finish(la, lo, a);
}
