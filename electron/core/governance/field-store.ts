import type { Db } from '../catalog/open';
import { stmt } from '../catalog/statements';
import { parseKeywords } from '../catalog/asset-search.repository';
import { canonical, FIELDS, type FieldName, type FieldValues } from './fields';

interface Row {
  title: string | null;
  description: string | null;
  rating: number | null;
  label: string | null;
  flag: string | null;
  keywords: string | null;
  alt_text: string | null;
  extended_description: string | null;
  creator: string | null;
  credit: string | null;
  copyright_notice: string | null;
  copyright_owner: string | null;
  licensor: string | null;
  license_type: string | null;
  usage_terms: string | null;
  channels: string | null;
  territories: string | null;
  license_start: string | null;
  license_end: string | null;
  model_release: string | null;
  property_release: string | null;
  restrictions: string | null;
}

/** The column of asset_rights behind each rights field. */
const RIGHTS_COLUMNS = {
  altText: 'alt_text',
  extendedDescription: 'extended_description',
  creator: 'creator',
  credit: 'credit',
  copyrightNotice: 'copyright_notice',
  copyrightOwner: 'copyright_owner',
  licensor: 'licensor',
  licenseType: 'license_type',
  usageTerms: 'usage_terms',
  channels: 'channels',
  territories: 'territories',
  licenseStart: 'license_start',
  licenseEnd: 'license_end',
  modelRelease: 'model_release',
  propertyRelease: 'property_release',
  restrictions: 'restrictions',
} as const satisfies Partial<Record<FieldName, keyof Row>>;
type RightsField = keyof typeof RIGHTS_COLUMNS;
type RightsColumn = (typeof RIGHTS_COLUMNS)[RightsField];

const EDIT_FIELDS = ['title', 'description', 'rating', 'label', 'flag', 'keywords'] as const;
type EditField = (typeof EDIT_FIELDS)[number];

/** Fields the file itself may carry: clearing one stores '' (or 0) so the file's value stays hidden. */
const FILE_BACKED: Partial<Record<FieldName, string>> = {
  title: 'title',
  description: 'description',
  rating: 'rating',
  keywords: 'keywords',
  creator: 'creator',
  credit: 'credit',
  copyrightNotice: 'copyright',
};

const LIST_COLUMNS = new Set<string>(['keywords', 'channels', 'territories']);

/** What the user set, else what the file says: exactly what `show` and the sidecar present. */
export function readFields(db: Db, assetId: number): FieldValues {
  const row = stmt(
    db,
    `SELECT coalesce(e.title, m.title) AS title, coalesce(e.description, m.description) AS description,
            coalesce(e.rating, m.rating) AS rating, e.label, e.flag, coalesce(e.keywords, m.keywords) AS keywords,
            r.alt_text, r.extended_description, coalesce(r.creator, m.creator) AS creator,
            coalesce(r.credit, m.credit) AS credit, coalesce(r.copyright_notice, m.copyright) AS copyright_notice,
            r.copyright_owner, r.licensor, r.license_type, r.usage_terms, r.channels, r.territories,
            r.license_start, r.license_end, r.model_release, r.property_release, r.restrictions
       FROM assets a
       LEFT JOIN asset_search s ON s.asset_id = a.id
       LEFT JOIN file_metadata m ON m.file_id = s.file_id
       LEFT JOIN asset_edits e ON e.asset_id = a.id
       LEFT JOIN asset_rights r ON r.asset_id = a.id
      WHERE a.id = ?`,
  ).get(assetId) as Row | undefined;
  const values = {} as Record<FieldName, unknown>;
  for (const f of FIELDS) {
    const col = f in RIGHTS_COLUMNS ? RIGHTS_COLUMNS[f as RightsField] : (f as EditField);
    const raw = row?.[col] ?? null;
    values[f] = canonical(f, LIST_COLUMNS.has(col) ? parseKeywords(raw as string | null) : raw);
  }
  return values as unknown as FieldValues;
}

function fileValues(db: Db, assetId: number): Record<string, unknown> {
  return (
    (stmt(
      db,
      `SELECT m.title, m.description, m.rating, m.keywords, m.creator, m.credit, m.copyright
         FROM asset_search s JOIN file_metadata m ON m.file_id = s.file_id WHERE s.asset_id = ?`,
    ).get(assetId) as Record<string, unknown> | undefined) ?? {}
  );
}

function stored(field: FieldName, v: unknown, file: Record<string, unknown>): string | number | null {
  const fileCol = FILE_BACKED[field];
  const fileHas = fileCol !== undefined && file[fileCol] != null && file[fileCol] !== '[]';
  if (Array.isArray(v)) return v.length || fileHas || field !== 'keywords' ? JSON.stringify(v) : null;
  if (v != null) return v as string | number;
  if (!fileHas) return null;
  return field === 'rating' ? 0 : '';
}

/**
 * Store field values as the user's (they override the file's), inside the caller's transaction.
 * The caller refreshes the search row.
 */
export function writeFields(db: Db, assetId: number, values: Partial<FieldValues>): void {
  const fields = Object.keys(values) as FieldName[];
  if (fields.length === 0) return;
  const file = fileValues(db, assetId);
  const now = Date.now();
  const edits = fields.filter((f): f is EditField => (EDIT_FIELDS as readonly string[]).includes(f));
  if (edits.length) {
    const before = (stmt(
      db,
      `SELECT title, description, rating, label, flag, keywords FROM asset_edits WHERE asset_id = ?`,
    ).get(assetId) as Record<EditField, string | number | null> | undefined) ?? {
      title: null,
      description: null,
      rating: null,
      label: null,
      flag: null,
      keywords: null,
    };
    for (const f of edits) before[f] = stored(f, values[f], file);
    stmt(
      db,
      `INSERT OR REPLACE INTO asset_edits (asset_id, title, description, rating, label, flag, keywords, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      assetId,
      before.title,
      before.description,
      before.rating,
      before.label,
      before.flag,
      before.keywords,
      now,
    );
  }
  const rights = fields.filter((f): f is RightsField => f in RIGHTS_COLUMNS);
  if (rights.length) {
    const cols = Object.values(RIGHTS_COLUMNS) as RightsColumn[];
    const row = (stmt(db, `SELECT ${cols.join(', ')} FROM asset_rights WHERE asset_id = ?`).get(assetId) ??
      Object.fromEntries(cols.map((c) => [c, LIST_COLUMNS.has(c) ? '[]' : null]))) as Record<
      RightsColumn,
      string | number | null
    >;
    for (const f of rights) row[RIGHTS_COLUMNS[f]] = stored(f, values[f], file);
    stmt(
      db,
      `INSERT OR REPLACE INTO asset_rights (asset_id, ${cols.join(', ')}, updated_at)
       VALUES (?, ${cols.map(() => '?').join(', ')}, ?)`,
    ).run(assetId, ...cols.map((c) => row[c]), now);
  }
}
