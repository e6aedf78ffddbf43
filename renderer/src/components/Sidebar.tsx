import { useState } from 'react';
import { formatCount } from '../lib/format';
import { useLibrary } from '../stores/library';
import { useAllowed } from '../stores/session';
import { AddRootForm } from './AddRootForm';
import { CollectionsSection } from './CollectionsSection';
import { Icon, type IconName } from './Icon';
import { RootList } from './RootList';
import { SavedSearches } from './SavedSearches';
import { UserMenu } from './UserMenu';

const COLLECTIONS: { name: string; query: string; icon: IconName; count?: 'all' | 'missing' | 'errors' }[] = [
  { name: 'All items', query: '', icon: 'library', count: 'all' },
  { name: 'Picks', query: 'flag:pick', icon: 'flag' },
  { name: 'Rated 3 or more', query: 'rating:>=3', icon: 'star' },
  { name: 'Missing files', query: 'is:missing', icon: 'missing', count: 'missing' },
  { name: 'With problems', query: 'has:error', icon: 'alert', count: 'errors' },
];

function Collections() {
  const query = useLibrary((s) => s.query);
  const stats = useLibrary((s) => s.stats);
  const setQuery = useLibrary.getState().setQuery;
  // What "All items" shows: each stack's current version (the status bar says how many more there are).
  const counts = stats && {
    all: stats.assets - stats.hiddenVersions,
    missing: stats.byState.missing,
    errors: stats.byState.errors,
  };
  return (
    <section className="side-section" aria-labelledby="library-title">
      <div className="side-head">
        <h2 id="library-title" className="section-title">
          Library
        </h2>
      </div>
      <ul className="nav-list">
        {COLLECTIONS.filter(
          (c) => !c.count || c.count === 'all' || (counts?.[c.count] ?? 0) > 0 || query === c.query,
        ).map((c) => (
          <li key={c.name} className={`tree-row${query.trim() === c.query ? ' current' : ''}`}>
            <button
              type="button"
              className="tree-label"
              aria-current={query.trim() === c.query ? 'true' : undefined}
              onClick={() => setQuery(c.query)}
            >
              <Icon name={c.icon} size={14} />
              <span className="tree-name">{c.name}</span>
              {c.count && counts && <span className="count">{formatCount(counts[c.count])}</span>}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Sidebar() {
  const hasRoots = useLibrary((s) => s.roots.length > 0);
  const [adding, setAdding] = useState(false);
  const mayAddRoot = useAllowed('roots.add');
  return (
    <nav className="sidebar" aria-label="Library">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          <i />
          <i />
          <i />
          <i />
        </span>
        <span className="brand-name">Tessera</span>
        <UserMenu />
      </div>
      <div className="sidebar-scroll">
        <Collections />
        <CollectionsSection />
        <section className="side-section" aria-labelledby="folders-title">
          <div className="side-head">
            <h2 id="folders-title" className="section-title">
              Folders
            </h2>
            {hasRoots && mayAddRoot && (
              <button
                type="button"
                className="icon-btn"
                aria-label="Add a folder"
                title="Add a folder"
                aria-expanded={adding}
                onClick={() => setAdding(!adding)}
              >
                <Icon name={adding ? 'minus' : 'plus'} size={14} />
              </button>
            )}
          </div>
          {adding && hasRoots && mayAddRoot && (
            <AddRootForm compact autoFocus onDone={() => setAdding(false)} />
          )}
          {hasRoots ? <RootList /> : <p className="side-hint">No folders yet.</p>}
        </section>
        <SavedSearches />
      </div>
    </nav>
  );
}
