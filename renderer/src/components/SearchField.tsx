import { forwardRef, useEffect, useRef, useState } from 'react';
import { useLibrary } from '../stores/library';
import { Icon } from './Icon';

const DEBOUNCE_MS = 120;

/**
 * Results follow typing (after a short pause). The field shows the store's query when something
 * else changes it (a facet, a saved search), but never overwrites what the user is still typing.
 */
export const SearchField = forwardRef<HTMLInputElement>(function SearchField(_, ref) {
  const query = useLibrary((s) => s.query);
  const loading = useLibrary((s) => s.loading);
  const queryError = useLibrary((s) => s.queryError);
  const [text, setText] = useState(query);
  // The query the field last showed or sent. A change from elsewhere is taken in while rendering,
  // not in an effect: an effect ran a frame (or, under load, several) after the facet that made it.
  const [synced, setSynced] = useState(query);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  if (query !== synced) {
    setSynced(query);
    setText(query);
  }
  useEffect(() => () => clearTimeout(timer.current), []);

  const send = (value: string) => {
    clearTimeout(timer.current);
    setSynced(value);
    useLibrary.getState().setQuery(value);
  };

  return (
    <div className={`search${queryError ? ' invalid' : ''}`}>
      <Icon name="search" size={15} className="search-icon" />
      <input
        ref={ref}
        type="search"
        aria-label="Search"
        aria-invalid={queryError !== null}
        aria-describedby={queryError ? 'search-error' : undefined}
        placeholder='Search, e.g. canon 2008, keyword:bus, camera:"EOS 40D"'
        value={text}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => {
          const v = e.target.value;
          setText(v);
          clearTimeout(timer.current);
          // A filter or saved search picked during the pause replaces the text and wins: the
          // typing is not sent after it.
          const before = useLibrary.getState().query;
          timer.current = setTimeout(() => {
            if (useLibrary.getState().query === before) send(v);
          }, DEBOUNCE_MS);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') send(text);
          else if (e.key === 'Escape') {
            if (text) {
              setText('');
              send('');
            } else e.currentTarget.blur();
            e.preventDefault();
          }
        }}
      />
      {loading && <span className="spinner search-spinner" aria-hidden="true" />}
      {text && (
        <button
          type="button"
          className="icon-btn search-clear"
          aria-label="Clear search"
          onClick={() => {
            setText('');
            send('');
          }}
        >
          <Icon name="close" size={13} />
        </button>
      )}
      {queryError && (
        <p id="search-error" className="search-error" role="alert">
          {queryError}
        </p>
      )}
    </div>
  );
});
