import { useEffect, useState } from 'react';
import { call, capabilities } from '../api/client';
import { addRoot } from '../app/actions';
import { useHost } from '../stores/host';
import { FolderBrowser } from './FolderBrowser';

/**
 * A folder path typed in, read on the machine the catalogue lives on (`~` is its user's home);
 * the desktop app also offers its OS dialog, a browser the server-side folder browser.
 */
export function AddRootForm({
  autoFocus,
  onDone,
  compact,
}: {
  autoFocus?: boolean;
  onDone?(): void;
  compact?: boolean;
}) {
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [browsing, setBrowsing] = useState(false);
  const host = useHost((s) => s.info);
  useEffect(() => void useHost.getState().load(), []);

  const submit = async (p: string) => {
    if (!p.trim()) return;
    setBusy(true);
    setError(null);
    const err = await addRoot(p);
    setBusy(false);
    if (err) setError(err);
    else {
      setPath('');
      onDone?.();
    }
  };

  return (
    <form
      className={`add-root${compact ? ' compact' : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit(path);
      }}
    >
      <div className="add-root-row">
        <input
          type="text"
          aria-label="Folder path"
          placeholder={host?.examplePath ?? ''}
          value={path}
          autoFocus={autoFocus}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={error !== null}
          aria-describedby={error ? 'add-root-error' : undefined}
          onChange={(e) => setPath(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && onDone?.()}
        />
        <button type="submit" className="btn primary" disabled={busy || !path.trim()}>
          {busy ? 'Adding…' : 'Add folder'}
        </button>
      </div>
      {capabilities().pickFolder ? (
        <button
          type="button"
          className="btn link"
          onClick={() =>
            void call('desktop.pickFolder', {}).then(
              (p) => (p ? submit(p) : undefined),
              () => undefined,
            )
          }
        >
          Choose a folder…
        </button>
      ) : (
        <button type="button" className="btn link" onClick={() => setBrowsing(true)}>
          Browse folders…
        </button>
      )}
      {error && (
        <p id="add-root-error" className="form-error" role="alert">
          {error.charAt(0).toUpperCase() + error.slice(1)}
        </p>
      )}
      {browsing && (
        <FolderBrowser
          start={path.trim() || host?.home}
          onClose={() => setBrowsing(false)}
          onChoose={(p) => {
            setBrowsing(false);
            setPath(p);
            void submit(p);
          }}
        />
      )}
    </form>
  );
}
