import type { Publication, PublicationState } from '../../../shared/publishing';
import type { Db } from './open';
import { stmt } from './statements';

/** The live publication of an asset on an endpoint (neither replaced nor retracted), as stored. */
export interface LivePublication {
  id: number;
  assetId: number;
  endpointId: number;
  remoteId: string | null;
  url: string | null;
  versionHash: string | null;
  fieldsHash: string | null;
  state: Extract<PublicationState, 'pending' | 'published' | 'failed'>;
  lastError: string | null;
}

const LIVE = `state NOT IN ('replaced', 'retracted')`;

export function livePublication(db: Db, assetId: number, endpointId: number): LivePublication | undefined {
  return stmt(
    db,
    `SELECT id, asset_id AS assetId, endpoint_id AS endpointId, remote_id AS remoteId, url,
            version_hash AS versionHash, fields_hash AS fieldsHash, state, last_error AS lastError
       FROM publications WHERE asset_id = ? AND endpoint_id = ? AND ${LIVE}`,
  ).get(assetId, endpointId) as LivePublication | undefined;
}

/** Owe a delivery (a manual publish): a live row in 'pending' unless one is live already. */
export function requestPublication(db: Db, assetId: number, endpointId: number, by: string): void {
  stmt(
    db,
    `INSERT INTO publications (asset_id, endpoint_id, state, at, by) VALUES (?, ?, 'pending', ?, ?)
     ON CONFLICT DO NOTHING`,
  ).run(assetId, endpointId, Date.now(), by);
}

/** The remote copy now holds this version with these fields. */
export function recordPublished(
  db: Db,
  assetId: number,
  endpointId: number,
  v: {
    remoteId: string;
    url: string | null;
    versionHash: string;
    fieldsHash: string;
    by: string;
    warnings: string[];
  },
): void {
  const at = Date.now();
  const live = livePublication(db, assetId, endpointId);
  if (live)
    stmt(
      db,
      `UPDATE publications SET remote_id = ?, url = ?, version_hash = ?, fields_hash = ?, state = 'published',
              at = ?, by = ?, last_error = NULL, warnings = ? WHERE id = ?`,
    ).run(v.remoteId, v.url, v.versionHash, v.fieldsHash, at, v.by, JSON.stringify(v.warnings), live.id);
  else
    stmt(
      db,
      `INSERT INTO publications (asset_id, endpoint_id, remote_id, url, version_hash, fields_hash, state, at, by, warnings)
       VALUES (?, ?, ?, ?, ?, ?, 'published', ?, ?, ?)`,
    ).run(
      assetId,
      endpointId,
      v.remoteId,
      v.url,
      v.versionHash,
      v.fieldsHash,
      at,
      v.by,
      JSON.stringify(v.warnings),
    );
}

/** The live copy was superseded by a newer version's: it stays in the list as 'replaced'. */
export function recordReplaced(db: Db, publicationId: number, by: string): void {
  stmt(db, `UPDATE publications SET state = 'replaced', at = ?, by = ?, last_error = NULL WHERE id = ?`).run(
    Date.now(),
    by,
    publicationId,
  );
}

/** Pulled from the endpoint (its remote copy deleted), with the posts that still used it. */
export function recordRetracted(
  db: Db,
  publicationId: number,
  by: string,
  reason: string,
  usedIn: string[],
): void {
  stmt(
    db,
    `UPDATE publications SET state = 'retracted', at = ?, by = ?, last_error = ?, used_in = ? WHERE id = ?`,
  ).run(Date.now(), by, reason, JSON.stringify(usedIn), publicationId);
}

/**
 * A delivery did not happen: a new or pending row fails (or stays pending: `keepPending`, the endpoint
 * is waited for); a live copy keeps its state, with the error.
 */
export function recordFailure(
  db: Db,
  assetId: number,
  endpointId: number,
  by: string,
  error: string,
  opts: { keepPending?: boolean } = {},
): void {
  const live = livePublication(db, assetId, endpointId);
  if (!live)
    stmt(
      db,
      `INSERT INTO publications (asset_id, endpoint_id, state, at, by, last_error) VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(assetId, endpointId, opts.keepPending ? 'pending' : 'failed', Date.now(), by, error);
  else if (live.state === 'published' || opts.keepPending)
    stmt(db, `UPDATE publications SET last_error = ? WHERE id = ?`).run(error, live.id);
  else
    stmt(db, `UPDATE publications SET state = 'failed', at = ?, by = ?, last_error = ? WHERE id = ?`).run(
      Date.now(),
      by,
      error,
      live.id,
    );
}

/** A live row without a remote copy that is no longer owed (a refusal of an automatic delivery). */
export function dropUndelivered(db: Db, assetId: number, endpointId: number): void {
  stmt(
    db,
    `DELETE FROM publications WHERE asset_id = ? AND endpoint_id = ? AND ${LIVE} AND remote_id IS NULL`,
  ).run(assetId, endpointId);
}

/** Every publication of an asset, newest first ("where used"). */
export function publicationsOf(db: Db, assetId: number): Publication[] {
  const rows = stmt(
    db,
    `SELECT e.name AS endpoint, p.remote_id AS remoteId, p.url, p.version_hash AS versionHash, p.state, p.at,
            p.by, p.last_error AS error, p.warnings, p.used_in AS usedIn
       FROM publications p JOIN endpoints e ON e.id = p.endpoint_id
      WHERE p.asset_id = ? ORDER BY p.at DESC, p.id DESC`,
  ).all(assetId) as (Omit<Publication, 'warnings' | 'usedIn'> & { warnings: string; usedIn: string })[];
  return rows.map((r) => ({
    ...r,
    warnings: JSON.parse(r.warnings) as string[],
    usedIn: JSON.parse(r.usedIn) as string[],
  }));
}

/** Assets with a live publication (on any endpoint, or this one). */
export function assetsWithLivePublications(db: Db, endpointId?: number): number[] {
  return stmt(
    db,
    `SELECT DISTINCT asset_id FROM publications WHERE ${LIVE} ${endpointId ? 'AND endpoint_id = ?' : ''}`,
  )
    .pluck()
    .all(...(endpointId ? [endpointId] : [])) as number[];
}

export function hasLivePublication(db: Db, assetId: number): boolean {
  return (
    stmt(db, `SELECT 1 FROM publications WHERE asset_id = ? AND ${LIVE} LIMIT 1`).pluck().get(assetId) !==
    undefined
  );
}

/**
 * What the outbox owes each endpoint: live deliveries pending or failed, whether the last attempt
 * found it unreachable (a live row that waits: `recordFailure(..., {keepPending})` writes `waiting: `),
 * and the newest reason of a failure or a wait.
 */
export function queueByEndpoint(db: Db): {
  endpoint: string;
  pending: number;
  failed: number;
  waiting: number;
  lastError: string | null;
}[] {
  return stmt(
    db,
    `SELECT e.name AS endpoint,
            coalesce(sum(p.state = 'pending'), 0) AS pending,
            coalesce(sum(p.state = 'failed'), 0) AS failed,
            coalesce(sum(p.last_error LIKE 'waiting: %'), 0) AS waiting,
            (SELECT q.last_error FROM publications q
              WHERE q.endpoint_id = e.id AND q.${LIVE} AND q.last_error IS NOT NULL
              ORDER BY q.at DESC, q.id DESC LIMIT 1) AS lastError
       FROM endpoints e LEFT JOIN publications p ON p.endpoint_id = e.id AND p.${LIVE}
      GROUP BY e.id ORDER BY e.name`,
  ).all() as {
    endpoint: string;
    pending: number;
    failed: number;
    waiting: number;
    lastError: string | null;
  }[];
}

/** Endpoints where an asset's live publication failed or waits: what a retry delivers to again. */
export function failingEndpointsOf(db: Db, assetId: number): string[] {
  return stmt(
    db,
    `SELECT e.name FROM publications p JOIN endpoints e ON e.id = p.endpoint_id
      WHERE p.asset_id = ? AND p.${LIVE} AND (p.state IN ('failed', 'pending') OR p.last_error IS NOT NULL)
      ORDER BY e.name`,
  )
    .pluck()
    .all(assetId) as string[];
}
