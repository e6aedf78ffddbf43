import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, DamApi, EditPatch } from '../../shared/contract';

/**
 * A stand-in DamApi (an in-memory table of patches) for testing the stores' own logic; the real
 * bridges are tested against the real core in test/integration/bridges.test.ts.
 */
const state = new Map<number, EditPatch>();
const standIn: DamApi = {
  async call(name: string, input: unknown) {
    const ok = <T>(value: T) => ({ ok: true, value }) as ApiResult<never>;
    if (name === 'assets.edit') {
      const { ids, patch } = input as { ids: number[]; patch: EditPatch };
      const previous = ids.map((id) => ({
        id,
        patch: Object.fromEntries(
          Object.keys(patch).map((k) => [
            k,
            (state.get(id) as Record<string, unknown> | undefined)?.[k] ?? null,
          ]),
        ),
      }));
      ids.forEach((id) => state.set(id, { ...state.get(id), ...patch }));
      return ok({ updated: ids.length, previous });
    }
    if (name === 'assets.editEach') {
      const { edits } = input as { edits: { id: number; patch: EditPatch }[] };
      edits.forEach((e) => state.set(e.id, { ...state.get(e.id), ...e.patch }));
      return ok({ updated: edits.length, previous: [] });
    }
    throw new Error(`unexpected ${name}`);
  },
  on: () => () => undefined,
  mediaUrl: () => '',
} as DamApi;

let stores: {
  useSelection: typeof import('../../renderer/src/stores/selection').useSelection;
  useHistory: typeof import('../../renderer/src/stores/history').useHistory;
};

beforeAll(async () => {
  (globalThis as unknown as { window: unknown }).window = { dam: standIn };
  stores = {
    useSelection: (await import('../../renderer/src/stores/selection')).useSelection,
    useHistory: (await import('../../renderer/src/stores/history')).useHistory,
  };
});

describe('selection store', () => {
  const ids = [10, 11, 12, 13, 14, 15];
  it('click selects one, ctrl toggles, shift extends from the anchor', () => {
    const s = stores.useSelection.getState();
    s.click(ids, 1, {});
    expect([...stores.useSelection.getState().selected]).toEqual([11]);
    s.click(ids, 3, { toggle: true });
    expect([...stores.useSelection.getState().selected].sort()).toEqual([11, 13]);
    s.click(ids, 3, { toggle: true });
    expect([...stores.useSelection.getState().selected]).toEqual([11]);
    s.click(ids, 1, {});
    s.click(ids, 4, { shift: true });
    expect([...stores.useSelection.getState().selected].sort()).toEqual([11, 12, 13, 14]);
    s.click(ids, 0, { shift: true });
    expect([...stores.useSelection.getState().selected].sort()).toEqual([10, 11]);
  });
  it('select-all and keyboard focus moves clamp to the list', () => {
    const s = stores.useSelection.getState();
    s.selectAll(ids);
    expect(stores.useSelection.getState().selected.size).toBe(6);
    s.moveFocus(ids, 99, false);
    expect(stores.useSelection.getState().focus).toBe(5);
    expect([...stores.useSelection.getState().selected]).toEqual([15]);
    s.moveFocus(ids, -3, false);
    expect(stores.useSelection.getState().focus).toBe(0);
  });
});

describe('history store', () => {
  it('undoes and redoes edits in order, and a new edit clears the redo stack', async () => {
    const h = stores.useHistory.getState();
    await h.edit([1, 2], { rating: 3 }, 'rate 3');
    await stores.useHistory.getState().edit([1], { rating: 5 }, 'rate 5');
    expect(state.get(1)?.rating).toBe(5);
    await stores.useHistory.getState().undo();
    expect(state.get(1)?.rating).toBe(3);
    await stores.useHistory.getState().undo();
    expect(state.get(1)?.rating).toBe(null);
    expect(state.get(2)?.rating).toBe(null);
    await stores.useHistory.getState().redo();
    expect(state.get(2)?.rating).toBe(3);
    await stores.useHistory.getState().edit([2], { label: 'red' }, 'label');
    expect(stores.useHistory.getState().future).toEqual([]);
    expect(await stores.useHistory.getState().redo()).toEqual([]);
  });
});
