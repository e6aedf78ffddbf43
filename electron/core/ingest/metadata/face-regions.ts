// Named face regions in XMP, as other applications write them: MWG regions (Lightroom, digiKam,
// Picasa, exiftool's MWG module) and, where a packet has none, Windows Photo Gallery's regions
// (digiKam writes both). Read from sidecars and from the XMP inside files alike.
import type { FaceBox, NamedRegion } from '../../../../shared/people';
import { NS, type XmpData, type XmpNode, type XmpStruct } from './xmp';

/** More regions than any real picture holds: the rest of a hostile list is not read. */
const MAX_REGIONS = 500;

function text(n: XmpNode | undefined): string | null {
  if (typeof n === 'string') return n.trim();
  if (Array.isArray(n)) return text(n[0]?.value);
  return null;
}

function struct(n: XmpNode | undefined): XmpStruct | null {
  return n instanceof Map ? n : null;
}

function items(n: XmpNode | undefined): XmpNode[] {
  return Array.isArray(n) ? n.slice(0, MAX_REGIONS).map((it) => it.value) : [];
}

function num(s: string | null): number {
  return s === null || s === '' ? NaN : Number(s);
}

/** A box inside the picture (clipped to it), or null when the numbers are not a box. */
export function clipBox(x: number, y: number, w: number, h: number): FaceBox | null {
  if (![x, y, w, h].every(Number.isFinite) || w <= 0 || h <= 0) return null;
  const x0 = Math.max(0, x);
  const y0 = Math.max(0, y);
  const x1 = Math.min(1, x + w);
  const y1 = Math.min(1, y + h);
  if (x1 <= x0 || y1 <= y0) return null;
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

function mwgRegions(x: XmpData): NamedRegion[] {
  const M = NS['mwg-rs'];
  const list = struct(x.node(M, 'Regions'))?.get(M + 'RegionList');
  const out: NamedRegion[] = [];
  for (const item of items(list)) {
    const r = struct(item);
    if (!r || text(r.get(M + 'Type'))?.toLowerCase() !== 'face') continue;
    const name = text(r.get(M + 'Name'));
    const area = struct(r.get(M + 'Area'));
    if (!name || !area) continue;
    const unit = text(area.get(NS.stArea + 'unit'));
    if (unit && unit !== 'normalized') continue;
    const a = (k: string) => num(text(area.get(NS.stArea + k)));
    // MWG gives the centre of the box.
    const box = clipBox(a('x') - a('w') / 2, a('y') - a('h') / 2, a('w'), a('h'));
    if (box) out.push({ name, box });
  }
  return out;
}

function microsoftRegions(x: XmpData): NamedRegion[] {
  const list = struct(x.node(NS.MP, 'RegionInfo'))?.get(NS.MPRI + 'Regions');
  const out: NamedRegion[] = [];
  for (const item of items(list)) {
    const r = struct(item);
    const name = r && text(r.get(NS.MPReg + 'PersonDisplayName'));
    const rect = r && text(r.get(NS.MPReg + 'Rectangle'));
    if (!name || !rect) continue;
    // "x, y, w, h" from the top-left corner, normalized.
    const [rx, ry, rw, rh] = rect.split(/\s*,\s*/).map(Number);
    const box = clipBox(rx ?? NaN, ry ?? NaN, rw ?? NaN, rh ?? NaN);
    if (box) out.push({ name, box });
  }
  return out;
}

/**
 * The named faces an XMP packet holds; null when it holds no face regions at all (so "no regions
 * here" and "regions, none of them named" stay apart for whoever merges them).
 */
export function readFaceRegions(x: XmpData): NamedRegion[] | null {
  const hasMwg = x.has(NS['mwg-rs'], 'Regions');
  const hasMp = x.has(NS.MP, 'RegionInfo');
  if (!hasMwg && !hasMp) return null;
  const mwg = mwgRegions(x);
  return mwg.length || !hasMp ? mwg : microsoftRegions(x);
}
