import type { Facts } from '../../../../shared/facts';
import type { Gps } from '../../../../shared/model';
import type { NamedRegion } from '../../../../shared/people';

/** One file's metadata, normalised from EXIF, IPTC and XMP. */
export interface FileMetadata {
  /** ISO 8601 wall-clock time ("2008-05-30T15:56:01"), with sub-seconds when recorded and the offset ("+02:00") only when the file records one. */
  captureDate: string | null;
  /** ms since epoch: the UTC instant when the offset is known, else the wall time read as if UTC (for sorting). */
  captureTs: number | null;
  tzOffsetMin: number | null;
  make: string | null;
  model: string | null;
  lens: string | null;
  exposureTime: number | null;
  fNumber: number | null;
  iso: number | null;
  focalLength: number | null;
  /** Pixel size as stored (EXIF PixelX/YDimension, else the container header); the caller may override with the decoder's. */
  width: number | null;
  height: number | null;
  /** EXIF orientation 1-8. */
  orientation: number | null;
  /** Signed decimal degrees (S and W negative), altitude in metres (below sea level negative). */
  gps: Gps | null;
  title: string | null;
  description: string | null;
  keywords: string[];
  creator: string | null;
  copyright: string | null;
  credit: string | null;
  /** -1 (rejected) to 5. */
  rating: number | null;
  /** What only some formats have (codec, album, page count…), keys from shared/facts.ts. */
  facts: Facts;
  /** Named faces in the file's own XMP (MWG or Windows Photo regions); null when it has no regions. */
  faceRegions: NamedRegion[] | null;
  /**
   * The words inside a document (PDF, AI, Office, RTF), bounded by LIMITS.documentTextChars.
   * Not a metadata column: stored in file_text (source `document`) and searched with `text:`.
   */
  text?: string;
}

export function emptyMetadata(): FileMetadata {
  return {
    captureDate: null,
    captureTs: null,
    tzOffsetMin: null,
    make: null,
    model: null,
    lens: null,
    exposureTime: null,
    fNumber: null,
    iso: null,
    focalLength: null,
    width: null,
    height: null,
    orientation: null,
    gps: null,
    title: null,
    description: null,
    keywords: [],
    creator: null,
    copyright: null,
    credit: null,
    rating: null,
    facts: {},
    faceRegions: null,
  };
}
