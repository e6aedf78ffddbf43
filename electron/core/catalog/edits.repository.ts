import type { Db } from './open';
import { stmt } from './statements';

// User-edited fields are written by governance/field-store.ts alone (one writer, one meaning of
// clear); what is left here reads the keywords people use.

export function suggestKeywords(db: Db, prefix: string, limit = 10): string[] {
  const escaped = prefix.replace(/[\\%_]/g, (c) => '\\' + c);
  return stmt(
    db,
    `SELECT keyword FROM keyword_usage WHERE keyword LIKE ? ESCAPE '\\' ORDER BY uses DESC, keyword LIMIT ?`,
  )
    .pluck()
    .all(`${escaped}%`, limit) as string[];
}
