import { useState } from 'react';
import type { Root } from '../../../shared/model';
import { removeRoot, rescan } from '../app/actions';
import { formatCount } from '../lib/format';
import { facetValue, withFacets } from '../lib/query';
import { useJobs } from '../stores/jobs';
import { useLibrary } from '../stores/library';
import { useAllowed } from '../stores/session';
import { FolderTree } from './FolderTree';
import { Icon } from './Icon';

/** Filters name a root by its name when that is unambiguous (readable in the search field), else by id. */
function rootToken(root: Root, roots: Root[]): string {
  const clash = roots.filter((r) => r.name.toLowerCase() === root.name.toLowerCase()).length > 1;
  return clash ? String(root.id) : root.name;
}

function RootItem({ root, roots }: { root: Root; roots: Root[] }) {
  const query = useLibrary((s) => s.query);
  const scan = useJobs((s) => s.scans[root.id]);
  // Open at start: the tree fetches one level at a time, so even a large archive costs one small answer.
  const [open, setOpen] = useState(true);
  const [confirming, setConfirming] = useState(false);
  // Scanning and removing roots are an admin's.
  const mayAdmin = useAllowed('roots.remove');
  const token = rootToken(root, roots);
  const inThisRoot = facetValue(query, 'root') === token;
  const folder = inThisRoot ? facetValue(query, 'folder') : null;
  const setQuery = useLibrary.getState().setQuery;
  const offline = root.state === 'offline';

  return (
    <li className={`root${offline ? ' offline' : ''}`}>
      <div className={`tree-row root-row${inThisRoot && !folder ? ' current' : ''}`}>
        <button
          type="button"
          className="twisty"
          aria-label={`${open ? 'Collapse' : 'Expand'} ${root.name}`}
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          <Icon name={open ? 'chevronDown' : 'chevronRight'} size={12} />
        </button>
        <button
          type="button"
          className="tree-label"
          title={root.path}
          onClick={() => setQuery(withFacets(query, { root: token, folder: null }))}
        >
          <span className={`status-dot ${root.state}`} aria-label={root.state} />
          <span className="tree-name">{root.name}</span>
          <span className="count">{formatCount(root.assetCount)}</span>
        </button>
        {mayAdmin && (
          <span className="row-actions">
            <button
              type="button"
              className="icon-btn"
              aria-label={`Rescan ${root.name}`}
              title="Rescan"
              onClick={() => void rescan(root.id)}
            >
              <Icon name="refresh" size={13} />
            </button>
            <button
              type="button"
              className="icon-btn"
              aria-label={`Remove ${root.name}`}
              title="Remove from catalogue"
              onClick={() => setConfirming(true)}
            >
              <Icon name="trash" size={13} />
            </button>
          </span>
        )}
      </div>
      {offline && (
        <p className="root-note danger" role="status">
          Offline — {root.stateReason ?? 'cannot be reached'}
        </p>
      )}
      {!offline && root.stateReason && <p className="root-note warning">{root.stateReason}</p>}
      {scan && (
        <p className="root-note">
          <span className="spinner" aria-hidden="true" />{' '}
          {scan.phase === 'walking' ? 'Scanning' : 'Recording'} · {formatCount(scan.seen)} files
        </p>
      )}
      {confirming && (
        <div className="confirm" role="alertdialog" aria-label={`Remove ${root.name}?`}>
          <p>
            Remove <strong>{root.name}</strong> from the catalogue? Ratings and keywords stored only in the
            catalogue are lost; the files on disk are not touched.
          </p>
          <div className="confirm-actions">
            <button type="button" className="btn" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="btn danger"
              onClick={() => {
                setConfirming(false);
                void removeRoot(root.id, root.name);
              }}
            >
              Remove
            </button>
          </div>
        </div>
      )}
      {open && (
        <FolderTree
          rootId={root.id}
          parent=""
          current={folder}
          depth={1}
          onPick={(n) => setQuery(withFacets(query, { root: token, folder: n.path }))}
        />
      )}
    </li>
  );
}

export function RootList() {
  const roots = useLibrary((s) => s.roots);
  return (
    <ul className="roots">
      {roots.map((r) => (
        <RootItem key={r.id} root={r} roots={roots} />
      ))}
    </ul>
  );
}
