import { create } from 'zustand';

export interface Mods {
  /** Shift: extend from the anchor. */
  shift?: boolean;
  /** Ctrl (Cmd on macOS): add or remove one without touching the rest. */
  toggle?: boolean;
}

export interface SelectionState {
  selected: ReadonlySet<number>;
  /** Where a shift-range starts: the last plainly clicked or toggled asset. */
  anchor: number | null;
  /** The asset the keyboard is on (the grid's roving tab stop, the loupe's subject). */
  focus: number | null;
  click(ids: readonly number[], index: number, mods?: Mods): void;
  /** Keyboard movement: like a click, or a shift-click when extending. */
  moveTo(ids: readonly number[], index: number, extend: boolean): void;
  selectAll(ids: readonly number[]): void;
  clear(): void;
  /** After the list changed (a new query): forget what is no longer in it. */
  retain(ids: readonly number[]): void;
}

function range(ids: readonly number[], a: number, b: number): number[] {
  const [from, to] = a <= b ? [a, b] : [b, a];
  return ids.slice(from, to + 1);
}

export const useSelection = create<SelectionState>((set, get) => ({
  selected: new Set(),
  anchor: null,
  focus: null,

  click(ids, index, mods = {}) {
    const id = ids[index];
    if (id === undefined) return;
    const { selected, anchor } = get();
    const from = anchor === null ? -1 : ids.indexOf(anchor);
    if (mods.shift && from >= 0) {
      const next = new Set(mods.toggle ? selected : []);
      for (const x of range(ids, from, index)) next.add(x);
      set({ selected: next, focus: id });
    } else if (mods.toggle) {
      const next = new Set(selected);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      set({ selected: next, anchor: id, focus: id });
    } else {
      set({ selected: new Set([id]), anchor: id, focus: id });
    }
  },

  moveTo(ids, index, extend) {
    if (ids.length === 0) return;
    get().click(ids, Math.max(0, Math.min(ids.length - 1, index)), { shift: extend });
  },

  selectAll(ids) {
    const { focus } = get();
    set({ selected: new Set(ids), anchor: focus ?? ids[0] ?? null, focus: focus ?? ids[0] ?? null });
  },

  clear() {
    set({ selected: new Set(), anchor: null });
  },

  retain(ids) {
    const { selected, anchor, focus } = get();
    if (selected.size === 0 && anchor === null && focus === null) return;
    const present = new Set(ids);
    const kept = [...selected].filter((id) => present.has(id));
    set({
      selected: kept.length === selected.size ? selected : new Set(kept),
      anchor: anchor !== null && present.has(anchor) ? anchor : null,
      focus: focus !== null && present.has(focus) ? focus : null,
    });
  },
}));
