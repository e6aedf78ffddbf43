import type { AssetCrop, CropAspect, CropBox } from '../../../shared/crops';
import type { Db } from './open';
import { stmt } from './statements';

interface Row {
  aspect: CropAspect;
  x: number | null;
  y: number | null;
  w: number | null;
  h: number | null;
  at: number;
}

/** One aspect's crop as kept: a box, or null when it was cleared (at that time). */
export interface CropRow {
  aspect: CropAspect;
  box: CropBox | null;
  at: number;
}

const ORDER = `ORDER BY CASE aspect WHEN '1:1' THEN 0 WHEN '4:5' THEN 1 WHEN '16:9' THEN 2 ELSE 3 END`;

/** Every aspect's row, cleared ones too (the sidecar carries them, so a clear wins over an older set). */
export function cropRows(db: Db, assetId: number): CropRow[] {
  const rows = stmt(db, `SELECT aspect, x, y, w, h, at FROM asset_crops WHERE asset_id = ? ${ORDER}`).all(
    assetId,
  ) as Row[];
  return rows.map((r) => ({
    aspect: r.aspect,
    box: r.x === null ? null : { x: r.x, y: r.y!, w: r.w!, h: r.h! },
    at: r.at,
  }));
}

/** An asset's crops (the cleared ones left out), in the order of CROP_ASPECTS. */
export function cropsOf(db: Db, assetId: number): AssetCrop[] {
  return cropRows(db, assetId).flatMap((r) => (r.box ? [{ aspect: r.aspect, box: r.box, at: r.at }] : []));
}

/** The crop of one aspect, or null when none is set. */
export function cropOf(db: Db, assetId: number, aspect: CropAspect): CropBox | null {
  return cropsOf(db, assetId).find((c) => c.aspect === aspect)?.box ?? null;
}

/** Set (a box) or clear (null, kept as the time it was cleared) one aspect's crop. */
export function putCrop(db: Db, assetId: number, aspect: CropAspect, box: CropBox | null, at: number): void {
  stmt(
    db,
    `INSERT INTO asset_crops (asset_id, aspect, x, y, w, h, at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (asset_id, aspect) DO UPDATE SET x = excluded.x, y = excluded.y, w = excluded.w, h = excluded.h, at = excluded.at`,
  ).run(assetId, aspect, box?.x ?? null, box?.y ?? null, box?.w ?? null, box?.h ?? null, at);
}
