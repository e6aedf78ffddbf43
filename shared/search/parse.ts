import { COLOR_FAMILIES, COLOR_NAMES, parseHex, toHex } from '../colors';
import { APPROVAL_STATES, CHANNELS, LICENSE_TYPES, WARNINGS } from '../governance';
import { LABELS } from '../labels';
import { PUBLICATION_STATES } from '../publishing';
import { nearest } from '../suggest';

/**
 * The query language a user types in the search field or after `dam search`:
 *   canon 2008              every word must match (prefix match over name, folder, title, ...)
 *   "red bus"               a phrase
 *   -draft                  must not match
 *   type:video              field filters; any of them can be negated: -keyword:draft
 *   camera:"EOS 40D"        quoted values may contain spaces
 *   rating:>=3  date:2008-05  date:2008..2010  size:>10mb  is:missing  has:gps
 *   approval:approved  warning:expires-soon  license:cc-by  channel:web
 *   versions:all  stack:12  is:stacked   (non-current versions of a stack are hidden otherwise)
 *   is:duplicate            the same bytes (content hash) are catalogued at another path too
 *   color:red  color:navy  color:#3366cc   dominant colours: a family, a colour name, or close to a hex value
 *   collection:"Spring campaign"  in that collection or one inside it (also a path: Client/Spring)
 *   tag:bus  object:bus  is:untagged   a keyword or auto-tag; an object found on the device; not tagged yet
 *   text:"spring sale"      words inside the file: a PDF's or Office document's pages, text in a picture
 *   is:published  published:site  publication:failed   on any endpoint / on that one / a publication in that state
 */

export type TextField =
  'any' | 'name' | 'folder' | 'title' | 'description' | 'keywords' | 'creator' | 'camera' | 'lens';
export type CompareOp = '=' | '>' | '>=' | '<' | '<=';

export type Term =
  | { kind: 'text'; field: TextField; value: string; phrase: boolean; negate: boolean }
  /** text:"spring sale": the words inside the file (a document's pages, text read in a picture). */
  | { kind: 'fileText'; value: string; phrase: boolean; negate: boolean }
  | { kind: 'type'; value: string; negate: boolean }
  | { kind: 'ext'; value: string; negate: boolean }
  | { kind: 'root'; value: string; negate: boolean }
  | { kind: 'label'; value: string; negate: boolean }
  | { kind: 'pick'; value: 'pick' | 'reject' | 'any'; negate: boolean }
  | { kind: 'date'; from: number; to: number; negate: boolean }
  | { kind: 'number'; field: 'rating' | 'size' | 'people'; op: CompareOp; value: number; negate: boolean }
  /** person:"Ana": a named person is in the picture. */
  | { kind: 'person'; name: string; negate: boolean }
  | {
      kind: 'flag';
      flag:
        | 'missing'
        | 'present'
        | 'error'
        | 'gps'
        | 'rated'
        | 'offline'
        | 'stacked'
        | 'duplicate'
        | 'untagged'
        | 'faces';
      negate: boolean;
    }
  | { kind: 'versions'; value: 'all' | 'current' }
  | { kind: 'stack'; id: number; negate: boolean }
  | { kind: 'approval'; value: string; negate: boolean }
  | { kind: 'warning'; value: string; negate: boolean }
  | { kind: 'license'; value: string; negate: boolean }
  | { kind: 'channel'; value: string; negate: boolean }
  /** A dominant colour: its family (red), a palette name (navy), or near a hex value (#3366cc, lower case). */
  | { kind: 'color'; by: 'family' | 'name' | 'hex'; value: string; negate: boolean }
  | { kind: 'collection'; name: string; negate: boolean }
  /** tag:bus (a keyword or an auto-tag not rejected), object:bus (an object auto-tag not rejected). */
  | { kind: 'autoTag'; scope: 'tag' | 'object'; value: string; negate: boolean }
  /** Has a live copy (published) on any endpoint, or on the one named. */
  | { kind: 'published'; endpoint: string | null; negate: boolean }
  /** Has a live publication in this state (publication:failed: a delivery that did not happen). */
  | { kind: 'publication'; state: string; negate: boolean };

export class QueryError extends Error {
  override name = 'QueryError';
}

const TEXT_FIELDS: Record<string, TextField> = {
  name: 'name',
  file: 'name',
  filename: 'name',
  folder: 'folder',
  path: 'folder',
  title: 'title',
  description: 'description',
  caption: 'description',
  keyword: 'keywords',
  keywords: 'keywords',
  creator: 'creator',
  author: 'creator',
  by: 'creator',
  camera: 'camera',
  make: 'camera',
  model: 'camera',
  lens: 'lens',
};

/** The filter names the README documents, in its order: listed when a typo is not close to any. */
const DOCUMENTED_FILTERS = [
  ...['type', 'camera', 'keyword', 'title', 'description', 'creator', 'lens', 'name', 'folder', 'ext'],
  ...['root', 'date', 'after', 'before', 'label', 'flag', 'is', 'has', 'rating', 'size', 'approval'],
  ...['warning', 'license', 'channel', 'versions', 'stack', 'color', 'collection', 'text', 'tag', 'object'],
  ...['published', 'publication', 'person'],
  'people',
];
/** Every filter name parseQuery knows (a documented one wins a tie when suggesting). */
const FILTER_NAMES = [
  ...DOCUMENTED_FILTERS,
  ...Object.keys(TEXT_FIELDS),
  ...['kind', 'extension', 'colour', 'year', 'taken', 'stars', 'state', 'version', 'in', 'tags', 'objects'],
];

const TYPE_ALIASES: Record<string, string> = {
  image: 'image',
  images: 'image',
  photo: 'image',
  photos: 'image',
  picture: 'image',
  raw: 'raw',
  video: 'video',
  videos: 'video',
  movie: 'video',
  audio: 'audio',
  music: 'audio',
  sound: 'audio',
  design: 'design',
  '3d': '3d',
  model: '3d',
  other: 'other',
};

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
};

/** One token as typed: `raw` is its text in the query, so an editor can remove or replace it. */
export interface QueryToken {
  raw: string;
  negate: boolean;
  field: string | null;
  value: string;
  quoted: boolean;
}

/**
 * The query split into tokens, every one kept (an empty `""` too): the parser below and the UI's
 * facet editing (renderer/src/lib/query.ts) read a query the same way.
 */
export function tokenizeQuery(input: string): QueryToken[] {
  const tokens: QueryToken[] = [];
  const re = /(-?)(?:([\p{L}_]+):)?(?:"([^"]*)"?|(\S+))/uy;
  let i = 0;
  while (i < input.length) {
    while (i < input.length && /\s/.test(input[i]!)) i++;
    if (i >= input.length) break;
    re.lastIndex = i;
    const m = re.exec(input);
    if (!m) break;
    const raw = input.slice(i, re.lastIndex);
    i = re.lastIndex;
    const quoted = m[3] !== undefined;
    const value = (quoted ? m[3] : m[4]) ?? '';
    tokens.push({ raw, negate: m[1] === '-', field: m[2]?.toLowerCase() ?? null, value, quoted });
  }
  return tokens;
}

function tokenize(input: string): QueryToken[] {
  return tokenizeQuery(input).filter((t) => t.value || t.field);
}

/** [from, to) in ms for "2008", "2008-05", "2008-05-30". */
function dateRange(s: string): [number, number] | null {
  const m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  if (m[3]) {
    const from = Date.UTC(y, Number(m[2]) - 1, Number(m[3]));
    return [from, from + 86_400_000];
  }
  if (m[2]) return [Date.UTC(y, Number(m[2]) - 1, 1), Date.UTC(y, Number(m[2]), 1)];
  return [Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1)];
}

function parseDate(field: string, value: string, negate: boolean): Term {
  const bad = () =>
    new QueryError(`${field}: expects a date like 2008, 2008-05, 2008-05-30 or 2008..2010 (got "${value}")`);
  if (field === 'after' || field === 'before') {
    const r = dateRange(value);
    if (!r) throw bad();
    return field === 'after'
      ? { kind: 'date', from: r[1], to: Number.MAX_SAFE_INTEGER, negate }
      : { kind: 'date', from: Number.MIN_SAFE_INTEGER, to: r[0], negate };
  }
  const range = value.split('..');
  if (range.length === 2) {
    const a = range[0] ? dateRange(range[0]) : null;
    const b = range[1] ? dateRange(range[1]) : null;
    if ((range[0] && !a) || (range[1] && !b) || (!a && !b)) throw bad();
    return {
      kind: 'date',
      from: a ? a[0] : Number.MIN_SAFE_INTEGER,
      to: b ? b[1] : Number.MAX_SAFE_INTEGER,
      negate,
    };
  }
  const r = dateRange(value);
  if (!r) throw bad();
  return { kind: 'date', from: r[0], to: r[1], negate };
}

function parseNumber(field: 'rating' | 'size', value: string, negate: boolean): Term {
  const m = /^(>=|<=|>|<|=)?(\d+(?:\.\d+)?)([a-z]*)$/i.exec(value);
  const unit = m ? SIZE_UNITS[(m[3] ?? '').toLowerCase()] : undefined;
  if (!m || unit === undefined || (field === 'rating' && m[3])) {
    throw new QueryError(
      field === 'rating'
        ? `rating: expects 0-5, optionally with >, >=, <, <= (got "${value}")`
        : `size: expects e.g. >10mb or <500kb (got "${value}")`,
    );
  }
  return {
    kind: 'number',
    field,
    op: (m[1] as CompareOp | undefined) ?? '=',
    value: Number(m[2]) * (field === 'size' ? unit : 1),
    negate,
  };
}

type Flag = Extract<Term, { kind: 'flag' }>['flag'];

const FLAGS: Record<string, Flag> = {
  missing: 'missing',
  present: 'present',
  error: 'error',
  errors: 'error',
  gps: 'gps',
  location: 'gps',
  rated: 'rated',
  rating: 'rated',
  offline: 'offline',
  stacked: 'stacked',
  duplicate: 'duplicate',
  duplicates: 'duplicate',
  untagged: 'untagged',
  faces: 'faces',
  face: 'faces',
  people: 'faces',
};

const GOVERNANCE_VALUES = {
  approval: APPROVAL_STATES,
  warning: WARNINGS,
  license: [...LICENSE_TYPES, 'cc', 'none'],
  channel: CHANNELS,
} as const;

function governanceTerm(field: keyof typeof GOVERNANCE_VALUES, value: string, negate: boolean): Term {
  const allowed: readonly string[] = GOVERNANCE_VALUES[field];
  if (!allowed.includes(value))
    throw new QueryError(`${field}: expects ${allowed.join(', ')} (got "${value}")`);
  return { kind: field, value, negate };
}

/** color:red (a family; grey is gray), color:"sky blue" (a palette name), color:#3366cc or #36c. */
function colorTerm(value: string, negate: boolean): Term {
  const v = value
    .trim()
    .toLowerCase()
    .replace(/^grey$/, 'gray');
  if ((COLOR_FAMILIES as readonly string[]).includes(v))
    return { kind: 'color', by: 'family', value: v, negate };
  if (COLOR_NAMES.includes(v)) return { kind: 'color', by: 'name', value: v, negate };
  const rgb = v.startsWith('#') ? parseHex(v) : null;
  if (rgb) return { kind: 'color', by: 'hex', value: toHex(...rgb), negate };
  throw new QueryError(
    `color: expects ${COLOR_FAMILIES.join(', ')}, a colour name (navy, "sky blue") or a hex value like #3366cc (got "${value}"); the colour label is label:`,
  );
}

export function parseQuery(input: string): Term[] {
  const terms: Term[] = [];
  for (const t of tokenize(input.normalize('NFC'))) {
    const { negate, value } = t;
    const field = t.field;
    if (field === null) {
      terms.push({ kind: 'text', field: 'any', value, phrase: t.quoted, negate });
      continue;
    }
    const textField = TEXT_FIELDS[field];
    if (textField) {
      terms.push({ kind: 'text', field: textField, value, phrase: true, negate });
    } else if (field === 'text') {
      // A quoted value is a phrase; one bare word matches as a prefix, as plain words do.
      if (value.trim()) terms.push({ kind: 'fileText', value, phrase: t.quoted, negate });
    } else if (field === 'type' || field === 'kind') {
      const type = TYPE_ALIASES[value.toLowerCase()];
      if (!type) throw new QueryError(`type: expects image, raw, video, design or other (got "${value}")`);
      terms.push({ kind: 'type', value: type, negate });
    } else if (field === 'ext' || field === 'extension') {
      terms.push({ kind: 'ext', value: value.replace(/^\./, '').toLowerCase(), negate });
    } else if (field === 'color' || field === 'colour') {
      terms.push(colorTerm(value, negate));
    } else if (field === 'label') {
      const label = value.toLowerCase();
      if (label !== 'none' && !(LABELS as readonly string[]).includes(label)) {
        throw new QueryError(`label: expects ${LABELS.join(', ')} or none (got "${value}")`);
      }
      terms.push({ kind: 'label', value: label, negate });
    } else if (
      field === 'flag' ||
      ((field === 'is' || field === 'has') && /^(pick|picked|reject|rejected|flagged)$/i.test(value))
    ) {
      const v = value.toLowerCase();
      const flag = v.startsWith('pick')
        ? 'pick'
        : v.startsWith('reject')
          ? 'reject'
          : v === 'flagged' || v === 'any'
            ? 'any'
            : null;
      if (!flag) throw new QueryError(`flag: expects pick, reject or any (got "${value}")`);
      terms.push({ kind: 'pick', value: flag, negate });
    } else if (field === 'root') {
      terms.push({ kind: 'root', value, negate });
    } else if (
      field === 'date' ||
      field === 'year' ||
      field === 'taken' ||
      field === 'after' ||
      field === 'before'
    ) {
      terms.push(parseDate(field, value, negate));
    } else if (field === 'rating' || field === 'stars' || field === 'size') {
      terms.push(parseNumber(field === 'size' ? 'size' : 'rating', value, negate));
    } else if ((field === 'is' || field === 'has') && value.toLowerCase() === 'published') {
      terms.push({ kind: 'published', endpoint: null, negate });
    } else if (field === 'published') {
      if (!value.trim()) throw new QueryError('published: expects an endpoint name, e.g. published:site');
      terms.push({ kind: 'published', endpoint: value.trim(), negate });
    } else if (field === 'publication') {
      const state = value.toLowerCase();
      if (!(PUBLICATION_STATES as readonly string[]).includes(state))
        throw new QueryError(`publication: expects ${PUBLICATION_STATES.join(', ')} (got "${value}")`);
      terms.push({ kind: 'publication', state, negate });
    } else if (field === 'is' || field === 'has' || field === 'state') {
      const flag = FLAGS[value.toLowerCase()];
      if (!flag)
        throw new QueryError(
          `${field}: expects missing, present, error, gps, rated, offline, stacked, duplicate, untagged, published or faces (got "${value}")`,
        );
      terms.push({ kind: 'flag', flag, negate });
    } else if (field === 'versions' || field === 'version') {
      const v = value.toLowerCase();
      if (v !== 'all' && v !== 'current')
        throw new QueryError(`versions: expects all (every version) or current (got "${value}")`);
      terms.push({ kind: 'versions', value: v });
    } else if (field === 'stack') {
      if (!/^\d+$/.test(value) || Number(value) < 1)
        throw new QueryError(`stack: expects a stack number, e.g. stack:12 (got "${value}")`);
      terms.push({ kind: 'stack', id: Number(value), negate });
    } else if (field === 'tag' || field === 'tags' || field === 'object' || field === 'objects') {
      if (!value.trim()) throw new QueryError(`${field}: expects a label, e.g. ${field}:bus`);
      terms.push({
        kind: 'autoTag',
        scope: field.startsWith('tag') ? 'tag' : 'object',
        value: value.trim(),
        negate,
      });
    } else if (field === 'person') {
      if (!value.trim()) throw new QueryError('person: expects a name, e.g. person:"Ana Lima"');
      terms.push({ kind: 'person', name: value.trim(), negate });
    } else if (field === 'people' || field === 'faces') {
      const m = /^(>=|<=|>|<|=)?(\d{1,4})$/.exec(value);
      if (!m) throw new QueryError(`people: expects a number of faces, e.g. people:>=3 (got "${value}")`);
      terms.push({
        kind: 'number',
        field: 'people',
        op: (m[1] as CompareOp | undefined) ?? '=',
        value: Number(m[2]),
        negate,
      });
    } else if (field === 'collection' || field === 'in') {
      if (!value.trim())
        throw new QueryError('collection: expects a collection name, e.g. collection:"Spring campaign"');
      terms.push({ kind: 'collection', name: value.trim(), negate });
    } else if (field === 'approval' || field === 'warning' || field === 'license' || field === 'channel') {
      terms.push(governanceTerm(field, value.toLowerCase(), negate));
    } else {
      // A typo would otherwise match nothing, silently. Text with a colon can still be searched
      // for in quotes ("re:work"); "12:30" never reaches here (a filter name is letters).
      const guess = nearest(field, FILTER_NAMES);
      throw new QueryError(
        guess
          ? `unknown filter ${field}: — did you mean ${guess}:?`
          : `unknown filter ${field}: (filters: ${DOCUMENTED_FILTERS.join(', ')}; ` +
              `put "${field}:${value}" in quotes to search for the text)`,
      );
    }
  }
  return terms;
}
