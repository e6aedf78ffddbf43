import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Library } from '../../electron/core/library';
import { setFields, timeline, transition } from '../../electron/core/governance/set-fields';
import { cameraFile } from '../helpers/camera';
import { tempDir } from '../helpers/corpus';
import { freshLibrary, waitFor } from '../helpers/library';

// Two machines, one shared folder, no server: each has its own catalogue (its own data folder) and
// watches the folder; the XMP sidecars are all they share.
describe('two catalogues sharing one folder', () => {
  let shared: string;
  let north: ReturnType<typeof freshLibrary>;
  let south: ReturnType<typeof freshLibrary>;
  let photo: string;
  let idA: number;
  let idB: number;

  beforeAll(async () => {
    shared = tempDir('dam-shared-');
    photo = path.join(shared, 'bus.jpg');
    fs.copyFileSync(cameraFile('jpg/Canon_40D.jpg'), photo);
    north = freshLibrary();
    south = freshLibrary();
    north.lib.governance.actor = { user: 'alice', machine: 'north' };
    south.lib.governance.actor = { user: 'bob', machine: 'south' };
    for (const { lib } of [north, south]) {
      lib.addRoot(shared);
      await lib.startWatching();
    }
    const processed = (lib: Library) => {
      const a = lib.findAsset(photo);
      return a?.contentHash ? a : undefined;
    };
    idA = (await waitFor(() => processed(north.lib), 30_000, 'north to catalogue the photo')).id;
    idB = (await waitFor(() => processed(south.lib), 30_000, 'south to catalogue the photo')).id;
  });
  afterAll(async () => {
    await north?.dispose();
    await south?.dispose();
    fs.rmSync(shared, { recursive: true, force: true });
  });

  const A = () => north.lib.asset(idA)!;
  const B = () => south.lib.asset(idB)!;
  const conflicts = (lib: Library, id: number, field: string) =>
    timeline(lib, id).filter(
      (e) => e.kind === 'change' && e.source === 'merge-conflict' && e.field === field,
    );

  it('one approves and sets the credit; the other sees it', async () => {
    await setFields(north.lib, idA, { credit: 'North Studio / Agency', licenseType: 'royalty-free' });
    await transition(north.lib, idA, 'submit');
    await transition(north.lib, idA, 'approve', 'cleared for web');
    expect(fs.existsSync(path.join(shared, 'bus.xmp'))).toBe(true);

    const seen = await waitFor(
      () => B().approval.state === 'approved' && B().credit === 'North Studio / Agency' && B(),
      30_000,
      'south to see the approval and the credit',
    );
    expect(seen.approval).toMatchObject({ by: 'alice', machine: 'north', comment: 'cleared for web' });
    expect(seen.rights.licenseType).toBe('royalty-free');
    const steps = timeline(south.lib, idB).filter((e) => e.kind === 'approval');
    expect(
      steps.map((e) => (e.kind === 'approval' ? `${e.from}→${e.to} ${e.actor}@${e.machine}` : '')),
    ).toEqual(['draft→in-review alice@north', 'in-review→approved alice@north']);
    expect(south.lib.search('approval:approved').items.map((a) => a.id)).toEqual([idB]);
  });

  it('the other edits keywords; the first sees them', async () => {
    await setFields(south.lib, idB, { keywordsAdd: ['bus', 'dusk'] });
    await waitFor(() => A().keywords.includes('dusk') && A(), 30_000, 'north to see the keywords');
    expect(A().keywords).toEqual(B().keywords);
    // Nothing else moved on the way.
    expect(A().approval.state).toBe('approved');
    expect(A().credit).toBe('North Studio / Agency');
  });

  it('simultaneous edits of different fields both survive', async () => {
    await Promise.all([
      setFields(north.lib, idA, { title: 'Red bus at dusk' }),
      setFields(south.lib, idB, { usageTerms: 'Web and social only' }),
    ]);
    const done = (lib: Library, id: number) => {
      const a = lib.asset(id)!;
      return a.title === 'Red bus at dusk' && a.rights.usageTerms === 'Web and social only' && a;
    };
    await waitFor(() => done(north.lib, idA), 30_000, 'north to have both edits');
    await waitFor(() => done(south.lib, idB), 30_000, 'south to have both edits');
    expect(conflicts(north.lib, idA, 'title')).toHaveLength(0);
    expect(conflicts(south.lib, idB, 'usageTerms')).toHaveLength(0);
  });

  it('the same field edited on both sides keeps one value and one history entry', async () => {
    await Promise.all([
      setFields(north.lib, idA, { credit: 'Credit from north' }),
      setFields(south.lib, idB, { credit: 'Credit from south' }),
    ]);
    const settled = () => {
      const a = A().credit;
      return (
        a === B().credit &&
        conflicts(north.lib, idA, 'credit').length === 1 &&
        conflicts(south.lib, idB, 'credit').length === 1 &&
        a
      );
    };
    const kept = await waitFor(settled, 30_000, 'both catalogues to agree on the credit');
    // Let any late watch events arrive: still one value, still exactly one entry on each side.
    await new Promise((r) => setTimeout(r, 4000));
    await Promise.all([north.lib.governance.flush(), south.lib.governance.flush()]);
    expect(A().credit).toBe(kept);
    expect(B().credit).toBe(kept);
    for (const [lib, id] of [
      [north.lib, idA],
      [south.lib, idB],
    ] as const) {
      const c = conflicts(lib, id, 'credit');
      expect(c).toHaveLength(1);
      const entry = c[0]!;
      if (entry.kind !== 'change') throw new Error('not a change');
      expect([entry.oldValue, entry.newValue].sort()).toEqual(['Credit from north', 'Credit from south']);
      expect(entry.newValue).toBe(kept);
    }
    const sidecar = fs.readFileSync(path.join(shared, 'bus.xmp'), 'utf8');
    expect(sidecar).toContain(`<photoshop:Credit>${kept}</photoshop:Credit>`);
    // The original is never rewritten.
    expect(fs.readFileSync(photo).equals(fs.readFileSync(cameraFile('jpg/Canon_40D.jpg')))).toBe(true);
  });
});
