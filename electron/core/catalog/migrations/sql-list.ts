/**
 * A TypeScript vocabulary as the list of an SQL `IN (...)`, so a CHECK constraint is generated from
 * the one definition instead of spelled again. A migration's SQL is what catalogues were made with:
 * adding a value to such a list also needs a new migration that rebuilds the table (the migrations
 * test checks the latest schema accepts exactly the list).
 */
export function sqlIn(values: readonly string[]): string {
  return values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');
}
