import type { Page } from 'playwright-core';

/**
 * WCAG 2.5.3 "Label in Name" over what the page shows now: every visible control whose
 * accessible name is set by aria-label must contain the text its label or its own face shows,
 * so a person using speech ("click Comment") reaches what they see. Returns the faults, one line
 * each ("textarea shows "Comment (optional)" but is named "Approval comment"").
 */
export function labelInNameFaults(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
    const shown = (el: Element) =>
      el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    /** A label's own words, without the controls inside it (a select's options are not its label). */
    const labelText = (label: HTMLLabelElement) => {
      const copy = label.cloneNode(true) as HTMLElement;
      copy
        .querySelectorAll('input, select, textarea, button, [aria-hidden="true"]')
        .forEach((n) => n.remove());
      return copy.textContent;
    };
    const faults: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('[aria-label]')) {
      if (!shown(el)) continue;
      const name = norm(el.getAttribute('aria-label'));
      let visible = '';
      const labels = (el as HTMLInputElement).labels;
      if (labels && labels.length > 0) visible = [...labels].map(labelText).join(' ');
      else if (el.matches('button, a[href], [role=button], [role=tab], [role=option], [role=menuitem]'))
        visible = el.innerText;
      const v = norm(visible);
      if (v && !name.includes(v))
        faults.push(`${el.tagName.toLowerCase()} shows "${v}" but is named "${name}"`);
    }
    return faults;
  });
}
