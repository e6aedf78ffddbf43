import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceAutoTags } from '../../electron/core/catalog/auto-tags.repository';
import { editAssetsRecorded } from '../../electron/core/governance/set-fields';
import { tempDir } from '../helpers/corpus';
import { freshLibrary } from '../helpers/library';

/** dc:subject and lr:hierarchicalSubject of a sidecar, as exiftool (and so Lightroom, digiKam) reads them. */
function subjects(file: string): { subject: string[]; hierarchy: string[] } {
  const [t] = JSON.parse(
    execFileSync('exiftool', ['-j', '-XMP-dc:Subject', '-XMP-lr:HierarchicalSubject', file]).toString(),
  ) as { Subject?: string | string[]; HierarchicalSubject?: string | string[] }[];
  const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  return { subject: list(t!.Subject).sort(), hierarchy: list(t!.HierarchicalSubject).sort() };
}

/** A face descriptor: the same seed is the same person (cosine 1), another seed someone else. */
const descriptor = (seed: number) => new Float32Array(1024).map((_, i) => Math.sin(i * seed + seed));

// Naming a person (and accepting a face) makes the name a keyword of each picture the person is in:
// dc:subject "Ana" and lr:hierarchicalSubject "People|Ana"; a name that leaves a picture leaves its keywords.
describe('people names as keywords (People|Name)', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let root: string;
  const ids: Record<string, number> = {};
  const keywords = (name: string) => ctx.lib.assets([ids[name]!])[0]!.keywords;
  const sidecar = (name: string) => path.join(root, name.replace(/\.jpg$/, '.xmp'));
  const detect = (name: string, seed: number) => {
    const id = ids[name]!;
    ctx.lib.db.transaction(() =>
      ctx.lib.people.storeDetected(
        id,
        ctx.lib.assets([id])[0]!.fileId,
        [{ box: { x: 0.3, y: 0.2, w: 0.3, h: 0.4 }, score: 0.9, descriptor: descriptor(seed) }],
        'blazeface+faceres',
      ),
    )();
    return ctx.lib.faces({ assetId: id })[0]!;
  };

  beforeAll(async () => {
    ctx = freshLibrary();
    root = tempDir('dam-people-kw-');
    const names = ['one.jpg', 'two.jpg', 'three.jpg'];
    await Promise.all(
      names.map((n) =>
        sharp({ create: { width: 96, height: 64, channels: 3, background: '#987' } })
          .jpeg()
          .toFile(path.join(root, n)),
      ),
    );
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    for (const n of names) ids[n] = ctx.lib.findAsset(path.join(root, n))!.id;
  });
  afterAll(async () => {
    await ctx.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('naming a cluster makes the name a keyword of each of its pictures, filed under People', async () => {
    const a = detect('one.jpg', 3);
    const b = detect('two.jpg', 3);
    expect(b.personId).toBe(a.personId);
    expect(keywords('one.jpg')).toEqual([]);
    ctx.lib.people.name(a.personId!, 'Ana');
    await ctx.lib.governance.flush();
    for (const n of ['one.jpg', 'two.jpg']) {
      expect(keywords(n), n).toEqual(['Ana']);
      expect(subjects(sidecar(n)), n).toEqual({ subject: ['Ana'], hierarchy: ['People|Ana'] });
    }
    // Through the change log, as any keyword edit.
    const changes = ctx.lib.db
      .prepare(`SELECT field, new_value FROM change_log WHERE asset_id = ? AND field = 'keywords'`)
      .all(ids['one.jpg']!) as { field: string; new_value: string }[];
    expect(changes.map((c) => JSON.parse(c.new_value) as unknown)).toEqual([['Ana']]);
    // A rename replaces the keyword; a keyword the user typed stays.
    editAssetsRecorded(ctx.lib, [{ id: ids['one.jpg']!, patch: { keywordsAdd: ['beach'] } }]);
    ctx.lib.people.name(a.personId!, 'Ana Lima');
    await ctx.lib.governance.flush();
    expect(keywords('one.jpg').sort()).toEqual(['Ana Lima', 'beach']);
    expect(subjects(sidecar('one.jpg'))).toEqual({
      subject: ['Ana Lima', 'beach'],
      hierarchy: ['People|Ana Lima'],
    });
  });

  it('merging takes the kept name to the merged pictures; removing a face takes the name away', async () => {
    const c = detect('three.jpg', 11);
    ctx.lib.people.name(c.personId!, 'Cy');
    expect(keywords('three.jpg')).toEqual(['Cy']);
    const ana = ctx.lib.people.list().find((p) => p.name === 'Ana Lima')!;
    ctx.lib.people.merge(ana.id, c.personId!);
    await ctx.lib.governance.flush();
    expect(keywords('three.jpg')).toEqual(['Ana Lima']);
    expect(subjects(sidecar('three.jpg')).hierarchy).toEqual(['People|Ana Lima']);
    ctx.lib.people.removeFace(c.id);
    await ctx.lib.governance.flush();
    expect(keywords('three.jpg')).toEqual([]);
    expect(subjects(sidecar('three.jpg'))).toEqual({ subject: [], hierarchy: [] });
    // Splitting a face out of a named person takes the name off that picture only.
    const two = ctx.lib.faces({ assetId: ids['two.jpg']! })[0]!;
    ctx.lib.people.split(two.id);
    expect(keywords('two.jpg')).toEqual([]);
    expect(keywords('one.jpg')).toContain('Ana Lima');
  });

  it('accepting a face auto-tag adds the names of the people in the picture, not the word "face"', async () => {
    const id = ids['two.jpg']!;
    const face = ctx.lib.faces({ assetId: id })[0]!;
    // The split face is a cluster of its own; put it back under Ana's name as a match would (not user-named).
    ctx.lib.db
      .prepare(`UPDATE faces SET person_id = (SELECT id FROM people WHERE name = 'Ana Lima') WHERE id = ?`)
      .run(face.id);
    replaceAutoTags(ctx.lib.db, id, ctx.lib.assets([id])[0]!.fileId, 'faces', [
      {
        kind: 'face',
        label: 'face',
        confidence: 0.9,
        box: face.box,
        model: 'blazeface+faceres',
        modelVersion: 't',
      },
    ]);
    expect(keywords('two.jpg')).toEqual([]);
    ctx.lib.tagging.accept([id], ['face']);
    await ctx.lib.governance.flush();
    expect(keywords('two.jpg')).toEqual(['Ana Lima']);
    expect(subjects(sidecar('two.jpg'))).toEqual({ subject: ['Ana Lima'], hierarchy: ['People|Ana Lima'] });
  });
});
