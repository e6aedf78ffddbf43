// IPTC-IIM is parsed here rather than by exifr: exifr decodes every value as Latin-1, ignores the
// declared character set, and cannot take the IPTC tag of a TIFF when it is typed LONG (as
// Photoshop writes it).
import { photoshopResources } from '../../formats/photoshop';

const UTF8_FATAL = new TextDecoder('utf-8', { fatal: true });
// Node's TextDecoder('windows-1252') decodes as ISO-8859-1 (0x80 stays U+0080, not '€'), so the
// 0x80-0x9F block of Windows-1252 is mapped by hand; the rest of the code page is Latin-1.
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function cp1252(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b);
  return s;
}
const IPTC_RESOURCE = 0x0404;

/** Record-2 (application record) datasets by number, each with its values in file order. */
export type IptcRecords = Map<number, string[]>;

export const IPTC = {
  objectName: 5,
  keywords: 25,
  dateCreated: 55,
  timeCreated: 60,
  byline: 80,
  credit: 110,
  copyrightNotice: 116,
  caption: 120,
} as const;

function decode(bytes: Uint8Array, declaredUtf8: boolean): string {
  if (declaredUtf8) return Buffer.from(bytes).toString('utf8');
  // Undeclared text is usually UTF-8 from modern tools, else the writer's Windows code page.
  try {
    return UTF8_FATAL.decode(bytes);
  } catch {
    return cp1252(bytes);
  }
}

/** Parses one or more concatenated IIM streams; stops quietly at the first damaged dataset. */
export function parseIim(streams: Uint8Array[]): IptcRecords {
  const raw: [number, Uint8Array][] = [];
  let utf8 = false;
  for (const b of streams) {
    let off = 0;
    while (off + 5 <= b.length) {
      if (b[off] !== 0x1c) break; // IIM is contiguous; anything else is padding or damage
      const record = b[off + 1]!;
      const dataset = b[off + 2]!;
      let size = (b[off + 3]! << 8) | b[off + 4]!;
      off += 5;
      if (size & 0x8000) {
        // Extended dataset: the low bits give how many bytes hold the real length.
        const n = size & 0x7fff;
        if (n > 4 || off + n > b.length) break;
        size = 0;
        for (let i = 0; i < n; i++) size = size * 256 + b[off + i]!;
        off += n;
      }
      if (off + size > b.length) break;
      const data = b.subarray(off, off + size);
      off += size;
      // 1:90 CodedCharacterSet; ESC % G announces UTF-8.
      if (record === 1 && dataset === 90)
        utf8 = data.length >= 3 && data[0] === 0x1b && data[1] === 0x25 && data[2] === 0x47;
      if (record === 2) raw.push([dataset, data]);
    }
  }
  const out: IptcRecords = new Map();
  for (const [dataset, data] of raw) {
    const list = out.get(dataset) ?? [];
    list.push(decode(data, utf8));
    out.set(dataset, list);
  }
  return out;
}

export function iptcFromPhotoshopIrb(b: Uint8Array): Uint8Array[] {
  return photoshopResources(b).get(IPTC_RESOURCE) ?? [];
}
