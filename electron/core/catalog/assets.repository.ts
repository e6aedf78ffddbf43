import path from 'node:path';
import type { Asset, AssetType, Duplicate, FileState, Stats } from '../../../shared/model';
import { ASSET_TYPES } from '../../../shared/model';
import type { Db } from './open';
import { stmt } from './statements';
import { parseKeywords } from './asset-search.repository';
import type { Flag, Label } from '../../../shared/contract';
import type { Channel, LicenseType, ReleaseStatus } from '../../../shared/governance';
import { APPROVAL_STATE_SQL } from './approval-state.sql';
import { computeWarnings, todayUtc } from '../../../shared/warnings';
import { cleanFacts, type Facts } from '../../../shared/facts';
import { HIDDEN_MEMBERS_SQL, stackRefs } from './stacks.repository';
import { colorsOf } from './colors.repository';
import { peopleOfAssets } from './faces.repository';

interface AssetRow {
  id: number;
  type: AssetType;
  file_id: number;
  root_id: number;
  root_path: string;
  rel_path: string;
  name: string;
  folder: string;
  format: string;
  state: FileState;
  size: number;
  mtime_ms: number;
  content_hash: string | null;
  thumb: string | null;
  error: string | null;
  capture_date: string | null;
  make: string | null;
  model: string | null;
  lens: string | null;
  exposure_time: number | null;
  f_number: number | null;
  iso: number | null;
  focal_length: number | null;
  width: number | null;
  height: number | null;
  orientation: number | null;
  duration_s: number | null;
  facts: string | null;
  gps_lat: number | null;
  gps_lon: number | null;
  gps_alt: number | null;
  title: string | null;
  description: string | null;
  keywords: string | null;
  creator: string | null;
  copyright: string | null;
  credit: string | null;
  rating: number | null;
  label: Label | null;
  flag: Flag | null;
  alt_text: string | null;
  extended_description: string | null;
  copyright_owner: string | null;
  licensor: string | null;
  license_type: LicenseType | null;
  usage_terms: string | null;
  channels: string | null;
  territories: string | null;
  license_start: string | null;
  license_end: string | null;
  model_release: ReleaseStatus | null;
  property_release: ReleaseStatus | null;
  restrictions: string | null;
  approval_state: Asset['approval']['state'];
  approval_row_state: string | null;
  approval_actor: string | null;
  approval_machine: string | null;
  approval_at: number | null;
  approval_comment: string | null;
  sidecar_error: number;
  face_count: number;
}

/** A stored facts object; anything unreadable reads as none (the column is ours, but old rows or a hand edit may not be). */
function parseFacts(json: string | null): Facts {
  if (!json) return {};
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === 'object' && !Array.isArray(v) ? cleanFacts(v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The asset as shown: its current file (the one asset_search points at) and that file's metadata. */
export const ASSET_SELECT = `
  SELECT a.id, a.type, f.id AS file_id, f.root_id, r.path AS root_path, f.rel_path, f.name, f.folder, f.format,
         f.state, f.size, f.mtime_ms, f.content_hash, f.thumb, f.error,
         m.capture_date, m.make, m.model, m.lens, m.exposure_time, m.f_number, m.iso, m.focal_length, m.width,
         m.height, m.orientation, m.duration_s, m.facts, m.gps_lat, m.gps_lon, m.gps_alt,
         coalesce(e.title, m.title) AS title, coalesce(e.description, m.description) AS description,
         coalesce(e.keywords, m.keywords) AS keywords, coalesce(ar.creator, m.creator) AS creator,
         coalesce(ar.copyright_notice, m.copyright) AS copyright, coalesce(ar.credit, m.credit) AS credit,
         coalesce(e.rating, m.rating) AS rating, e.label, e.flag,
         ar.alt_text, ar.extended_description, ar.copyright_owner, ar.licensor, ar.license_type, ar.usage_terms,
         ar.channels, ar.territories, ar.license_start, ar.license_end, ar.model_release, ar.property_release,
         ar.restrictions, ${APPROVAL_STATE_SQL} AS approval_state, ap.state AS approval_row_state,
         ap.actor AS approval_actor, ap.machine AS approval_machine, ap.at AS approval_at, ap.comment AS approval_comment,
         EXISTS (SELECT 1 FROM sidecar_files sf WHERE sf.asset_id = a.id AND sf.error IS NOT NULL) AS sidecar_error,
         (SELECT count(*) FROM faces fc WHERE fc.asset_id = a.id AND fc.removed = 0) AS face_count
    FROM asset_search s
    JOIN assets a ON a.id = s.asset_id
    JOIN files f ON f.id = s.file_id
    JOIN roots r ON r.id = f.root_id
    LEFT JOIN file_metadata m ON m.file_id = f.id
    LEFT JOIN asset_edits e ON e.asset_id = a.id
    LEFT JOIN asset_rights ar ON ar.asset_id = a.id
    LEFT JOIN approvals ap ON ap.asset_id = s.asset_id AND ap.file_id = s.file_id`;

/** Read once per call: the warning horizon is a setting. */
function soonDays(db: Db): number {
  const v = Number(stmt(db, `SELECT value FROM settings WHERE key = 'expiry-warning-days'`).pluck().get());
  return Number.isInteger(v) && v >= 0 ? v : 30;
}

export function toAsset(r: AssetRow, thumbDir: string, expiryWarningDays = 30, today = todayUtc()): Asset {
  const keywords = parseKeywords(r.keywords);
  const decided = r.approval_row_state === r.approval_state;
  return {
    id: r.id,
    fileId: r.file_id,
    rootId: r.root_id,
    path: path.join(r.root_path, ...r.rel_path.split('/')),
    relPath: r.rel_path,
    name: r.name,
    folder: r.folder,
    type: r.type,
    format: r.format,
    state: r.state,
    size: r.size,
    mtime: new Date(r.mtime_ms).toISOString(),
    width: r.width,
    height: r.height,
    orientation: r.orientation,
    captureDate: r.capture_date,
    make: r.make,
    model: r.model,
    lens: r.lens,
    exposureTime: r.exposure_time,
    fNumber: r.f_number,
    iso: r.iso,
    focalLength: r.focal_length,
    durationS: r.duration_s,
    facts: parseFacts(r.facts),
    gps: r.gps_lat != null && r.gps_lon != null ? { lat: r.gps_lat, lon: r.gps_lon, alt: r.gps_alt } : null,
    title: r.title || null,
    description: r.description || null,
    keywords,
    creator: r.creator || null,
    copyright: r.copyright || null,
    credit: r.credit || null,
    rating: r.rating,
    label: r.label,
    flag: r.flag,
    contentHash: r.content_hash,
    thumbnail: r.thumb ? path.join(thumbDir, r.thumb) : null,
    error: r.error,
    rights: {
      creator: r.creator || null,
      credit: r.credit || null,
      copyrightNotice: r.copyright || null,
      copyrightOwner: r.copyright_owner,
      licensor: r.licensor,
      licenseType: r.license_type,
      usageTerms: r.usage_terms,
      channels: parseKeywords(r.channels) as Channel[],
      territories: parseKeywords(r.territories),
      licenseStart: r.license_start,
      licenseEnd: r.license_end,
      modelRelease: r.model_release,
      propertyRelease: r.property_release,
      restrictions: r.restrictions,
    },
    altText: r.alt_text,
    extendedDescription: r.extended_description,
    approval: {
      state: r.approval_state,
      by: decided ? r.approval_actor : null,
      machine: decided ? r.approval_machine : null,
      at: decided && r.approval_at != null ? new Date(r.approval_at).toISOString() : null,
      comment: decided ? r.approval_comment : null,
    },
    warnings: computeWarnings(
      {
        credit: r.credit || null,
        licenseType: r.license_type,
        licenseEnd: r.license_end,
        sidecarError: r.sidecar_error === 1,
        faces: r.face_count,
        modelRelease: r.model_release,
      },
      expiryWarningDays,
      today,
    ),
    // Filled by getAsset / getAssetsByIds, which read the stacks and copies of all rows at once.
    stack: null,
    duplicates: [],
    colors: [],
    people: [],
    faces: 0,
  };
}

/** More copies than a panel lists: the count on the badge stays right, the list is cut. */
const MAX_DUPLICATES = 50;

/** For each asset, the other present files with its content hash (through the files_hash index). */
export function duplicatesOf(db: Db, assetIds: readonly number[]): Map<number, Duplicate[]> {
  const rows = stmt(
    db,
    `SELECT f.asset_id AS id, g.asset_id AS assetId, g.root_id AS rootId, r.path || '/' || g.rel_path AS path
       FROM files f
       JOIN files g ON g.content_hash = f.content_hash AND g.id <> f.id AND g.state = 'present'
       JOIN roots r ON r.id = g.root_id
      WHERE f.asset_id IN (SELECT value FROM json_each(?)) AND f.content_hash IS NOT NULL
      ORDER BY f.asset_id, path`,
  ).all(JSON.stringify(assetIds)) as (Duplicate & { id: number })[];
  const out = new Map<number, Duplicate[]>();
  for (const { id, ...d } of rows) {
    const list = out.get(id) ?? [];
    if (list.length < MAX_DUPLICATES) list.push({ ...d, path: path.join(d.path) });
    out.set(id, list);
  }
  return out;
}

export function getAsset(db: Db, id: number, thumbDir: string): Asset | undefined {
  const row = stmt(db, `${ASSET_SELECT} WHERE s.asset_id = ?`).get(id) as AssetRow | undefined;
  if (!row) return undefined;
  return {
    ...toAsset(row, thumbDir, soonDays(db)),
    stack: stackRefs(db, [id]).get(id) ?? null,
    duplicates: duplicatesOf(db, [id]).get(id) ?? [],
    colors: colorsOf(db, [id]).get(id) ?? [],
    people: peopleOfAssets(db, [id]).get(id)?.names ?? [],
    faces: peopleOfAssets(db, [id]).get(id)?.faces ?? 0,
  };
}

export function getAssetsByIds(db: Db, ids: number[], thumbDir: string): Asset[] {
  if (ids.length === 0) return [];
  // One prepared statement for any list: the ids travel as a JSON array.
  const rows = stmt(db, `${ASSET_SELECT} WHERE s.asset_id IN (SELECT value FROM json_each(?))`).all(
    JSON.stringify(ids),
  ) as AssetRow[];
  const days = soonDays(db);
  const today = todayUtc();
  const stacks = stackRefs(db, ids);
  const copies = duplicatesOf(db, ids);
  const colors = colorsOf(db, ids);
  const people = peopleOfAssets(db, ids);
  const byId = new Map(
    rows.map((r) => [
      r.id,
      {
        ...toAsset(r, thumbDir, days, today),
        stack: stacks.get(r.id) ?? null,
        duplicates: copies.get(r.id) ?? [],
        colors: colors.get(r.id) ?? [],
        people: people.get(r.id)?.names ?? [],
        faces: people.get(r.id)?.faces ?? 0,
      },
    ]),
  );
  return ids.map((id) => byId.get(id)).filter((a): a is Asset => a !== undefined);
}

/** The asset whose file is at this absolute path, whatever root it lies in. */
export function findAssetIdByPath(db: Db, absPath: string): number | undefined {
  const roots = stmt(db, `SELECT id, path FROM roots`).all() as { id: number; path: string }[];
  for (const r of roots) {
    const rel = path.relative(r.path, absPath);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) continue;
    const id = stmt(db, `SELECT asset_id FROM files WHERE root_id = ? AND rel_path = ?`)
      .pluck()
      .get(r.id, rel.split(path.sep).join('/')) as number | undefined;
    if (id != null) return id;
  }
  return undefined;
}

export function catalogStats(db: Db): Stats {
  const byType = Object.fromEntries(ASSET_TYPES.map((t) => [t, 0])) as Record<AssetType, number>;
  for (const r of stmt(db, `SELECT type, count(*) AS n FROM asset_search GROUP BY type`).all() as {
    type: AssetType;
    n: number;
  }[]) {
    byType[r.type] = r.n;
  }
  const files = stmt(
    db,
    `SELECT count(*) AS total, sum(state = 'present') AS present, sum(state = 'missing') AS missing,
            sum(error IS NOT NULL) AS errors FROM files`,
  ).get() as { total: number; present: number | null; missing: number | null; errors: number | null };
  const roots = stmt(db, `SELECT count(*) AS total, sum(state = 'online') AS online FROM roots`).get() as {
    total: number;
    online: number | null;
  };
  return {
    assets: stmt(db, `SELECT count(*) FROM assets`).pluck().get() as number,
    hiddenVersions: stmt(db, `SELECT count(*) FROM (${HIDDEN_MEMBERS_SQL})`).pluck().get() as number,
    files: files.total,
    byType,
    byState: {
      present: files.present ?? 0,
      missing: files.missing ?? 0,
      errors: files.errors ?? 0,
      pending: stmt(db, `SELECT count(*) FROM jobs`).pluck().get() as number,
    },
    roots: { total: roots.total, online: roots.online ?? 0, offline: roots.total - (roots.online ?? 0) },
  };
}
