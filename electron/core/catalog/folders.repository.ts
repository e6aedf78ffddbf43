import type { FolderNode } from '../../../shared/contract';
import type { Db } from './open';
import { stmt } from './statements';

// One collator: localeCompare with options builds one per call, the better part of a large level's cost.
const collator = new Intl.Collator(undefined, { numeric: true });
const byName = (a: FolderNode, b: FolderNode) => collator.compare(a.name, b.name);

/** Past this many child folders, one grouped pass over the level's rows beats seeking per child. */
const SKIP_SCAN_CHILDREN = 200;

/**
 * The folders directly inside `parent` ('' for the root's top level), each with the number of
 * assets at or below it. One level per call. A level with few children is read by a skip-scan of
 * the (root_id, folder) index, a few seeks per child: the top of an archive with 100,000 folders
 * takes milliseconds instead of a pass over all of them. A level with many children (a folder per
 * shoot) is one grouped pass over its own rows instead.
 */
export function folderLevel(db: Db, rootId: number, parent: string): FolderNode[] {
  const prefix = parent === '' ? '' : `${parent}/`;
  // Folders below parent sort in (prefix, upper): '0' is the character after '/'. The top level has
  // no upper bound (a name may start with any character, emoji included).
  const upper = parent === '' ? null : `${parent}0`;
  const first = (op: '>' | '>=', from: string, before: string | null): string | undefined =>
    (before === null
      ? stmt(
          db,
          `SELECT folder FROM asset_search WHERE root_id = ? AND folder ${op} ? ORDER BY folder LIMIT 1`,
        )
          .pluck()
          .get(rootId, from)
      : stmt(
          db,
          `SELECT folder FROM asset_search WHERE root_id = ? AND folder ${op} ? AND folder < ? ORDER BY folder LIMIT 1`,
        )
          .pluck()
          .get(rootId, from, before)) as string | undefined;
  const count = stmt(
    db,
    `SELECT (SELECT count(*) FROM asset_search WHERE root_id = ? AND folder = ?)
          + (SELECT count(*) FROM asset_search WHERE root_id = ? AND folder > ? AND folder < ?)`,
  ).pluck();

  const out: FolderNode[] = [];
  const seen = new Set<string>();
  // A forward-only cursor: each step seeks past what it has seen, so the loop always ends.
  let next = first('>', prefix, upper);
  while (next !== undefined) {
    const rest = next.slice(prefix.length);
    const slash = rest.indexOf('/');
    const name = slash < 0 ? rest : rest.slice(0, slash);
    const p = prefix + name;
    const below = `${p}/`;
    const end = `${p}0`;
    if (!seen.has(name)) {
      if (seen.size >= SKIP_SCAN_CHILDREN) return groupedLevel(db, rootId, parent);
      seen.add(name);
      out.push({
        rootId,
        path: p,
        name,
        count: count.get(rootId, p, rootId, below, end) as number,
        hasChildren: first('>', below, end) !== undefined,
      });
    }
    // At p itself, step to the next folder: a sibling like "2024-old" sorts between "2024" and
    // "2024/…". Inside p/, everything below p is passed over in one seek.
    next = slash < 0 ? first('>', p, upper) : first('>=', end, upper);
  }
  return out.sort(byName);
}

/** The same answer in one pass over the rows below parent, grouped by their first folder name. */
function groupedLevel(db: Db, rootId: number, parent: string): FolderNode[] {
  const prefix = parent === '' ? '' : `${parent}/`;
  const rows = stmt(
    db,
    `SELECT name, count(*) AS n, max(slash > 0) AS deeper FROM (
       SELECT CASE WHEN slash = 0 THEN rest ELSE substr(rest, 1, slash - 1) END AS name, slash FROM (
         SELECT substr(folder, length(@prefix) + 1) AS rest, instr(substr(folder, length(@prefix) + 1), '/') AS slash
           FROM asset_search
          WHERE root_id = @root AND folder > @prefix ${parent === '' ? '' : 'AND folder < @upper'}))
      GROUP BY name`,
  ).all(parent === '' ? { root: rootId, prefix } : { root: rootId, prefix, upper: `${parent}0` }) as {
    name: string;
    n: number;
    deeper: number;
  }[];
  return rows
    .map((r) => ({ rootId, path: prefix + r.name, name: r.name, count: r.n, hasChildren: r.deeper === 1 }))
    .sort(byName);
}
