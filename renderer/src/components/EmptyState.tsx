import { freeText } from '../lib/query';
import { examplePath, useHost } from '../stores/host';
import { busy, useJobs } from '../stores/jobs';
import { useLibrary } from '../stores/library';
import { useAllowed } from '../stores/session';
import { AddRootForm } from './AddRootForm';
import { Icon } from './Icon';

/** What the main area says when there is nothing to show, and what to do about it. */
export function EmptyState() {
  const roots = useLibrary((s) => s.roots);
  const query = useLibrary((s) => s.query);
  const listError = useLibrary((s) => s.listError);
  const working = useJobs((s) => busy(s.jobs) || Object.keys(s.scans).length > 0);
  const setQuery = useLibrary.getState().setQuery;
  const host = useHost((s) => s.info);
  // Adding folders is an admin's; an account limited to collections sees no folders at all.
  const mayAddRoot = useAllowed('roots.add');

  if (listError)
    return (
      <div className="empty">
        <Icon name="alert" size={40} />
        <h2>The catalogue cannot be read</h2>
        <p>{listError}</p>
        <button type="button" className="btn" onClick={() => void useLibrary.getState().refresh(true)}>
          Try again
        </button>
      </div>
    );

  if (roots.length === 0 && !mayAddRoot && !query.trim())
    return (
      <div className="empty">
        <Icon name="library" size={40} />
        <h2>Nothing here yet</h2>
        <p>Nothing has been shared with you yet.</p>
      </div>
    );

  if (roots.length === 0 && mayAddRoot)
    return (
      <div className="empty welcome">
        <div className="welcome-mark" aria-hidden="true">
          <i />
          <i />
          <i />
          <i />
        </div>
        <h2>Add a folder to start</h2>
        <p>
          Point Tessera at a folder of photos, RAW files, videos or design files. It catalogues everything
          inside, keeps up with changes, and never moves or modifies your files.
        </p>
        <AddRootForm autoFocus />
        <p className="welcome-hint">
          Type the folder&rsquo;s full path, for example {examplePath(host)} (~ is your home folder), or
          browse to it.
        </p>
      </div>
    );

  if (query.trim())
    return (
      <div className="empty">
        <Icon name="search" size={40} />
        <h2>No items match</h2>
        <p>
          Nothing matches <q>{query}</q>.{' '}
          {freeText(query)
            ? 'Check the spelling, use fewer words, or remove a filter.'
            : 'Try removing a filter.'}
        </p>
        <button type="button" className="btn" onClick={() => setQuery('')}>
          Clear search
        </button>
      </div>
    );

  const offline = roots.filter((r) => r.state === 'offline');
  if (offline.length === roots.length)
    return (
      <div className="empty">
        <Icon name="drive" size={40} />
        <h2>{roots.length === 1 ? 'Your folder cannot be read' : 'None of your folders can be read'}</h2>
        <ul className="empty-list">
          {offline.map((r) => (
            <li key={r.id}>
              <strong>{r.name}</strong> ({r.path}): {r.stateReason ?? 'not reachable'}
            </li>
          ))}
        </ul>
        <p>Connect the drive or share, or check the path; Tessera picks it up again by itself.</p>
      </div>
    );

  return (
    <div className="empty">
      {working ? <span className="spinner large" aria-hidden="true" /> : <Icon name="folder" size={40} />}
      <h2>{working ? 'Cataloguing your files…' : 'No files found yet'}</h2>
      <p>
        {working
          ? 'Items appear here as they are found.'
          : 'Tessera found no photos, videos or design files in your folders. Add another folder, or rescan one from the sidebar.'}
      </p>
    </div>
  );
}
