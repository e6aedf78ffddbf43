import type { Warning } from '../../../shared/governance';
import type { SortKey } from '../../../shared/model';
import type { Term } from '../../../shared/search/parse';
import { colorMatchSql } from '../catalog/colors.repository';
import { FILE_TEXT_MATCH_SQL } from '../catalog/file-text.repository';
import { tokens } from '../catalog/fts-tokens';
import { SORT_KEY_SQL } from '../catalog/asset-search.repository';
import { WARNING_SQL, approvalSql, channelSql, licenseSql } from '../governance/search-sql';
import { HIDDEN_ROW_SQL } from '../catalog/stacks.repository';
import { TAGGED_TYPES } from '../catalog/auto-tags.repository';

export interface ToSqlOptions {
  /** Leave out versions that are not their stack's current one (unless versions:all or stack:N). */
  hideVersions?: boolean;
  /** SQL for `collection:NAME` over asset_search `s` (the executor reads the collections). */
  collection?: (name: string) => { sql: string; params: (string | number)[] };
}

export interface SqlQuery {
  /** FROM clause: `asset_search s`, joined to asset_fts when the query has words to match. */
  from: string;
  /** FROM clause for counting: the full-text table alone when nothing else needs asset_search. */
  countFrom: string;
  /** WHERE clause (never empty). */
  where: string;
  params: (string | number)[];
  orderBy: string;
}

/** FTS5 string literal: a double-quoted token, quotes doubled, so user text is never syntax. */
function ftsString(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** The catalogue's tokens that start with a word, or null when there are too many to list. */
export type ExpandPrefix = (word: string) => string[] | null;

/** Beyond this many completions a prefix query is cheaper (and the prefix is short enough to be indexed). */
export const MAX_EXPANSION = 24;

/** A document's words: a phrase, several words in order, or one word as a prefix. */
function fileTextMatch(t: Extract<Term, { kind: 'fileText' }>): string | null {
  const words = t.value.trim();
  if (!tokens(words).length) return null;
  return t.phrase || tokens(words).length !== 1 ? ftsString(words) : `${ftsString(words)}*`;
}

function ftsTerm(t: Extract<Term, { kind: 'text' }>, expand?: ExpandPrefix): string | null {
  const words = t.value.trim();
  if (!words) return null;
  let expr: string;
  const parts = tokens(words);
  if (t.phrase || parts.length !== 1) expr = ftsString(words);
  else {
    // A bare word matches as a prefix so results follow typing ("can" finds Canon).
    const completions = expand?.(parts[0]!);
    expr =
      completions && completions.length > 0
        ? `(${completions.map(ftsString).join(' OR ')})`
        : `${ftsString(words)}*`;
  }
  return t.field === 'any' ? expr : `${t.field} : ${expr}`;
}

const SORTS: Record<SortKey, string> = {
  captureDate: 's.sort_key',
  name: 's.name COLLATE NOCASE',
  size: 's.size',
  rating: 's.rating',
  added: 's.asset_id',
};

/** keyCol: the date-ordered key as the chosen plan reads it (FTS rowid or asset_search.sort_key). */
export function orderBy(
  sort: SortKey = 'captureDate',
  dir: 'asc' | 'desc' = 'desc',
  keyCol = 's.sort_key',
): string {
  const d = dir === 'asc' ? 'ASC' : 'DESC';
  // The sort key is unique and already breaks ties; other columns fall back on it for stable paging.
  if (sort === 'captureDate') return `${keyCol} ${d}`;
  const nulls = sort === 'rating' ? `${SORTS[sort]} IS NULL, ` : '';
  return `${nulls}${SORTS[sort]} ${d}, ${keyCol} ${d}`;
}

export function toSql(
  terms: Term[],
  sort?: SortKey,
  dir?: 'asc' | 'desc',
  expand?: ExpandPrefix,
  opts: ToSqlOptions = {},
): SqlQuery {
  const hasFts = terms.some((t) => t.kind === 'text' && !t.negate && t.value.trim());
  const keyCol = hasFts ? 'asset_fts.rowid' : 's.sort_key';
  const where: string[] = [];
  const params: (string | number)[] = [];
  const positive: string[] = [];
  const negative: string[] = [];
  const not = (negate: boolean, sql: string) => (negate ? `NOT (${sql})` : sql);

  for (const t of terms) {
    switch (t.kind) {
      case 'text': {
        const fts = ftsTerm(t, expand);
        if (fts) (t.negate ? negative : positive).push(fts);
        break;
      }
      case 'fileText': {
        const match = fileTextMatch(t);
        if (!match) break;
        where.push(not(t.negate, FILE_TEXT_MATCH_SQL));
        params.push(match);
        break;
      }
      case 'type':
        where.push(not(t.negate, 's.type = ?'));
        params.push(t.value);
        break;
      case 'ext':
        where.push(not(t.negate, 's.ext = ?'));
        params.push(t.value);
        break;
      case 'label':
        where.push(not(t.negate, t.value === 'none' ? 's.label IS NULL' : 's.label = ?'));
        if (t.value !== 'none') params.push(t.value);
        break;
      case 'pick':
        where.push(not(t.negate, t.value === 'any' ? 's.flag IS NOT NULL' : 's.flag = ?'));
        if (t.value !== 'any') params.push(t.value);
        break;
      case 'root':
        where.push(
          not(
            t.negate,
            `s.root_id IN (SELECT id FROM roots WHERE CAST(id AS TEXT) = ? OR name = ? COLLATE NOCASE OR path = ?)`,
          ),
        );
        params.push(t.value, t.value, t.value);
        break;
      case 'date':
        // A date range is a range of the sort key: read in order straight off the index.
        where.push(not(t.negate, `${keyCol} >= ${SORT_KEY_SQL('?')} AND ${keyCol} < ${SORT_KEY_SQL('?')}`));
        params.push(t.from, t.to);
        break;
      case 'number':
        where.push(
          not(
            t.negate,
            t.field === 'people'
              ? `(SELECT count(*) FROM faces pf WHERE pf.asset_id = s.asset_id AND pf.removed = 0) ${t.op} ?`
              : `s.${t.field} ${t.op} ?`,
          ),
        );
        params.push(t.value);
        break;
      case 'person':
        where.push(
          not(
            t.negate,
            `EXISTS (SELECT 1 FROM faces pf JOIN people pp ON pp.id = pf.person_id
                      WHERE pf.asset_id = s.asset_id AND pf.removed = 0 AND pp.name = ? COLLATE NOCASE)`,
          ),
        );
        params.push(t.name);
        break;
      case 'flag': {
        const sql = {
          missing: `s.state = 'missing'`,
          present: `s.state = 'present'`,
          error: 's.has_error = 1',
          gps: 'EXISTS (SELECT 1 FROM file_metadata m WHERE m.file_id = s.file_id AND m.gps_lat IS NOT NULL)',
          rated: 's.rating > 0',
          offline: `s.root_id IN (SELECT id FROM roots WHERE state = 'offline')`,
          stacked: 's.asset_id IN (SELECT asset_id FROM stack_members)',
          // Per row through the content-hash index: another present file holds the same bytes.
          duplicate: `EXISTS (SELECT 1 FROM files df JOIN files dg ON dg.content_hash = df.content_hash
                        WHERE df.id = s.file_id AND dg.id <> df.id AND dg.state = 'present')`,
          // A picture on-device tagging has not looked at yet.
          untagged: `s.type IN ${TAGGED_TYPES} AND NOT EXISTS (SELECT 1 FROM tagging_runs tr WHERE tr.asset_id = s.asset_id)`,
          faces: 'EXISTS (SELECT 1 FROM faces pf WHERE pf.asset_id = s.asset_id AND pf.removed = 0)',
        }[t.flag];
        where.push(not(t.negate, sql));
        break;
      }
      case 'approval':
      case 'license':
      case 'channel': {
        const f = (t.kind === 'approval' ? approvalSql : t.kind === 'license' ? licenseSql : channelSql)(
          t.value,
        );
        where.push(not(t.negate, f.sql));
        params.push(...f.params);
        break;
      }
      case 'warning':
        where.push(not(t.negate, WARNING_SQL[t.value as Warning]));
        break;
      case 'stack':
        where.push(not(t.negate, 's.asset_id IN (SELECT asset_id FROM stack_members WHERE stack_id = ?)'));
        params.push(t.id);
        break;
      case 'color': {
        const c = colorMatchSql({ by: t.by, value: t.value });
        where.push(not(t.negate, `s.asset_id IN (${c.sql})`));
        params.push(...c.params);
        break;
      }
      case 'collection': {
        const c = opts.collection?.(t.name) ?? { sql: '0', params: [] };
        where.push(not(t.negate, c.sql));
        params.push(...c.params);
        break;
      }
      case 'autoTag': {
        const tagged = `EXISTS (SELECT 1 FROM auto_tags at WHERE at.asset_id = s.asset_id AND at.label = ? COLLATE NOCASE
                          AND at.state <> 'rejected'${t.scope === 'object' ? ` AND at.kind = 'object'` : ''})`;
        if (t.scope === 'object') {
          where.push(not(t.negate, tagged));
          params.push(t.value);
          break;
        }
        // tag: a keyword (as keyword: matches it) or an auto-tag.
        const kw = ftsTerm(
          { kind: 'text', field: 'keywords', value: t.value, phrase: false, negate: false },
          expand,
        );
        where.push(
          not(t.negate, `(s.sort_key IN (SELECT rowid FROM asset_fts WHERE asset_fts MATCH ?) OR ${tagged})`),
        );
        params.push(kw ?? '""', t.value);
        break;
      }
      case 'published':
        // A live copy that is there: published, or failed since (the copy stays as it was).
        where.push(
          not(
            t.negate,
            `s.asset_id IN (SELECT p.asset_id FROM publications p JOIN endpoints e ON e.id = p.endpoint_id
                             WHERE p.state IN ('published', 'failed') AND p.remote_id IS NOT NULL${t.endpoint ? ' AND e.name = ?' : ''})`,
          ),
        );
        if (t.endpoint) params.push(t.endpoint);
        break;
      case 'publication':
        where.push(not(t.negate, `s.asset_id IN (SELECT asset_id FROM publications WHERE state = ?)`));
        params.push(t.state);
        break;
      case 'versions':
        break;
    }
  }
  const oneStack = terms.some((t) => t.kind === 'stack' && !t.negate);
  const allVersions = oneStack || terms.some((t) => t.kind === 'versions' && t.value === 'all');
  // Tested per row (two primary-key lookups) rather than as a set: building the set of hidden
  // versions would cost every query in proportion to how many there are.
  if (opts.hideVersions && !allVersions) where.push(HIDDEN_ROW_SQL);
  if (positive.length) {
    const match = negative.length
      ? `${positive.join(' AND ')} NOT (${negative.join(' OR ')})`
      : positive.join(' AND ');
    where.unshift('asset_fts MATCH ?');
    params.unshift(match);
  } else if (negative.length) {
    where.push('s.sort_key NOT IN (SELECT rowid FROM asset_fts WHERE asset_fts MATCH ?)');
    params.push(negative.join(' OR '));
  }
  const from = hasFts ? 'asset_fts JOIN asset_search s ON s.sort_key = asset_fts.rowid' : 'asset_search s';
  const ftsOnly = hasFts && where.length === 1;
  return {
    from,
    countFrom: ftsOnly ? 'asset_fts' : from,
    where: where.length ? where.join(' AND ') : '1',
    params,
    // One stack's versions read best in the stack's own order, unless a sort was asked for.
    orderBy:
      oneStack && sort === undefined
        ? `(SELECT position FROM stack_members WHERE asset_id = s.asset_id), ${orderBy('captureDate', dir, keyCol)}`
        : orderBy(sort, dir, keyCol),
  };
}
