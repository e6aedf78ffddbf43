import { useEffect, useState } from 'react';
import type { Asset } from '../../../shared/model';
import type { EditPatch, Label } from '../../../shared/contract';
import { LABELS } from '../../../shared/contract';
import { KeywordEditor } from './KeywordEditor';
import { MetadataPanel } from './MetadataPanel';

function common<T>(assets: Asset[], pick: (a: Asset) => T): T | undefined {
  const first = assets[0] ? pick(assets[0]) : undefined;
  return assets.every((a) => pick(a) === first) ? first : undefined;
}

/** Edits one asset or the whole selection at once. */
export function Inspector(props: { assets: Asset[]; onEdit(patch: EditPatch, label: string): void }) {
  const { assets, onEdit } = props;
  const single = assets.length === 1 ? assets[0] : undefined;
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  useEffect(() => {
    setTitle(single?.title ?? '');
    setDescription(single?.description ?? '');
  }, [single?.id, single?.title, single?.description]);

  if (assets.length === 0)
    return <aside className="inspector empty">Select assets to see and edit their details.</aside>;
  const rating = common(assets, (a) => a.rating ?? 0);
  const label = common(assets, (a) => a.label);
  const flag = common(assets, (a) => a.flag);
  const allKeywords = assets.map((a) => a.keywords);
  const shared = (allKeywords[0] ?? []).filter((k) => allKeywords.every((list) => list.includes(k)));
  const mixed = allKeywords.some((list) => list.length !== shared.length);

  return (
    <aside className="inspector" aria-label="Details">
      <h2>{single ? single.name : `${assets.length} selected`}</h2>
      <div className="field">
        <span className="field-label">Rating</span>
        <div className="stars" role="radiogroup" aria-label="Rating">
          {[1, 2, 3, 4, 5].map((n) => (
            <button
              key={n}
              role="radio"
              aria-checked={rating === n}
              aria-label={`${n} stars`}
              className={rating !== undefined && n <= rating ? 'on' : ''}
              onClick={() => onEdit({ rating: rating === n ? 0 : n }, `Rate ${n}`)}
            >
              ★
            </button>
          ))}
        </div>
      </div>
      <div className="field">
        <span className="field-label">Label</span>
        <div className="labels">
          {LABELS.map((l: Label) => (
            <button
              key={l}
              aria-label={`${l} label`}
              aria-pressed={label === l}
              className={`label-dot label-${l}${label === l ? ' on' : ''}`}
              onClick={() => onEdit({ label: label === l ? null : l }, `Label ${l}`)}
            />
          ))}
        </div>
      </div>
      <div className="field">
        <span className="field-label">Flag</span>
        <div className="flags">
          <button
            aria-pressed={flag === 'pick'}
            onClick={() => onEdit({ flag: flag === 'pick' ? null : 'pick' }, 'Pick')}
          >
            Pick
          </button>
          <button
            aria-pressed={flag === 'reject'}
            onClick={() => onEdit({ flag: flag === 'reject' ? null : 'reject' }, 'Reject')}
          >
            Reject
          </button>
        </div>
      </div>
      {single && (
        <>
          <label className="field">
            <span className="field-label">Title</span>
            <input
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              onBlur={() => title !== (single.title ?? '') && onEdit({ title }, 'Edit title')}
              onKeyDown={(e) => e.stopPropagation()}
            />
          </label>
          <label className="field">
            <span className="field-label">Description</span>
            <textarea
              rows={3}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              onBlur={() =>
                description !== (single.description ?? '') && onEdit({ description }, 'Edit description')
              }
              onKeyDown={(e) => e.stopPropagation()}
            />
          </label>
        </>
      )}
      <div className="field">
        <span className="field-label">Keywords</span>
        <KeywordEditor
          keywords={shared}
          mixed={mixed}
          onAdd={(k) => onEdit({ keywordsAdd: [k] }, `Add keyword ${k}`)}
          onRemove={(k) => onEdit({ keywordsRemove: [k] }, `Remove keyword ${k}`)}
        />
      </div>
      {single && <MetadataPanel asset={single} />}
    </aside>
  );
}
