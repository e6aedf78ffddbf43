// The words inside a file, searchable with `text:`: a document's own words (PDF, AI, Office, RTF;
// source `document`) and text recognised in a picture (source `ocr`). One row per file and source;
// an FTS5 index over them, kept in step by triggers (also when a file's row is deleted and its text
// goes with it). Apart from asset_fts on purpose: plain word searches, and the benchmark over a
// million assets, never read a document's pages.
import { TEXT_SOURCES } from '../../../../shared/model';
import { sqlIn } from './sql-list';

export default /* sql */ `
CREATE TABLE file_text (
  id       INTEGER PRIMARY KEY,
  file_id  INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
  source   TEXT    NOT NULL CHECK (source IN (${sqlIn(TEXT_SOURCES)})),
  text     TEXT    NOT NULL,
  UNIQUE (file_id, source)
) STRICT;

CREATE VIRTUAL TABLE file_text_fts USING fts5 (
  text,
  content = 'file_text',
  content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER file_text_added AFTER INSERT ON file_text
BEGIN INSERT INTO file_text_fts (rowid, text) VALUES (new.id, new.text); END;
CREATE TRIGGER file_text_removed AFTER DELETE ON file_text
BEGIN INSERT INTO file_text_fts (file_text_fts, rowid, text) VALUES ('delete', old.id, old.text); END;
CREATE TRIGGER file_text_changed AFTER UPDATE OF text ON file_text
BEGIN
  INSERT INTO file_text_fts (file_text_fts, rowid, text) VALUES ('delete', old.id, old.text);
  INSERT INTO file_text_fts (rowid, text) VALUES (new.id, new.text);
END;
`;
