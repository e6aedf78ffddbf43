import type { KeyboardEvent } from 'react';

/**
 * Keeps Tab inside a modal view (the library behind it is inert): from the last focusable element
 * Tab goes to the first, and Shift+Tab from the first to the last.
 */
export function trapTab(e: KeyboardEvent, container: HTMLElement | null, focusable: string): void {
  const items = [...(container?.querySelectorAll<HTMLElement>(focusable) ?? [])];
  const first = items[0];
  const last = items.at(-1);
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last?.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first?.focus();
  }
}
