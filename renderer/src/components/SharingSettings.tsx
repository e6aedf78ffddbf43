import { useEffect, useState } from 'react';
import type { ShareInfo, UploadLinkInfo } from '../../../shared/sharing';
import { call, errorMessage } from '../api/client';
import { useLibrary } from '../stores/library';
import { useAllowed } from '../stores/session';
import { LinkToCopy } from './ShareDialog';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Share links (revoke, counts) and upload portal links (make one for a root, revoke). */
export function SharingSettings() {
  const roots = useLibrary((s) => s.roots);
  const [shares, setShares] = useState<ShareInfo[]>([]);
  const [links, setLinks] = useState<UploadLinkInfo[]>([]);
  const [rootId, setRootId] = useState<number | null>(null);
  const [folder, setFolder] = useState('Inbox');
  const [expires, setExpires] = useState('');
  const [maxMb, setMaxMb] = useState(2048);
  const [made, setMade] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Share links are an approver's; upload links open a root's folder to outsiders: an admin's.
  const mayUploadLinks = useAllowed('uploadLinks.list');

  const load = () =>
    void Promise.all([
      call('shares.list', {}),
      mayUploadLinks ? call('uploadLinks.list', {}) : Promise.resolve([] as UploadLinkInfo[]),
    ])
      .then(([s, l]) => {
        setShares(s);
        setLinks(l);
      })
      .catch((err: unknown) => setError(errorMessage(err)));
  useEffect(load, [mayUploadLinks]);
  const root = rootId ?? roots[0]?.id ?? null;

  const act = (p: Promise<unknown>) => void p.then(load).catch((err: unknown) => setError(errorMessage(err)));

  return (
    <div className="sharing-settings">
      <h4>Share links</h4>
      {shares.length === 0 ? (
        <p className="modal-hint">None yet: right-click a collection, or select items, and choose Share….</p>
      ) : (
        <ul className="link-list" aria-label="Share links">
          {shares.map((s) => (
            <li key={s.id}>
              <span>
                <strong>{s.label}</strong>{' '}
                <span className="muted">
                  {s.state}, {plural(s.visits, 'visit')}, {plural(s.downloads, 'download')}
                  {s.expiresAt ? `, until ${s.expiresAt.slice(0, 10)}` : ''}
                </span>
              </span>
              {s.state === 'active' && (
                <button
                  type="button"
                  className="btn small"
                  aria-label={`Revoke share link ${s.label}`}
                  onClick={() => act(call('shares.revoke', { id: s.id }))}
                >
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {mayUploadLinks && (
        <>
          <h4>Upload links</h4>
          {links.length > 0 && (
            <ul className="link-list" aria-label="Upload links">
              {links.map((l) => (
                <li key={l.id}>
                  <span>
                    <strong>{roots.find((r) => r.id === l.rootId)?.name ?? `root ${l.rootId}`}</strong> /{' '}
                    {l.folder}{' '}
                    <span className="muted">
                      {l.state}, {plural(l.uploads, 'file')} received
                    </span>
                  </span>
                  {l.state === 'active' && (
                    <button
                      type="button"
                      className="btn small"
                      aria-label={`Revoke upload link ${l.id}`}
                      onClick={() => act(call('uploadLinks.revoke', { id: l.id }))}
                    >
                      Revoke
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
          {roots.length === 0 ? (
            <p className="modal-hint">Add a folder first: uploads land in one of your roots.</p>
          ) : (
            <form
              className="share-form"
              onSubmit={(e) => {
                e.preventDefault();
                if (root === null) return;
                setError(null);
                void call('uploadLinks.create', {
                  rootId: root,
                  folder,
                  ...(expires ? { expires } : {}),
                  maxSize: Math.max(1, maxMb) * 1024 * 1024,
                })
                  .then((r) => {
                    setMade(r.path);
                    load();
                  })
                  .catch((err: unknown) => setError(errorMessage(err)));
              }}
            >
              <label className="setting-row">
                <span>Into the root</span>
                <select value={root ?? ''} onChange={(e) => setRootId(Number(e.target.value))}>
                  {roots.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}
                    </option>
                  ))}
                </select>
              </label>
              <label className="setting-row">
                <span>Upload folder</span>
                <input
                  type="text"
                  value={folder}
                  maxLength={200}
                  onChange={(e) => setFolder(e.target.value)}
                />
              </label>
              <label className="setting-row">
                <span>Expires after</span>
                <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
              </label>
              <label className="setting-row">
                <span>Largest file (MB)</span>
                <input
                  type="number"
                  min={1}
                  value={maxMb}
                  onChange={(e) => setMaxMb(Number(e.target.value))}
                />
              </label>
              <button type="submit" className="btn">
                Create upload link
              </button>
            </form>
          )}
        </>
      )}
      {made && <LinkToCopy path={made} label="Upload link" />}
      {error && (
        <p className="text-warning" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
