import type { Db } from './open';
import { stmt } from './statements';
import { tokens } from './fts-tokens';

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

interface SearchSource {
  file_id: number;
  root_id: number;
  type: string;
  state: string;
  folder: string;
  name: string;
  ext: string;
  size: number;
  capture_ts: number | null;
  make: string | null;
  model: string | null;
  lens: string | null;
  rating: number | null;
  title: string | null;
  description: string | null;
  keywords: string | null;
  creator: string | null;
  label: string | null;
  flag: string | null;
  has_error: number;
}

/** Text the full-text index sees; NFC so that NFC and NFD spellings of a name find each other. */
function ftsText(s: string | null | undefined): string {
  return (s ?? '').normalize('NFC');
}

function dateText(ts: number | null): string {
  if (ts == null) return '';
  const d = new Date(ts);
  return `${d.getUTCFullYear()} ${MONTHS[d.getUTCMonth()] ?? ''}`;
}

const KEYWORD_SEPARATOR = ' ; ';

export function parseKeywords(json: string | null): string[] {
  if (!json) return [];
  try {
    const list = JSON.parse(json) as unknown;
    return Array.isArray(list) ? list.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    return [];
  }
}

/** Keep the autocomplete's counts in step, from the keywords the index held before to the new ones. */
function updateKeywordUsage(db: Db, before: string[], after: string[]): void {
  const lower = (xs: string[]) => new Map(xs.map((k) => [k.toLowerCase(), k]));
  const b = lower(before);
  const a = lower(after);
  for (const [k] of b) {
    if (a.has(k)) continue;
    stmt(db, `UPDATE keyword_usage SET uses = uses - 1 WHERE keyword = ?`).run(k);
    stmt(db, `DELETE FROM keyword_usage WHERE keyword = ? AND uses <= 0`).run(k);
  }
  for (const [k, original] of a) {
    if (b.has(k)) continue;
    stmt(
      db,
      `INSERT INTO keyword_usage (keyword, uses) VALUES (?, 1) ON CONFLICT (keyword) DO UPDATE SET uses = uses + 1`,
    ).run(original);
  }
}

/** Capture times are clamped to 1800..2248 so the shifted key stays a positive 63-bit integer. */
export const SORT_KEY_SQL = (ts: string) =>
  `((min(max(${ts}, -5364662400000), 8796093022207) + 8796093022208) << 19)`;

/** The date-ordered key of an asset (see the asset_search table); unique, probing past a clash. */
function sortKeyFor(db: Db, assetId: number, captureTs: number | null): bigint {
  if (captureTs == null) return BigInt(assetId);
  let key = stmt(db, `SELECT ${SORT_KEY_SQL('?')} | (? & 524287)`)
    .safeIntegers(true)
    .pluck()
    .get(captureTs, assetId) as bigint;
  const taken = stmt(db, `SELECT asset_id FROM asset_search WHERE sort_key = ?`).safeIntegers(false).pluck();
  for (
    let owner = taken.get(key) as number | undefined;
    owner != null && owner !== assetId;
    owner = taken.get(key) as number | undefined
  )
    key++;
  return key;
}

/** Remove an asset's full-text entry (its rowid is the sort key). */
export function deleteAssetFts(db: Db, assetId: number): void {
  stmt(db, `DELETE FROM asset_fts WHERE rowid = (SELECT sort_key FROM asset_search WHERE asset_id = ?)`).run(
    assetId,
  );
}

/**
 * Re-derive the asset's search row and full-text entry from its current file. Called after every
 * change to a file or its metadata, inside the caller's transaction.
 */
export function refreshAssetSearch(db: Db, assetId: number): void {
  const src = stmt(
    db,
    `SELECT f.id AS file_id, f.root_id, a.type, f.state, f.folder, f.name, f.ext, f.size,
            m.capture_ts, m.make, m.model, m.lens, coalesce(e.rating, m.rating) AS rating,
            coalesce(e.title, m.title) AS title, coalesce(e.description, m.description) AS description,
            coalesce(e.keywords, m.keywords) AS keywords, coalesce(ar.creator, m.creator) AS creator, e.label, e.flag,
            (f.error IS NOT NULL) AS has_error
       FROM assets a JOIN files f ON f.asset_id = a.id LEFT JOIN file_metadata m ON m.file_id = f.id
       LEFT JOIN asset_edits e ON e.asset_id = a.id LEFT JOIN asset_rights ar ON ar.asset_id = a.id
      WHERE a.id = ? ORDER BY (f.state = 'present') DESC, f.id DESC LIMIT 1`,
  ).get(assetId) as SearchSource | undefined;
  if (!src) return;
  const oldKeywords = stmt(
    db,
    `SELECT keywords FROM asset_fts WHERE rowid = (SELECT sort_key FROM asset_search WHERE asset_id = ?)`,
  )
    .pluck()
    .get(assetId) as string | undefined;
  const keywords = parseKeywords(src.keywords);
  updateKeywordUsage(db, oldKeywords ? oldKeywords.split(KEYWORD_SEPARATOR).filter(Boolean) : [], keywords);
  deleteAssetFts(db, assetId);
  const key = sortKeyFor(db, assetId, src.capture_ts);
  stmt(
    db,
    `INSERT OR REPLACE INTO asset_search
       (asset_id, sort_key, file_id, root_id, type, state, folder, name, ext, size, capture_ts, make, model, rating,
        has_error, label, flag)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    assetId,
    key,
    src.file_id,
    src.root_id,
    src.type,
    src.state,
    src.folder,
    src.name,
    src.ext,
    src.size,
    src.capture_ts,
    src.make,
    src.model,
    src.rating,
    src.has_error,
    src.label,
    src.flag,
  );
  const columns = [
    ftsText(src.name),
    ftsText(src.folder),
    ftsText(src.title),
    ftsText(src.description),
    ftsText(keywords.join(KEYWORD_SEPARATOR)),
    ftsText(src.creator),
    ftsText([src.make, src.model].filter(Boolean).join(' ')),
    ftsText(src.lens),
    dateText(src.capture_ts),
  ];
  stmt(
    db,
    `INSERT INTO asset_fts (rowid, name, folder, title, description, keywords, creator, camera, lens, date)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(key, ...columns);
  const addTerm = stmt(db, `INSERT OR IGNORE INTO fts_terms (term) VALUES (?)`);
  for (const t of new Set(tokens(columns.join(' ')))) addTerm.run(t);
}
