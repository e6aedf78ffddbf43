import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../electron/core/api';
import { replaceAutoTags } from '../../electron/core/catalog/auto-tags.repository';
import { tempDir } from '../helpers/corpus';
import { freshLibrary } from '../helpers/library';

// tags.restore, the undo of an accept or reject in the UI: labels go back to the state they had.
// The tags are stored as an analyser stores them (no model needed to decide on them).
describe('tags.restore puts auto-tag decisions back', () => {
  let root: string;
  let ctx: ReturnType<typeof freshLibrary>;
  let id: number;
  const stateOf = (label: string) => ctx.lib.tagging.tagsOf(id).find((t) => t.label === label)?.state;

  beforeAll(async () => {
    root = tempDir('dam-tags-restore-');
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#36c' } })
      .jpeg()
      .toFile(path.join(root, 'bus.jpg'));
    ctx = freshLibrary();
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    id = ctx.lib.findAsset(path.join(root, 'bus.jpg'))!.id;
    const tag = (label: string) => ({
      kind: 'object' as const,
      label,
      confidence: 0.8,
      box: { x: 0.1, y: 0.1, w: 0.5, h: 0.5 },
      model: 'centernet',
      modelVersion: 'test-1',
    });
    replaceAutoTags(ctx.lib.db, id, null, 'objects', [tag('bus'), tag('car')]);
  });
  afterAll(async () => {
    await ctx?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('takes an accept back to proposed (the keyword is the caller’s), and a reject too', async () => {
    const handlers = createHandlers(ctx.lib);
    ctx.lib.tagging.accept([id], ['bus']);
    ctx.lib.tagging.reject([id], ['car']);
    expect([stateOf('bus'), stateOf('car')]).toEqual(['accepted', 'rejected']);

    const res = await dispatch(handlers, 'tags.restore', {
      decisions: [
        { id, kind: 'object', label: 'bus', state: 'proposed' },
        { id, kind: 'object', label: 'car', state: 'proposed' },
      ],
    });
    expect(res).toEqual({ ok: true, value: { updated: 1 } });
    expect([stateOf('bus'), stateOf('car')]).toEqual(['proposed', 'proposed']);
    // The keyword the accept made stays until the caller removes it.
    expect(ctx.lib.asset(id)!.keywords).toEqual(['bus']);

    // Proposed again means no decision is kept: a new run of the analyser proposes it.
    replaceAutoTags(ctx.lib.db, id, null, 'objects', [
      {
        kind: 'object',
        label: 'car',
        confidence: 0.7,
        box: null,
        model: 'centernet',
        modelVersion: 'test-2',
      },
    ]);
    expect(stateOf('car')).toBe('proposed');

    // A state other than proposed is decided again (redo after undo, or a reject undone to accepted).
    await dispatch(handlers, 'tags.restore', {
      decisions: [{ id, kind: 'object', label: 'car', state: 'rejected' }],
    });
    expect(stateOf('car')).toBe('rejected');
  });

  it('refuses an unknown asset and a state or kind that does not exist', async () => {
    const handlers = createHandlers(ctx.lib);
    const missing = await dispatch(handlers, 'tags.restore', {
      decisions: [{ id: 99_999, kind: 'object', label: 'bus', state: 'proposed' }],
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const bad = await dispatch(handlers, 'tags.restore', {
      decisions: [{ id, kind: 'object', label: 'bus', state: 'maybe' }],
    } as never);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const none = await dispatch(handlers, 'tags.restore', { decisions: [] });
    expect(none).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});
