import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../electron/core/api';
import { readFields } from '../../electron/core/governance/field-store';
import type { EditPatch } from '../../shared/contract';
import { makeImage } from '../fixtures/make-fixtures';
import { tempDir } from '../helpers/corpus';
import { freshLibrary } from '../helpers/library';

/**
 * The library's edit (assets.edit: the grid, the loupe, the keyboard) and the governed edit
 * (assets.setFields: the rights panel, dam set) are one write path: the same patch leaves the same
 * values, whichever way it came, and clearing a field means the same thing in both.
 */
describe('one write path for user-edited fields', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let root: string;
  let ids: Record<'viaEdit' | 'viaFields', number>;

  beforeAll(async () => {
    ctx = freshLibrary();
    root = tempDir('dam-write-path-');
    for (const [name, w] of [
      ['via-edit.jpg', 320],
      ['via-fields.jpg', 300],
    ] as const) {
      const file = await makeImage(root, name, 'jpeg', w, 200);
      execFileSync('exiftool', [
        '-q',
        '-overwrite_original',
        '-XMP-dc:Title=Harbour at dawn',
        '-XMP-dc:Subject=Boat',
        '-XMP-dc:Subject=harbour',
        '-XMP-xmp:Rating=3',
        file,
      ]);
    }
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    const find = (name: string) => ctx.lib.search(`name:${name}`).items[0]!.id;
    ids = { viaEdit: find('via-edit'), viaFields: find('via-fields') };
  });
  afterAll(async () => {
    await ctx.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const shown = (id: number) => {
    const a = ctx.lib.asset(id)!;
    return { title: a.title, rating: a.rating, keywords: a.keywords };
  };

  it('the file’s own values show until edited', () => {
    for (const id of Object.values(ids))
      expect(shown(id)).toEqual({ title: 'Harbour at dawn', rating: 3, keywords: ['Boat', 'harbour'] });
  });

  it('gives the same result through either operation, clearing included, and undoes alike', async () => {
    const h = createHandlers(ctx.lib);
    const patch: EditPatch = {
      title: null,
      rating: null,
      keywordsAdd: ['boat', 'Sea'],
      keywordsRemove: ['HARBOUR'],
    };
    const edit = await h['assets.edit']({ ids: [ids.viaEdit], patch });
    const fields = await h['assets.setFields']({ ids: [ids.viaFields], patch });
    // Cleared is cleared: the file's title and rating stay hidden, whichever way the edit came.
    // (A cleared rating reads 0, "no stars", where the file has one of its own.)
    const expected = { title: null, rating: 0, keywords: ['Boat', 'Sea'] };
    expect(shown(ids.viaEdit)).toEqual(expected);
    expect(shown(ids.viaFields)).toEqual(expected);
    expect(readFields(ctx.lib.db, ids.viaEdit)).toEqual(readFields(ctx.lib.db, ids.viaFields));
    expect(ctx.lib.searchIds('harbour at dawn')).toEqual([]);
    expect(ctx.lib.searchIds('is:rated')).toEqual([]);
    // Both are in the field-change log.
    for (const id of Object.values(ids)) {
      const logged = (await h['assets.history']({ id }))
        .filter((e) => e.kind === 'change')
        .map((e) => (e as { field: string }).field);
      expect(logged.sort()).toEqual(['keywords', 'rating', 'title']);
    }
    // What each answered puts the file's values back.
    expect(edit.previous).toEqual(fields.previous.map((p) => ({ ...p, id: ids.viaEdit })));
    await h['assets.editEach']({ edits: edit.previous });
    await h['assets.setFieldsEach']({ edits: fields.previous });
    for (const id of Object.values(ids))
      expect(shown(id)).toEqual({ title: 'Harbour at dawn', rating: 3, keywords: ['Boat', 'harbour'] });
  });
});
