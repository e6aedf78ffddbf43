import type { ByteSource } from './byte-source';
import { LIMITS } from './limits';

// The one XMP packet reader every container calls (XMP spec part 3, 1.1 and 1.3): a packet is
// `<?xpacket begin="BOM" ...?> ... <?xpacket end="w"?>`, written in UTF-8, UTF-16 or UTF-32 of
// either byte order. JPEG APP1, PNG iTXt, WebP, TIFF and HEIF hand over the packet's bytes
// (decodeXmpPacket); files that only embed it somewhere (GIF's XMP Data extension, PDF, EPS,
// INDD, Office, media) are scanned for the packet wrapper (scanXmpPackets). Reading only: a
// byte that does not decode becomes U+FFFD rather than costing the rest of the packet.

type Encoding = 'utf8' | 'utf16le' | 'utf16be' | 'utf32le' | 'utf32be';

const ENCODINGS: readonly Encoding[] = ['utf8', 'utf16le', 'utf16be', 'utf32le', 'utf32be'];

function encode(text: string, enc: Encoding): Buffer {
  if (enc === 'utf8') return Buffer.from(text, 'utf8');
  const unit = enc.startsWith('utf16') ? 2 : 4;
  const out = Buffer.alloc(text.length * unit);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i); // the markers are ASCII
    if (enc === 'utf16le') out.writeUInt16LE(c, i * 2);
    else if (enc === 'utf16be') out.writeUInt16BE(c, i * 2);
    else if (enc === 'utf32le') out.writeUInt32LE(c, i * 4);
    else out.writeUInt32BE(c, i * 4);
  }
  return out;
}

const BEGIN = new Map(ENCODINGS.map((e) => [e, encode('<?xpacket begin=', e)]));
const END = new Map(ENCODINGS.map((e) => [e, encode('<?xpacket end=', e)]));
const CLOSE = new Map(ENCODINGS.map((e) => [e, encode('?>', e)]));
/** A packet written without the xpacket wrapper (SVG, some PDFs): the x:xmpmeta element itself, UTF-8. */
const META_OPEN = Buffer.from('<x:xmpmeta');
const META_CLOSE = Buffer.from('</x:xmpmeta>');

function decodeUtf32(b: Uint8Array, le: boolean): string {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const parts: string[] = [];
  for (let i = 0; i + 4 <= b.length; i += 4) {
    const cp = view.getUint32(i, le);
    parts.push(cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '\ufffd');
  }
  return parts.join('');
}

/** The encoding of a packet's bytes: its byte-order mark, else the shape of its first '<'. */
function encodingOf(b: Uint8Array): { enc: Encoding; bom: number } {
  const [b0, b1, b2, b3] = [b[0], b[1], b[2], b[3]];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { enc: 'utf8', bom: 3 };
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0xfe && b3 === 0xff) return { enc: 'utf32be', bom: 4 };
  if (b0 === 0xff && b1 === 0xfe && b2 === 0x00 && b3 === 0x00) return { enc: 'utf32le', bom: 4 };
  if (b0 === 0xfe && b1 === 0xff) return { enc: 'utf16be', bom: 2 };
  if (b0 === 0xff && b1 === 0xfe) return { enc: 'utf16le', bom: 2 };
  if (b0 === 0x3c && b1 === 0x00 && b2 === 0x00 && b3 === 0x00) return { enc: 'utf32le', bom: 0 };
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0x00 && b3 === 0x3c) return { enc: 'utf32be', bom: 0 };
  if (b0 === 0x3c && b1 === 0x00) return { enc: 'utf16le', bom: 0 };
  if (b0 === 0x00 && b1 === 0x3c) return { enc: 'utf16be', bom: 0 };
  return { enc: 'utf8', bom: 0 };
}

function decodeAs(b: Uint8Array, enc: Encoding): string {
  switch (enc) {
    case 'utf32le':
      return decodeUtf32(b, true);
    case 'utf32be':
      return decodeUtf32(b, false);
    case 'utf16le':
      return new TextDecoder('utf-16le', { ignoreBOM: true }).decode(b);
    case 'utf16be':
      return new TextDecoder('utf-16be', { ignoreBOM: true }).decode(b);
    default:
      return new TextDecoder('utf-8', { ignoreBOM: true }).decode(b);
  }
}

/**
 * The text of an XMP packet, whatever Unicode encoding it was written in: the byte-order mark
 * decides, else the byte shape of its leading '<' (which is how a packet whose BOM sits inside
 * `begin="…"` is recognised).
 */
export function decodeXmpPacket(bytes: Uint8Array): string {
  const { enc, bom } = encodingOf(bytes);
  const text = decodeAs(bytes.subarray(bom), enc);
  // Trailing NULs (fixed-size slots) are not part of the packet.
  return text.replace(/\0+$/, '');
}

/** Where one packet was found in the scanned range, and its text. */
export interface FoundPacket {
  offset: number;
  length: number;
  text: string;
}

export interface ScanOptions {
  /** The range to scan (default the whole source). */
  start?: number;
  end?: number;
  /** Most packets returned (default 4: a main packet plus a few for embedded resources). */
  max?: number;
  /**
   * Most bytes scanned (default LIMITS.xmpScanBytes). A longer range is scanned at its head and its
   * tail, half each: packets sit near the start (EPS, INDD, media headers) or the end (PDF updates,
   * MP4 moov at the end).
   */
  scanBytes?: number;
}

const CHUNK = 1024 * 1024;
const OVERLAP = 64;

/** Every match of `needle` in [from, to) of the source, lazily, by chunks. */
async function* matches(src: ByteSource, needle: Buffer, from: number, to: number): AsyncGenerator<number> {
  for (let base = from; base < to; base += CHUNK) {
    const chunk = await src.read(base, Math.min(CHUNK + OVERLAP, to - base));
    if (chunk.length < needle.length) return;
    for (let i = chunk.indexOf(needle); i >= 0 && i < CHUNK; i = chunk.indexOf(needle, i + 1)) yield base + i;
  }
}

async function firstMatch(src: ByteSource, needle: Buffer, from: number, to: number): Promise<number | null> {
  for await (const at of matches(src, needle, from, to)) return at;
  return null;
}

/** The bytes of the packet whose wrapper begins at `at`, ending after its `?>`; null when it never ends in bounds. */
async function packetAt(src: ByteSource, at: number, to: number, enc: Encoding): Promise<Buffer | null> {
  const limit = Math.min(to, at + LIMITS.blockBytes);
  const end = await firstMatch(src, END.get(enc)!, at, limit);
  if (end === null) return null;
  const close = await firstMatch(src, CLOSE.get(enc)!, end, Math.min(limit, end + 256));
  if (close === null) return null;
  return src.read(at, close + CLOSE.get(enc)!.length - at);
}

/**
 * How sure a wrapper found at `at` is in `enc`: 2 when `begin=` holds the byte-order mark as the
 * spec says, 1 when it is empty, 0 when it is neither (not a wrapper in this encoding). This tells
 * a UTF-16BE packet from the UTF-16LE needle its bytes also contain one byte further on (and
 * UTF-32BE from UTF-32LE three bytes on).
 */
async function wrapperScore(src: ByteSource, at: number, enc: Encoding): Promise<number> {
  const unit = enc === 'utf8' ? 1 : enc.startsWith('utf16') ? 2 : 4;
  const attr = decodeAs(await src.read(at + BEGIN.get(enc)!.length, unit * 3 + 2), enc);
  const q = attr[0];
  if (q !== '"' && q !== "'") return 0;
  if (attr[1] === q) return 1;
  return attr[1] === '\ufeff' && attr[2] === q ? 2 : 0;
}

/** Encodings in the order that wins a tie between equally sure wrappers at overlapping places. */
const PREFERENCE: readonly Encoding[] = ['utf8', 'utf16le', 'utf32le', 'utf16be', 'utf32be'];

/** Packets that begin in [from, to); one may run on up to `limit` (the end of the whole range). */
async function scanRange(
  src: ByteSource,
  from: number,
  to: number,
  limit: number,
  max: number,
  out: FoundPacket[],
): Promise<void> {
  // One pass over the bytes looks for the wrapper in all five encodings at once.
  let after = from;
  const bare: number[] = [];
  for (let base = from; base < to && out.length < max; base += CHUNK) {
    const chunk = await src.read(base, Math.min(CHUNK + OVERLAP, to - base));
    if (out.length === 0 && bare.length < max) {
      const i = chunk.indexOf(META_OPEN);
      if (i >= 0 && i < CHUNK) bare.push(base + i);
    }
    const candidates: { at: number; enc: Encoding; score: number }[] = [];
    for (const enc of ENCODINGS) {
      const needle = BEGIN.get(enc)!;
      for (let i = chunk.indexOf(needle); i >= 0 && i < CHUNK; i = chunk.indexOf(needle, i + 1)) {
        const at = base + i;
        if (at < after || candidates.length >= 64) continue;
        const score = await wrapperScore(src, at, enc);
        if (score > 0) candidates.push({ at, enc, score });
      }
    }
    candidates.sort(
      (x, y) => y.score - x.score || PREFERENCE.indexOf(x.enc) - PREFERENCE.indexOf(y.enc) || x.at - y.at,
    );
    const taken: FoundPacket[] = [];
    for (const c of candidates) {
      if (taken.some((p) => c.at < p.offset + p.length && c.at + 16 > p.offset)) continue;
      const bytes = await packetAt(src, c.at, limit, c.enc);
      if (!bytes) continue;
      taken.push({ offset: c.at, length: bytes.length, text: decodeAs(bytes, c.enc) });
    }
    taken.sort((x, y) => x.offset - y.offset);
    for (const p of taken) {
      if (out.length >= max) return;
      out.push(p);
      after = Math.max(after, p.offset + p.length);
    }
  }
  if (out.length) return;
  // No wrapper at all: a bare x:xmpmeta element (UTF-8 only; the wrapper is what marks the others).
  for (const at of bare) {
    const close = await firstMatch(src, META_CLOSE, at, Math.min(limit, at + LIMITS.blockBytes));
    if (close === null) continue;
    const bytes = await src.read(at, close + META_CLOSE.length - at);
    out.push({ offset: at, length: bytes.length, text: decodeAs(bytes, 'utf8') });
  }
}

/**
 * XMP packets embedded anywhere in a source, found by their `<?xpacket begin=` wrapper in any of
 * the five Unicode encodings (else a bare `<x:xmpmeta>` element), in file order per encoding.
 * Bounded: at most `scanBytes` scanned, each packet at most LIMITS.blockBytes, at most `max` kept.
 */
export async function scanXmpPackets(src: ByteSource, options: ScanOptions = {}): Promise<FoundPacket[]> {
  const start = Math.max(0, options.start ?? 0);
  const end = Math.min(src.size, options.end ?? src.size);
  const max = options.max ?? 4;
  const budget = options.scanBytes ?? LIMITS.xmpScanBytes;
  const out: FoundPacket[] = [];
  if (end <= start) return out;
  if (end - start <= budget) await scanRange(src, start, end, end, max, out);
  else {
    const half = Math.floor(budget / 2);
    await scanRange(src, start, start + half, end, max, out);
    if (out.length < max) await scanRange(src, end - half, end, end, max, out);
  }
  return out;
}
