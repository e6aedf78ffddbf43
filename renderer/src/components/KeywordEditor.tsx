import { useEffect, useState } from 'react';
import { call } from '../api/client';

/** Keywords shared by the selection as chips; typing suggests keywords already in the catalogue. */
export function KeywordEditor(props: {
  keywords: string[];
  mixed: boolean;
  onAdd(k: string): void;
  onRemove(k: string): void;
}) {
  const [text, setText] = useState('');
  const [suggestions, setSuggestions] = useState<string[]>([]);
  useEffect(() => {
    if (!text.trim()) return setSuggestions([]);
    let live = true;
    void call('keywords.suggest', { prefix: text.trim(), limit: 8 }).then((s) => live && setSuggestions(s));
    return () => {
      live = false;
    };
  }, [text]);
  const add = (k: string) => {
    if (!k.trim()) return;
    props.onAdd(k.trim());
    setText('');
  };
  return (
    <div className="keywords">
      <ul className="chips" aria-label="Keywords">
        {props.keywords.map((k) => (
          <li key={k} className="chip">
            {k}
            <button aria-label={`Remove keyword ${k}`} onClick={() => props.onRemove(k)}>
              ×
            </button>
          </li>
        ))}
        {props.mixed && <li className="chip muted">+ others on some</li>}
      </ul>
      <input
        aria-label="Add keyword"
        placeholder="Add keyword…"
        value={text}
        list="keyword-suggestions"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') add(text);
          e.stopPropagation();
        }}
      />
      <datalist id="keyword-suggestions">
        {suggestions.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
    </div>
  );
}
