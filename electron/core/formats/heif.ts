import { childBoxesIn, type Box } from './bmff';

// The primary item of a HEIF/AVIF file and the properties that size and turn it (ISO/IEC 23008-12
// 9.3 and ISO/IEC 14496-12 8.11.14). Read from the 'meta' box's children in memory; every field is
// bounds-checked against its box, so a short or lying box ends the parse instead of throwing.

export interface PrimaryProps {
  /** The primary item's id (pitm). */
  item: number;
  /** ispe: the coded size, before rotation; 0 when absent. */
  width: number;
  height: number;
  /** irot: counter-clockwise quarter turns. */
  quarterTurns: number;
  /** imir present. */
  mirrored: boolean;
}

/** pitm, then ispe/irot/imir associated with that item through ipma; null without pitm. */
export function primaryItemProps(buf: Buffer, metaChildren: Box[]): PrimaryProps | null {
  const pitm = metaChildren.find((b) => b.type === 'pitm');
  if (!pitm) return null;
  const wide = buf[pitm.body] !== 0; // version 1: 32-bit ids
  if (pitm.body + (wide ? 8 : 6) > pitm.end) return null;
  const item = wide ? buf.readUInt32BE(pitm.body + 4) : buf.readUInt16BE(pitm.body + 4);
  const out: PrimaryProps = { item, width: 0, height: 0, quarterTurns: 0, mirrored: false };
  const iprp = metaChildren.find((b) => b.type === 'iprp');
  if (!iprp) return out;
  const kids = childBoxesIn(buf, iprp);
  const ipco = kids.find((k) => k.type === 'ipco');
  if (!ipco) return out;
  const props = childBoxesIn(buf, ipco);
  let sized = false;
  for (const ipma of kids.filter((k) => k.type === 'ipma')) {
    for (const index of associations(buf, ipma, item)) {
      const prop = props[index - 1];
      if (!prop) continue;
      if (prop.type === 'ispe' && !sized && prop.end - prop.body >= 12) {
        out.width = buf.readUInt32BE(prop.body + 4);
        out.height = buf.readUInt32BE(prop.body + 8);
        sized = true;
      } else if (prop.type === 'irot' && prop.end > prop.body) out.quarterTurns = buf[prop.body]! & 3;
      else if (prop.type === 'imir') out.mirrored = true;
    }
  }
  return out;
}

/** The 1-based property indices ipma associates with `item`, as far as the box holds them. */
function associations(buf: Buffer, ipma: Box, item: number): number[] {
  const end = ipma.end;
  if (ipma.body + 8 > end) return [];
  const version = buf[ipma.body]!;
  const wideIndex = (buf[ipma.body + 3]! & 1) === 1;
  const idBytes = version < 1 ? 2 : 4;
  const indexBytes = wideIndex ? 2 : 1;
  const entries = buf.readUInt32BE(ipma.body + 4);
  const out: number[] = [];
  let p = ipma.body + 8;
  for (let e = 0; e < entries && p + idBytes + 1 <= end; e++) {
    const id = idBytes === 2 ? buf.readUInt16BE(p) : buf.readUInt32BE(p);
    p += idBytes;
    const n = buf[p++]!;
    if (p + n * indexBytes > end) break;
    for (let a = 0; a < n; a++, p += indexBytes) {
      const index = wideIndex ? buf.readUInt16BE(p) & 0x7fff : buf[p]! & 0x7f;
      if (id === item && index !== 0) out.push(index);
    }
  }
  return out;
}
