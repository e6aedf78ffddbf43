import type { ByteSource } from '../../formats/byte-source';
import type { ContainerFormat } from '../../formats/sniff';
import type { TagMap } from './exif';

/** The metadata blocks a container walker found, still undecoded. */
export interface RawBlocks {
  format: ContainerFormat;
  /** TIFF structures carrying IFD0/Exif/GPS: a JPEG's APP1 payload, a HEIF Exif item, a whole .tif. */
  tiff: ByteSource[];
  xmp: string[];
  /**
   * EXIF-numbered tags read natively from a container that has no TIFF structure for them (a CRW's
   * CIFF records, an X3F's properties), as the TIFF reader would give them; a TIFF's own win.
   */
  tags: TagMap;
  /** IPTC-IIM streams (already unwrapped from Photoshop resource blocks). */
  iptc: Uint8Array[];
  /** Pixel size from the container's own header (JPEG SOF, PNG IHDR, WebP VP8X, HEIF ispe, PSD). */
  width: number | null;
  height: number | null;
  /** Set when the walk stopped early on a damaged or truncated structure. */
  damage: string | null;
}

export function emptyBlocks(format: ContainerFormat): RawBlocks {
  return { format, tiff: [], xmp: [], tags: new Map(), iptc: [], width: null, height: null, damage: null };
}
