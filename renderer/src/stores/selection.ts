import { create } from 'zustand';

export interface SelectionState {
  selected: Set<number>;
  anchor: number | null;
  focus: number;
  /** Click on the tile at `index` of `ids`, with the modifier keys held. */
  click(ids: number[], index: number, mods: { shift?: boolean; toggle?: boolean }): void;
  moveFocus(ids: number[], index: number, extend: boolean): void;
  selectAll(ids: number[]): void;
  clear(): void;
}

export const useSelection = create<SelectionState>((set, get) => ({
  selected: new Set(),
  anchor: null,
  focus: 0,
  click(ids, index, mods) {
    const id = ids[index];
    if (id === undefined) return;
    const { selected, anchor } = get();
    if (mods.shift && anchor !== null) {
      const from = ids.indexOf(anchor);
      const [a, b] = from < index ? [from, index] : [index, from];
      const next = mods.toggle ? new Set(selected) : new Set<number>();
      for (let i = Math.max(0, a); i <= b; i++) next.add(ids[i]!);
      set({ selected: next, focus: index });
    } else if (mods.toggle) {
      const next = new Set(selected);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      set({ selected: next, anchor: id, focus: index });
    } else {
      set({ selected: new Set([id]), anchor: id, focus: index });
    }
  },
  moveFocus(ids, index, extend) {
    const clamped = Math.max(0, Math.min(ids.length - 1, index));
    get().click(ids, clamped, { shift: extend });
  },
  selectAll(ids) {
    set({ selected: new Set(ids), anchor: ids[0] ?? null });
  },
  clear() {
    set({ selected: new Set(), anchor: null });
  },
}));
