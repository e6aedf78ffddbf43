import type { EditPatch, Flag, Label } from '../../../shared/contract';
import { call, errorMessage } from '../api/client';
import { plural } from '../lib/format';
import { useUndoStack } from '../stores/undo-stack';
import { cachedAsset, useLibrary } from '../stores/library';
import { useSelection } from '../stores/selection';
import { useReview } from '../stores/review';
import { useUi } from '../stores/ui';

// What the user does, as functions: components and shortcuts call these, so a rating given by
// key, by click or from the loupe goes through one path (optimistic, recorded for undo, reported).

const notify = (...args: Parameters<ReturnType<typeof useUi.getState>['notify']>) =>
  useUi.getState().notify(...args);

export function selectedIds(): number[] {
  return [...useSelection.getState().selected];
}

export async function editAssets(ids: number[], patch: EditPatch, label: string): Promise<boolean> {
  if (ids.length === 0) {
    notify('Select one or more items first');
    return false;
  }
  const lib = useLibrary.getState();
  lib.patchLocal(ids, patch);
  try {
    await useUndoStack.getState().edit(ids, patch, label);
    notify(`${label} · ${plural(ids.length, 'item')}`, { undoable: true });
    return true;
  } catch (err) {
    lib.markStale(ids);
    notify(`Could not save: ${errorMessage(err)}`, { tone: 'error' });
    return false;
  }
}

export const editSelection = (patch: EditPatch, label: string) => editAssets(selectedIds(), patch, label);

export function rateSelection(rating: number): Promise<boolean> {
  return editSelection({ rating }, rating === 0 ? 'Rating cleared' : `Rated ${'★'.repeat(rating)}`);
}

/** Like Lightroom: giving the label every selected item already has takes it off. */
export function labelSelection(label: Label | null): Promise<boolean> {
  const ids = selectedIds();
  const all = label !== null && ids.every((id) => cachedAsset(id)?.label === label);
  const next = all ? null : label;
  return editAssets(ids, { label: next }, next ? `Label ${next}` : 'Label removed');
}

export function flagSelection(flag: Flag | null): Promise<boolean> {
  const text = flag === 'pick' ? 'Flagged as pick' : flag === 'reject' ? 'Rejected' : 'Flag removed';
  return editSelection({ flag }, text);
}

export async function undo(): Promise<void> {
  try {
    const step = await useUndoStack.getState().undo();
    if (!step) return void notify('Nothing to undo');
    useLibrary.getState().markStale(step.ids);
    if (step.kind === 'decision') useReview.getState().reopened(step.ids);
    notify(`Undone: ${step.label}`);
  } catch (err) {
    notify(`Could not undo: ${errorMessage(err)}`, { tone: 'error' });
  }
}

export async function redo(): Promise<void> {
  try {
    const step = await useUndoStack.getState().redo();
    if (!step) return void notify('Nothing to redo');
    useLibrary.getState().markStale(step.ids);
    notify(`Redone: ${step.label}`);
  } catch (err) {
    notify(`Could not redo: ${errorMessage(err)}`, { tone: 'error' });
  }
}

/** Adds a root and catalogues it; resolves with an error message, or null once the root is added. */
export async function addRoot(path: string): Promise<string | null> {
  const lib = useLibrary.getState();
  try {
    const root = await call('roots.add', { path: path.trim() });
    await lib.loadRoots();
    // Up while the first scan runs, then replaced by what it found: a message saying the work is
    // still going must not outlive it.
    const toast = notify(`Added ${root.name}: cataloguing…`, { sticky: true });
    const settle = useUi.getState().settle;
    // The scan resolves only when every file is processed; the grid fills from change events
    // long before that, so nothing waits on it.
    call('scan', { rootIds: [root.id] })
      .then(async (summary) => {
        await Promise.all([lib.loadRoots(), lib.refresh(), lib.refreshFolders()]);
        const problems = summary.errors ? `, ${plural(summary.errors, 'problem')}` : '';
        settle(toast, `${root.name} is catalogued: ${plural(summary.files, 'file')}${problems}`);
      })
      .catch((err: unknown) =>
        settle(toast, `Scan of ${root.name} failed: ${errorMessage(err)}`, { tone: 'error' }),
      );
    return null;
  } catch (err) {
    return errorMessage(err);
  }
}

export async function removeRoot(id: number, name: string): Promise<void> {
  const lib = useLibrary.getState();
  try {
    await call('roots.remove', { id });
    useUndoStack.getState().clear();
    await Promise.all([lib.loadRoots(), lib.refresh()]);
    notify(`Removed ${name} from the catalogue (its files are untouched)`);
  } catch (err) {
    notify(`Could not remove ${name}: ${errorMessage(err)}`, { tone: 'error' });
  }
}

export async function rescan(rootId: number): Promise<void> {
  const lib = useLibrary.getState();
  try {
    await call('scan', { rootIds: [rootId] });
    await Promise.all([lib.loadRoots(), lib.refresh(), lib.refreshFolders()]);
  } catch (err) {
    notify(`Scan failed: ${errorMessage(err)}`, { tone: 'error' });
  }
}

export function openLoupe(): void {
  const { focus, selected } = useSelection.getState();
  if (focus === null && selected.size === 0) return;
  if (focus === null) {
    const ids = useLibrary.getState().ids;
    const first = ids.findIndex((id) => selected.has(id));
    if (first >= 0) useSelection.getState().click(ids, first);
  }
  useUi.getState().set({ loupeOpen: true });
}

/** Next or previous asset in the loupe: it becomes the selection, as in the grid. */
export function step(delta: number): void {
  const ids = useLibrary.getState().ids;
  const { focus, click } = useSelection.getState();
  const at = focus === null ? -1 : ids.indexOf(focus);
  const next = Math.max(0, Math.min(ids.length - 1, at + delta));
  if (next !== at) click(ids, next);
}
