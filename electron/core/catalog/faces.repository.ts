// Faces and people (clusters): SQL only. Clustering, naming and merging rules live in people/.
import type { FaceBox, FaceSource } from '../../../shared/people';
import type { Db } from './open';
import { stmt } from './statements';

export const DESCRIPTOR_LENGTH = 1024;

export interface FaceRow {
  id: number;
  assetId: number;
  fileId: number;
  box: FaceBox;
  source: FaceSource;
  confidence: number | null;
  personId: number | null;
  assigned: 'auto' | 'user';
  removed: boolean;
}

interface RawFace {
  id: number;
  asset_id: number;
  file_id: number;
  x: number;
  y: number;
  w: number;
  h: number;
  source: FaceSource;
  confidence: number | null;
  person_id: number | null;
  assigned: 'auto' | 'user';
  removed: number;
}

const FACE_COLUMNS = `id, asset_id, file_id, x, y, w, h, source, confidence, person_id, assigned, removed`;

function toFace(r: RawFace): FaceRow {
  return {
    id: r.id,
    assetId: r.asset_id,
    fileId: r.file_id,
    box: { x: r.x, y: r.y, w: r.w, h: r.h },
    source: r.source,
    confidence: r.confidence,
    personId: r.person_id,
    assigned: r.assigned,
    removed: r.removed === 1,
  };
}

/** A descriptor as stored: float32, little-endian. */
export function descriptorBlob(d: ArrayLike<number>): Buffer {
  const out = Buffer.alloc(DESCRIPTOR_LENGTH * 4);
  for (let i = 0; i < DESCRIPTOR_LENGTH; i++) out.writeFloatLE(d[i] ?? 0, i * 4);
  return out;
}

export function descriptorOf(blob: Buffer): Float32Array {
  const out = new Float32Array(DESCRIPTOR_LENGTH);
  for (let i = 0; i < DESCRIPTOR_LENGTH; i++) out[i] = blob.readFloatLE(i * 4);
  return out;
}

export interface NewFace {
  assetId: number;
  fileId: number;
  box: FaceBox;
  source: FaceSource;
  confidence: number | null;
  descriptor: ArrayLike<number> | null;
  model: string | null;
  personId: number | null;
  assigned: 'auto' | 'user';
}

export function insertFace(db: Db, f: NewFace): number {
  return Number(
    stmt(
      db,
      `INSERT INTO faces (asset_id, file_id, x, y, w, h, source, confidence, descriptor, model, person_id, assigned, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      f.assetId,
      f.fileId,
      f.box.x,
      f.box.y,
      f.box.w,
      f.box.h,
      f.source,
      f.confidence,
      f.descriptor ? descriptorBlob(f.descriptor) : null,
      f.model,
      f.personId,
      f.assigned,
      Date.now(),
    ).lastInsertRowid,
  );
}

/** Every face of an asset, removed ones included (they keep re-detection from bringing them back). */
export function facesOfAsset(db: Db, assetId: number): FaceRow[] {
  return (
    stmt(db, `SELECT ${FACE_COLUMNS} FROM faces WHERE asset_id = ? ORDER BY x, id`).all(assetId) as RawFace[]
  ).map(toFace);
}

export function faceById(db: Db, id: number): FaceRow | null {
  const r = stmt(db, `SELECT ${FACE_COLUMNS} FROM faces WHERE id = ?`).get(id) as RawFace | undefined;
  return r ? toFace(r) : null;
}

export function faceDescriptor(db: Db, id: number): Float32Array | null {
  const b = stmt(db, `SELECT descriptor FROM faces WHERE id = ?`).pluck().get(id) as
    Buffer | null | undefined;
  return b ? descriptorOf(b) : null;
}

export function deleteFace(db: Db, id: number): void {
  stmt(db, `DELETE FROM faces WHERE id = ?`).run(id);
}

/** Detection found the face again: its new box, confidence and descriptor. */
export function refreshDetectedFace(
  db: Db,
  id: number,
  f: { box: FaceBox; confidence: number; descriptor: ArrayLike<number> | null; model: string },
): void {
  stmt(
    db,
    `UPDATE faces SET x = ?, y = ?, w = ?, h = ?, confidence = ?, descriptor = coalesce(?, descriptor), model = ?
      WHERE id = ?`,
  ).run(
    f.box.x,
    f.box.y,
    f.box.w,
    f.box.h,
    f.confidence,
    f.descriptor ? descriptorBlob(f.descriptor) : null,
    f.model,
    id,
  );
}

export function setFacePerson(db: Db, id: number, personId: number | null, assigned: 'auto' | 'user'): void {
  stmt(db, `UPDATE faces SET person_id = ?, assigned = ? WHERE id = ?`).run(personId, assigned, id);
}

export function markFaceRemoved(db: Db, id: number): void {
  stmt(db, `UPDATE faces SET removed = 1, person_id = NULL, assigned = 'user' WHERE id = ?`).run(id);
}

/** Every face of a person moves to another (a merge). */
export function moveFaces(db: Db, fromPerson: number, toPerson: number): number[] {
  const assets = stmt(db, `SELECT DISTINCT asset_id FROM faces WHERE person_id = ? AND removed = 0`)
    .pluck()
    .all(fromPerson) as number[];
  stmt(db, `UPDATE faces SET person_id = ? WHERE person_id = ?`).run(toPerson, fromPerson);
  return assets;
}

/** The descriptors clustering starts from: every described face in a cluster. */
export function* clusteredDescriptors(db: Db): Generator<{ personId: number; descriptor: Float32Array }> {
  const rows = stmt(
    db,
    `SELECT person_id, descriptor FROM faces
      WHERE removed = 0 AND person_id IS NOT NULL AND descriptor IS NOT NULL`,
  ).iterate() as IterableIterator<{ person_id: number; descriptor: Buffer }>;
  for (const r of rows) yield { personId: r.person_id, descriptor: descriptorOf(r.descriptor) };
}

export function descriptorsOfPerson(db: Db, personId: number): Float32Array[] {
  return (
    stmt(db, `SELECT descriptor FROM faces WHERE person_id = ? AND removed = 0 AND descriptor IS NOT NULL`)
      .pluck()
      .all(personId) as Buffer[]
  ).map(descriptorOf);
}

export function assetsOfPerson(db: Db, personId: number): number[] {
  return stmt(db, `SELECT DISTINCT asset_id FROM faces WHERE person_id = ? AND removed = 0`)
    .pluck()
    .all(personId) as number[];
}

export interface PersonRow {
  id: number;
  name: string | null;
  faces: number;
  assets: number;
  /** A face of the person to show (the most confident), with its asset. */
  sampleFaceId: number | null;
  sampleAssetId: number | null;
}

/** People with at least one face, named first (by name), then the biggest clusters. */
export function listPeople(db: Db): PersonRow[] {
  return stmt(
    db,
    `SELECT p.id, p.name, count(f.id) AS faces, count(DISTINCT f.asset_id) AS assets,
            (SELECT s.id FROM faces s WHERE s.person_id = p.id AND s.removed = 0
              ORDER BY s.confidence IS NULL, s.confidence DESC, s.id LIMIT 1) AS sampleFaceId,
            (SELECT s.asset_id FROM faces s WHERE s.person_id = p.id AND s.removed = 0
              ORDER BY s.confidence IS NULL, s.confidence DESC, s.id LIMIT 1) AS sampleAssetId
       FROM people p JOIN faces f ON f.person_id = p.id AND f.removed = 0
      GROUP BY p.id
      ORDER BY p.name IS NULL, p.name COLLATE NOCASE, faces DESC, p.id`,
  ).all() as PersonRow[];
}

export function personById(db: Db, id: number): { id: number; name: string | null } | null {
  return (
    (stmt(db, `SELECT id, name FROM people WHERE id = ?`).get(id) as { id: number; name: string | null }) ??
    null
  );
}

export function personByName(db: Db, name: string): { id: number; name: string } | null {
  return (
    (stmt(db, `SELECT id, name FROM people WHERE name = ? COLLATE NOCASE`).get(name) as {
      id: number;
      name: string;
    }) ?? null
  );
}

export function insertPerson(db: Db, name: string | null): number {
  return Number(
    stmt(db, `INSERT INTO people (name, created_at) VALUES (?, ?)`).run(name, Date.now()).lastInsertRowid,
  );
}

export function renamePerson(db: Db, id: number, name: string | null): void {
  stmt(db, `UPDATE people SET name = ? WHERE id = ?`).run(name, id);
}

/** People no face points at any more (after a merge, a split or a removal). */
export function deleteEmptyPeople(db: Db): number[] {
  return stmt(
    db,
    `DELETE FROM people WHERE NOT EXISTS (SELECT 1 FROM faces f WHERE f.person_id = people.id AND f.removed = 0)
     RETURNING id`,
  )
    .pluck()
    .all() as number[];
}

/** Names of the people in an asset's picture, and how many faces it has (removed ones not counted). */
export function peopleOfAsset(db: Db, assetId: number): { names: string[]; faces: number } {
  const faces = stmt(db, `SELECT count(*) FROM faces WHERE asset_id = ? AND removed = 0`)
    .pluck()
    .get(assetId) as number;
  const names = stmt(
    db,
    `SELECT DISTINCT p.name FROM faces f JOIN people p ON p.id = f.person_id
      WHERE f.asset_id = ? AND f.removed = 0 AND p.name IS NOT NULL ORDER BY p.name COLLATE NOCASE`,
  )
    .pluck()
    .all(assetId) as string[];
  return { names, faces };
}

/** The named faces of an asset, for its XMP regions; null when the catalogue has no faces for it. */
export function namedFacesOfAsset(db: Db, assetId: number): { name: string; box: FaceBox }[] | null {
  const any = stmt(db, `SELECT 1 FROM faces WHERE asset_id = ? LIMIT 1`).pluck().get(assetId);
  if (!any) return null;
  return (
    stmt(
      db,
      `SELECT p.name, f.x, f.y, f.w, f.h FROM faces f JOIN people p ON p.id = f.person_id
        WHERE f.asset_id = ? AND f.removed = 0 AND p.name IS NOT NULL ORDER BY f.x, f.id`,
    ).all(assetId) as { name: string; x: number; y: number; w: number; h: number }[]
  ).map((r) => ({ name: r.name, box: { x: r.x, y: r.y, w: r.w, h: r.h } }));
}

/** The picture's size as shown (EXIF orientations 5-8 turn it a quarter), from its current file's metadata. */
export function shownSize(db: Db, assetId: number): { w: number; h: number } | null {
  const r = stmt(
    db,
    `SELECT m.width, m.height, m.orientation FROM asset_search s JOIN file_metadata m ON m.file_id = s.file_id
      WHERE s.asset_id = ?`,
  ).get(assetId) as { width: number | null; height: number | null; orientation: number | null } | undefined;
  if (!r?.width || !r.height) return null;
  return (r.orientation ?? 1) >= 5 ? { w: r.height, h: r.width } : { w: r.width, h: r.height };
}

/** People's names and face counts of many assets at once (for Asset rows). */
export function peopleOfAssets(
  db: Db,
  assetIds: readonly number[],
): Map<number, { names: string[]; faces: number }> {
  const rows = stmt(
    db,
    `SELECT f.asset_id AS id, count(*) AS faces,
            json_group_array(p.name) FILTER (WHERE p.name IS NOT NULL) AS names
       FROM faces f LEFT JOIN people p ON p.id = f.person_id
      WHERE f.asset_id IN (SELECT value FROM json_each(?)) AND f.removed = 0
      GROUP BY f.asset_id`,
  ).all(JSON.stringify(assetIds)) as { id: number; faces: number; names: string | null }[];
  const out = new Map<number, { names: string[]; faces: number }>();
  for (const r of rows) {
    const names = [...new Set((JSON.parse(r.names ?? '[]') as string[]).filter(Boolean))].sort((a, b) =>
      a.localeCompare(b),
    );
    out.set(r.id, { names, faces: r.faces });
  }
  return out;
}

/** Faces of an asset for the loupe and the People view: box, person and name. */
export function faceViews(
  db: Db,
  where: { assetId: number } | { personId: number },
  limit = 500,
): {
  id: number;
  assetId: number;
  box: FaceBox;
  personId: number | null;
  name: string | null;
  source: FaceSource;
  confidence: number | null;
}[] {
  const byAsset = 'assetId' in where;
  return (
    stmt(
      db,
      `SELECT f.id, f.asset_id AS assetId, f.x, f.y, f.w, f.h, f.person_id AS personId, p.name, f.source, f.confidence
         FROM faces f LEFT JOIN people p ON p.id = f.person_id
        WHERE f.removed = 0 AND ${byAsset ? 'f.asset_id' : 'f.person_id'} = ?
        ORDER BY ${byAsset ? 'f.x, f.id' : 'f.confidence IS NULL, f.confidence DESC, f.id'} LIMIT ?`,
    ).all(byAsset ? where.assetId : where.personId, limit) as {
      id: number;
      assetId: number;
      x: number;
      y: number;
      w: number;
      h: number;
      personId: number | null;
      name: string | null;
      source: FaceSource;
      confidence: number | null;
    }[]
  ).map(({ x, y, w, h, ...rest }) => ({ ...rest, box: { x, y, w, h } }));
}

/** Named people with how many assets each is in (the People facet; `person:NAME` finds as many). */
export function peopleFacet(db: Db, limit = 200): { name: string; count: number }[] {
  return stmt(
    db,
    `SELECT p.name, count(DISTINCT f.asset_id) AS count FROM people p JOIN faces f ON f.person_id = p.id AND f.removed = 0
      WHERE p.name IS NOT NULL GROUP BY p.id ORDER BY count DESC, p.name COLLATE NOCASE LIMIT ?`,
  ).all(limit) as { name: string; count: number }[];
}

/** How many faces an asset's picture has (removed ones not counted). */
export function faceCount(db: Db, assetId: number): number {
  return stmt(db, `SELECT count(*) FROM faces WHERE asset_id = ? AND removed = 0`)
    .pluck()
    .get(assetId) as number;
}
