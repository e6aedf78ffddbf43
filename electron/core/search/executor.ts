import type { SearchResult, SortKey } from '../../../shared/model';
import { QueryError, parseQuery } from '../../../shared/search/parse';
import { allCollections, type CollectionRow } from '../catalog/collections.repository';
import { getAssetsByIds } from '../catalog/assets.repository';
import type { Db } from '../catalog/open';
import { anyHiddenMember } from '../catalog/stacks.repository';
import { stmt } from '../catalog/statements';
import { collectionsNamed, collectionsWithin } from './collection-sql';
import { MAX_EXPANSION, toSql, type SqlQuery } from './to-sql';

export interface SearchOptions {
  limit?: number;
  offset?: number;
  sort?: SortKey;
  dir?: 'asc' | 'desc';
  /**
   * Only assets in these collections (and those inside them; a smart one's finds): an account
   * limited to collections. Absent: the whole catalogue.
   */
  scope?: readonly number[] | null;
}

/** Counting stops here: "1,000+" is as useful to a person as the exact figure, and far cheaper. */
const COUNT_CAP = 1_000;

/** Runs typed queries over the catalogue: the grammar (shared/) compiled to SQL (to-sql.ts). */
export class SearchService {
  constructor(
    private readonly db: Db,
    private readonly thumbDir: string,
  ) {}

  /** Smart collections may name other collections; this deep, they are going round in a circle. */
  private static readonly MAX_COLLECTION_DEPTH = 8;

  private compile(query: string, opts: Pick<SearchOptions, 'sort' | 'dir' | 'scope'>, depth = 0): SqlQuery {
    const q = this.compileQuery(query, opts, depth);
    if (!opts.scope) return q;
    const scope = this.scopeSql(opts.scope);
    // The scope reads asset_search, so counting cannot use the full-text table alone.
    return {
      ...q,
      countFrom: q.from,
      where: `(${q.where}) AND ${scope.sql}`,
      params: [...q.params, ...scope.params],
    };
  }

  private compileQuery(query: string, opts: Pick<SearchOptions, 'sort' | 'dir'>, depth: number): SqlQuery {
    const completions = stmt(
      this.db,
      `SELECT term FROM fts_terms WHERE term >= ? AND term < ? LIMIT ${MAX_EXPANSION + 1}`,
    ).pluck();
    const expand = (word: string) => {
      const found = completions.all(word, word + '\u{10FFFF}') as string[];
      return found.length > MAX_EXPANSION ? null : found;
    };
    // Without a hidden version anywhere, the filter that hides them would only slow counting down.
    return toSql(parseQuery(query), opts.sort, opts.dir, expand, {
      hideVersions: anyHiddenMember(this.db),
      collection: (name) => this.collectionSql(name, depth),
    });
  }

  /** Members of the named collections and those inside them: hand-picked ones, and what smart ones find. */
  private collectionSql(name: string, depth: number): { sql: string; params: (string | number)[] } {
    return this.membersSql(collectionsNamed(allCollections(this.db), name), depth);
  }

  /** Members of these collections by id and of those inside them (none left: nothing matches). */
  private scopeSql(collectionIds: readonly number[]): { sql: string; params: (string | number)[] } {
    const rows = collectionsWithin(allCollections(this.db), collectionIds);
    return rows.length ? this.membersSql(rows, 0) : { sql: '0', params: [] };
  }

  /** Which of these assets an account limited to `scope` may see (any version of a stack). */
  inScope(assetIds: readonly number[], scope: readonly number[]): Set<number> {
    if (!assetIds.length) return new Set();
    const s = this.scopeSql(scope);
    const unique = [...new Set(assetIds)];
    const found = new Set<number>();
    // In slices: SQLite bounds the number of parameters of one statement.
    for (let i = 0; i < unique.length; i += 500) {
      const slice = unique.slice(i, i + 500);
      const rows = this.db
        .prepare(
          `SELECT s.asset_id FROM asset_search s WHERE s.asset_id IN (${slice.map(() => '?').join(', ')}) AND ${s.sql}`,
        )
        .pluck()
        .all(...slice, ...s.params) as number[];
      rows.forEach((id) => found.add(id));
    }
    return found;
  }

  private membersSql(
    rows: readonly CollectionRow[],
    depth: number,
  ): { sql: string; params: (string | number)[] } {
    const ids = rows.map((r) => r.id);
    const parts = [
      `s.asset_id IN (SELECT asset_id FROM collection_assets WHERE collection_id IN (${ids.map(() => '?').join(', ')}))`,
    ];
    const params: (string | number)[] = [...ids];
    for (const r of rows) {
      if (r.query === null) continue;
      if (depth >= SearchService.MAX_COLLECTION_DEPTH)
        throw new QueryError(`the smart collection "${r.name}" refers back to itself through collection:`);
      let q: SqlQuery;
      try {
        q = this.compile(r.query, {}, depth + 1);
      } catch (err) {
        if (err instanceof QueryError && !err.message.startsWith('the smart collection'))
          throw new QueryError(
            `the smart collection "${r.name}" has a query that no longer parses: ${err.message}`,
          );
        throw err;
      }
      parts.push(`s.asset_id IN (SELECT s.asset_id FROM ${q.from} WHERE ${q.where})`);
      params.push(...q.params);
    }
    return { sql: `(${parts.join(' OR ')})`, params };
  }

  /** How many assets a query finds, counting up to `cap`. */
  count(query: string, cap: number): { count: number; capped: boolean } {
    const q = this.compile(query, {});
    const n = stmt(this.db, `SELECT count(*) FROM (SELECT 1 FROM ${q.countFrom} WHERE ${q.where} LIMIT ?)`)
      .pluck()
      .get(...q.params, cap + 1) as number;
    return { count: Math.min(n, cap), capped: n > cap };
  }

  search(query: string, opts: SearchOptions = {}): SearchResult {
    const q = this.compile(query, opts);
    const limit = Math.max(0, Math.min(opts.limit ?? 100, 10_000));
    const offset = Math.max(0, opts.offset ?? 0);
    const ids = stmt(
      this.db,
      `SELECT s.asset_id FROM ${q.from} WHERE ${q.where} ORDER BY ${q.orderBy} LIMIT ? OFFSET ?`,
    )
      .pluck()
      .all(...q.params, limit, offset) as number[];
    const total =
      ids.length < limit && (offset === 0 || ids.length > 0)
        ? offset + ids.length
        : (stmt(
            this.db,
            `SELECT count(*) FROM (SELECT 1 FROM ${q.countFrom} WHERE ${q.where} LIMIT ${COUNT_CAP + 1})`,
          )
            .pluck()
            .get(...q.params) as number);
    return {
      total: Math.min(total, COUNT_CAP),
      totalCapped: total > COUNT_CAP,
      items: getAssetsByIds(this.db, ids, this.thumbDir),
    };
  }

  /** Does this asset match the query (any version of a stack, hidden or not)? */
  matches(query: string, assetId: number): boolean {
    const q = toSql(parseQuery(`versions:all ${query}`));
    return (
      stmt(this.db, `SELECT 1 FROM ${q.from} WHERE ${q.where} AND s.asset_id = ? LIMIT 1`)
        .pluck()
        .get(...q.params, assetId) !== undefined
    );
  }

  /** Matching ids in display order; all of them unless `limit` (from `offset`) bounds the answer. */
  searchIds(query: string, opts: SearchOptions = {}): number[] {
    const q = this.compile(query, opts);
    const page =
      opts.limit !== undefined
        ? ` LIMIT ${Math.floor(opts.limit)} OFFSET ${Math.floor(opts.offset ?? 0)}`
        : '';
    return this.db
      .prepare(`SELECT s.asset_id FROM ${q.from} WHERE ${q.where} ORDER BY ${q.orderBy}${page}`)
      .pluck()
      .all(...q.params) as number[];
  }
}
