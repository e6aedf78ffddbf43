import type { ByteSource } from '../byte-source';

// Line-by-line reading of a text mesh (OBJ, ASCII STL and PLY) of any size: fixed-size chunks,
// lines handed over as byte ranges, numbers parsed from the bytes without making strings.

const CHUNK = 1024 * 1024;
/** A longer line is damage or not text at all: it is cut there rather than buffered without end. */
export const MAX_LINE = 1024 * 1024;

/** Calls fn(buf, start, end) for every line from `offset` on, without its line ending; stops when fn returns false. */
export async function forEachLine(
  src: ByteSource,
  offset: number,
  fn: (buf: Buffer, start: number, end: number) => boolean | void,
): Promise<void> {
  let carry: Buffer = Buffer.alloc(0);
  for (let pos = offset; pos < src.size;) {
    const chunk = await src.read(pos, CHUNK);
    if (chunk.length === 0) break;
    pos += chunk.length;
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let i = buf.indexOf(0x0a, carry.length); i >= 0; i = buf.indexOf(0x0a, i + 1)) {
      const end = i > start && buf[i - 1] === 0x0d ? i - 1 : i;
      if (fn(buf, start, end) === false) return;
      start = i + 1;
    }
    carry = buf.subarray(start);
    if (carry.length > MAX_LINE) {
      if (fn(carry, 0, MAX_LINE) === false) return;
      carry = Buffer.alloc(0);
    }
    // A copy, so the next chunk's read cannot overwrite what is carried.
    carry = Buffer.from(carry);
  }
  if (carry.length) fn(carry, 0, carry[carry.length - 1] === 0x0d ? carry.length - 1 : carry.length);
}

/** A cursor over one line's bytes. */
export class LineCursor {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  end = 0;
  set(buf: Buffer, start: number, end: number): this {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    return this;
  }
  skipSpace(): void {
    while (this.pos < this.end && (this.buf[this.pos] === 0x20 || this.buf[this.pos] === 0x09)) this.pos++;
  }
  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.end;
  }
  /** The next whitespace-separated word, as a string. */
  word(): string {
    this.skipSpace();
    const s = this.pos;
    while (this.pos < this.end && this.buf[this.pos] !== 0x20 && this.buf[this.pos] !== 0x09) this.pos++;
    return this.buf.toString('latin1', s, this.pos);
  }
  /** Whether the line (after leading space) starts with this ASCII keyword followed by space or its end. */
  keyword(k: string): boolean {
    this.skipSpace();
    const p = this.pos;
    if (p + k.length > this.end) return false;
    for (let i = 0; i < k.length; i++) if (this.buf[p + i] !== k.charCodeAt(i)) return false;
    const after = this.buf[p + k.length];
    if (p + k.length < this.end && after !== 0x20 && after !== 0x09) return false;
    this.pos = p + k.length;
    return true;
  }
  /** A decimal number (sign, digits, fraction, exponent); NaN when none is there. Stops at '/' too. */
  number(): number {
    this.skipSpace();
    const b = this.buf;
    const s0 = this.pos;
    let p = this.pos;
    const end = this.end;
    let neg = false;
    if (b[p] === 0x2d || b[p] === 0x2b) neg = b[p++] === 0x2d;
    let mant = 0;
    let digits = 0;
    let scale = 0;
    while (p < end && b[p]! >= 0x30 && b[p]! <= 0x39) {
      mant = mant * 10 + (b[p++]! - 0x30);
      digits++;
    }
    if (b[p] === 0x2e) {
      p++;
      while (p < end && b[p]! >= 0x30 && b[p]! <= 0x39) {
        mant = mant * 10 + (b[p++]! - 0x30);
        scale--;
        digits++;
      }
    }
    if (digits === 0) {
      // nan, inf and the like: let the slow path judge the whole word.
      const s = this.pos;
      while (this.pos < end && b[this.pos] !== 0x20 && b[this.pos] !== 0x09) this.pos++;
      return this.pos > s ? Number(b.toString('latin1', s, this.pos)) : NaN;
    }
    if (p < end && (b[p] === 0x65 || b[p] === 0x45)) {
      p++;
      let eneg = false;
      if (b[p] === 0x2d || b[p] === 0x2b) eneg = b[p++] === 0x2d;
      let e = 0;
      while (p < end && b[p]! >= 0x30 && b[p]! <= 0x39) e = e * 10 + (b[p++]! - 0x30);
      scale += eneg ? -e : e;
    }
    this.pos = p;
    // Past 15 digits the integer mantissa loses precision: the exact parser takes over.
    if (digits > 15) return Number(b.toString('latin1', s0, p));
    const v = scale === 0 ? mant : scale > 0 ? mant * 10 ** scale : mant / 10 ** -scale;
    return neg ? -v : v;
  }
  /** Skips to the next space (the rest of an OBJ "v/vt/vn" group). */
  skipWord(): void {
    while (this.pos < this.end && this.buf[this.pos] !== 0x20 && this.buf[this.pos] !== 0x09) this.pos++;
  }
  peek(): number {
    return this.pos < this.end ? this.buf[this.pos]! : -1;
  }
}
