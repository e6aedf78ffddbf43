import { cleanFacts } from '../../../shared/facts';
import type { FileMetadata } from '../ingest/metadata/read-metadata';
import type { ProcessResult } from '../jobs/messages';
import type { Db } from './open';
import { stmt } from './statements';
import { refreshAssetSearch } from './asset-search.repository';
import { setFileText } from './file-text.repository';

function upsertMetadata(db: Db, fileId: number, m: FileMetadata, durationS: number | null): void {
  stmt(
    db,
    `INSERT OR REPLACE INTO file_metadata (file_id, capture_date, capture_ts, tz_offset_min, make, model, lens,
       exposure_time, f_number, iso, focal_length, width, height, orientation, duration_s, gps_lat, gps_lon, gps_alt,
       title, description, keywords, creator, copyright, credit, rating, facts)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    fileId,
    m.captureDate,
    m.captureTs,
    m.tzOffsetMin,
    m.make,
    m.model,
    m.lens,
    m.exposureTime,
    m.fNumber,
    m.iso == null ? null : Math.round(m.iso),
    m.focalLength,
    m.width == null ? null : Math.round(m.width),
    m.height == null ? null : Math.round(m.height),
    m.orientation,
    durationS,
    m.gps?.lat ?? null,
    m.gps?.lon ?? null,
    m.gps?.alt ?? null,
    m.title,
    m.description,
    JSON.stringify(m.keywords),
    m.creator,
    m.copyright,
    m.credit,
    m.rating == null ? null : Math.round(m.rating),
    JSON.stringify(cleanFacts(m.facts)),
  );
}

/** Store what a worker read from a file; the caller deletes the job in the same transaction. */
export function storeProcessed(db: Db, r: ProcessResult, assetId: number): void {
  stmt(
    db,
    `UPDATE files SET content_hash = ?, format = ?, thumb = ?, error = ?, processed_at = ? WHERE id = ?`,
  ).run(r.contentHash, r.format, r.thumb, r.error, Date.now(), r.fileId);
  stmt(db, `UPDATE assets SET type = ? WHERE id = ? AND type <> ?`).run(r.type, assetId, r.type);
  if (r.metadata) upsertMetadata(db, r.fileId, r.metadata, r.durationS);
  else if (r.durationS != null)
    stmt(db, `UPDATE file_metadata SET duration_s = ? WHERE file_id = ?`).run(r.durationS, r.fileId);
  // New content replaces the words of the old (a document saved over, or no longer a document).
  setFileText(db, r.fileId, 'document', r.text ?? null);
  refreshAssetSearch(db, assetId);
}

export function setFileError(db: Db, fileId: number, assetId: number, error: string): void {
  stmt(db, `UPDATE files SET error = ?, processed_at = ? WHERE id = ?`).run(error, Date.now(), fileId);
  refreshAssetSearch(db, assetId);
}
