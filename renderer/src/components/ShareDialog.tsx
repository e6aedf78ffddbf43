import { useId, useState } from 'react';
import type { Channel } from '../../../shared/governance';
import { DEFAULT_SHARE_CHANNEL, DOWNLOAD_LEVELS, type DownloadLevel } from '../../../shared/sharing';
import { call, errorMessage } from '../api/client';
import { useUi, type ShareTarget } from '../stores/ui';
import { ChannelSelect } from './ChannelSelect';
import { FormFoot } from './FormFoot';
import { Icon } from './Icon';

const DOWNLOAD_WORDS: Record<DownloadLevel, string> = {
  none: 'No downloads (view only)',
  preview: 'Web-size copies',
  original: 'Web-size copies and originals',
};

/** Where a link path is served: this page's server under dam serve; the desktop app has none of its own. */
export function linkUrl(path: string): string {
  return location.protocol.startsWith('http') ? `${location.origin}${path}` : path;
}

/** The link, shown once (it is never kept), with a Copy button. */
export function LinkToCopy({ path, label }: { path: string; label: string }) {
  const url = linkUrl(path);
  const [copied, setCopied] = useState(false);
  return (
    <div className="link-copy">
      <input type="text" readOnly value={url} aria-label={label} onFocus={(e) => e.target.select()} />
      <button
        type="button"
        className="btn small"
        onClick={() =>
          void navigator.clipboard
            ?.writeText(url)
            .then(() => setCopied(true))
            .catch(() => setCopied(false))
        }
      >
        <Icon name="copy" size={13} /> {copied ? 'Copied' : 'Copy'}
      </button>
      <p className="modal-hint">
        Shown this once: Tessera keeps no copy of the link.
        {!location.protocol.startsWith('http') && ' It is served by dam serve, on its address.'}
      </p>
    </div>
  );
}

/** Makes a share link for a collection or the selection: expiry, password, downloads, watermark, channel. */
export function ShareDialog({ target }: { target: ShareTarget }) {
  const titleId = useId();
  const [expires, setExpires] = useState('');
  const [password, setPassword] = useState('');
  const [download, setDownload] = useState<DownloadLevel>('preview');
  const [watermark, setWatermark] = useState('');
  const [channel, setChannel] = useState<Channel>(DEFAULT_SHARE_CHANNEL);
  const [made, setMade] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const close = () => useUi.getState().set({ share: null });

  const create = async () => {
    setError(null);
    try {
      const r = await call('shares.create', {
        ...('collectionId' in target ? { collectionId: target.collectionId } : { assetIds: target.assetIds }),
        ...(expires ? { expires } : {}),
        ...(password ? { password } : {}),
        download,
        watermark: watermark.trim() || null,
        channel,
      });
      setMade(r.path);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div
        className="modal share-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={(e) => e.key === 'Escape' && close()}
      >
        <header className="modal-head">
          <h2 id={titleId}>Share {target.label}</h2>
          <button type="button" className="icon-btn" aria-label="Close" onClick={close}>
            <Icon name="close" size={16} />
          </button>
        </header>
        {made ? (
          <section className="modal-section">
            <p>Anyone with this link sees what its rights allow on the {channel} channel.</p>
            <LinkToCopy path={made} label="Share link" />
          </section>
        ) : (
          <form
            className="modal-section share-form"
            onSubmit={(e) => {
              e.preventDefault();
              void create();
            }}
          >
            <label className="setting-row">
              <span>Expires after</span>
              <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
            </label>
            <label className="setting-row">
              <span>Password (optional)</span>
              <input
                type="password"
                autoComplete="new-password"
                minLength={4}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </label>
            <label className="setting-row">
              <span>Downloads</span>
              <select value={download} onChange={(e) => setDownload(e.target.value as DownloadLevel)}>
                {DOWNLOAD_LEVELS.map((d) => (
                  <option key={d} value={d}>
                    {DOWNLOAD_WORDS[d]}
                  </option>
                ))}
              </select>
            </label>
            <label className="setting-row">
              <span>Watermark (optional)</span>
              <input
                type="text"
                maxLength={200}
                placeholder="e.g. North Studio"
                value={watermark}
                onChange={(e) => setWatermark(e.target.value)}
              />
            </label>
            <label className="setting-row">
              <span>Channel</span>
              <ChannelSelect value={channel} onChange={setChannel} />
            </label>
            <FormFoot className="modal-foot" error={error} submit="Create link" onCancel={close} />
          </form>
        )}
        {made && (
          <footer className="modal-foot">
            <button type="button" className="btn primary" onClick={close}>
              Done
            </button>
          </footer>
        )}
      </div>
    </div>
  );
}
