import type { ByteSource } from './byte-source';

// Encapsulated PostScript: plain PostScript text whose header comments (DSC: %%Title,
// %%BoundingBox...) describe it, optionally behind a 30-byte DOS binary header that points at the
// PostScript section and at a TIFF or WMF preview picture.

export interface EpsSections {
  /** Where the PostScript text is. */
  psAt: number;
  psLength: number;
  /** The embedded TIFF preview, when the DOS header carries one. */
  tiff: { at: number; length: number } | null;
  /** The embedded Windows Metafile preview (not drawn: a vector format no npm decoder renders). */
  wmf: { at: number; length: number } | null;
}

export class EpsError extends Error {
  override name = 'EpsError';
}

const DOS_MAGIC = 0xc6d3d0c5; // C5 D0 D3 C6 read little-endian

export async function epsSections(src: ByteSource): Promise<EpsSections> {
  const h = await src.read(0, 30);
  if (h.length < 4 || h.readUInt32LE(0) !== DOS_MAGIC)
    return { psAt: 0, psLength: src.size, tiff: null, wmf: null };
  if (h.length < 30) throw new EpsError('the EPS file is cut short in its header');
  const part = (o: number) => {
    const at = h.readUInt32LE(o);
    const length = h.readUInt32LE(o + 4);
    if (!at || !length) return null;
    if (at + length > src.size) throw new EpsError('damaged EPS header: a section lies outside the file');
    return { at, length };
  };
  const ps = part(4);
  if (!ps) throw new EpsError('damaged EPS header: no PostScript section');
  return { psAt: ps.at, psLength: ps.length, wmf: part(12), tiff: part(20) };
}

export interface DscComments {
  title: string | null;
  creator: string | null;
  creationDate: string | null;
  /** llx lly urx ury in points. */
  boundingBox: [number, number, number, number] | null;
  /** "%%Creator: Adobe Illustrator..." on the second line: an Illustrator file. */
  isIllustrator: boolean;
}

/** A DSC text value: "(text with spaces)" or bare text. */
function dscText(v: string): string | null {
  let s = v.trim();
  if (s.startsWith('(') && s.endsWith(')')) s = s.slice(1, -1).replace(/\\([()\\])/g, '$1');
  return s || null;
}

/** Header comments up to %%EndComments (or the first non-comment line), from the first 64 KB. */
export async function dscComments(src: ByteSource, sections: EpsSections): Promise<DscComments> {
  const text = (await src.read(sections.psAt, Math.min(sections.psLength, 64 * 1024))).toString('latin1');
  const out: DscComments = {
    title: null,
    creator: null,
    creationDate: null,
    boundingBox: null,
    isIllustrator: false,
  };
  const lines = text.split(/\r\n|\r|\n/);
  for (const [i, line] of lines.entries()) {
    if (i > 0 && !line.startsWith('%')) break;
    if (line.startsWith('%%EndComments')) break;
    const m = /^%%(\w+):\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'Title') out.title ??= dscText(value);
    else if (key === 'Creator') {
      out.creator ??= dscText(value);
      if (i === 1 && value.startsWith('Adobe Illustrator')) out.isIllustrator = true;
    } else if (key === 'CreationDate') out.creationDate ??= dscText(value);
    else if (key === 'BoundingBox' && !out.boundingBox) {
      const n = value.trim().split(/\s+/).map(Number);
      if (n.length === 4 && n.every(Number.isFinite)) out.boundingBox = n as [number, number, number, number];
    }
  }
  return out;
}
