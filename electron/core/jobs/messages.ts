import type { AssetType } from '../../../shared/model';
import type { StatInfo } from '../catalog/files.repository';
import type { FormatId } from '../ingest/formats/file-types';
import type { FileMetadata } from '../ingest/metadata/read-metadata';

/** Main thread → ingest worker. */
export interface ProcessRequest {
  jobId: number;
  fileId: number;
  absPath: string;
  format: FormatId;
  ext: string;
  /** Folder for content-addressed thumbnails (thumbs/ab/abcdef….webp). */
  thumbDir: string;
}

/** Ingest worker → main thread. */
export interface ProcessResult {
  jobId: number;
  fileId: number;
  /** Stat before reading; the result only counts if the catalogue still describes this same file. */
  stat: StatInfo | null;
  /** False when the file changed while it was being read: the work is redone. */
  stable: boolean;
  contentHash: string | null;
  format: FormatId;
  type: AssetType;
  metadata: FileMetadata | null;
  /**
   * The words inside a document (PDF, AI, Office, RTF) for file_text (source `document`); null for
   * other formats and for documents whose words could not be read. Kept out of `metadata`.
   */
  text?: string | null;
  durationS: number | null;
  /** Thumbnail path relative to thumbDir. */
  thumb: string | null;
  /** Perceptual hash and upright size of the thumbnail just made (null when none was made, or a video). */
  pixels: { dhash: bigint; width: number; height: number } | null;
  /** A problem with the file's content, kept on the asset for the user to read. */
  error: string | null;
  /** A problem that may pass (file busy, share hiccup): retried with backoff. */
  transientError: string | null;
  ms: number;
}
