// String and number hygiene shared by every metadata source.

// C0 controls other than tab, newline and carriage return, and DEL.
const CONTROL = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Trimmed, NFC-normalised text without NULs or control characters; null when nothing is left. */
export function cleanText(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return null;
  const s = v.replace(/\0/g, '').replace(CONTROL, '').normalize('NFC').trim();
  return s === '' ? null : s;
}

/**
 * An EXIF ASCII value. These are C strings: the count includes the terminator and whatever
 * follows the first NUL is padding or junk (the Polaroid ION230 writes "ION230\0F").
 */
export function exifText(v: unknown): string | null {
  if (v instanceof Uint8Array) v = Buffer.from(v).toString('latin1');
  if (typeof v !== 'string') return null;
  const nul = v.indexOf('\0');
  return cleanText(nul === -1 ? v : v.slice(0, nul));
}

/** A finite number from a number, a numeric or "a/b" string, or the first element of an array. */
export function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') {
    const s = v.trim();
    const frac = /^([+-]?\d+(?:\.\d+)?)\s*\/\s*([+-]?\d+(?:\.\d+)?)$/.exec(s);
    if (frac) {
      const n = Number(frac[1]) / Number(frac[2]);
      return Number.isFinite(n) ? n : null;
    }
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return null;
    const n = Number(s);
    return Number.isFinite(n) ? n : null;
  }
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const first: unknown = (v as ArrayLike<unknown>)[0];
    return first === undefined ? null : toNumber(first);
  }
  return null;
}

/** Cameras write 0 for "not recorded" in exposure fields; only a positive value means something. */
export function positive(v: unknown): number | null {
  const n = toNumber(v);
  return n !== null && n > 0 ? n : null;
}

export function positiveInt(v: unknown): number | null {
  const n = positive(v);
  return n !== null && Number.isInteger(n) ? n : null;
}

/** The numbers of an array-like or space-separated value, positions kept (NaN where unreadable). */
export function toNumbers(v: unknown): number[] {
  if (typeof v === 'string')
    return v
      .trim()
      .split(/[\s,]+/)
      .map((x) => toNumber(x) ?? NaN);
  if (Array.isArray(v) || ArrayBuffer.isView(v))
    return Array.from(v as ArrayLike<unknown>, (x) => toNumber(x) ?? NaN);
  const n = toNumber(v);
  return n === null ? [] : [n];
}
