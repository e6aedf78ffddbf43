import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiError, ApiResult, DamApi, EditPatch, OpInput, OpName } from '../../shared/contract';
import type { Asset } from '../../shared/model';

/**
 * TEST DOUBLE, not a bridge: an in-memory DamApi holding a few assets, standing in for the core
 * so that these tests exercise the stores' own logic (selection rules, undo/redo stacks, stale
 * answers, batching). The real bridges run against the real core in test/integration/bridges.test.ts
 * and the real UI against `dam serve` in test/e2e/library.test.ts.
 */
class InMemoryDamApiDouble {
  assets = new Map<number, Asset>();
  calls: { name: string; input: unknown }[] = [];
  /** Per query text: how long 'assets.ids' takes to answer, to stage out-of-order replies. */
  delays = new Map<string, number>();
  /** Approval states (absent: draft) and the assets whose approval is refused, with the reason. */
  states = new Map<number, string>();
  refuse = new Map<number, ApiError>();
  templates = new Map<string, Record<string, unknown>>();
  /** The most ids one 'assets.ids' answers (the core's ID_PAGE_MAX), small to exercise paging. */
  idPage = 100_000;

  constructor(count: number) {
    for (let id = 1; id <= count; id++) this.assets.set(id, asset(id));
  }

  api(): DamApi {
    return {
      call: async <K extends OpName>(name: K, input: OpInput<K>) => {
        this.calls.push({ name, input });
        return { ok: true, value: await this.answer(name, input as never) } as ApiResult<never>;
      },
      on: () => () => undefined,
      mediaUrl: (kind, id) => `/media/${kind}/${id}`,
    };
  }

  private apply(id: number, patch: EditPatch): EditPatch {
    const a = this.assets.get(id)!;
    const previous: EditPatch = {};
    for (const key of Object.keys(patch) as (keyof EditPatch)[]) {
      if (key === 'keywordsAdd' || key === 'keywordsRemove') previous.keywords = [...a.keywords];
      else (previous as Record<string, unknown>)[key] = a[key as keyof Asset];
    }
    let keywords = patch.keywords !== undefined ? (patch.keywords ?? []) : a.keywords;
    keywords = [...keywords, ...(patch.keywordsAdd ?? []).filter((k) => !keywords.includes(k))];
    keywords = keywords.filter((k) => !(patch.keywordsRemove ?? []).includes(k));
    const { keywordsAdd: _a, keywordsRemove: _r, keywords: _k, ...plain } = patch;
    this.assets.set(id, { ...a, ...plain, keywords } as Asset);
    return previous;
  }

  private async answer(name: string, input: Record<string, unknown>): Promise<unknown> {
    switch (name) {
      case 'assets.edit': {
        const { ids, patch } = input as { ids: number[]; patch: EditPatch };
        return { updated: ids.length, previous: ids.map((id) => ({ id, patch: this.apply(id, patch) })) };
      }
      case 'assets.setFields':
      case 'assets.setFieldsEach': {
        // Governed fields kept as plain properties of the double's assets (credit, altText, ...).
        const edits =
          name === 'assets.setFields'
            ? (input.ids as number[]).map((id) => ({ id, patch: input.patch as Record<string, unknown> }))
            : (input.edits as { id: number; patch: Record<string, unknown> }[]);
        const previous = edits.map(({ id, patch }) => {
          const a = this.assets.get(id)! as unknown as Record<string, unknown>;
          const before = Object.fromEntries(Object.keys(patch).map((k) => [k, a[k] ?? null]));
          this.assets.set(id, { ...a, ...patch } as unknown as Asset);
          return { id, patch: before };
        });
        return { updated: edits.length, previous };
      }
      case 'assets.editEach': {
        const { edits } = input as { edits: { id: number; patch: EditPatch }[] };
        return {
          updated: edits.length,
          previous: edits.map((e) => ({ id: e.id, patch: this.apply(e.id, e.patch) })),
        };
      }
      case 'assets.ids': {
        const query = input.query as string;
        const offset = (input.offset as number | undefined) ?? 0;
        const limit = (input.limit as number | undefined) ?? this.idPage;
        const page = (all: number[]) => ({
          ids: all.slice(offset, offset + limit),
          more: all.length > offset + limit,
        });
        if (query === 'approval:in-review')
          return page([...this.states].filter(([, st]) => st === 'in-review').map(([id]) => id));
        await new Promise((r) => setTimeout(r, this.delays.get(query) ?? 0));
        return page([...this.assets.values()].filter((a) => a.name.includes(query)).map((a) => a.id));
      }
      case 'assets.search':
        return { total: 0, totalCapped: false, items: [] };
      case 'assets.transition': {
        const { ids, action } = input as { ids: number[]; action: string };
        const to = { approve: 'approved', reject: 'rejected', 'request-changes': 'changes-requested' }[
          action
        ];
        return ids.map((id) => {
          const error = this.refuse.get(id);
          if (error || !to) return { id, ok: false, state: this.states.get(id) ?? 'draft', error };
          this.states.set(id, to);
          return { id, ok: true, state: to };
        });
      }
      case 'rights.templates.list':
        return [...this.templates].map(([name, fields]) => ({ name, fields, updatedAt: '2026-01-01' }));
      case 'rights.templates.save': {
        const { name, fields } = input as { name: string; fields: Record<string, unknown> };
        this.templates.set(name, fields);
        return { name, fields, updatedAt: '2026-01-01' };
      }
      case 'rights.templates.delete':
        return { removed: this.templates.delete(input.name as string) };
      case 'assets.get':
        return (input.ids as number[]).flatMap((id) => (this.assets.has(id) ? [this.assets.get(id)!] : []));
      default:
        throw new Error(`the test double does not answer ${name}`);
    }
  }
}

/** Only the fields the stores read; the model grows (rights, approval, ...) without this test caring. */
function asset(id: number): Asset {
  const fields = {
    id,
    fileId: id,
    rootId: 1,
    path: `/photos/IMG_${id}.jpg`,
    relPath: `IMG_${id}.jpg`,
    name: `IMG_${id}.jpg`,
    folder: '',
    type: 'image',
    format: 'jpeg',
    state: 'present',
    size: 1000,
    mtime: '2024-01-01T00:00:00Z',
    width: 400,
    height: 300,
    orientation: null,
    captureDate: null,
    make: null,
    model: null,
    lens: null,
    exposureTime: null,
    fNumber: null,
    iso: null,
    focalLength: null,
    durationS: null,
    gps: null,
    title: null,
    description: null,
    keywords: [],
    creator: null,
    copyright: null,
    credit: null,
    rating: null,
    label: null,
    flag: null,
    contentHash: `h${id}`,
    thumbnail: null,
    error: null,
  } satisfies Partial<Asset>;
  return fields as Partial<Asset> as Asset;
}

// The UI picks its bridge on first use: the double goes where the Electron preload puts its API.
const double = new InMemoryDamApiDouble(3000);
(globalThis as unknown as { window: { dam: DamApi } }).window = { dam: double.api() };

const { useSelection } = await import('../../renderer/src/stores/selection');
const { useUndoStack } = await import('../../renderer/src/stores/undo-stack');
const { useLibrary, cachedAsset } = await import('../../renderer/src/stores/library');
const { facetValue, withFacet, withFacets, tokenizeQuery } = await import('../../renderer/src/lib/query');
const { shortcutFor } = await import('../../renderer/src/lib/shortcuts');
const { useReview, nextUndecided } = await import('../../renderer/src/stores/review');
const { useTemplates } = await import('../../renderer/src/stores/templates');
const { summarizeTransitions, summaryText } = await import('../../renderer/src/app/governance-actions');
const { actionsFrom } = await import('../../renderer/src/lib/governance');
const { refusalText } = await import('../../renderer/src/lib/errors');

const sel = () => [...useSelection.getState().selected].sort((a, b) => a - b);

describe('selection store', () => {
  const ids = [10, 11, 12, 13, 14, 15];
  beforeEach(() => useSelection.setState({ selected: new Set(), anchor: null, focus: null }));

  it('a click selects one, ctrl/cmd toggles one, shift extends from the anchor', () => {
    const s = useSelection.getState();
    s.click(ids, 1);
    expect(sel()).toEqual([11]);
    s.click(ids, 3, { toggle: true });
    expect(sel()).toEqual([11, 13]);
    s.click(ids, 3, { toggle: true });
    expect(sel()).toEqual([11]);
    s.click(ids, 1);
    s.click(ids, 4, { shift: true });
    expect(sel()).toEqual([11, 12, 13, 14]);
    // A second shift-click re-draws the range from the same anchor, in either direction.
    s.click(ids, 0, { shift: true });
    expect(sel()).toEqual([10, 11]);
    expect(useSelection.getState().anchor).toBe(11);
    expect(useSelection.getState().focus).toBe(10);
  });

  it('ctrl+shift adds a range to what is selected; shift with no anchor is a plain click', () => {
    const s = useSelection.getState();
    s.click(ids, 4, { shift: true });
    expect(sel()).toEqual([14]);
    s.click(ids, 0);
    s.click(ids, 3, { toggle: true });
    s.click(ids, 5, { shift: true, toggle: true });
    expect(sel()).toEqual([10, 13, 14, 15]);
  });

  it('keyboard moves clamp to the list and extend from the anchor with shift', () => {
    const s = useSelection.getState();
    s.moveTo(ids, 99, false);
    expect(useSelection.getState().focus).toBe(15);
    expect(sel()).toEqual([15]);
    s.moveTo(ids, -3, false);
    expect(sel()).toEqual([10]);
    s.moveTo(ids, 2, true);
    expect(sel()).toEqual([10, 11, 12]);
    expect(useSelection.getState().focus).toBe(12);
  });

  it('select-all takes the whole list; a new list drops what it no longer holds', () => {
    const s = useSelection.getState();
    s.click(ids, 2);
    s.selectAll(ids);
    expect(sel()).toEqual(ids);
    expect(useSelection.getState().focus).toBe(12);
    s.retain([10, 11]);
    expect(sel()).toEqual([10, 11]);
    expect(useSelection.getState().focus).toBeNull();
    s.clear();
    expect(sel()).toEqual([]);
  });
});

describe('history store', () => {
  beforeEach(() => useUndoStack.getState().clear());

  it('undoes and redoes in order; a new edit clears the redo stack', async () => {
    const h = () => useUndoStack.getState();
    await h().edit([1, 2], { rating: 3 }, 'rate 3');
    await h().edit([1], { rating: 5 }, 'rate 5');
    expect(double.assets.get(1)!.rating).toBe(5);
    expect(h().past.map((s) => s.label)).toEqual(['rate 3', 'rate 5']);

    await h().undo();
    expect(double.assets.get(1)!.rating).toBe(3);
    await h().undo();
    expect(double.assets.get(1)!.rating).toBeNull();
    expect(double.assets.get(2)!.rating).toBeNull();
    expect(h().future.map((s) => s.label)).toEqual(['rate 5', 'rate 3']);

    await h().redo();
    expect(double.assets.get(2)!.rating).toBe(3);
    await h().edit([2], { label: 'red' }, 'label');
    expect(h().future).toEqual([]);
    expect(await h().redo()).toBeNull();
    expect(await useUndoStack.getState().undo()).not.toBeNull();
    expect(double.assets.get(2)!.label).toBeNull();
  });

  it('keyword edits on a multi-selection undo per asset, with what each had before', async () => {
    double.assets.set(7, { ...double.assets.get(7)!, keywords: ['bus'] });
    await useUndoStack.getState().edit([6, 7], { keywordsAdd: ['tuscany'] }, 'keyword');
    expect(double.assets.get(6)!.keywords).toEqual(['tuscany']);
    expect(double.assets.get(7)!.keywords).toEqual(['bus', 'tuscany']);
    await useUndoStack.getState().undo();
    expect(double.assets.get(6)!.keywords).toEqual([]);
    expect(double.assets.get(7)!.keywords).toEqual(['bus']);
  });

  it('undoes and redoes rights edits (governed fields) per asset, through setFieldsEach', async () => {
    double.assets.set(11, { ...double.assets.get(11)!, credit: 'Old Agency' });
    const h = () => useUndoStack.getState();
    await h().fields([11, 12], { credit: 'North Studio', altText: 'A bus' }, 'credit');
    expect(double.assets.get(11)!.credit).toBe('North Studio');
    expect(double.assets.get(12)!.altText).toBe('A bus');
    await h().undo();
    expect(double.calls.at(-1)!.name).toBe('assets.setFieldsEach');
    expect(double.assets.get(11)!.credit).toBe('Old Agency');
    expect(double.assets.get(12)!.credit).toBeNull();
    expect(double.assets.get(12)!.altText).toBeNull();
    await h().redo();
    expect(double.calls.at(-1)!.name).toBe('assets.setFields');
    expect(double.assets.get(12)!.credit).toBe('North Studio');
    // Rating edits and rights edits share one stack, undone newest first.
    await h().edit([11], { rating: 2 }, 'rate 2');
    await h().undo();
    expect(double.assets.get(11)!.rating).toBeNull();
    expect(double.assets.get(11)!.credit).toBe('North Studio');
    await h().undo();
    expect(double.assets.get(11)!.credit).toBe('Old Agency');
  });

  it('runs edits and undos in the order they were asked for, even when not awaited', async () => {
    const h = useUndoStack.getState();
    const edit = h.edit([9], { rating: 4 }, 'rate 4');
    const undo = h.undo();
    await Promise.all([edit, undo]);
    expect(double.assets.get(9)!.rating).toBeNull();
    expect(useUndoStack.getState().past).toEqual([]);
  });
});

describe('library store', () => {
  it('keeps the newest query when an older answer arrives late', async () => {
    double.delays.set('IMG_1', 80);
    double.delays.set('IMG_22', 0);
    useLibrary.getState().setQuery('IMG_1');
    useLibrary.getState().setQuery('IMG_22');
    await new Promise((r) => setTimeout(r, 150));
    const { ids, query } = useLibrary.getState();
    expect(query).toBe('IMG_22');
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => double.assets.get(id)!.name.includes('IMG_22'))).toBe(true);
  });

  it('assembles the whole list from bounded pages of ids, the first page shown at once', async () => {
    double.idPage = 7;
    double.calls = [];
    const seen: number[] = [];
    const unsub = useLibrary.subscribe((st) => seen.push(st.ids.length));
    try {
      useLibrary.setState({ query: 'IMG_29' });
      // refresh() resolves once every page is in.
      await useLibrary.getState().refresh(true);
      const all = [...double.assets.values()].filter((a) => a.name.includes('IMG_29')).map((a) => a.id);
      expect(all.length).toBeGreaterThan(20);
      expect(useLibrary.getState().ids).toEqual(all);
      expect(seen).toContain(7);
      const pages = double.calls.filter((c) => c.name === 'assets.ids');
      expect(pages.map((c) => (c.input as { offset?: number }).offset ?? 0)).toEqual(
        Array.from({ length: Math.ceil(all.length / 7) }, (_, i) => i * 7),
      );
    } finally {
      unsub();
      double.idPage = 100_000;
    }
  });

  it('fetches details in batches, once, and again only when marked out of date', async () => {
    double.calls = [];
    const wanted = Array.from({ length: 1000 }, (_, i) => i + 1);
    useLibrary.getState().want(wanted);
    await waitUntil(() => wanted.every((id) => cachedAsset(id)));
    const gets = double.calls.filter((c) => c.name === 'assets.get');
    expect(gets.length).toBeGreaterThan(1);
    expect(gets.every((c) => (c.input as { ids: number[] }).ids.length <= 2000)).toBe(true);

    double.calls = [];
    useLibrary.getState().want(wanted.slice(0, 50));
    await new Promise((r) => setTimeout(r, 20));
    expect(double.calls).toEqual([]);

    double.assets.set(3, { ...double.assets.get(3)!, title: 'changed on the server' });
    useLibrary.getState().markStale([3]);
    await waitUntil(() => cachedAsset(3)?.title === 'changed on the server');
    expect(double.calls.map((c) => (c.input as { ids: number[] }).ids)).toEqual([[3]]);
  });

  it('shows an edit at once, before the server confirms it', () => {
    useLibrary.getState().patchLocal([1], { keywordsAdd: ['dusk'], rating: 2 });
    expect(cachedAsset(1)?.keywords).toContain('dusk');
    expect(cachedAsset(1)?.rating).toBe(2);
  });
});

describe('facets and keys the stores are driven by', () => {
  it('a facet edits its own filter in the query and leaves the rest', () => {
    const q = withFacet('canon -keyword:draft type:raw', 'type', 'video');
    expect(q).toBe('canon -keyword:draft type:video');
    expect(withFacet(q, 'type', null)).toBe('canon -keyword:draft');
    expect(withFacet('bus', 'camera', 'EOS 40D')).toBe('bus camera:"EOS 40D"');
    expect(facetValue('bus camera:"EOS 40D"', 'camera')).toBe('EOS 40D');
    expect(withFacets('x', { root: 'Photos', folder: '2008/05 trip' })).toBe(
      'x root:Photos folder:"2008/05 trip"',
    );
    expect(tokenizeQuery('"red bus" -draft').map((t) => t.raw)).toEqual(['"red bus"', '-draft']);
  });

  it('keys are commands, except while typing', () => {
    const key = (k: string, mods: Partial<{ ctrlKey: boolean; shiftKey: boolean }> = {}) => ({
      key: k,
      ctrlKey: false,
      metaKey: false,
      shiftKey: false,
      altKey: false,
      ...mods,
    });
    const free = { typing: false, onControl: false };
    expect(shortcutFor(key('4'), free)).toEqual({ kind: 'rate', rating: 4 });
    expect(shortcutFor(key('7'), free)).toEqual({ kind: 'label', label: 'yellow' });
    expect(shortcutFor(key('x'), free)).toEqual({ kind: 'flag', flag: 'reject' });
    expect(shortcutFor(key('Z', { ctrlKey: true, shiftKey: true }), free)).toEqual({ kind: 'redo' });
    expect(shortcutFor(key('ArrowDown', { shiftKey: true }), free)).toEqual({
      kind: 'move',
      dx: 0,
      dy: 1,
      extend: true,
    });
    expect(shortcutFor(key('4'), { typing: true, onControl: false })).toBeNull();
    expect(shortcutFor(key('z', { ctrlKey: true }), { typing: true, onControl: false })).toBeNull();
    expect(shortcutFor(key('f', { ctrlKey: true }), { typing: true, onControl: false })).toEqual({
      kind: 'focus-search',
    });
    expect(shortcutFor(key('Enter'), { typing: false, onControl: true })).toBeNull();
    // R is Lightroom's crop key; with Ctrl/Cmd+Shift it stays review mode's.
    expect(shortcutFor(key('r'), free)).toEqual({ kind: 'crop' });
    expect(shortcutFor(key('R', { ctrlKey: true, shiftKey: true }), free)).toEqual({ kind: 'review' });
    expect(shortcutFor(key('r'), { typing: true, onControl: false })).toBeNull();
  });
});

describe('review store', () => {
  it('steps through what is in review and moves on after each decision', async () => {
    for (const id of [11, 12, 13]) double.states.set(id, 'in-review');
    await useReview.getState().start();
    const r = () => useReview.getState();
    expect(r().open).toBe(true);
    expect(r().ids).toEqual([11, 12, 13]);
    expect(r().index).toBe(0);

    await r().decide('approve');
    expect(double.states.get(11)).toBe('approved');
    expect(r().index).toBe(1);
    await r().decide('reject', 'soft focus');
    expect(double.calls.filter((c) => c.name === 'assets.transition').at(-1)!.input).toEqual({
      ids: [12],
      action: 'reject',
      comment: 'soft focus',
    });
    expect(r().index).toBe(2);

    // A refusal stays on the asset, with its reason; stepping back and forth is free.
    const noCredit: ApiError = {
      code: 'refused',
      reason: 'rights-required',
      detail: { missing: ['no-credit'] },
      message: 'cannot approve asset 13: no credit line',
    };
    double.refuse.set(13, noCredit);
    await r().decide('approve');
    expect(r().index).toBe(2);
    expect(r().refused).toEqual({ id: 13, action: 'approve', error: noCredit });
    r().go(-5);
    expect(r().index).toBe(0);
    expect(r().refused).toBeNull();
    r().close();
    expect(r().open).toBe(false);
  });

  it('the next asset to decide skips the decided ones and wraps round', () => {
    const ok = { action: 'approve' as const, state: 'approved' as const, ok: true };
    expect(nextUndecided([1, 2, 3, 4], { 2: ok }, 0)).toBe(2);
    expect(nextUndecided([1, 2, 3, 4], { 2: ok, 4: ok }, 2)).toBe(0);
    expect(nextUndecided([1, 2], { 1: ok, 2: ok }, 1)).toBe(1);
  });
});

describe('rights templates store', () => {
  it('lists, saves (replacing one of the same name) and deletes, kept sorted', async () => {
    const t = () => useTemplates.getState();
    await t().load();
    expect(t().templates).toEqual([]);
    await t().save('North', { credit: 'North Studio' });
    await t().save('Agency', { licenseType: 'royalty-free' });
    await t().save('North', { credit: 'North Studio / Agency' });
    expect(t().templates.map((x) => [x.name, x.fields])).toEqual([
      ['Agency', { licenseType: 'royalty-free' }],
      ['North', { credit: 'North Studio / Agency' }],
    ]);
    await t().remove('Agency');
    expect(t().templates.map((x) => x.name)).toEqual(['North']);
  });
});

describe('approval vocabulary', () => {
  it('offers the actions the workflow allows from each state', () => {
    expect(actionsFrom('draft')).toEqual(['submit', 'retire']);
    expect(actionsFrom('in-review')).toEqual(['approve', 'request-changes', 'reject', 'retire']);
    expect(actionsFrom('retired')).toEqual(['submit']);
  });

  it('words refusals for people by code and reason, and groups a bulk action by reason', () => {
    // The core's sentences are for a terminal; the UI words the reason itself and never reads them.
    const rights = (id: number, missing: ('no-credit' | 'no-license')[]): ApiError => ({
      code: 'refused',
      reason: 'rights-required',
      detail: { missing },
      message: `asset ${id}: not to be read by the UI`,
    });
    const state = (st: 'draft' | 'approved'): ApiError => ({
      code: 'refused',
      reason: 'wrong-state',
      detail: { state: st },
      message: 'not to be read by the UI',
    });
    expect(refusalText(rights(12, ['no-credit', 'no-license']), 'approve')).toBe(
      'Cannot approve: no credit line, no licence type (rights are required for approval)',
    );
    expect(refusalText(state('draft'), 'approve')).toBe(
      'Cannot approve: it is still a draft; submit it for review first',
    );
    expect(
      refusalText(
        {
          code: 'refused',
          reason: 'rights-required',
          detail: { missing: ['expired'], licenseEnd: '2026-01-31' },
          message: '',
        },
        'approve',
      ),
    ).toBe('Cannot approve: the licence ended on 2026-01-31 (rights are required for approval)');
    // A code without a reason of its own shows the core's message as it is.
    expect(refusalText({ code: 'not-found', message: 'no asset 9 in the catalogue' }, 'submit')).toBe(
      'No asset 9 in the catalogue',
    );
    const s = summarizeTransitions('approve', [
      { id: 1, ok: true, state: 'approved' },
      { id: 2, ok: false, state: 'in-review', error: rights(2, ['no-credit']) },
      { id: 3, ok: false, state: 'in-review', error: rights(3, ['no-credit']) },
      { id: 4, ok: false, state: 'approved', error: state('approved') },
    ]);
    expect(s.ok).toBe(1);
    expect(s.refused).toEqual([
      { reason: 'No credit line', ids: [2, 3] },
      { reason: 'It is already approved', ids: [4] },
    ]);
    expect(summaryText(s)).toBe(
      '1 item approved; 2 items refused: No credit line; 1 item refused: It is already approved',
    );
  });
});

async function waitUntil(check: () => unknown, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}
