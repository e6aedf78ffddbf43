/**
 * The one namespace table for XMP, in sidecars and in packets inside files alike: properties are
 * known by namespace URI, never by whatever prefix a file happens to use.
 */
export const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  x: 'adobe:ns:meta/',
  dc: 'http://purl.org/dc/elements/1.1/',
  xmp: 'http://ns.adobe.com/xap/1.0/',
  xmpRights: 'http://ns.adobe.com/xap/1.0/rights/',
  photoshop: 'http://ns.adobe.com/photoshop/1.0/',
  Iptc4xmpCore: 'http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/',
  plus: 'http://ns.useplus.org/ldf/xmp/1.0/',
  cc: 'http://creativecommons.org/ns#',
  aux: 'http://ns.adobe.com/exif/1.0/aux/',
  exif: 'http://ns.adobe.com/exif/1.0/',
  exifEX: 'http://cipa.jp/exif/1.0/',
  tiff: 'http://ns.adobe.com/tiff/1.0/',
  lr: 'http://ns.adobe.com/lightroom/1.0/',
  /** Who is in the picture, and where: IPTC's person list and the MWG face regions (Lightroom, digiKam, Picasa). */
  Iptc4xmpExt: 'http://iptc.org/std/Iptc4xmpExt/2008-02-29/',
  'mwg-rs': 'http://www.metadataworkinggroup.com/schemas/regions/',
  stArea: 'http://ns.adobe.com/xmp/sType/Area#',
  stDim: 'http://ns.adobe.com/xap/1.0/sType/Dimensions#',
  /** Windows Photo Gallery's regions, which digiKam also writes: read only. */
  MP: 'http://ns.microsoft.com/photo/1.2/',
  MPRI: 'http://ns.microsoft.com/photo/1.2/t/RegionInfo#',
  MPReg: 'http://ns.microsoft.com/photo/1.2/t/Region#',
  /** Ours: approval, the per-field version stamps that merging needs, and the shared history. */
  tessera: 'http://ns.tessera.app/xmp/1.0/',
} as const;
export type Prefix = keyof typeof NS;

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/**
 * For packets in camera files that use a well-known prefix without declaring it (hand-edited or
 * truncated XMP): read leniently only, a sidecar must declare what it uses.
 */
export const CONVENTIONAL_PREFIXES: Readonly<Record<string, string>> = { ...NS, xap: NS.xmp };
