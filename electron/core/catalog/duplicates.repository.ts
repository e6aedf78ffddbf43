// What the duplicates review reads: sets of present assets sharing a content hash, every present
// still's dHash (file_pixels, made at ingest), and the facts a keeper is chosen by. SQL only;
// grouping and choosing are versions/duplicates.ts.
import type { Db } from './open';
import { stmt } from './statements';

/** Asset ids that share their current file's exact bytes with another present asset, one list per content. */
export function identicalSets(db: Db): number[][] {
  const rows = stmt(
    db,
    `SELECT group_concat(s.asset_id) AS ids FROM asset_search s JOIN files f ON f.id = s.file_id
      WHERE f.state = 'present' AND f.content_hash IS NOT NULL
      GROUP BY f.content_hash HAVING count(*) > 1`,
  )
    .pluck()
    .all() as string[];
  return rows.map((r) => r.split(',').map(Number));
}

export interface StillPixels {
  assetId: number;
  dhash: bigint;
  /** The upright thumbnail's size, for the aspect ratio. */
  width: number;
  height: number;
}

/** Every present still's perceptual hash (stills only: a video's poster frame says little). */
export function stillPixels(db: Db): StillPixels[] {
  return (
    stmt(
      db,
      `SELECT s.asset_id AS assetId, p.dhash, p.width, p.height
         FROM asset_search s JOIN file_pixels p ON p.file_id = s.file_id
        WHERE s.state = 'present' AND s.type IN ('image', 'raw', 'design')`,
    )
      .safeIntegers(true)
      .all() as { assetId: bigint; dhash: bigint; width: bigint; height: bigint }[]
  ).map((r) => ({
    assetId: Number(r.assetId),
    dhash: r.dhash,
    width: Number(r.width),
    height: Number(r.height),
  }));
}

export interface MemberRow {
  assetId: number;
  path: string;
  name: string;
  width: number | null;
  height: number | null;
  orientation: number | null;
  size: number;
  rating: number | null;
  flag: 'pick' | 'reject' | null;
  thumb: string | null;
  contentHash: string | null;
  stackId: number | null;
}

export function memberRows(db: Db, assetIds: readonly number[]): MemberRow[] {
  return stmt(
    db,
    `SELECT s.asset_id AS assetId, r.path || '/' || f.rel_path AS path, f.name, m.width, m.height,
            m.orientation, f.size, s.rating, s.flag, f.thumb, f.content_hash AS contentHash,
            sm.stack_id AS stackId
       FROM asset_search s JOIN files f ON f.id = s.file_id JOIN roots r ON r.id = f.root_id
       LEFT JOIN file_metadata m ON m.file_id = f.id
       LEFT JOIN stack_members sm ON sm.asset_id = s.asset_id
      WHERE s.asset_id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(assetIds)) as MemberRow[];
}
