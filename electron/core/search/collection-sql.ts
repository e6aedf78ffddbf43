import { QueryError } from '../../../shared/search/parse';
import { nearest } from '../../../shared/suggest';
import type { CollectionRow } from '../catalog/collections.repository';

/** "Client/Spring campaign" for every collection, from the parent links. */
export function collectionPaths(rows: readonly CollectionRow[]): Map<number, string> {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const paths = new Map<number, string>();
  const pathOf = (r: CollectionRow, depth = 0): string => {
    const known = paths.get(r.id);
    if (known !== undefined) return known;
    const parent = r.parent_id !== null ? byId.get(r.parent_id) : undefined;
    // A parent loop cannot be stored through the service; depth still bounds a hand-made one.
    const p = parent && depth < 64 ? `${pathOf(parent, depth + 1)}/${r.name}` : r.name;
    paths.set(r.id, p);
    return p;
  };
  rows.forEach((r) => pathOf(r));
  return paths;
}

/** The collections a path ("Client/Spring") names, else those of that name, in any case. */
export function collectionsMatching(
  rows: readonly CollectionRow[],
  name: string,
  paths: Map<number, string> = collectionPaths(rows),
): CollectionRow[] {
  const want = name.trim().toLocaleLowerCase();
  const byPath = rows.filter((r) => paths.get(r.id)!.toLocaleLowerCase() === want);
  return byPath.length ? byPath : rows.filter((r) => r.name.toLocaleLowerCase() === want);
}

/**
 * The collections `collection:NAME` means, each with every collection inside it: NAME is a path
 * ("Client/Spring") or a name, in any case; a name several collections share means all of them.
 */
export function collectionsNamed(rows: readonly CollectionRow[], name: string): CollectionRow[] {
  const paths = collectionPaths(rows);
  const found = collectionsMatching(rows, name, paths);
  if (found.length === 0) {
    const all = [...paths.values()];
    const near = nearest(
      name,
      all.map((p) => p.toLocaleLowerCase()),
    );
    const guess = all.find((p) => p.toLocaleLowerCase() === near);
    throw new QueryError(
      `no collection named "${name}"${guess ? ` — did you mean collection:"${guess}"?` : ''}`,
    );
  }
  return collectionsWithin(
    rows,
    found.map((r) => r.id),
  );
}

/** These collections (by id) with every collection inside them; ids that do not exist are left out. */
export function collectionsWithin(rows: readonly CollectionRow[], ids: readonly number[]): CollectionRow[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const found = ids.map((id) => byId.get(id)).filter((r): r is CollectionRow => r !== undefined);
  const children = new Map<number, CollectionRow[]>();
  for (const r of rows)
    if (r.parent_id !== null) children.set(r.parent_id, [...(children.get(r.parent_id) ?? []), r]);
  const out = new Map<number, CollectionRow>();
  const visit = (r: CollectionRow) => {
    if (out.has(r.id)) return;
    out.set(r.id, r);
    (children.get(r.id) ?? []).forEach(visit);
  };
  found.forEach(visit);
  return [...out.values()];
}
