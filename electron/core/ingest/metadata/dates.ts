// Capture dates are kept as the camera wrote them: the wall-clock time, plus the UTC offset only
// when the file records one. Nothing here consults the machine's time zone.

export interface CaptureDate {
  /** ISO 8601, e.g. "2008-05-30T15:56:01", "2021-06-01T18:30:00+02:00", "2004-08-27T13:52:55.364". */
  iso: string;
  /** The UTC instant when the offset is known, else the wall time read as if it were UTC. */
  ts: number;
  offsetMin: number | null;
}

interface Parts {
  y: number;
  mo: number | null;
  d: number | null;
  h: number | null;
  mi: number | null;
  s: number | null;
  frac: string | null;
  offsetMin: number | null;
}

const MAX_OFFSET_MIN = 14 * 60;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function daysIn(y: number, mo: number): number {
  return new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/** "+02:00", "-0530", "+1:00", "Z" or "UTC" as minutes east of UTC; null when absent or unreadable. */
export function parseOffset(raw: unknown): number | null {
  if (typeof raw !== 'string') return null;
  const s = raw.replace(/\0/g, '').trim();
  if (/^(Z|UTC|GMT)$/i.test(s)) return 0;
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(s);
  if (!m) return null;
  const min = Number(m[2]) * 60 + Number(m[3] ?? 0);
  if (Number(m[3] ?? 0) > 59 || min > MAX_OFFSET_MIN) return null;
  return m[1] === '-' ? -min : min;
}

function formatOffset(min: number): string {
  const a = Math.abs(min);
  return `${min < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

function build(p: Parts): CaptureDate | null {
  const { y, mo, d, h, mi, s } = p;
  // "0000:00:00 00:00:00" and friends are how cameras say "clock never set".
  if (y < 1000 || y > 9999) return null;
  if (mo !== null && (mo < 1 || mo > 12)) return null;
  if (d !== null && (mo === null || d < 1 || d > daysIn(y, mo))) return null;
  if (h !== null && (d === null || h > 23 || mi === null || mi > 59 || (s ?? 0) > 59)) return null;

  let iso = String(y);
  if (mo !== null) iso += `-${pad(mo)}`;
  if (d !== null) iso += `-${pad(d)}`;
  if (h === null || mi === null) {
    // A date without a time has no meaningful offset.
    return { iso, ts: Date.UTC(y, (mo ?? 1) - 1, d ?? 1), offsetMin: null };
  }
  // Sub-seconds of all zeros ("00", "000") say nothing and are dropped.
  const frac = p.frac && /[1-9]/.test(p.frac) ? p.frac : null;
  iso += `T${pad(h)}:${pad(mi)}:${pad(s ?? 0)}`;
  if (frac) iso += `.${frac}`;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  let ts = Date.UTC(y, mo! - 1, d!, h, mi, s ?? 0, ms);
  if (p.offsetMin !== null) {
    iso += formatOffset(p.offsetMin);
    ts -= p.offsetMin * 60_000;
  }
  return { iso, ts, offsetMin: p.offsetMin };
}

function clean(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const s = raw.replace(/\0.*$/s, '').trim();
  return s === '' ? null : s;
}

function subSeconds(raw: unknown): string | null {
  const s = typeof raw === 'number' ? String(raw) : clean(raw);
  return s && /^\d{1,9}$/.test(s) ? s : null;
}

const EXIF_DATE =
  /^(\d{4})[:\-/.](\d{1,2})[:\-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?$/i;

/**
 * An EXIF "YYYY:MM:DD HH:MM:SS" value (dashes and slashes tolerated), with the matching
 * SubSecTime* tag and candidate OffsetTime* tags (the first readable one is used). An offset
 * written inside the date itself wins.
 */
export function parseExifDate(raw: unknown, subsec?: unknown, offsets: unknown[] = []): CaptureDate | null {
  const s = clean(raw);
  const m = s ? EXIF_DATE.exec(s) : null;
  if (!m) return null;
  const hasTime = m[4] !== undefined;
  return build({
    y: Number(m[1]),
    mo: Number(m[2]),
    d: Number(m[3]),
    h: hasTime ? Number(m[4]) : null,
    mi: hasTime ? Number(m[5]) : null,
    s: m[6] !== undefined ? Number(m[6]) : null,
    frac: m[7] ?? subSeconds(subsec),
    offsetMin: [m[8], ...offsets].map(parseOffset).find((o) => o !== null) ?? null,
  });
}

const XMP_DATE =
  /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,9}))?)?)?)?)?\s*(Z|[+-]\d{1,2}(?::?\d{2})?)?$/i;

/** An XMP (ISO 8601 subset) date: any prefix of YYYY-MM-DDThh:mm:ss.sTZD. */
export function parseXmpDate(raw: unknown): CaptureDate | null {
  const s = clean(raw);
  if (!s) return null;
  const m = XMP_DATE.exec(s);
  if (!m) return parseExifDate(s); // some writers put EXIF-style dates in XMP
  const num = (x: string | undefined) => (x === undefined ? null : Number(x));
  const hasTime = m[4] !== undefined;
  return build({
    y: Number(m[1]),
    mo: num(m[2]),
    d: num(m[3]),
    h: num(m[4]),
    mi: num(m[5]),
    s: num(m[6]),
    frac: m[7] ?? null,
    offsetMin: hasTime ? parseOffset(m[8]) : null,
  });
}

/** IPTC DateCreated "CCYYMMDD" with TimeCreated "HHMMSS±HHMM"; "00" month or day means unknown. */
export function parseIptcDate(date: unknown, time?: unknown): CaptureDate | null {
  const d = clean(date);
  const m = d ? /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(d) : null;
  if (!m) return null;
  const mo = Number(m[2]);
  const day = Number(m[3]);
  const t = clean(time);
  const tm = t && mo && day ? /^(\d{2}):?(\d{2}):?(\d{2})?\s*([+-]\d{2}:?\d{2}|Z)?$/.exec(t) : null;
  return build({
    y: Number(m[1]),
    mo: mo || null,
    d: mo ? day || null : null,
    h: tm ? Number(tm[1]) : null,
    mi: tm ? Number(tm[2]) : null,
    s: tm?.[3] !== undefined ? Number(tm[3]) : null,
    frac: null,
    offsetMin: tm ? parseOffset(tm[4]) : null,
  });
}

/** The same wall-clock time, now known to be at `offsetMin` from UTC. */
export function withOffset(date: CaptureDate, offsetMin: number): CaptureDate {
  if (date.offsetMin !== null || !date.iso.includes('T')) return date;
  return { iso: date.iso + formatOffset(offsetMin), ts: date.ts - offsetMin * 60_000, offsetMin };
}

/** "YYYY-MM-DDThh:mm:ss" without fraction or offset, for comparing two readings of one moment. */
export function wallClock(date: CaptureDate): string {
  return date.iso.slice(0, 19);
}
