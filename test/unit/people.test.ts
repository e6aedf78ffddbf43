import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog, type Db } from '../../electron/core/catalog/open';
import { facesOfAsset, namedFacesOfAsset, peopleOfAsset } from '../../electron/core/catalog/faces.repository';
import { ClusterIndex, unit } from '../../electron/core/people/cluster-index';
import { People, type DetectedFace } from '../../electron/core/people/service';
import { insertAssetWithFile } from '../helpers/catalog-rows';
import { tempDir } from '../helpers/corpus';

const D = 1024;

/** A deterministic generator, so that every run clusters the same faces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Descriptors shaped like faceres's: non-negative features, so two strangers still score about
 * 0.3-0.5 (as measured on real photos), and one person's photos about 0.9 (as a re-framed photo).
 */
function identity(r: () => number): Float32Array {
  const v = new Float32Array(D);
  for (let i = 0; i < D; i++) v[i] = r() < 0.25 ? r() * 3 : r() * 0.4;
  return v;
}
function photoOf(id: Float32Array, r: () => number, noise = 0.6): Float32Array {
  const v = new Float32Array(D);
  for (let i = 0; i < D; i++) v[i] = Math.max(0, id[i]! + (r() - 0.5) * 2 * noise);
  return v;
}
const face = (descriptor: Float32Array, x = 0.3): DetectedFace => ({
  box: { x, y: 0.2, w: 0.2, h: 0.25 },
  score: 0.9,
  descriptor,
});

describe('people: faces clustered across the catalogue', () => {
  let dir: string;
  let db: Db;
  let people: People;
  const changed: number[][] = [];
  const r = rng(7);
  const ana = identity(r);
  const bo = identity(r);
  const cy = identity(r);

  beforeAll(() => {
    dir = tempDir('dam-people-');
    db = openCatalog(dir, { create: true });
    db.prepare(`INSERT INTO roots (id, path, name, kind, added_at) VALUES (1, '/x', 'x', 'local', 0)`).run();
    for (let id = 1; id <= 12; id++) insertAssetWithFile(db, id, { search: true });
    people = new People(db);
    people.onNamesChanged = (ids) => changed.push(ids);
  });
  afterAll(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const store = (assetId: number, faces: DetectedFace[]) =>
    db.transaction(() => people.storeDetected(assetId, assetId, faces, 'blazeface+faceres'))();
  const personOf = (assetId: number, i = 0) =>
    facesOfAsset(db, assetId).filter((f) => !f.removed)[i]!.personId;

  it('puts the same person in one cluster and different people apart', () => {
    const st = { strangers: 0 };
    // The synthetic people are as alike as real strangers are (faceres features are non-negative).
    const cos = (a: Float32Array, b: Float32Array) => {
      const ua = unit(a);
      const ub = unit(b);
      return ua.reduce((s, x, i) => s + x * ub[i]!, 0);
    };
    st.strangers = cos(ana, bo);
    expect(st.strangers).toBeGreaterThan(0.3);
    expect(cos(photoOf(ana, r), photoOf(ana, r))).toBeLessThan(0.95);
    store(1, [face(photoOf(ana, r))]);
    store(2, [face(photoOf(ana, r))]);
    store(3, [face(photoOf(bo, r)), face(photoOf(cy, r), 0.6)]);
    expect(personOf(1)).not.toBeNull();
    expect(personOf(2)).toBe(personOf(1));
    expect(personOf(3, 0)).not.toBe(personOf(1));
    expect(personOf(3, 1)).not.toBe(personOf(1));
    expect(personOf(3, 0)).not.toBe(personOf(3, 1));
    expect(people.list()).toHaveLength(3);
  });

  it('names a cluster: every face in it has the name, and a new face of that person gets it too', () => {
    changed.length = 0;
    people.name(personOf(1)!, '  Ana   Lima ');
    expect(peopleOfAsset(db, 1)).toEqual({ names: ['Ana Lima'], faces: 1 });
    expect(peopleOfAsset(db, 2).names).toEqual(['Ana Lima']);
    // Both assets owe their sidecars the name.
    expect(changed.flat().sort()).toEqual([1, 2]);
    changed.length = 0;
    store(4, [face(photoOf(ana, r))]);
    expect(peopleOfAsset(db, 4).names).toEqual(['Ana Lima']);
    expect(changed).toEqual([[4]]);
    expect(namedFacesOfAsset(db, 4)).toEqual([
      { name: 'Ana Lima', box: { x: 0.3, y: 0.2, w: 0.2, h: 0.25 } },
    ]);
    expect(namedFacesOfAsset(db, 12)).toBeNull();
    expect(() => people.name(personOf(1)!, '   ')).toThrow(/needs a name/);
    expect(() => people.name(9999, 'X')).toThrow(/no person or cluster 9999/);
  });

  it('re-detection keeps a face its person; a face no longer found goes', () => {
    const before = facesOfAsset(db, 1)[0]!;
    store(1, [face(photoOf(ana, r)), face(photoOf(cy, r), 0.7)]);
    const after = facesOfAsset(db, 1);
    expect(after).toHaveLength(2);
    expect(after.find((f) => f.id === before.id)?.personId).toBe(before.personId);
    expect(after[1]!.personId).toBe(personOf(3, 1)); // Cy, found in asset 3 before
    store(1, [face(photoOf(ana, r))]);
    expect(facesOfAsset(db, 1)).toHaveLength(1);
  });

  it('merges clusters (the name is kept), naming with a name in use merges too', () => {
    const boId = personOf(3, 0)!;
    const cyId = personOf(3, 1)!;
    people.name(cyId, 'Cy');
    people.merge(boId, cyId);
    expect(personOf(3, 0)).toBe(boId);
    expect(personOf(3, 1)).toBe(boId);
    expect(peopleOfAsset(db, 3).names).toEqual(['Cy']);
    // Split Cy's face back out, then naming it "cy" (any case) merges it into Cy again.
    const cyFace = facesOfAsset(db, 3)[1]!;
    const split = people.split(cyFace.id);
    expect(split.personId).not.toBe(boId);
    expect(people.name(split.personId, 'cy').personId).toBe(boId);
    expect(() => people.merge(boId, boId)).toThrow(/itself/);
  });

  it('removes a face: out of its cluster, not counted, and not brought back by detection', () => {
    const bo = facesOfAsset(db, 3)[0]!;
    people.removeFace(bo.id);
    expect(peopleOfAsset(db, 3).faces).toBe(1);
    store(3, [face(photoOf(bo === undefined ? ana : identity(r), r)), face(photoOf(cy, r), 0.6)]);
    expect(facesOfAsset(db, 3).filter((f) => !f.removed)).toHaveLength(1);
    expect(() => people.removeFace(bo.id)).toThrow(/no face/);
  });

  it('reads named XMP regions as faces of that person, over a detected face when the boxes agree', () => {
    expect(people.readRegions(5, 5, [{ name: 'Dee', box: { x: 0.1, y: 0.1, w: 0.2, h: 0.2 } }])).toBe(true);
    expect(peopleOfAsset(db, 5)).toEqual({ names: ['Dee'], faces: 1 });
    expect(people.readRegions(5, 5, [{ name: 'Dee', box: { x: 0.1, y: 0.1, w: 0.2, h: 0.2 } }])).toBe(false);
    // A detected face of Ana in asset 6 that another application named "Ana Lima" already: nothing to do.
    store(6, [face(photoOf(ana, r))]);
    expect(people.readRegions(6, 6, [{ name: 'ana lima', box: { x: 0.31, y: 0.2, w: 0.2, h: 0.25 } }])).toBe(
      false,
    );
    // Detection over the XMP face gives it a descriptor: Dee's next photo is matched to the name.
    const dee = identity(r);
    store(5, [{ box: { x: 0.1, y: 0.1, w: 0.2, h: 0.2 }, score: 0.9, descriptor: photoOf(dee, r) }]);
    expect(facesOfAsset(db, 5)).toHaveLength(1);
    store(7, [face(photoOf(dee, r))]);
    expect(peopleOfAsset(db, 7).names).toEqual(['Dee']);
  });

  it('sees what another process changed (the index is rebuilt from the catalogue)', () => {
    const other = new People(openCatalog(dir));
    const eve = identity(r);
    // A second connection, as `dam` beside the app: its changes bump the generation.
    const odb = (other as unknown as { db: Db }).db;
    odb.transaction(() => other.storeDetected(8, 8, [face(photoOf(eve, r))], 'm'))();
    const eveId = facesOfAsset(odb, 8)[0]!.personId!;
    other.name(eveId, 'Eve');
    odb.close();
    store(9, [face(photoOf(eve, r))]);
    expect(peopleOfAsset(db, 9).names).toEqual(['Eve']);
  });
});

describe('clustering 10,000 faces', () => {
  it('assigns 10,000 faces of 500 people with the centroid index, each to its own person', () => {
    const r = rng(11);
    const ids = Array.from({ length: 500 }, () => identity(r));
    const index = new ClusterIndex();
    const faces = Array.from({ length: 10_000 }, (_, i) => ({
      who: i % 500,
      u: unit(photoOf(ids[i % 500]!, r)),
    }));
    const clusterOf = new Map<number, number>();
    let next = 1;
    const t0 = performance.now();
    for (const f of faces) {
      const near = index.nearest(f.u);
      const id = near && near.similarity >= 0.6 ? near.personId : next++;
      index.add(id, f.u);
      clusterOf.set(f.who, clusterOf.get(f.who) ?? id);
      expect(id).toBe(clusterOf.get(f.who));
    }
    const ms = performance.now() - t0;
    expect(index.size).toBe(500);
    // A figure for the report, not an assertion about speed.
    console.log(`clustered 10000 faces into ${index.size} clusters in ${Math.round(ms)} ms`);
  });
});
