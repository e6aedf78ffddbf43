import type { Db } from './open';
import { stmt } from './statements';

export interface RenditionSourceRow {
  asset_id: number;
  root_path: string;
  root_state: string;
  rel_path: string;
  name: string;
  format: string;
  state: string;
  capture_date: string | null;
  make: string | null;
  model: string | null;
  gps_lat: number | null;
  gps_lon: number | null;
}

/** The current file of each asset, where it is and what a rendition of it needs. */
export function renditionSources(db: Db, assetIds: readonly number[]): Map<number, RenditionSourceRow> {
  const q = stmt(
    db,
    `SELECT s.asset_id, r.path AS root_path, r.state AS root_state, f.rel_path, f.name, f.format, f.state,
            m.capture_date, m.make, m.model, m.gps_lat, m.gps_lon
       FROM asset_search s JOIN files f ON f.id = s.file_id JOIN roots r ON r.id = f.root_id
       LEFT JOIN file_metadata m ON m.file_id = f.id
      WHERE s.asset_id = ?`,
  );
  const out = new Map<number, RenditionSourceRow>();
  for (const id of assetIds) {
    const row = q.get(id) as RenditionSourceRow | undefined;
    if (row) out.set(id, row);
  }
  return out;
}
