// Names of the people in a picture, written where other applications read them: the IPTC
// Extension's PersonInImage list and MWG face regions (as Lightroom, digiKam and Picasa write).
import type { NamedRegion } from '../../../shared/people';
import { escapeText } from '../xml/write';
import type { ForeignBlock } from './xmp-read';
import { NS } from './xmp-ns';

/** What the catalogue says about the faces of one asset, for its sidecar. */
export interface FacesInXmp {
  regions: NamedRegion[];
  /** The picture's size as shown (orientation applied), for mwg-rs:AppliedToDimensions. */
  dims: { w: number; h: number } | null;
}

const I = '   ';
// Six decimals: well under a pixel of a 100-megapixel picture, and stable across round trips.
const n = (v: number) => String(Math.round(v * 1e6) / 1e6);

/** The XMP properties for the named faces (none when nobody is named). */
export function regionProps(f: FacesInXmp): string[] {
  if (!f.regions.length) return [];
  const names = [...new Set(f.regions.map((r) => r.name))];
  const persons =
    `${I}<Iptc4xmpExt:PersonInImage>\n${I} <rdf:Bag>\n` +
    names.map((v) => `${I}  <rdf:li>${escapeText(v)}</rdf:li>\n`).join('') +
    `${I} </rdf:Bag>\n${I}</Iptc4xmpExt:PersonInImage>`;
  const dims = f.dims
    ? `${I} <mwg-rs:AppliedToDimensions rdf:parseType="Resource">\n` +
      `${I}  <stDim:w>${f.dims.w}</stDim:w>\n${I}  <stDim:h>${f.dims.h}</stDim:h>\n` +
      `${I}  <stDim:unit>pixel</stDim:unit>\n${I} </mwg-rs:AppliedToDimensions>\n`
    : '';
  const list = f.regions
    .map(
      ({ name, box: b }) =>
        `${I}   <rdf:li rdf:parseType="Resource">\n` +
        `${I}    <mwg-rs:Type>Face</mwg-rs:Type>\n` +
        `${I}    <mwg-rs:Name>${escapeText(name)}</mwg-rs:Name>\n` +
        `${I}    <mwg-rs:Area rdf:parseType="Resource">\n` +
        // MWG areas are given by their centre.
        `${I}     <stArea:x>${n(b.x + b.w / 2)}</stArea:x>\n` +
        `${I}     <stArea:y>${n(b.y + b.h / 2)}</stArea:y>\n` +
        `${I}     <stArea:w>${n(b.w)}</stArea:w>\n` +
        `${I}     <stArea:h>${n(b.h)}</stArea:h>\n` +
        `${I}     <stArea:unit>normalized</stArea:unit>\n` +
        `${I}    </mwg-rs:Area>\n` +
        `${I}   </rdf:li>\n`,
    )
    .join('');
  const regions =
    `${I}<mwg-rs:Regions rdf:parseType="Resource">\n${dims}` +
    `${I} <mwg-rs:RegionList>\n${I}  <rdf:Bag>\n${list}${I}  </rdf:Bag>\n${I} </mwg-rs:RegionList>\n` +
    `${I}</mwg-rs:Regions>`;
  return [persons, regions];
}

/** The properties regionProps writes: another application's copy of them gives way to ours. */
function isRegionProp(ns: string, local: string): boolean {
  return (ns === NS.Iptc4xmpExt && local === 'PersonInImage') || (ns === NS['mwg-rs'] && local === 'Regions');
}

/** Foreign blocks without the face properties we write ourselves (blocks left empty are dropped). */
export function withoutRegions(foreign: ForeignBlock[]): ForeignBlock[] {
  return foreign
    .map((b) => ({
      ...b,
      attrs: b.attrs.filter((a) => !isRegionProp(a.ns, a.local)),
      children: b.children.filter((c) => !isRegionProp(c.ns, c.local)),
    }))
    .filter((b) => b.attrs.length || b.children.length);
}
