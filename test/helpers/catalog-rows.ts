// Raw catalogue rows for tests of the schema and the job table, written with SQL rather than the
// repositories (what a migration or a queue finds in a catalogue, whatever wrote it).
import type Database from 'better-sqlite3';

/** Asset `id` (an image) with one file, a{id}.jpg in root 1, and its search row when `search` says so. */
export function insertAssetWithFile(
  db: Pick<Database.Database, 'prepare'>,
  id: number,
  opts: { search: boolean },
): void {
  db.prepare(`INSERT INTO assets (id, type, created_at) VALUES (?, 'image', 0)`).run(id);
  db.prepare(
    `INSERT INTO files (id, asset_id, root_id, rel_path, folder, name, ext, format, size, mtime_ms, first_seen)
     VALUES (?, ?, 1, ?, '', ?, 'jpg', 'jpeg', 1, 0, 0)`,
  ).run(id, id, `a${id}.jpg`, `a${id}.jpg`);
  if (!opts.search) return;
  db.prepare(
    `INSERT INTO asset_search (asset_id, sort_key, file_id, root_id, type, state, folder, name, ext, size)
     VALUES (?, ?, ?, 1, 'image', 'present', '', ?, 'jpg', 1)`,
  ).run(id, id, id, `a${id}.jpg`);
}
