import type { CollectionNode } from '../../../shared/collections';
import { collectionNameProblem } from '../../../shared/collections';
import { parseQuery } from '../../../shared/search/parse';
import {
  addMembers,
  allCollections,
  collectionById,
  deleteCollection,
  insertCollection,
  removeMembers,
  siblingNamed,
  updateCollection,
  type CollectionRow,
} from '../catalog/collections.repository';
import type { Db } from '../catalog/open';
import type { CoreEventBus } from '../events';
import { conflict, invalidInput, notFound, refused } from '../errors';
import { collectionPaths, collectionsMatching } from '../search/collection-sql';
import type { SearchService } from '../search/executor';

/** Counting a collection stops here, as the search's count does ("10,000+"). */
const COUNT_CAP = 10_000;

/** Collections: made, renamed, moved, removed, filled and emptied; listed as a tree with counts. */
export class CollectionsService {
  constructor(
    private readonly db: Db,
    private readonly events: CoreEventBus,
    private readonly searcher: Pick<SearchService, 'count'>,
  ) {}

  list(): CollectionNode[] {
    const rows = allCollections(this.db);
    const paths = collectionPaths(rows);
    return rows.map((r) => {
      const path = paths.get(r.id)!;
      let count = 0;
      let countCapped = false;
      try {
        ({ count, capped: countCapped } = this.searcher.count(
          `collection:"${path.replace(/"/g, '')}"`,
          COUNT_CAP,
        ));
      } catch {
        // A smart collection whose query no longer parses counts nothing; opening it says why.
      }
      return { id: r.id, name: r.name, parentId: r.parent_id, path, query: r.query, count, countCapped };
    });
  }

  create(input: { name: string; parentId?: number | null; query?: string | null }): CollectionNode {
    const name = this.validName(input.name);
    const parentId = input.parentId ?? null;
    if (parentId !== null) this.get(parentId);
    const query = this.validQuery(input.query ?? null);
    const id = this.db.transaction(() => {
      if (siblingNamed(this.db, parentId, name))
        throw conflict(`there is already a collection named "${name}" there`);
      return insertCollection(this.db, name, parentId, query);
    })();
    return this.node(id);
  }

  update(input: {
    id: number;
    name?: string;
    parentId?: number | null;
    query?: string | null;
  }): CollectionNode {
    this.db.transaction(() => {
      const c = this.get(input.id);
      const name = input.name !== undefined ? this.validName(input.name) : c.name;
      const parentId = input.parentId !== undefined ? input.parentId : c.parent_id;
      if (parentId !== null) {
        this.get(parentId);
        // Moving a collection into itself or one inside it would cut it off from the tree.
        for (
          let p: CollectionRow | undefined = collectionById(this.db, parentId);
          p;
          p = p.parent_id !== null ? collectionById(this.db, p.parent_id) : undefined
        )
          if (p.id === c.id)
            throw invalidInput(`"${c.name}" cannot go inside itself or a collection inside it`);
      }
      let query = c.query;
      if (input.query !== undefined) {
        if ((input.query === null) !== (c.query === null))
          throw invalidInput('a collection stays hand-made or smart: make a new one to change its kind');
        query = this.validQuery(input.query);
      }
      const same = siblingNamed(this.db, parentId, name);
      if (same && same.id !== c.id) throw conflict(`there is already a collection named "${name}" there`);
      updateCollection(this.db, c.id, { name, parentId, query });
    })();
    this.events.emit('catalog-changed', { assetIds: [] });
    return this.node(input.id);
  }

  remove(id: number): { removed: number } {
    this.get(id);
    deleteCollection(this.db, id);
    this.events.emit('catalog-changed', { assetIds: [] });
    return { removed: id };
  }

  /** `ids`: the assets it added (those already in it are not), so an undo takes out only those. */
  addAssets(id: number, assetIds: readonly number[]): { added: number; ids: number[] } {
    const added = this.db.transaction(() => {
      const c = this.get(id);
      if (c.query !== null)
        throw refused('wrong-state', `"${c.name}" is a smart collection: its query decides what is in it`);
      return addMembers(this.db, id, assetIds);
    })();
    if (added.length) this.events.emit('catalog-changed', { assetIds: added });
    return { added: added.length, ids: added };
  }

  removeAssets(id: number, assetIds: readonly number[]): { removed: number; ids: number[] } {
    const removed = this.db.transaction(() => {
      const c = this.get(id);
      if (c.query !== null)
        throw refused('wrong-state', `"${c.name}" is a smart collection: its query decides what is in it`);
      return removeMembers(this.db, id, assetIds);
    })();
    if (removed.length) this.events.emit('catalog-changed', { assetIds: removed });
    return { removed: removed.length, ids: removed };
  }

  /** The collection a path or name means, for the CLI ("Client/Spring" or "Spring" when unique). */
  find(name: string): CollectionRow {
    const rows = allCollections(this.db);
    const paths = collectionPaths(rows);
    const found = collectionsMatching(rows, name, paths);
    if (found.length === 0) throw notFound(`no collection named "${name}"`);
    if (found.length > 1)
      throw invalidInput(
        `several collections are named "${name}": say which by its path (${found.map((r) => `"${paths.get(r.id)}"`).join(', ')})`,
      );
    return found[0]!;
  }

  private node(id: number): CollectionNode {
    const n = this.list().find((c) => c.id === id);
    if (!n) throw notFound(`no collection ${id}`);
    return n;
  }

  private get(id: number): CollectionRow {
    const c = collectionById(this.db, id);
    if (!c) throw notFound(`no collection ${id}`);
    return c;
  }

  private validName(name: string): string {
    const problem = collectionNameProblem(name);
    if (problem) throw invalidInput(problem);
    return name.trim();
  }

  private validQuery(query: string | null): string | null {
    if (query === null) return null;
    if (!query.trim()) throw invalidInput('a smart collection needs a query');
    parseQuery(query); // a query that does not parse is refused now, not when the collection is opened
    return query.trim();
  }
}
