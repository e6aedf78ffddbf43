import { useEffect } from 'react';
import { isControlTarget, isTypingTarget, shortcutFor, type Shortcut } from '../lib/shortcuts';
import { useLibrary } from '../stores/library';
import { useReview } from '../stores/review';
import { useSelection } from '../stores/selection';
import { allowed, useSession } from '../stores/session';
import { useUi } from '../stores/ui';
import { addSelectionToTarget } from './collection-actions';
import { flagSelection, labelSelection, openLoupe, rateSelection, redo, step, undo } from './actions';

function run(s: Shortcut, focusSearch: () => void): boolean {
  const ui = useUi.getState();
  const ids = useLibrary.getState().ids;
  const sel = useSelection.getState();
  const review = useReview.getState();
  // Keys for what the user's role may not do are left alone (the server would refuse them).
  const me = useSession.getState().me;
  const edits =
    s.kind === 'rate' || s.kind === 'label' || s.kind === 'flag' || s.kind === 'undo' || s.kind === 'redo';
  if (edits && !allowed(me, 'assets.edit')) return false;
  if (s.kind === 'add-to-target' && !allowed(me, 'collections.addAssets')) return false;
  if (s.kind === 'crop' && !allowed(me, 'assets.setCrop')) return false;
  if (s.kind === 'review' && !allowed(me, 'assets.transition', { ids: [1], action: 'approve' })) return false;
  if (s.kind === 'review') {
    if (review.open) review.close();
    else {
      ui.set({ loupeOpen: false, settingsOpen: false, compare: null });
      void review.start();
    }
    return true;
  }
  // Review mode and the compare view own the keyboard (their keys are handled where they are shown).
  if (review.open || ui.compare || ui.peopleOpen) return false;
  if (ui.settingsOpen) {
    if (s.kind !== 'escape') return false;
    ui.set({ settingsOpen: false });
    return true;
  }
  switch (s.kind) {
    case 'focus-search':
      if (ui.loupeOpen) ui.set({ loupeOpen: false });
      focusSearch();
      return true;
    case 'settings':
      ui.set({ settingsOpen: true });
      return true;
    case 'select-all':
      if (ui.loupeOpen) return false;
      sel.selectAll(ids);
      return true;
    case 'undo':
      void undo();
      return true;
    case 'redo':
      void redo();
      return true;
    case 'move': {
      if (ui.loupeOpen) {
        // Up/down have no meaning in a single-image view; left/right step through the list.
        if (s.dx === 0) return false;
        step(s.dx);
        return true;
      }
      const at = sel.focus === null ? -1 : ids.indexOf(sel.focus);
      const next = at < 0 ? 0 : at + s.dx + s.dy * ui.columns;
      // Up from the first row or down from the last stays put rather than wrapping.
      if (s.dy !== 0 && (next < 0 || next >= ids.length)) return true;
      sel.moveTo(ids, next, s.extend);
      return true;
    }
    case 'jump':
      if (ui.loupeOpen) step(s.to === 'start' ? -ids.length : ids.length);
      else sel.moveTo(ids, s.to === 'start' ? 0 : ids.length - 1, s.extend);
      return true;
    case 'open':
      if (ui.loupeOpen) ui.set({ loupeOpen: false });
      else openLoupe();
      return true;
    case 'escape':
      if (ui.loupeOpen) ui.set({ loupeOpen: false });
      else if (ui.problemsOpen) ui.set({ problemsOpen: false });
      else sel.clear();
      return true;
    case 'zoom':
      return false; // the loupe handles its own zoom key
    case 'rate':
      void rateSelection(s.rating);
      return true;
    case 'label':
      void labelSelection(s.label);
      return true;
    case 'flag':
      void flagSelection(s.flag);
      return true;
    case 'add-to-target':
      addSelectionToTarget();
      return true;
    case 'crop':
      // Opens the loupe on the focused picture with the crop editor (the loupe shows it).
      if (!ui.loupeOpen) openLoupe();
      if (useUi.getState().loupeOpen) ui.set({ loupeCrop: true });
      return true;
  }
}

/** The keyboard commands of the library and the loupe, kept out of the way of typing. */
export function useShortcuts(focusSearch: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const s = shortcutFor(e, { typing: isTypingTarget(e.target), onControl: isControlTarget(e.target) });
      if (s && run(s, focusSearch)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [focusSearch]);
}
