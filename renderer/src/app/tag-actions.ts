import type { AutoTag } from '../../../shared/auto-tags';
import { call, errorMessage } from '../api/client';
import { plural } from '../lib/format';
import { useLibrary } from '../stores/library';
import { useUi } from '../stores/ui';

// Accepting and rejecting auto-tags, by mouse or key, for one asset or a selection: one path, so
// the inspector and the loupe report alike and refresh the asset (its keywords) after.

const notify = (...args: Parameters<ReturnType<typeof useUi.getState>['notify']>) =>
  useUi.getState().notify(...args);

const quoted = (labels: readonly string[]) => labels.map((l) => `“${l}”`).join(', ');

/** Accepted labels become keywords of these assets. Resolves true when the core took it. */
export async function acceptTags(ids: number[], labels: string[]): Promise<boolean> {
  if (ids.length === 0 || labels.length === 0) return false;
  try {
    await call('tags.accept', { ids, labels });
    useLibrary.getState().markStale(ids);
    notify(`Accepted ${quoted(labels)} as ${labels.length === 1 ? 'a keyword' : 'keywords'}`);
    return true;
  } catch (err) {
    notify(`Could not accept: ${errorMessage(err)}`, { tone: 'error' });
    return false;
  }
}

/** Rejected labels are hidden from these assets and never proposed for them again. */
export async function rejectTags(ids: number[], labels: string[]): Promise<boolean> {
  if (ids.length === 0 || labels.length === 0) return false;
  try {
    await call('tags.reject', { ids, labels });
    useLibrary.getState().markStale(ids);
    notify(`Rejected ${quoted(labels)}: not proposed again`);
    return true;
  } catch (err) {
    notify(`Could not reject: ${errorMessage(err)}`, { tone: 'error' });
    return false;
  }
}

/**
 * Every proposed tag of every asset given, accepted. Asked per label, with the assets where that
 * label is proposed: tags.accept matches a label in any state, and a bulk accept must not turn a
 * tag the user rejected on one asset into a keyword.
 */
export async function acceptAllProposed(tagsById: ReadonlyMap<number, readonly AutoTag[]>): Promise<boolean> {
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
    return false;
  }
  const touched = new Set<number>();
  try {
    for (const [label, ids] of byLabel) {
      await call('tags.accept', { ids, labels: [label] });
      ids.forEach((id) => touched.add(id));
    }
    notify(`Accepted ${plural(byLabel.size, 'proposed tag')} on ${plural(touched.size, 'item')}`);
    return true;
  } catch (err) {
    notify(`Could not accept every tag: ${errorMessage(err)}`, { tone: 'error' });
    return false;
  } finally {
    if (touched.size) useLibrary.getState().markStale([...touched]);
  }
}
