import { useEffect, useId, useRef, useState } from 'react';
import { editWords, hasWord } from '../../../shared/keywords';
import { call } from '../api/client';
import { Icon } from './Icon';

export interface KeywordEditorProps {
  /** On every selected asset. */
  keywords: string[];
  /** On some of them only (a multi-selection). */
  partial: string[];
  onAdd(keywords: string[]): void;
  onRemove(keyword: string): void;
  /** Shows the keywords only: the user's role may not edit them. */
  readOnly?: boolean;
}

/**
 * Keywords as chips, plus a combobox that suggests keywords already in the catalogue. Enter or a
 * comma adds what is typed (or the highlighted suggestion); several can be pasted at once.
 */
export function KeywordEditor({ keywords, partial, onAdd, onRemove, readOnly }: KeywordEditorProps) {
  const [text, setText] = useState('');
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const listId = useId();
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const prefix = text.trim();
    if (!prefix) {
      setSuggestions([]);
      return;
    }
    let current = true;
    const t = setTimeout(() => {
      call('keywords.suggest', { prefix, limit: 8 })
        .then((s) => {
          if (!current) return; // typed on since: this answer is for an older prefix
          setSuggestions(s.filter((k) => !hasWord(keywords, k)));
          setActive(-1);
        })
        .catch(() => current && setSuggestions([]));
    }, 90);
    return () => {
      current = false;
      clearTimeout(t);
    };
  }, [text, keywords]);

  const commit = (value: string) => {
    const list = value
      .split(',')
      .map((k) => k.trim())
      .filter((k) => k && !hasWord(keywords, k));
    if (list.length) onAdd(editWords([], list));
    setText('');
    setSuggestions([]);
    setOpen(false);
  };

  const showList = open && suggestions.length > 0;
  if (readOnly)
    return (
      <div className="keyword-editor">
        {keywords.length + partial.length === 0 ? (
          <p className="muted">No keywords</p>
        ) : (
          <ul className="chips" aria-label="Keywords">
            {[...keywords, ...partial].map((k) => (
              <li key={k} className={partial.includes(k) ? 'chip partial' : 'chip'}>
                <span>{k}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    );

  return (
    <div className="keyword-editor">
      {(keywords.length > 0 || partial.length > 0) && (
        <ul className="chips" aria-label="Keywords">
          {keywords.map((k) => (
            <li key={k} className="chip">
              <span>{k}</span>
              <button type="button" aria-label={`Remove keyword ${k}`} onClick={() => onRemove(k)}>
                <Icon name="close" size={12} />
              </button>
            </li>
          ))}
          {partial.map((k) => (
            <li key={k} className="chip partial" title="On some of the selected items">
              <button
                type="button"
                className="chip-add"
                aria-label={`Add keyword ${k} to all`}
                onClick={() => onAdd([k])}
              >
                {k}
              </button>
              <button type="button" aria-label={`Remove keyword ${k}`} onClick={() => onRemove(k)}>
                <Icon name="close" size={12} />
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="combobox">
        <input
          ref={input}
          type="text"
          role="combobox"
          aria-label="Add keyword"
          aria-expanded={showList}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={showList && active >= 0 ? `${listId}-${active}` : undefined}
          placeholder="Add keyword…"
          value={text}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => {
            const v = e.target.value;
            if (v.endsWith(',')) commit(v);
            else {
              setText(v);
              setOpen(true);
            }
          }}
          onBlur={() => setOpen(false)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && suggestions.length) {
              setOpen(true);
              setActive((i) => Math.min(suggestions.length - 1, i + 1));
            } else if (e.key === 'ArrowUp' && suggestions.length) {
              setActive((i) => Math.max(-1, i - 1));
            } else if (e.key === 'Enter') {
              commit(showList && active >= 0 ? suggestions[active]! : text);
            } else if (e.key === 'Tab' && showList && active >= 0) {
              setText(suggestions[active]!);
              setOpen(false);
            } else if (e.key === 'Escape' && (showList || text)) {
              if (showList) setOpen(false);
              else setText('');
            } else return;
            e.preventDefault();
            e.stopPropagation();
          }}
        />
        {showList && (
          <ul id={listId} role="listbox" className="suggestions" aria-label="Suggested keywords">
            {suggestions.map((s, i) => (
              <li
                key={s}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : ''}
                // Before the input's blur closes the list.
                onMouseDown={(e) => {
                  e.preventDefault();
                  commit(s);
                }}
              >
                {s}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
