import type { ByteSource } from './source';

export type ContainerFormat = 'jpeg' | 'tiff' | 'png' | 'webp' | 'heif' | 'raf' | 'psd';

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

/** Hard caps that keep a hostile or broken file from making us allocate or loop without end. */
export const LIMITS = {
  /** Largest single metadata block we will read (an XMP packet with a long Photoshop history, say). */
  blockBytes: 16 * 1024 * 1024,
  /** Most container chunks/boxes/segments visited before giving up. */
  steps: 20_000,
} as const;

export function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}
