// People: clustering faces across the catalogue (incrementally, by descriptor similarity), naming,
// merging and splitting clusters, removing faces, and reading in the named faces of XMP regions.
// Every change to an asset's named faces owes its sidecar a write (PersonInImage, MWG regions).
import { boxOverlap, type FaceBox, type NamedRegion } from '../../../shared/people';
import {
  assetsOfPerson,
  clusteredDescriptors,
  deleteEmptyPeople,
  deleteFace,
  faceById,
  faceDescriptor,
  facesOfAsset,
  insertFace,
  insertPerson,
  listPeople,
  markFaceRemoved,
  moveFaces,
  peopleOfAsset,
  personById,
  personByName,
  refreshDetectedFace,
  renamePerson,
  setFacePerson,
  type PersonRow,
} from '../catalog/faces.repository';
import type { Db } from '../catalog/open';
import { stmt } from '../catalog/statements';
import { notFound, invalidInput } from '../errors';
import { ClusterIndex, MATCH_THRESHOLD, unit } from './cluster-index';

/** A face as the detector reports it. */
export interface DetectedFace {
  box: FaceBox;
  score: number;
  descriptor: ArrayLike<number> | null;
}

/** Keywords an asset gains and loses when the people named in its picture change. */
export interface PeopleKeywordEdit {
  id: number;
  add: string[];
  remove: string[];
}

/** Two boxes this alike are the same face (found again, or the one an XMP region names). */
const SAME_FACE = 0.4;
const GENERATION_KEY = 'people-generation';
const MAX_NAME = 200;

function generation(db: Db): string {
  return (stmt(db, `SELECT value FROM settings WHERE key = ?`).pluck().get(GENERATION_KEY) as string) ?? '0';
}

function cleanName(name: string): string {
  const n = name.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (!n) throw invalidInput('a person needs a name (an empty name is not one)');
  if (n.length > MAX_NAME) throw invalidInput(`a name is at most ${MAX_NAME} characters`);
  return n;
}

const indexes = new WeakMap<Db, { generation: string; index: ClusterIndex }>();
/** The People of each open catalogue (the Library's, with its hooks), for code that has only the Db. */
const registry = new WeakMap<Db, People>();

/**
 * The people of one catalogue. Stateless but for the centroid index, which is shared per
 * connection and rebuilt when another process changed people (a generation counter in settings).
 */
export class People {
  /** Assets whose named faces changed: their sidecars are owed a write. */
  onNamesChanged: (assetIds: number[]) => void = () => undefined;
  /**
   * The user named, renamed or took a person out of pictures: each named person in a picture is a
   * keyword of it (dc:subject; lr:hierarchicalSubject `People|Name`), and a name that left the
   * picture leaves its keywords. The Library applies these through the one field writer.
   */
  onKeywords: (edits: PeopleKeywordEdit[]) => void = () => undefined;

  /** For each asset: `add` if a person of that name is in its picture now, `remove` if none is any more. */
  private keywordEdits(assetIds: number[], add: string | null, remove: string | null): PeopleKeywordEdit[] {
    const same = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
    const out: PeopleKeywordEdit[] = [];
    for (const id of new Set(assetIds)) {
      const names = peopleOfAsset(this.db, id).names;
      const e: PeopleKeywordEdit = { id, add: [], remove: [] };
      if (add && names.some((n) => same(n, add))) e.add.push(add);
      if (remove && !(add && same(add, remove)) && !names.some((n) => same(n, remove))) e.remove.push(remove);
      if (e.add.length || e.remove.length) out.push(e);
    }
    return out;
  }

  private keywords(assetIds: number[], add: string | null, remove: string | null): void {
    const edits = this.keywordEdits(assetIds, add, remove);
    if (edits.length) this.onKeywords(edits);
  }

  constructor(private readonly db: Db) {
    if (!registry.has(db)) registry.set(db, this);
  }

  /** The People of this catalogue connection (the first made for it, normally the Library's). */
  static of(db: Db): People {
    return registry.get(db) ?? new People(db);
  }

  /** The centroid index, current with the catalogue (rebuilt when another process changed people). */
  private index(): ClusterIndex {
    const g = generation(this.db);
    const known = indexes.get(this.db);
    if (known && known.generation === g) return known.index;
    const index = new ClusterIndex();
    for (const f of clusteredDescriptors(this.db)) index.add(f.personId, unit(f.descriptor), false);
    index.recentreAll();
    indexes.set(this.db, { generation: g, index });
    return index;
  }

  /** Marks a change of people (inside the caller's transaction); the index in hand stays valid. */
  private bump(index: ClusterIndex): void {
    const g = String(Number(generation(this.db)) + 1);
    stmt(this.db, `INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)`).run(GENERATION_KEY, g);
    indexes.set(this.db, { generation: g, index });
  }

  /** The cluster a described face joins: the nearest centroid when close enough, else a new one. */
  private clusterFor(index: ClusterIndex, u: Float32Array): number {
    const near = index.nearest(u);
    return near && near.similarity >= MATCH_THRESHOLD ? near.personId : insertPerson(this.db, null);
  }

  /**
   * Stores what detection found in an asset's picture (in the caller's transaction): faces found
   * again keep their person; new ones are clustered; detected faces no longer found go (unless the
   * user placed them). A detection over a face read from XMP gives that named face its descriptor,
   * so later faces of that person are matched to the name.
   */
  storeDetected(assetId: number, fileId: number, found: DetectedFace[], model: string): void {
    const db = this.db;
    const index = this.index();
    const existing = facesOfAsset(db, assetId);
    const matched = new Set<number>();
    let namesChanged = false;
    for (const d of found) {
      const u = d.descriptor ? unit(d.descriptor) : null;
      const same = existing
        .filter((e) => !matched.has(e.id))
        .map((e) => ({ e, overlap: boxOverlap(e.box, d.box) }))
        .filter((m) => m.overlap >= SAME_FACE)
        .sort((a, b) => b.overlap - a.overlap)[0]?.e;
      if (same) {
        matched.add(same.id);
        const old = faceDescriptor(db, same.id);
        if (same.personId !== null && !same.removed) {
          if (old) index.remove(same.personId, unit(old));
          if (u) index.add(same.personId, u);
        }
        refreshDetectedFace(db, same.id, {
          box: d.box,
          confidence: d.score,
          descriptor: d.descriptor,
          model,
        });
        continue;
      }
      const personId = u ? this.clusterFor(index, u) : null;
      insertFace(db, {
        assetId,
        fileId,
        box: d.box,
        source: 'detected',
        confidence: d.score,
        descriptor: d.descriptor,
        model,
        personId,
        assigned: 'auto',
      });
      if (personId !== null && u) {
        index.add(personId, u);
        if (personById(db, personId)?.name) namesChanged = true;
      }
    }
    for (const e of existing) {
      if (matched.has(e.id) || e.source !== 'detected' || e.assigned === 'user' || e.removed) continue;
      const old = faceDescriptor(db, e.id);
      if (e.personId !== null && old) index.remove(e.personId, unit(old));
      if (e.personId !== null && personById(db, e.personId)?.name) namesChanged = true;
      deleteFace(db, e.id);
    }
    for (const id of deleteEmptyPeople(db)) index.drop(id);
    this.bump(index);
    if (namesChanged) this.onNamesChanged([assetId]);
  }

  /**
   * Named faces another application wrote (XMP regions in a sidecar or in the file): each becomes a
   * face of the person of that name, over the face already there when the boxes agree. Returns
   * whether anything changed. Faces not in the regions are left as they are.
   */
  readRegions(assetId: number, fileId: number, regions: NamedRegion[]): boolean {
    const db = this.db;
    const index = this.index();
    let changed = false;
    const faces = facesOfAsset(db, assetId);
    for (const r of regions) {
      const person = personByName(db, r.name);
      const same = faces
        .map((f) => ({ f, overlap: boxOverlap(f.box, r.box) }))
        .filter((m) => m.overlap >= SAME_FACE)
        .sort((a, b) => b.overlap - a.overlap)[0]?.f;
      if (same?.removed) continue;
      if (same && person && same.personId === person.id) continue;
      const personId = person?.id ?? insertPerson(db, r.name);
      if (same) {
        const d = faceDescriptor(db, same.id);
        if (d && same.personId !== null) index.remove(same.personId, unit(d));
        if (d) index.add(personId, unit(d));
        setFacePerson(db, same.id, personId, 'user');
      } else {
        insertFace(db, {
          assetId,
          fileId,
          box: r.box,
          source: 'xmp',
          confidence: null,
          descriptor: null,
          model: null,
          personId,
          assigned: 'user',
        });
      }
      changed = true;
    }
    if (changed) {
      for (const id of deleteEmptyPeople(db)) index.drop(id);
      this.bump(index);
    }
    return changed;
  }

  list(): PersonRow[] {
    return listPeople(this.db);
  }

  private person(id: number): { id: number; name: string | null } {
    const p = personById(this.db, id);
    if (!p) throw notFound(`no person or cluster ${id}`);
    return p;
  }

  /** Names a cluster (every face in it). A name another person has merges the cluster into that person. */
  name(personId: number, rawName: string): { personId: number } {
    const name = cleanName(rawName);
    let target = personId;
    let former: string | null = null;
    const assets = this.db.transaction(() => {
      former = this.person(personId).name;
      const other = personByName(this.db, name);
      if (other && other.id !== personId) {
        target = other.id;
        return this.mergeNow(personId, other.id, name);
      }
      renamePerson(this.db, personId, name);
      this.bump(this.index());
      return stmt(this.db, `SELECT DISTINCT asset_id FROM faces WHERE person_id = ? AND removed = 0`)
        .pluck()
        .all(personId) as number[];
    })();
    this.onNamesChanged(assets);
    this.keywords(assets, name, former);
    return { personId: target };
  }

  /** Clears a cluster's name (its faces stay together). */
  unname(personId: number): void {
    let former: string | null = null;
    const assets = this.db.transaction(() => {
      former = this.person(personId).name;
      renamePerson(this.db, personId, null);
      this.bump(this.index());
      return stmt(this.db, `SELECT DISTINCT asset_id FROM faces WHERE person_id = ? AND removed = 0`)
        .pluck()
        .all(personId) as number[];
    })();
    this.onNamesChanged(assets);
    this.keywords(assets, null, former);
  }

  private mergeNow(from: number, into: number, name: string | null): number[] {
    const index = this.index();
    const assets = moveFaces(this.db, from, into);
    index.merge(from, into);
    if (name !== null) renamePerson(this.db, into, name);
    for (const id of deleteEmptyPeople(this.db)) index.drop(id);
    this.bump(index);
    return assets;
  }

  /** Every face of `from` joins `into`; the merged person keeps `into`'s name, else takes `from`'s. */
  merge(into: number, from: number): { personId: number } {
    if (into === from) throw invalidInput('a cluster cannot be merged with itself');
    let kept: string | null = null;
    let dropped: string | null = null;
    const assets = this.db.transaction(() => {
      const a = this.person(into);
      const b = this.person(from);
      // Two names: `into`'s is kept, the other goes with its emptied cluster.
      const name = a.name ? null : b.name;
      kept = a.name ?? b.name;
      dropped = a.name ? b.name : null;
      if (name) renamePerson(this.db, from, null);
      return this.mergeNow(from, into, name);
    })();
    this.onNamesChanged(assets);
    this.keywords(kept === null ? assets : [...assets, ...assetsOfPerson(this.db, into)], kept, dropped);
    return { personId: into };
  }

  /** Takes a face out of its cluster into one of its own (the user says it is someone else). */
  split(faceId: number): { personId: number } {
    let personId = 0;
    let former: string | null = null;
    const assetId = this.db.transaction(() => {
      const f = faceById(this.db, faceId);
      if (!f || f.removed) throw notFound(`no face ${faceId}`);
      const index = this.index();
      const d = faceDescriptor(this.db, faceId);
      if (d && f.personId !== null) index.remove(f.personId, unit(d));
      former = f.personId !== null ? (personById(this.db, f.personId)?.name ?? null) : null;
      personId = insertPerson(this.db, null);
      setFacePerson(this.db, faceId, personId, 'user');
      if (d) index.add(personId, unit(d));
      for (const id of deleteEmptyPeople(this.db)) index.drop(id);
      this.bump(index);
      return f.assetId;
    })();
    this.onNamesChanged([assetId]);
    this.keywords([assetId], null, former);
    return { personId };
  }

  /** The face is not one (or not to be counted): out of its cluster, and never detected again. */
  removeFace(faceId: number): void {
    let former: string | null = null;
    const assetId = this.db.transaction(() => {
      const f = faceById(this.db, faceId);
      if (!f || f.removed) throw notFound(`no face ${faceId}`);
      former = f.personId !== null ? (personById(this.db, f.personId)?.name ?? null) : null;
      const index = this.index();
      const d = faceDescriptor(this.db, faceId);
      if (d && f.personId !== null) index.remove(f.personId, unit(d));
      markFaceRemoved(this.db, faceId);
      for (const id of deleteEmptyPeople(this.db)) index.drop(id);
      this.bump(index);
      return f.assetId;
    })();
    this.onNamesChanged([assetId]);
    this.keywords([assetId], null, former);
  }
}
