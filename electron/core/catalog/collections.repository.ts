import type { Db } from './open';
import { stmt } from './statements';

export interface CollectionRow {
  id: number;
  name: string;
  parent_id: number | null;
  query: string | null;
  created_at: number;
}

export function allCollections(db: Db): CollectionRow[] {
  return stmt(
    db,
    `SELECT id, name, parent_id, query, created_at FROM collections ORDER BY name COLLATE NOCASE`,
  ).all() as CollectionRow[];
}

export function collectionById(db: Db, id: number): CollectionRow | undefined {
  return stmt(db, `SELECT id, name, parent_id, query, created_at FROM collections WHERE id = ?`).get(id) as
    CollectionRow | undefined;
}

export function siblingNamed(db: Db, parentId: number | null, name: string): CollectionRow | undefined {
  return stmt(
    db,
    `SELECT id, name, parent_id, query, created_at FROM collections
      WHERE coalesce(parent_id, 0) = ? AND name = ? COLLATE NOCASE`,
  ).get(parentId ?? 0, name) as CollectionRow | undefined;
}

export function insertCollection(
  db: Db,
  name: string,
  parentId: number | null,
  query: string | null,
): number {
  return Number(
    stmt(db, `INSERT INTO collections (name, parent_id, query, created_at) VALUES (?, ?, ?, ?)`).run(
      name,
      parentId,
      query,
      Date.now(),
    ).lastInsertRowid,
  );
}

export function updateCollection(
  db: Db,
  id: number,
  fields: { name: string; parentId: number | null; query: string | null },
): void {
  stmt(db, `UPDATE collections SET name = ?, parent_id = ?, query = ? WHERE id = ?`).run(
    fields.name,
    fields.parentId,
    fields.query,
    id,
  );
}

export function deleteCollection(db: Db, id: number): void {
  stmt(db, `DELETE FROM collections WHERE id = ?`).run(id);
}

/** Adds the assets that exist and are not members yet; returns those it added. */
export function addMembers(db: Db, collectionId: number, assetIds: readonly number[]): number[] {
  const add = stmt(
    db,
    `INSERT OR IGNORE INTO collection_assets (collection_id, asset_id, added_at)
     SELECT ?, id, ? FROM assets WHERE id = ?`,
  );
  const now = Date.now();
  return [...new Set(assetIds)].filter((id) => add.run(collectionId, now, id).changes > 0);
}

/** Takes the assets out; returns those that were in it. */
export function removeMembers(db: Db, collectionId: number, assetIds: readonly number[]): number[] {
  const del = stmt(db, `DELETE FROM collection_assets WHERE collection_id = ? AND asset_id = ?`);
  return [...new Set(assetIds)].filter((id) => del.run(collectionId, id).changes > 0);
}

/** The manual collections each asset is in, for the inspector. */
export function collectionsOfAssets(
  db: Db,
  assetIds: readonly number[],
): Map<number, { id: number; name: string }[]> {
  const out = new Map<number, { id: number; name: string }[]>();
  const q = stmt(
    db,
    `SELECT c.id, c.name FROM collection_assets ca JOIN collections c ON c.id = ca.collection_id
      WHERE ca.asset_id = ? ORDER BY c.name COLLATE NOCASE`,
  );
  for (const id of assetIds) out.set(id, q.all(id) as { id: number; name: string }[]);
  return out;
}
