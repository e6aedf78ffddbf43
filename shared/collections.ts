// Collections as every side sees them: the sidebar's tree, `dam collection list --json`.

export interface CollectionNode {
  id: number;
  name: string;
  parentId: number | null;
  /** "Client/Spring campaign": what `collection:` accepts to name it exactly. */
  path: string;
  /** A smart collection's query (its members are what it finds); null for a hand-made one. */
  query: string | null;
  /** Assets in it and in the collections inside it (each stack's current version, as search shows). */
  count: number;
  /** True when counting stopped at the search's cap. */
  countCapped: boolean;
}

/** Collection names are shown in a tree and typed after `collection:`: one line, no slash. */
export const COLLECTION_NAME_MAX = 200;
export function collectionNameProblem(name: string): string | null {
  const n = name.trim();
  if (!n) return 'a collection needs a name';
  if (n.length > COLLECTION_NAME_MAX) return `a collection name is at most ${COLLECTION_NAME_MAX} characters`;
  // A slash separates a path's names, and `collection:"…"` quotes a name.
  if (/[/"\u0000-\u001f\u007f]/.test(n))
    return 'a collection name cannot hold a slash, a double quote or a control character';
  return null;
}
