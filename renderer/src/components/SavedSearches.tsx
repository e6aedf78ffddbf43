import { useState } from 'react';
import { useLibrary } from '../stores/library';
import { useSettings } from '../stores/settings';
import { Icon } from './Icon';

/** Named queries, kept in this browser's storage (a query is just text, so nothing else is needed). */
export function SavedSearches() {
  const saved = useSettings((s) => s.savedSearches);
  const { saveSearch, removeSearch } = useSettings.getState();
  const query = useLibrary((s) => s.query);
  const setQuery = useLibrary.getState().setQuery;
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const alreadySaved = saved.some((s) => s.query === query);

  return (
    <section className="side-section" aria-labelledby="saved-title">
      <div className="side-head">
        <h2 id="saved-title" className="section-title">
          Saved searches
        </h2>
        {query.trim() && !alreadySaved && !naming && (
          <button
            type="button"
            className="icon-btn"
            aria-label="Save current search"
            title="Save current search"
            onClick={() => {
              setName(query.length > 32 ? `${query.slice(0, 30)}…` : query);
              setNaming(true);
            }}
          >
            <Icon name="plus" size={14} />
          </button>
        )}
      </div>
      {naming && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) saveSearch({ name: name.trim(), query });
            setNaming(false);
          }}
        >
          <input
            type="text"
            aria-label="Name of the saved search"
            value={name}
            autoFocus
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setNaming(false)}
          />
          <button type="submit" className="btn small primary">
            Save
          </button>
        </form>
      )}
      {saved.length === 0 && !naming ? (
        <p className="side-hint">Search, then press + to keep the search here.</p>
      ) : (
        <ul className="nav-list">
          {saved.map((s) => (
            <li key={s.name} className={`tree-row${s.query === query ? ' current' : ''}`}>
              <button type="button" className="tree-label" title={s.query} onClick={() => setQuery(s.query)}>
                <Icon name="bookmark" size={14} />
                <span className="tree-name">{s.name}</span>
              </button>
              <span className="row-actions">
                <button
                  type="button"
                  className="icon-btn"
                  aria-label={`Delete saved search ${s.name}`}
                  onClick={() => removeSearch(s.name)}
                >
                  <Icon name="close" size={12} />
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
