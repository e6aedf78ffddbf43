import { useState } from 'react';
import type { FolderNode } from '../../../shared/contract';
import { call } from '../api/client';
import { useJobs } from '../stores/jobs';
import { useLibrary } from '../stores/library';
import { useSettings } from '../stores/settings';

/** Collapsed by default: an archive can hold tens of thousands of folders. */
function Folder({ node, onPick }: { node: FolderNode; onPick(n: FolderNode): void }) {
  const [open, setOpen] = useState(false);
  return (
    <li>
      <div className="root-head">
        {node.children.length > 0 ? (
          <button
            className="icon twisty"
            aria-label={`${open ? 'Collapse' : 'Expand'} ${node.name}`}
            aria-expanded={open}
            onClick={() => setOpen(!open)}
          >
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span className="twisty-space" />
        )}
        <button className="tree-item" onClick={() => onPick(node)} title={node.path}>
          <span>{node.name}</span>
          <span className="count">{node.count}</span>
        </button>
      </div>
      {open && <Folders nodes={node.children} onPick={onPick} />}
    </li>
  );
}

function Folders({ nodes, onPick }: { nodes: FolderNode[]; onPick(n: FolderNode): void }) {
  return (
    <ul className="tree">
      {nodes.map((n) => (
        <Folder key={n.path} node={n} onPick={onPick} />
      ))}
    </ul>
  );
}

export function Sidebar() {
  // Selectors, not the whole store: the asset cache changes on every scroll.
  const roots = useLibrary((s) => s.roots);
  const folders = useLibrary((s) => s.folders);
  const query = useLibrary((s) => s.query);
  const { loadRoots, setQuery, refresh } = useLibrary.getState();
  const { saved, saveSearch, removeSearch } = useSettings();
  const scanning = useJobs((s) => s.scanning);
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);

  const add = async (p: string) => {
    setError(null);
    try {
      await call('roots.add', { path: p });
      setPath('');
      await loadRoots();
      await call('scan', {});
      await Promise.all([loadRoots(), refresh()]);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <nav className="sidebar" aria-label="Library">
      <section>
        <h3>Folders</h3>
        {roots.map((r) => (
          <div key={r.id} className={`root ${r.state}`}>
            <div className="root-head">
              <button className="tree-item root-name" onClick={() => setQuery(`root:${r.id}`)} title={r.path}>
                <span className={`dot ${r.state}`} aria-hidden />
                <span>{r.name}</span>
                <span className="count">{r.assetCount}</span>
              </button>
              <button
                className="icon"
                aria-label={`Remove ${r.name}`}
                onClick={() => void call('roots.remove', { id: r.id }).then(loadRoots).then(refresh)}
              >
                ×
              </button>
            </div>
            {r.state === 'offline' && <p className="root-reason">Offline: {r.stateReason}</p>}
            {r.state === 'online' && r.stateReason && <p className="root-reason">{r.stateReason}</p>}
            {scanning?.rootId === r.id && <p className="root-reason">Scanning… {scanning.seen} files</p>}
            <Folders
              nodes={folders[r.id] ?? []}
              onPick={(n) => setQuery(`root:${r.id} folder:"${n.path}"`)}
            />
          </div>
        ))}
        <form
          className="add-root"
          onSubmit={(e) => {
            e.preventDefault();
            void add(path);
          }}
        >
          <input
            aria-label="Folder path"
            placeholder="/path/to/photos"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            onKeyDown={(e) => e.stopPropagation()}
          />
          <button type="submit" disabled={!path.trim()}>
            Add folder
          </button>
          {window.dam && (
            <button
              type="button"
              onClick={() => void call('desktop.pickFolder', {}).then((p) => (p ? add(p) : undefined))}
            >
              Browse…
            </button>
          )}
        </form>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </section>
      <section>
        <h3>Saved searches</h3>
        <ul className="tree">
          {saved.map((s) => (
            <li key={s.name} className="root-head">
              <button className="tree-item" onClick={() => setQuery(s.query)} title={s.query}>
                {s.name}
              </button>
              <button className="icon" aria-label={`Delete ${s.name}`} onClick={() => removeSearch(s.name)}>
                ×
              </button>
            </li>
          ))}
        </ul>
        {query && (
          <button className="link" onClick={() => saveSearch({ name: query, query })}>
            Save “{query}”
          </button>
        )}
      </section>
    </nav>
  );
}
