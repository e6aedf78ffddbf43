import type { AutoTag, TagDecision } from '../../../shared/auto-tags';
import { wordKey } from '../../../shared/keywords';
import { errorMessage } from '../api/client';
import { plural } from '../lib/format';
import { useLibrary } from '../stores/library';
import { useUi } from '../stores/ui';
import { useUndoStack } from '../stores/undo-stack';

// Accepting and rejecting auto-tags, by mouse or key, for one asset or a selection: one path, so
// the inspector and the loupe report alike, refresh the asset (its keywords) after, and every
// decision can be undone with Ctrl/Cmd+Z like an edit.

/** The auto-tags of the assets shown, by asset id (what the panel listed). */
export type TagsById = ReadonlyMap<number, readonly AutoTag[]>;

const notify = (...args: Parameters<ReturnType<typeof useUi.getState>['notify']>) =>
  useUi.getState().notify(...args);

const quoted = (labels: readonly string[]) => labels.map((l) => `“${l}”`).join(', ');

/**
 * What each label decided on is now, on each asset: the core matches a label in any case and of
 * any kind, so every tag it will touch is remembered, as the undo puts it back.
 */
function priorStates(tagsById: TagsById, byLabel: [string, number[]][]): TagDecision[] {
  const out = new Map<string, TagDecision>();
  for (const [label, ids] of byLabel)
    for (const id of ids)
      for (const t of tagsById.get(id) ?? [])
        if (wordKey(t.label) === wordKey(label))
          out.set(`${id}\u0000${t.kind}\u0000${t.label}`, {
            id,
            kind: t.kind,
            label: t.label,
            state: t.state,
          });
  return [...out.values()];
}

async function decide(
  action: 'accept' | 'reject',
  tagsById: TagsById,
  byLabel: [string, number[]][],
  message: string,
): Promise<boolean> {
  const ids = [...new Set(byLabel.flatMap(([, of]) => of))];
  if (ids.length === 0) return false;
  const prior = priorStates(tagsById, byLabel);
  try {
    await useUndoStack.getState().decideTags(action, byLabel, prior, message);
    notify(message, { undoable: true });
    return true;
  } catch (err) {
    notify(`Could not ${action}: ${errorMessage(err)}`, { tone: 'error' });
    return false;
  } finally {
    useLibrary.getState().markStale(ids);
  }
}

/** The label becomes a keyword of these assets. */
export function acceptTag(tagsById: TagsById, ids: number[], label: string): Promise<boolean> {
  return decide('accept', tagsById, [[label, ids]], `Accepted ${quoted([label])} as a keyword`);
}

/** The label is hidden from these assets and never proposed for them again. */
export function rejectTag(tagsById: TagsById, ids: number[], label: string): Promise<boolean> {
  return decide('reject', tagsById, [[label, ids]], `Rejected ${quoted([label])}: not proposed again`);
}

/**
 * Every proposed tag of every asset listed, accepted: asked per label with the assets where it is
 * proposed, so a tag the user rejected on one asset is not made a keyword there.
 */
export function acceptAllProposed(tagsById: TagsById): Promise<boolean> {
  const byLabel = new Map<string, number[]>();
  for (const [id, tags] of tagsById)
    for (const t of tags) {
      if (t.state !== 'proposed') continue;
      const ids = byLabel.get(t.label) ?? [];
      if (!ids.includes(id)) ids.push(id);
      byLabel.set(t.label, ids);
    }
  if (byLabel.size === 0) {
    notify('Nothing proposed to accept');
    return Promise.resolve(false);
  }
  const items = new Set([...byLabel.values()].flat()).size;
  return decide(
    'accept',
    tagsById,
    [...byLabel],
    `Accepted ${plural(byLabel.size, 'proposed tag')} on ${plural(items, 'item')}`,
  );
}
