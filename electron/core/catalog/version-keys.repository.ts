import type { Db } from './open';
import { stmt } from './statements';
import { parseVersionName } from '../../../shared/version-names';
import { dhashBands } from './pixel-bands';

/** What auto-grouping needs to know of a file that may be a version of another. */
export interface VersionCandidate {
  file_id: number;
  asset_id: number;
  name: string;
  ext: string;
  format: string;
  type: string;
  width: number | null;
  height: number | null;
  orientation: number | null;
}

export function putVersionKey(db: Db, fileId: number, name: string): void {
  stmt(db, `INSERT OR REPLACE INTO file_version_keys (file_id, base, name) VALUES (?, ?, ?)`).run(
    fileId,
    parseVersionName(name).base,
    name,
  );
}

/**
 * Catalogues from before version stacks have files without a key: give them one, once. Cheap when
 * none is missing (one pass over the files' primary key).
 */
export function backfillVersionKeys(db: Db): number {
  const rows = stmt(
    db,
    `SELECT f.id, f.name FROM files f WHERE NOT EXISTS (SELECT 1 FROM file_version_keys k WHERE k.file_id = f.id)`,
  ).all() as { id: number; name: string }[];
  for (const r of rows) putVersionKey(db, r.id, r.name);
  return rows.length;
}

const CANDIDATE_COLUMNS = `f.id AS file_id, f.asset_id, f.name, f.ext, f.format, a.type, md.width, md.height, md.orientation`;

/**
 * `+f.root_id` and `+f.folder` leave SQLite one way in, the base name's index: given the choice
 * it started from the folder's files (files_root_folder), which visited the whole folder for
 * each new file, so cataloguing a folder of n new pictures cost n² rows.
 */
export const SAME_BASE_SQL = `SELECT ${CANDIDATE_COLUMNS}
       FROM file_version_keys k JOIN files f ON f.id = k.file_id AND f.name = k.name
       JOIN assets a ON a.id = f.asset_id LEFT JOIN file_metadata md ON md.file_id = f.id
      WHERE k.base = ? AND +f.root_id = ? AND +f.folder = ? AND f.state = 'present' AND f.id <> ?`;

/** Present files of one folder whose name has this base (a renamed file's stale key is ignored). */
export function sameBaseInFolder(
  db: Db,
  rootId: number,
  folder: string,
  base: string,
  exceptFileId: number,
): VersionCandidate[] {
  return stmt(db, SAME_BASE_SQL).all(base, rootId, folder, exceptFileId) as VersionCandidate[];
}

export function putPixels(db: Db, fileId: number, p: { dhash: bigint; width: number; height: number }): void {
  stmt(
    db,
    `INSERT OR REPLACE INTO file_pixels (file_id, dhash, width, height, band0, band1, band2, band3, band4)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(fileId, p.dhash, p.width, p.height, ...dhashBands(p.dhash));
}

/** A file whose thumbnail already existed (same bytes catalogued before) takes that file's hash. */
export function copyPixelsByContent(db: Db, fileId: number, contentHash: string): void {
  stmt(
    db,
    `INSERT OR IGNORE INTO file_pixels (file_id, dhash, width, height, band0, band1, band2, band3, band4)
     SELECT ?, p.dhash, p.width, p.height, p.band0, p.band1, p.band2, p.band3, p.band4
       FROM files f JOIN file_pixels p ON p.file_id = f.id WHERE f.content_hash = ? AND f.id <> ? LIMIT 1`,
  ).run(fileId, contentHash, fileId);
}

/** A file's perceptual hash and its upright thumbnail's size (file_metadata keeps the stored size). */
export interface PixelRow {
  dhash: bigint;
  thumbW: number;
  thumbH: number;
}

export function getPixels(db: Db, fileId: number): PixelRow | undefined {
  const r = stmt(db, `SELECT dhash, width, height FROM file_pixels WHERE file_id = ?`)
    .safeIntegers(true)
    .get(fileId) as { dhash: bigint; width: bigint; height: bigint } | undefined;
  return r && { dhash: r.dhash, thumbW: Number(r.width), thumbH: Number(r.height) };
}

/** The file whose look-alikes are sought: only a file unlike it in format or upright size can be its export. */
export interface PixelProbe {
  format: string;
  width: number | null;
  height: number | null;
  orientation: number | null;
}

/**
 * The hash slices lead the look-up (one index each, the planner's MULTI-INDEX OR): `+f.root_id`
 * keeps SQLite from starting at the root's files instead, which visited every file of the root
 * for each new picture (a 100,000-file root: 100,000 rows per new file).
 */
export const PIXEL_NEIGHBOURS_SQL = `SELECT ${CANDIDATE_COLUMNS}, p.dhash, p.width AS thumb_w, p.height AS thumb_h
       FROM file_pixels p JOIN files f ON f.id = p.file_id
       JOIN assets a ON a.id = f.asset_id LEFT JOIN file_metadata md ON md.file_id = f.id
      WHERE (p.band0 = ? OR p.band1 = ? OR p.band2 = ? OR p.band3 = ? OR p.band4 = ?)
        AND +f.root_id = ? AND f.state = 'present' AND f.id <> ?
        AND a.type IN ('image', 'raw', 'design')
        AND (f.format <> @format
             OR (@w IS NOT NULL AND @h IS NOT NULL AND md.width IS NOT NULL AND md.height IS NOT NULL
                 AND (CASE WHEN coalesce(md.orientation, 1) >= 5 THEN md.height ELSE md.width END <> @w
                      OR CASE WHEN coalesce(md.orientation, 1) >= 5 THEN md.width ELSE md.height END <> @h)))`;

/**
 * Present still files of one root sharing at least one hash slice with this hash (see migration
 * 4) that could be an export of the probe: another format, or the same format at another upright
 * size (both sizes known). The frames of a shoot share format and size, and often hash slices,
 * so without that condition each new frame would fetch every earlier one. The caller still decides
 * with the whole rule (auto-group.ts isExportOf); this is the part SQLite can apply on its own.
 */
export function pixelNeighbours(
  db: Db,
  rootId: number,
  dhash: bigint,
  exceptFileId: number,
  probe: PixelProbe,
): (VersionCandidate & PixelRow)[] {
  const turned = (probe.orientation ?? 1) >= 5;
  const uprightW = turned ? probe.height : probe.width;
  const uprightH = turned ? probe.width : probe.height;
  const rows = stmt(db, PIXEL_NEIGHBOURS_SQL)
    .safeIntegers(true)
    .all(...dhashBands(dhash), rootId, exceptFileId, {
      format: probe.format,
      w: uprightW,
      h: uprightH,
    }) as Record<string, bigint | string | null>[];
  const num = (v: unknown) => (v == null ? null : Number(v));
  return rows.map((r) => ({
    file_id: Number(r.file_id),
    asset_id: Number(r.asset_id),
    name: r.name as string,
    ext: r.ext as string,
    format: r.format as string,
    type: r.type as string,
    width: num(r.width),
    height: num(r.height),
    orientation: num(r.orientation),
    dhash: r.dhash as bigint,
    thumbW: Number(r.thumb_w),
    thumbH: Number(r.thumb_h),
  }));
}
