import type { Asset, Gps } from '../../../shared/model';

const number = new Intl.NumberFormat();

export function formatCount(n: number): string {
  return number.format(n);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

export { cameraName, formatBytes } from '../../../shared/format';

/** Shutter speeds the way cameras print them: 1/250 s, 0.5 s, 30 s. */
export function formatShutter(seconds: number): string {
  if (seconds >= 0.3) return `${Math.round(seconds * 10) / 10} s`;
  return `1/${Math.round(1 / seconds)} s`;
}

export function formatAperture(f: number): string {
  return `f/${Math.round(f * 10) / 10}`;
}

export function exposureParts(a: Asset): string[] {
  const parts: string[] = [];
  if (a.exposureTime) parts.push(formatShutter(a.exposureTime));
  if (a.fNumber) parts.push(formatAperture(a.fNumber));
  if (a.iso) parts.push(`ISO ${a.iso}`);
  if (a.focalLength) parts.push(`${Math.round(a.focalLength * 10) / 10} mm`);
  return parts;
}

/**
 * Capture times are shown as the camera recorded them (wall-clock time where the photo was
 * taken), not converted to this computer's zone.
 */
export function formatCaptureDate(iso: string | null, withTime = true): string | null {
  if (!iso) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(iso);
  if (!m) return iso;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)));
  const f = new Intl.DateTimeFormat(undefined, {
    dateStyle: 'medium',
    ...(withTime && m[4] !== undefined ? { timeStyle: 'medium' as const } : {}),
    timeZone: 'UTC',
  });
  return f.format(d);
}

export function formatGps(gps: Gps): string {
  const lat = `${Math.abs(gps.lat).toFixed(5)}° ${gps.lat >= 0 ? 'N' : 'S'}`;
  const lon = `${Math.abs(gps.lon).toFixed(5)}° ${gps.lon >= 0 ? 'E' : 'W'}`;
  return `${lat}, ${lon}`;
}

export function formatDimensions(a: Asset): string | null {
  if (!a.width || !a.height) return null;
  const mp = (a.width * a.height) / 1e6;
  return `${a.width} × ${a.height}${mp >= 0.1 ? ` · ${mp.toFixed(1)} MP` : ''}`;
}

export function formatDuration(s: number): string {
  const m = Math.floor(s / 60);
  const sec = Math.round(s % 60);
  return `${m}:${String(sec).padStart(2, '0')}`;
}

export function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toUpperCase() : '';
}
