import { useEffect, useMemo, useState } from 'react';
import { AUTO_TAG_KINDS, type AutoTag, type AutoTagKind, type AutoTagState } from '../../../shared/auto-tags';
import type { Asset } from '../../../shared/model';
import { call, errorMessage } from '../api/client';
import { acceptAllProposed, acceptTag, rejectTag, type TagsById } from '../app/tag-actions';
import { formatCount } from '../lib/format';
import { useAllowed } from '../stores/session';
import { useUndoStack } from '../stores/undo-stack';
import { Icon } from './Icon';

/** Beyond this many selected, tags are not gathered (one call per asset); the keywords editor still works. */
export const TAGS_SELECTION_LIMIT = 200;

const KIND_TITLES: Record<AutoTagKind, string> = {
  object: 'Objects',
  face: 'Faces',
  text: 'Text',
  color: 'Colours',
};

/** One label of one kind over the assets shown (one asset, or a selection). */
interface TagGroup {
  kind: AutoTagKind;
  label: string;
  /** The highest confidence any of them has. */
  confidence: number;
  /** How many times it was found (a face tag per face). */
  found: number;
  proposed: number[];
  accepted: number[];
  rejected: number[];
}

function groupTags(tagsById: ReadonlyMap<number, readonly AutoTag[]>): TagGroup[] {
  const groups = new Map<string, TagGroup>();
  for (const [id, tags] of tagsById)
    for (const t of tags) {
      const key = `${t.kind}\u0000${t.label}`;
      let g = groups.get(key);
      if (!g) {
        g = {
          kind: t.kind,
          label: t.label,
          confidence: 0,
          found: 0,
          proposed: [],
          accepted: [],
          rejected: [],
        };
        groups.set(key, g);
      }
      g.confidence = Math.max(g.confidence, t.confidence);
      g.found++;
      const list = g[t.state];
      if (!list.includes(id)) list.push(id);
    }
  return [...groups.values()].sort((a, b) => b.confidence - a.confidence || a.label.localeCompare(b.label));
}

/** What a chip shows: proposed while any asset still has it proposed; rejected when none accepted it. */
function stateOf(g: TagGroup): AutoTagState {
  if (g.proposed.length) return 'proposed';
  return g.accepted.length ? 'accepted' : 'rejected';
}

const STATE_WORDS: Record<AutoTagState, string> = {
  proposed: 'proposed',
  accepted: 'accepted, a keyword',
  rejected: 'rejected',
};

function TagChip({ g, tags, total, onDone }: { g: TagGroup; tags: TagsById; total: number; onDone(): void }) {
  const state = stateOf(g);
  const pct = `${Math.round(g.confidence * 100)}%`;
  // Deciding on tags edits keywords: a contributor's (a viewer only reads them).
  const mayDecide = useAllowed('tags.accept');
  const canAccept = mayDecide && g.proposed.length + g.rejected.length > 0;
  const canReject = mayDecide && g.proposed.length > 0;
  const accept = () => void acceptTag(tags, [...g.proposed, ...g.rejected], g.label).then(onDone);
  const reject = () => void rejectTag(tags, g.proposed, g.label).then(onDone);
  const where =
    total > 1
      ? ` on ${formatCount(g.proposed.length + g.accepted.length + g.rejected.length)} of ${formatCount(total)}`
      : '';
  const times = g.found > 1 && total === 1 ? ` ×${g.found}` : '';
  return (
    <li
      className={`auto-tag state-${state}`}
      tabIndex={0}
      data-label={g.label}
      aria-label={`${g.label}${times}, ${pct}, ${STATE_WORDS[state]}${where}`}
      title={`${g.label}: ${pct} confident${where}. Enter or A accepts, Delete or R rejects`}
      aria-keyshortcuts="Enter A Delete R"
      onKeyDown={(e) => {
        if (e.ctrlKey || e.metaKey || e.altKey || e.target !== e.currentTarget) return;
        const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
        if (key === 'Enter' || key === 'a') {
          e.preventDefault();
          if (canAccept) accept();
        } else if (key === 'Delete' || key === 'Backspace' || key === 'r') {
          e.preventDefault();
          if (canReject) reject();
        }
      }}
    >
      {state === 'accepted' && <Icon name="check" size={12} />}
      <span className="auto-tag-label">
        {g.label}
        {times}
      </span>
      <span className="auto-tag-conf">{pct}</span>
      {where && <span className="auto-tag-where">{where.replace(/^ on /, '')}</span>}
      {canAccept && (
        <button
          type="button"
          tabIndex={-1}
          aria-label={`Accept ${g.label}`}
          title="Accept: make it a keyword (A)"
          onClick={accept}
        >
          <Icon name="check" size={12} />
        </button>
      )}
      {canReject && (
        <button
          type="button"
          tabIndex={-1}
          aria-label={`Reject ${g.label}`}
          title="Reject: never propose it again (R)"
          onClick={reject}
        >
          <Icon name="close" size={12} />
        </button>
      )}
    </li>
  );
}

/** Arrow keys move between the chips (and stay out of the grid's own arrow keys). */
function moveFocus(e: React.KeyboardEvent<HTMLElement>): void {
  if (!['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'].includes(e.key)) return;
  const chips = [...e.currentTarget.querySelectorAll<HTMLElement>('li.auto-tag')];
  const at = chips.indexOf(document.activeElement as HTMLElement);
  if (at < 0) return;
  e.preventDefault();
  e.stopPropagation();
  const next =
    e.key === 'Home'
      ? 0
      : e.key === 'End'
        ? chips.length - 1
        : Math.max(
            0,
            Math.min(chips.length - 1, at + (e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 1)),
          );
  chips[next]?.focus();
}

/**
 * Auto-tags found on the device, apart from keywords: grouped by kind, with confidence, proposed
 * ones to accept (they become keywords) or reject (never proposed again), one by one or all at once.
 */
export function AutoTagsPanel({ ids, asset }: { ids: number[]; asset: Asset | undefined }) {
  const [tagsById, setTagsById] = useState<Map<number, AutoTag[]> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const mayDecide = useAllowed('tags.accept');
  const tooMany = ids.length > TAGS_SELECTION_LIMIT;
  const key = ids.join(',');
  // An undo or redo (of a decision here, or of any edit) may change what the tags are.
  const lastStep = useUndoStack((u) => u.past.at(-1));
  const nextStep = useUndoStack((u) => u.future.at(-1));

  // One asset: read again whenever its details change (an accept elsewhere, a new tagging run).
  useEffect(() => {
    if (tooMany || ids.length === 0) return;
    let current = true;
    Promise.all(ids.map(async (id) => [id, await call('tags.list', { id })] as const)).then(
      (rows) => {
        if (!current) return;
        setTagsById(new Map(rows));
        setError(null);
      },
      (err: unknown) => current && setError(errorMessage(err)),
    );
    return () => {
      current = false;
    };
    // `asset` stands for "the single asset's details changed", `key` for the selection, and the
    // undo stack's ends for an undo or redo (which may concern tags of a selection, with no asset).
  }, [key, asset, reload, tooMany, lastStep, nextStep]);

  const groups = useMemo(() => (tagsById ? groupTags(tagsById) : []), [tagsById]);
  const done = () => setReload((n) => n + 1);

  if (tooMany)
    return (
      <p className="muted auto-tags-note">
        Select {formatCount(TAGS_SELECTION_LIMIT)} items or fewer to see and accept their auto-tags.
      </p>
    );
  if (error) return <p className="modal-hint error">Could not read the auto-tags: {error}</p>;
  if (!tagsById) return <p className="muted auto-tags-note">Loading…</p>;
  if (groups.length === 0)
    return (
      <p className="muted auto-tags-note">
        {ids.length === 1
          ? 'No auto-tags: not tagged yet, or nothing found.'
          : 'No auto-tags on these items.'}
      </p>
    );
  const proposed = groups.filter((g) => g.proposed.length > 0).length;
  return (
    <div className="auto-tags" onKeyDown={moveFocus}>
      {AUTO_TAG_KINDS.map((kind) => {
        const of = groups.filter((g) => g.kind === kind);
        if (!of.length) return null;
        return (
          <div key={kind} className="auto-tag-kind">
            <h4 className="auto-tag-kind-title">{KIND_TITLES[kind]}</h4>
            <ul className="auto-tag-list" aria-label={`${KIND_TITLES[kind]} found`}>
              {of.map((g) => (
                <TagChip key={g.label} g={g} tags={tagsById} total={ids.length} onDone={done} />
              ))}
            </ul>
          </div>
        );
      })}
      <div className="auto-tags-foot">
        <span className="muted auto-tags-note">
          {proposed ? `${formatCount(proposed)} proposed` : 'Nothing left to decide'}
        </span>
        {mayDecide && proposed > 0 && (
          <button
            type="button"
            className="btn small"
            onClick={() => void acceptAllProposed(tagsById).then(done)}
          >
            Accept all proposed
          </button>
        )}
      </div>
    </div>
  );
}
