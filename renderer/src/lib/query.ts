import { tokenizeQuery as tokenizeGrammar, type QueryToken } from '../../../shared/search/parse';

/**
 * Facet filters edit the query text itself, so what the search field shows is exactly what is
 * searched and a saved search is just a string. The tokens are the core's own (the grammar is
 * shared/search/parse.ts), so a facet finds the same tokens the server will parse.
 */

export type { QueryToken };

/** The query's tokens, values trimmed (a facet compares `folder:" a "` as `a`). */
export function tokenizeQuery(query: string): QueryToken[] {
  return tokenizeGrammar(query).map((t) => ({ ...t, value: t.value.trim() }));
}

/** A filter value as the parser reads it back: quoted when it holds spaces or is empty. */
export function quoteValue(value: string): string {
  const v = value.replace(/"/g, '');
  return v === '' || /\s/.test(v) ? `"${v}"` : v;
}

/** The value of the first (not negated) `field:` filter in the query, or null. */
export function facetValue(query: string, field: string): string | null {
  return tokenizeQuery(query).find((t) => t.field === field && !t.negate)?.value ?? null;
}

/** The query with every `field:` filter replaced by `field:value` (or removed for null). */
export function withFacet(query: string, field: string, value: string | null): string {
  const kept = tokenizeQuery(query)
    .filter((t) => !(t.field === field && !t.negate))
    .map((t) => t.raw);
  if (value !== null && value !== '') kept.push(`${field}:${quoteValue(value)}`);
  return kept.join(' ');
}

/** Several facets at once (a folder is a root and a folder), in one edit. */
export function withFacets(query: string, facets: Record<string, string | null>): string {
  return Object.entries(facets).reduce((q, [field, value]) => withFacet(q, field, value), query);
}

export function withoutToken(query: string, raw: string): string {
  return tokenizeQuery(query)
    .filter((t) => t.raw !== raw)
    .map((t) => t.raw)
    .join(' ');
}

/** The free words of a query (what is left when facets are taken out), for "no match for …". */
export function freeText(query: string): string {
  return tokenizeQuery(query)
    .filter((t) => t.field === null)
    .map((t) => t.raw)
    .join(' ');
}
