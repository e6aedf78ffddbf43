import type { TextSource } from '../../../shared/model';
import type { Db } from './open';
import { stmt } from './statements';

// The words inside a file (file_text, migration 8), one row per file and source. The FTS index
// follows by trigger. Writers: ingest for `document` (storeProcessed); OCR for `ocr`.

/** Sets (or, with null or empty text, clears) a file's text from one source. */
export function setFileText(db: Db, fileId: number, source: TextSource, text: string | null): void {
  if (!text) {
    stmt(db, `DELETE FROM file_text WHERE file_id = ? AND source = ?`).run(fileId, source);
    return;
  }
  stmt(
    db,
    `INSERT INTO file_text (file_id, source, text) VALUES (?, ?, ?)
     ON CONFLICT (file_id, source) DO UPDATE SET text = excluded.text WHERE text IS NOT excluded.text`,
  ).run(fileId, source, text);
}

/** A file's text by source. */
export function fileText(db: Db, fileId: number): Partial<Record<TextSource, string>> {
  const rows = stmt(db, `SELECT source, text FROM file_text WHERE file_id = ?`).all(fileId) as {
    source: TextSource;
    text: string;
  }[];
  return Object.fromEntries(rows.map((r) => [r.source, r.text]));
}

/** SQL true for an asset_search row (alias s) whose current file's text matches an FTS5 expression (one `?`). */
export const FILE_TEXT_MATCH_SQL = `s.file_id IN (SELECT t.file_id FROM file_text_fts
  JOIN file_text t ON t.id = file_text_fts.rowid WHERE file_text_fts MATCH ?)`;
