import type { Flag, Label } from '../../../shared/contract';

export type Shortcut =
  | { kind: 'focus-search' }
  | { kind: 'select-all' }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'settings' }
  | { kind: 'review' }
  | { kind: 'move'; dx: number; dy: number; extend: boolean }
  | { kind: 'jump'; to: 'start' | 'end'; extend: boolean }
  | { kind: 'open' }
  | { kind: 'escape' }
  | { kind: 'zoom' }
  | { kind: 'rate'; rating: number }
  | { kind: 'label'; label: Label }
  | { kind: 'flag'; flag: Flag | null }
  | { kind: 'add-to-target' }
  | { kind: 'crop' };

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export interface KeyContext {
  /** Focus is in a text field: its keys are the user's text, not commands. */
  typing: boolean;
  /** Focus is on a button or similar: Enter and Space belong to it. */
  onControl: boolean;
}

/** Lightroom's keys: 6-9 are the colour labels in this order. */
const LABEL_KEYS: Record<string, Label> = { '6': 'red', '7': 'yellow', '8': 'green', '9': 'blue' };
const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/** The command a key press means, or null to leave the key to the browser. */
export function shortcutFor(e: KeyLike, ctx: KeyContext): Shortcut | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (mod && !e.altKey) {
    if (key === 'f') return { kind: 'focus-search' };
    if (key === ',') return { kind: 'settings' };
    if (key === 'r' && e.shiftKey) return { kind: 'review' };
    // In a text field these are the field's own select-all and undo.
    if (ctx.typing) return null;
    if (key === 'a') return { kind: 'select-all' };
    if (key === 'z') return e.shiftKey ? { kind: 'redo' } : { kind: 'undo' };
    if (key === 'y') return { kind: 'redo' };
    return null;
  }
  if (ctx.typing || mod || e.altKey) return null;
  const arrow = ARROWS[key];
  if (arrow) return { kind: 'move', dx: arrow[0], dy: arrow[1], extend: e.shiftKey };
  if (key === 'Home' || key === 'End')
    return { kind: 'jump', to: key === 'Home' ? 'start' : 'end', extend: e.shiftKey };
  if (key === 'Escape') return { kind: 'escape' };
  if (key === 'Enter' || key === ' ') return ctx.onControl ? null : { kind: 'open' };
  if (e.shiftKey) return null;
  if (/^[0-5]$/.test(key)) return { kind: 'rate', rating: Number(key) };
  const label = LABEL_KEYS[key];
  if (label) return { kind: 'label', label };
  if (key === 'p') return { kind: 'flag', flag: 'pick' };
  if (key === 'x') return { kind: 'flag', flag: 'reject' };
  if (key === 'u') return { kind: 'flag', flag: null };
  if (key === 'z') return { kind: 'zoom' };
  if (key === 'b') return { kind: 'add-to-target' };
  // Lightroom's crop tool key (review mode's R, request changes, is handled by review mode).
  if (key === 'r') return { kind: 'crop' };
  return null;
}

export function isTypingTarget(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement)
    return !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'color'].includes(el.type);
  return false;
}

export function isControlTarget(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  return (
    el.closest(
      'button, a[href], input, select, [role=button], [role=radio], [role=option], [role=menuitem]',
    ) !== null
  );
}
