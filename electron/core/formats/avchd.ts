import type { ByteSource } from './byte-source';

// AVCHD camcorders (Sony, Panasonic, Canon, JVC) write the recording time, with its time zone,
// and the maker only into the H.264 stream: an SEI "user data unregistered" message whose UUID is
// followed by "MDPM" (Modified DV Pack Metadata), a count and 5-byte entries (a tag and 4 bytes,
// BCD for dates). ffmpeg does not report it, so the transport stream is walked here: packets of
// 188 bytes (.ts) or 192 (.m2ts/.mts, a 4-byte timestamp first), the video's PES payloads
// gathered until the marker shows up.

const MARKER = Buffer.concat([
  Buffer.from('17ee8c60f84d11d98cd60800200c9a66', 'hex'),
  Buffer.from('MDPM', 'latin1'),
]);
/** How far into the file the first MDPM is looked for, and how much video payload is kept. */
const SCAN_BYTES = 16 * 1024 * 1024;
const VIDEO_BYTES = 4 * 1024 * 1024;
/** Packets read at a time: a whole number of them, so every read starts on a packet. */
const PACKETS_PER_READ = 4096;

const MAKERS: Record<number, string> = {
  0x0103: 'Panasonic',
  0x0108: 'Sony',
  0x1011: 'Canon',
  0x1104: 'JVC',
};

export interface Mdpm {
  /** The camcorder's wall clock, "YYYY-MM-DDTHH:MM:SS". */
  wallClock: string | null;
  /** Its time zone in minutes east of UTC, when recorded. */
  offsetMin: number | null;
  make: string | null;
}

function packetLayout(head: Buffer): { size: number; skip: number } | null {
  for (const [size, skip] of [
    [188, 0],
    [192, 4],
  ] as const) {
    if (head[skip] === 0x47 && (head.length < skip + size + 1 || head[skip + size] === 0x47))
      return { size, skip };
  }
  return null;
}

/** Removes H.264's emulation prevention bytes (00 00 03 → 00 00). */
function unescape(b: Buffer): Buffer {
  const out: number[] = [];
  let zeros = 0;
  for (const byte of b) {
    if (zeros >= 2 && byte === 3) {
      zeros = 0;
      continue;
    }
    out.push(byte);
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return Buffer.from(out);
}

const fromBcd = (b: number): number | null => (b >> 4 > 9 || (b & 15) > 9 ? null : (b >> 4) * 10 + (b & 15));

function parseEntries(b: Buffer): Mdpm {
  const out: Mdpm = { wallClock: null, offsetMin: null, make: null };
  const count = b[0] ?? 0;
  const entries = new Map<number, Buffer>();
  for (let i = 0; i < count && 1 + i * 5 + 5 <= b.length; i++) {
    const at = 1 + i * 5;
    if (!entries.has(b[at]!)) entries.set(b[at]!, b.subarray(at + 1, at + 5));
  }
  const a = entries.get(0x18);
  const d = entries.get(0x19);
  if (a && d) {
    const n = [a[1]!, a[2]!, a[3]!, d[0]!, d[1]!, d[2]!, d[3]!].map(fromBcd);
    const [cc, yy, mo, dd, hh, mi, ss] = n.map((v) => v ?? -1) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const ok =
      !n.includes(null) && mo >= 1 && mo <= 12 && dd >= 1 && dd <= 31 && hh <= 23 && mi <= 59 && ss <= 59;
    if (ok) {
      const p = (v: number) => String(v).padStart(2, '0');
      out.wallClock = `${p(cc)}${p(yy)}-${p(mo)}-${p(dd)}T${p(hh)}:${p(mi)}:${p(ss)}`;
      // Bit 7 unused (set: no zone), bit 6 daylight saving, bit 5 sign, bits 4-1 hours, bit 0 half hour.
      const tz = a[0]!;
      const hours = (tz >> 1) & 0x0f;
      if (!(tz & 0x80) && hours <= 14)
        out.offsetMin = (tz & 0x20 ? -1 : 1) * (hours * 60 + (tz & 1 ? 30 : 0));
    }
  }
  const mm = entries.get(0xe0);
  if (mm) out.make = MAKERS[mm.readUInt16BE(0)] ?? null;
  return out;
}

/** The first MDPM of an AVCHD transport stream; null for another file or a clip without one. */
export async function readMdpm(src: ByteSource): Promise<Mdpm | null> {
  const layout = packetLayout(await src.read(0, 200));
  if (!layout) return null;
  const { size, skip } = layout;
  const video = new Set<number>();
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let searchedTo = 0;
  const end = Math.min(src.size, SCAN_BYTES);
  const step = size * PACKETS_PER_READ;
  for (let at = 0; at < end && keptBytes < VIDEO_BYTES; at += step) {
    const chunk = await src.read(at, Math.min(step, end - at));
    for (let p = 0; p + size <= chunk.length; p += size) {
      const pkt = chunk.subarray(p + skip, p + size);
      if (pkt[0] !== 0x47) return null;
      const pid = ((pkt[1]! & 0x1f) << 8) | pkt[2]!;
      const start = (pkt[1]! & 0x40) !== 0;
      const control = (pkt[3]! >> 4) & 3;
      if (!(control & 1)) continue;
      let payload = pkt.subarray(control & 2 ? 5 + pkt[4]! : 4);
      if (start && payload.length >= 9 && payload[0] === 0 && payload[1] === 0 && payload[2] === 1) {
        // A PES header: stream ids 0xe0-0xef are video.
        if ((payload[3]! & 0xf0) === 0xe0) video.add(pid);
        if (video.has(pid)) payload = payload.subarray(9 + payload[8]!);
      }
      if (!video.has(pid)) continue;
      kept.push(payload);
      keptBytes += payload.length;
    }
    const all = Buffer.concat(kept);
    const found = all.indexOf(MARKER, Math.max(0, searchedTo - MARKER.length));
    if (found >= 0)
      return parseEntries(unescape(all.subarray(found + MARKER.length, found + MARKER.length + 2048)));
    searchedTo = all.length;
  }
  return null;
}
