import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFace } from '../../electron/core/catalog/faces.repository';
import { setFields, transition } from '../../electron/core/governance/set-fields';
import { addDays, todayUtc } from '../../shared/warnings';
import { APPROVAL_STATES, WARNINGS } from '../../shared/governance';
import { makeImage } from '../fixtures/make-fixtures';
import { tempDir } from '../helpers/corpus';
import { freshLibrary } from '../helpers/library';

/**
 * Warnings and approval states are worked out twice by nature (for one asset in TypeScript, for a
 * search filter in SQL); both read the one list in shared/governance.ts and must agree on every
 * value of it: what `warning:X` finds is exactly the assets that `show` says carry X.
 */
describe('one vocabulary for warnings and approval states', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let root: string;

  beforeAll(async () => {
    ctx = freshLibrary();
    root = tempDir('dam-vocab-');
    const names = ['expired', 'soon', 'bare', 'fine', 'broken', 'decided'];
    for (const [i, n] of names.entries()) await makeImage(root, `${n}.jpg`, 'jpeg', 200 + 10 * i, 150);
    fs.writeFileSync(path.join(root, 'broken.xmp'), '<x:xmpmeta><rdf:RDF>not closed');
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    const id = (n: string) => ctx.lib.search(`name:${n}`).items[0]!.id;
    const today = todayUtc();
    await setFields(ctx.lib, id('expired'), {
      credit: 'A',
      licenseType: 'cc-by',
      licenseEnd: addDays(today, -3),
    });
    await setFields(ctx.lib, id('soon'), { licenseType: 'royalty-free', licenseEnd: addDays(today, 5) });
    await setFields(ctx.lib, id('fine'), { credit: 'B', licenseType: 'cc0' });
    await setFields(ctx.lib, id('decided'), { credit: 'C', licenseType: 'cc0' });
    await transition(ctx.lib, id('decided'), 'submit');
    await transition(ctx.lib, id('fine'), 'submit');
    await transition(ctx.lib, id('fine'), 'approve');
    await transition(ctx.lib, id('expired'), 'retire');
    // A face (as read from a file's own regions) and no model release on record: no-model-release.
    const bare = id('bare');
    const fileId = ctx.lib.db
      .prepare(`SELECT file_id FROM asset_search WHERE asset_id = ?`)
      .pluck()
      .get(bare) as number;
    insertFace(ctx.lib.db, {
      assetId: bare,
      fileId,
      box: { x: 0.3, y: 0.2, w: 0.2, h: 0.3 },
      source: 'xmp',
      confidence: null,
      descriptor: null,
      model: null,
      personId: null,
      assigned: 'user',
    });
  });
  afterAll(async () => {
    await ctx.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('finds with warning:X exactly the assets that carry X', () => {
    const all = ctx.lib.assets(ctx.lib.searchIds(''));
    expect(all).toHaveLength(6);
    const seen = new Set<string>();
    for (const w of WARNINGS) {
      const carrying = all.filter((a) => a.warnings.includes(w)).map((a) => a.id);
      carrying.forEach(() => seen.add(w));
      expect(ctx.lib.searchIds(`warning:${w}`).sort(), w).toEqual(carrying.sort());
    }
    // Every warning occurs, so each comparison above could fail.
    expect([...seen].sort()).toEqual([...WARNINGS].sort());
  });

  it('finds with approval:S exactly the assets in state S', () => {
    const all = ctx.lib.assets(ctx.lib.searchIds(''));
    for (const s of APPROVAL_STATES) {
      const inState = all.filter((a) => a.approval.state === s).map((a) => a.id);
      expect(ctx.lib.searchIds(`approval:${s}`).sort(), s).toEqual(inState.sort());
    }
    expect(new Set(all.map((a) => a.approval.state))).toEqual(
      new Set(['draft', 'in-review', 'approved', 'retired']),
    );
  });
});
