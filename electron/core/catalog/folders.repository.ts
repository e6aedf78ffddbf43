import type { FolderNode } from '../../../shared/contract';
import type { Db } from './open';
import { stmt } from './statements';

/**
 * The folders directly inside `parent` ('' for the root's top level), each with the number of
 * assets at or below it. One level per call: an archive can hold tens of thousands of folders, and
 * a tree shows only the ones a user opens. The range scan on (root_id, folder) reads one row per
 * distinct folder below parent, never one per asset.
 */
export function folderLevel(db: Db, rootId: number, parent: string): FolderNode[] {
  const prefix = parent === '' ? '' : `${parent}/`;
  // '/' + 1 is '0': every folder starting with prefix sorts in [prefix, upper).
  const rows = (
    prefix === ''
      ? stmt(
          db,
          `SELECT folder, count(*) AS n FROM asset_search WHERE root_id = ? AND folder <> '' GROUP BY folder`,
        ).all(rootId)
      : stmt(
          db,
          `SELECT folder, count(*) AS n FROM asset_search
            WHERE root_id = ? AND folder >= ? AND folder < ? GROUP BY folder`,
        ).all(rootId, prefix, `${parent}0`)
  ) as { folder: string; n: number }[];
  const byName = new Map<string, FolderNode>();
  for (const r of rows) {
    const rest = r.folder.slice(prefix.length);
    const slash = rest.indexOf('/');
    const name = slash < 0 ? rest : rest.slice(0, slash);
    let node = byName.get(name);
    if (!node) {
      node = { rootId, path: prefix + name, name, count: 0, hasChildren: false };
      byName.set(name, node);
    }
    node.count += r.n;
    if (slash >= 0) node.hasChildren = true;
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
}
