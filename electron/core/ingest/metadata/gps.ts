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

/** One ISO 6709 coordinate: ±DD.D / ±DDMM.M / ±DDDMMSS.S (degrees have `degDigits` digits). */
function iso6709Part(s: string, degDigits: number): number | null {
  const m = /^([+-])(\d+)(\.\d+)?$/.exec(s);
  if (!m) return null;
  const int = m[2]!;
  const frac = Number(`0${m[3] ?? ''}`);
  let value: number;
  if (int.length <= degDigits) value = Number(int) + frac;
  else if (int.length === degDigits + 2)
    value = Number(int.slice(0, degDigits)) + (Number(int.slice(degDigits)) + frac) / 60;
  else if (int.length === degDigits + 4)
    value =
      Number(int.slice(0, degDigits)) +
      Number(int.slice(degDigits, degDigits + 2)) / 60 +
      (Number(int.slice(degDigits + 2)) + frac) / 3600;
  else return null;
  return m[1] === '-' ? -value : value;
}

/**
 * A position as ISO 6709 writes it, as QuickTime (`©xyz`, com.apple.quicktime.location.ISO6709)
 * and MP4 (`loci` aside) do: "+48.8584+002.2945+035.000/", altitude and slash optional.
 */
export function gpsFromIso6709(raw: unknown): Gps | null {
  if (typeof raw !== 'string') return null;
  const m = /^\s*([+-][\d.]+)([+-][\d.]+)([+-][\d.]+)?(?:CRS[^/]*)?\/?\s*$/.exec(raw.replace(/\0/g, ''));
  if (!m) return null;
  const lat = iso6709Part(m[1]!, 2);
  const lon = iso6709Part(m[2]!, 3);
  if (lat === null || lon === null) return null;
  const alt = m[3] !== undefined ? Number(m[3]) : null;
  if (lat === 0 && lon === 0) return null; // no fix
  return finish(lat, lon, alt);
}
