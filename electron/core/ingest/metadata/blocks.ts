import type { ByteSource } from '../../formats/byte-source';
import type { ContainerFormat } from '../../formats/sniff';

/** The metadata blocks a container walker found, still undecoded. */
export interface RawBlocks {
  format: ContainerFormat;
  /** TIFF structures carrying IFD0/Exif/GPS: a JPEG's APP1 payload, a HEIF Exif item, a whole .tif. */
  tiff: ByteSource[];
  xmp: string[];
  /** IPTC-IIM streams (already unwrapped from Photoshop resource blocks). */
  iptc: Uint8Array[];
  /** Pixel size from the container's own header (JPEG SOF, PNG IHDR, WebP VP8X, HEIF ispe, PSD). */
  width: number | null;
  height: number | null;
  /** Set when the walk stopped early on a damaged or truncated structure. */
  damage: string | null;
}

export function emptyBlocks(format: ContainerFormat): RawBlocks {
  return { format, tiff: [], xmp: [], iptc: [], width: null, height: null, damage: null };
}
