import type { EditPatch, EditResult } from '../../../shared/contract';
import type { Db } from './open';
import { stmt } from './statements';
import { parseKeywords, refreshAssetSearch } from './asset-search.repository';

interface EditRow {
  title: string | null;
  description: string | null;
  rating: number | null;
  label: string | null;
  flag: string | null;
  keywords: string | null;
}

const EMPTY: EditRow = {
  title: null,
  description: null,
  rating: null,
  label: null,
  flag: null,
  keywords: null,
};

function effectiveKeywords(db: Db, assetId: number, edit: EditRow): string[] {
  if (edit.keywords != null) return parseKeywords(edit.keywords);
  const fileKw = stmt(
    db,
    `SELECT m.keywords FROM asset_search s JOIN file_metadata m ON m.file_id = s.file_id WHERE s.asset_id = ?`,
  )
    .pluck()
    .get(assetId) as string | undefined;
  return parseKeywords(fileKw ?? null);
}

function dedupe(list: string[]): string[] {
  const seen = new Set<string>();
  return list.filter((k) => {
    const key = k.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Apply one patch to each asset. Returns, per asset, the patch that restores what was there:
 * undo is simply another edit.
 */
export function editAssets(db: Db, edits: { id: number; patch: EditPatch }[]): EditResult {
  const previous: EditResult['previous'] = [];
  db.transaction(() => {
    for (const { id, patch } of edits) {
      if (!stmt(db, `SELECT 1 FROM assets WHERE id = ?`).pluck().get(id)) continue;
      const before =
        (stmt(
          db,
          `SELECT title, description, rating, label, flag, keywords FROM asset_edits WHERE asset_id = ?`,
        ).get(id) as EditRow | undefined) ?? EMPTY;
      const next: EditRow = { ...before };
      const undo: EditPatch = {};
      // Simple fields: remember what the edit row held (null = "as the file says"), then set.
      for (const field of ['title', 'description', 'rating', 'label', 'flag'] as const) {
        if (patch[field] === undefined) continue;
        (undo as Record<string, unknown>)[field] = before[field];
        (next as unknown as Record<string, unknown>)[field] = patch[field];
      }
      if (patch.keywords !== undefined || patch.keywordsAdd || patch.keywordsRemove) {
        undo.keywords = before.keywords == null ? null : parseKeywords(before.keywords);
        let list =
          patch.keywords !== undefined ? (patch.keywords ?? null) : effectiveKeywords(db, id, before);
        if (list && (patch.keywordsAdd || patch.keywordsRemove)) {
          const remove = new Set((patch.keywordsRemove ?? []).map((k) => k.toLowerCase()));
          list = [...list, ...(patch.keywordsAdd ?? [])].filter((k) => !remove.has(k.toLowerCase()));
        }
        next.keywords = list ? JSON.stringify(dedupe(list.map((k) => k.trim()).filter(Boolean))) : null;
      }
      stmt(
        db,
        `INSERT OR REPLACE INTO asset_edits (asset_id, title, description, rating, label, flag, keywords, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(id, next.title, next.description, next.rating, next.label, next.flag, next.keywords, Date.now());
      refreshAssetSearch(db, id);
      previous.push({ id, patch: undo });
    }
  })();
  return { updated: previous.length, previous };
}

export function suggestKeywords(db: Db, prefix: string, limit = 10): string[] {
  const escaped = prefix.replace(/[\\%_]/g, (c) => '\\' + c);
  return stmt(
    db,
    `SELECT keyword FROM keyword_usage WHERE keyword LIKE ? ESCAPE '\\' ORDER BY uses DESC, keyword LIMIT ?`,
  )
    .pluck()
    .all(`${escaped}%`, limit) as string[];
}
