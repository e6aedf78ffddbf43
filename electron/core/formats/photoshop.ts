import { LIMITS } from './limits';

// Photoshop's structures: the PSD/PSB file header and image resource blocks ('8BIM' and kin),
// which also travel inside a JPEG's APP13 and a TIFF's tag 34377.

export const PSD_HEADER_BYTES = 30;

export interface PsdHeader {
  /** 1 for PSD, 2 for PSB. */
  version: number;
  width: number;
  height: number;
  /** Offset of the image resources section (its length word); null when the header is cut short. */
  resourcesAt: number | null;
}

/** The header at the start of `h` (30 bytes), or null without the '8BPS' signature. */
export function psdHeader(h: Buffer): PsdHeader | null {
  if (h.length < 26 || h.toString('latin1', 0, 4) !== '8BPS') return null;
  return {
    version: h.readUInt16BE(4),
    height: h.readUInt32BE(14),
    width: h.readUInt32BE(18),
    // After the colour mode data, whose length ends the header.
    resourcesAt: h.length >= PSD_HEADER_BYTES ? PSD_HEADER_BYTES + h.readUInt32BE(26) : null,
  };
}

/** Photoshop image resources by id (JPEG APP13, TIFF tag 34377, a PSD's resource section). */
export function photoshopResources(b: Uint8Array): Map<number, Uint8Array[]> {
  const found = new Map<number, Uint8Array[]>();
  const add = (id: number, data: Uint8Array) => found.set(id, [...(found.get(id) ?? []), data]);
  let off = 0;
  for (let steps = 0; off + 12 <= b.length && steps < LIMITS.chunks; steps++) {
    const sig = String.fromCharCode(b[off]!, b[off + 1]!, b[off + 2]!, b[off + 3]!);
    if (sig !== '8BIM' && sig !== 'MeSa' && sig !== 'PHUT' && sig !== 'AgHg' && sig !== 'DCSR') break;
    const id = (b[off + 4]! << 8) | b[off + 5]!;
    const nameLen = b[off + 6]!;
    // The Pascal name (length byte included) is padded to an even size.
    let p = off + 6 + ((nameLen + 2) & ~1);
    if (p + 4 > b.length) break;
    const size = ((b[p]! << 24) >>> 0) + (b[p + 1]! << 16) + (b[p + 2]! << 8) + b[p + 3]!;
    p += 4;
    if (p + size > b.length) {
      add(id, b.subarray(p)); // keep what a truncated block still holds
      break;
    }
    add(id, b.subarray(p, p + size));
    off = p + size + (size & 1);
  }
  return found;
}
