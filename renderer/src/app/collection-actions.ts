import { errorMessage } from '../api/client';
import { plural } from '../lib/format';
import { useCollections } from '../stores/collections';
import { useLibrary } from '../stores/library';
import { useUi } from '../stores/ui';
import { useUndoStack } from '../stores/undo-stack';
import { selectedIds } from './actions';

const notify = (...args: Parameters<ReturnType<typeof useUi.getState>['notify']>) =>
  useUi.getState().notify(...args);

/** Puts assets into a hand-made collection (undoable); `ids` defaults to the selection. */
export async function addToCollection(collectionId: number, ids: number[] = selectedIds()): Promise<void> {
  const c = useCollections.getState().list.find((x) => x.id === collectionId);
  if (!c) return;
  if (ids.length === 0) return void notify('Select one or more items first');
  if (c.query !== null)
    return void notify(`"${c.name}" is a smart collection: its search decides what is in it`, {
      tone: 'error',
    });
  try {
    const step = await useUndoStack.getState().membership(collectionId, ids, true, `Added to ${c.name}`);
    const n = step?.ids.length ?? 0;
    notify(
      n === 0 ? `Already in ${c.name}` : `Added ${plural(n, 'item')} to ${c.name}`,
      n ? { undoable: true } : {},
    );
    void useCollections.getState().load();
  } catch (err) {
    notify(`Could not add to ${c.name}: ${errorMessage(err)}`, { tone: 'error' });
  }
}

/** B: the selection into the target collection (Lightroom's key for its target collection). */
export function addSelectionToTarget(): void {
  const target = useCollections.getState().target;
  if (target === null)
    return void notify('No target collection yet: make one, or choose one with ◎ in the sidebar');
  void addToCollection(target);
}

/** Takes the selection out of the collection being shown (undoable). */
export async function removeFromCollection(
  collectionId: number,
  ids: number[] = selectedIds(),
): Promise<void> {
  const c = useCollections.getState().list.find((x) => x.id === collectionId);
  if (!c || ids.length === 0) return;
  try {
    const step = await useUndoStack.getState().membership(collectionId, ids, false, `Removed from ${c.name}`);
    notify(`Removed ${plural(step?.ids.length ?? 0, 'item')} from ${c.name}`, { undoable: true });
    useLibrary.getState().markStale(ids);
    void useCollections.getState().load();
  } catch (err) {
    notify(`Could not remove from ${c.name}: ${errorMessage(err)}`, { tone: 'error' });
  }
}
