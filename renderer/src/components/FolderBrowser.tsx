import { useEffect, useId, useRef, useState } from 'react';
import type { FolderListing } from '../../../shared/contract';
import { call, errorMessage } from '../api/client';
import { trapTab } from '../lib/focus-trap';
import { Icon } from './Icon';

/**
 * Choosing a folder on the machine the catalogue lives on, where no native dialog exists (a
 * browser on `dam serve`): the server lists sub-folders only, under the home folder and mounted
 * drives. Opening a folder goes one level down; "Add" adds the folder shown.
 */
export function FolderBrowser({
  start,
  onChoose,
  onClose,
}: {
  start?: string;
  onChoose(path: string): void;
  onClose(): void;
}) {
  const [listing, setListing] = useState<FolderListing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);

  const open = async (path?: string) => {
    try {
      const next = await call('folders.browse', path ? { path } : {});
      setListing(next);
      setError(null);
    } catch (err) {
      const message = errorMessage(err);
      setError(message.charAt(0).toUpperCase() + message.slice(1));
      // A start path outside what may be browsed still leaves the places to pick from.
      if (!listing) setListing(await call('folders.browse', {}).catch(() => null));
    }
  };

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    void open(start);
    return () => previous?.focus();
    // Only the first listing comes from `start`; the rest from the user's clicks.
  }, []);

  useEffect(() => {
    panel.current?.querySelector<HTMLElement>('.folder-list button, .folder-places button')?.focus();
  }, [listing]);

  const here = listing?.path ?? null;
  const crumbs = here ? breadcrumbs(here, listing!.places) : [];

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={panel}
        className="modal folder-browser"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          } else if (e.key === 'Tab') trapTab(e, panel.current, 'button:not(:disabled)');
        }}
      >
        <header className="modal-head">
          <h2 id={titleId}>Choose a folder</h2>
          <button type="button" className="icon-btn" aria-label="Close folder browser" onClick={onClose}>
            <Icon name="close" size={16} />
          </button>
        </header>
        <div className="folder-browser-body">
          <ul className="folder-places" aria-label="Places">
            {(listing?.places ?? []).map((p) => (
              <li key={p.path}>
                <button
                  type="button"
                  className={`tree-label${here && (here === p.path || here.startsWith(p.path + '/')) ? ' on' : ''}`}
                  title={p.path}
                  onClick={() => void open(p.path)}
                >
                  <Icon name={p.name === 'Home' ? 'library' : 'drive'} size={14} />
                  <span className="tree-name">{p.name}</span>
                </button>
              </li>
            ))}
          </ul>
          <div className="folder-main">
            <nav className="folder-crumbs" aria-label="Folder path">
              {here === null ? (
                <span className="muted">Places on this computer</span>
              ) : (
                crumbs.map((c, i) => (
                  <span key={c.path} className="crumb">
                    {i > 0 && <Icon name="chevronRight" size={12} />}
                    {i === crumbs.length - 1 ? (
                      <strong aria-current="location">{c.name}</strong>
                    ) : (
                      <button type="button" className="btn link" onClick={() => void open(c.path)}>
                        {c.name}
                      </button>
                    )}
                  </span>
                ))
              )}
            </nav>
            {error && (
              <p className="form-error" role="alert">
                {error}
              </p>
            )}
            <ul
              className="folder-list"
              aria-label={here ? `Folders in ${crumbs.at(-1)?.name ?? here}` : 'Places'}
            >
              {listing?.parent && (
                <li>
                  <button type="button" className="folder-row" onClick={() => void open(listing.parent!)}>
                    <Icon name="chevronLeft" size={14} />
                    <span>Up one level</span>
                  </button>
                </li>
              )}
              {listing?.folders.map((f) => (
                <li key={f.path}>
                  <button
                    type="button"
                    className="folder-row"
                    title={f.path}
                    onClick={() => void open(f.path)}
                  >
                    <Icon name="folder" size={14} />
                    <span>{f.name}</span>
                  </button>
                </li>
              ))}
              {listing && listing.folders.length === 0 && (
                <li className="folder-empty muted">No folders inside</li>
              )}
            </ul>
          </div>
        </div>
        <footer className="modal-foot folder-foot">
          <span className="folder-chosen" title={here ?? undefined}>
            {here ?? 'Open a place, then the folder to add'}
          </span>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="btn primary"
            disabled={!here}
            onClick={() => here && onChoose(here)}
          >
            Add this folder
          </button>
        </footer>
      </div>
    </div>
  );
}

/** The path from its place down, each step clickable: "Home › Pictures › 2024". */
function breadcrumbs(here: string, places: FolderListing['places']): { name: string; path: string }[] {
  const sep = here.includes('\\') && !here.includes('/') ? '\\' : '/';
  const place = places
    .filter((p) => here === p.path || here.startsWith(p.path.endsWith(sep) ? p.path : p.path + sep))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (!place) return [{ name: here, path: here }];
  const out = [{ name: place.name, path: place.path }];
  let at = place.path;
  for (const part of here.slice(place.path.length).split(sep).filter(Boolean)) {
    at = at.endsWith(sep) ? at + part : at + sep + part;
    out.push({ name: part, path: at });
  }
  return out;
}
