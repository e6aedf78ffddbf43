import type { CollectionNode } from '../../shared/collections';
import { invalidInput, notFound } from '../core/errors';
import type { Library } from '../core/library';

export const COLLECTION_HELP = `  collection create NAME [--parent NAME] [--query QUERY]
                           a collection (inside another with --parent; smart with --query: it holds
                           what the query finds, live)
  collection add NAME ID|PATH...      put assets in a collection (remove takes them out)
  collection list [--json]            the collections as a tree, with how many assets each holds
  collection rename NAME NEW | move NAME --parent NAME|"" | delete NAME
                           NAME is a collection's name or its path (Client/Spring)`;

export const COLLECTION_COMMANDS = ['collection', 'collections'];

function assetIds(lib: Library, args: string[]): number[] {
  if (args.length === 0) throw invalidInput('name at least one asset: ID or PATH');
  return args.map((arg) => {
    const a = lib.findAsset(arg);
    if (!a) throw notFound(`no asset ${arg} in the catalogue`);
    return a.id;
  });
}

function need(arg: string | undefined, what: string): string {
  if (!arg?.trim()) throw invalidInput(`missing ${what}`);
  return arg;
}

function treeLines(nodes: CollectionNode[]): string[] {
  const lines: string[] = [];
  const walk = (parent: number | null, depth: number) => {
    for (const n of nodes.filter((c) => c.parentId === parent)) {
      const count = `${n.count.toLocaleString('en-US')}${n.countCapped ? '+' : ''}`;
      lines.push(`${'  '.repeat(depth)}${n.name}  ${count}${n.query ? `  (smart: ${n.query})` : ''}`);
      walk(n.id, depth + 1);
    }
  };
  walk(null, 0);
  return lines.length ? lines : ['no collections yet: dam collection create NAME'];
}

export function runCollectionCommand(
  lib: Library,
  args: string[],
  values: { json?: boolean; parent?: string; query?: string },
  out: (s: string) => void,
): number {
  const [sub, ...rest] = args;
  const c = lib.collections;
  const show = (n: CollectionNode, verb: string) =>
    values.json
      ? out(JSON.stringify(n, null, 2))
      : out(`${verb} collection "${n.path}"${n.query ? ` (smart: ${n.query})` : ''}`);
  const parentId = () =>
    values.parent === undefined ? undefined : values.parent.trim() === '' ? null : c.find(values.parent).id;
  switch (sub) {
    case undefined:
    case 'list': {
      const all = c.list();
      if (values.json) out(JSON.stringify(all, null, 2));
      else treeLines(all).forEach((l) => out(l));
      return 0;
    }
    case 'create': {
      if (rest.length !== 1)
        throw invalidInput('collection create takes one NAME (quote a name with spaces)');
      show(
        c.create({ name: need(rest[0], 'NAME'), parentId: parentId() ?? null, query: values.query ?? null }),
        'created',
      );
      return 0;
    }
    case 'add':
    case 'remove': {
      const col = c.find(need(rest[0], 'collection NAME'));
      const ids = assetIds(lib, rest.slice(1));
      if (sub === 'add') {
        const { added } = c.addAssets(col.id, ids);
        if (values.json) out(JSON.stringify({ added }));
        else
          out(
            `${added} asset${added === 1 ? '' : 's'} added to "${col.name}"${added < ids.length ? ` (${ids.length - added} already in it)` : ''}`,
          );
      } else {
        const { removed } = c.removeAssets(col.id, ids);
        if (values.json) out(JSON.stringify({ removed }));
        else out(`${removed} asset${removed === 1 ? '' : 's'} taken out of "${col.name}"`);
      }
      return 0;
    }
    case 'rename': {
      const col = c.find(need(rest[0], 'collection NAME'));
      show(c.update({ id: col.id, name: need(rest[1], 'the NEW name') }), 'renamed to');
      return 0;
    }
    case 'move': {
      const col = c.find(need(rest[0], 'collection NAME'));
      if (values.parent === undefined)
        throw invalidInput('collection move needs --parent NAME (or --parent "" for the top)');
      show(c.update({ id: col.id, parentId: parentId() ?? null }), 'moved');
      return 0;
    }
    case 'delete': {
      const col = c.find(need(rest[0], 'collection NAME'));
      c.remove(col.id);
      out(`deleted collection "${col.name}" (its assets stay in the catalogue)`);
      return 0;
    }
    default:
      throw invalidInput(`collection ${sub}: expects create, add, remove, list, rename, move or delete`);
  }
}
