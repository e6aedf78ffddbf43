import { useEffect, useId, useRef } from 'react';
import { CatalogSettings } from '../components/CatalogSettings';
import { EndpointSettings } from '../components/EndpointSettings';
import { HistorySettings } from '../components/HistorySettings';
import { Icon, type IconName } from '../components/Icon';
import { SharingSettings } from '../components/SharingSettings';
import { TaggingSettings } from '../components/TaggingSettings';
import { UsersSettings } from '../components/UsersSettings';
import { useAllowed } from '../stores/session';
import { THUMB_MAX, THUMB_MIN, useSettings, type Theme } from '../stores/settings';
import { useUi } from '../stores/ui';

const THEMES: { value: Theme; label: string; icon: IconName }[] = [
  { value: 'dark', label: 'Dark', icon: 'moon' },
  { value: 'light', label: 'Light', icon: 'sun' },
  { value: 'system', label: 'System', icon: 'monitor' },
];

const KEYS: [string, string][] = [
  ['← → ↑ ↓', 'Move in the grid (Shift extends the selection)'],
  ['Space, Enter', 'Open or close the loupe'],
  ['Z', 'Zoom to 1:1 in the loupe'],
  ['F', 'Show or hide face boxes in the loupe'],
  ['A, R (Enter, Delete)', 'Accept, reject the focused auto-tag'],
  ['← →', 'Move between auto-tags'],
  ['1 – 5, 0', 'Rate, clear rating'],
  ['6 7 8 9', 'Red, yellow, green, blue label'],
  ['P, X, U', 'Pick, reject, unflag'],
  ['Ctrl A', 'Select all'],
  ['Ctrl F', 'Search'],
  ['Ctrl Z, Ctrl Shift Z', 'Undo, redo'],
  ['Ctrl Shift R', 'Review mode (then A, R, X, C)'],
];

/** Appearance and grid preferences (kept in this browser or app profile) and the catalogue's own settings. */
export function SettingsView() {
  const theme = useSettings((s) => s.theme);
  const thumbSize = useSettings((s) => s.thumbSize);
  const captions = useSettings((s) => s.showCaptions);
  const { setTheme, setThumbSize, setShowCaptions } = useSettings.getState();
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);
  const close = () => useUi.getState().set({ settingsOpen: false });
  // The catalogue's settings and its users are an admin's: others see their own preferences only.
  const mayAdmin = useAllowed('governance.settings', { embedXmp: true });
  const mayUsers = useAllowed('users.list');
  const mayShare = useAllowed('shares.list');

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    panel.current?.querySelector<HTMLElement>('input:checked')?.focus();
    return () => previous?.focus();
  }, []);

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div ref={panel} className="modal" role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <header className="modal-head">
          <h2 id={titleId}>Settings</h2>
          <button type="button" className="icon-btn" aria-label="Close settings" onClick={close}>
            <Icon name="close" size={16} />
          </button>
        </header>
        <section className="modal-section">
          <h3 className="section-title">Appearance</h3>
          <div className="theme-choices" role="radiogroup" aria-label="Theme">
            {THEMES.map((t) => (
              <label
                key={t.value}
                className={`theme-choice theme-${t.value}${theme === t.value ? ' on' : ''}`}
              >
                <input
                  type="radio"
                  name="theme"
                  value={t.value}
                  checked={theme === t.value}
                  onChange={() => setTheme(t.value)}
                />
                <span className="theme-swatch" aria-hidden="true">
                  <i />
                  <i />
                </span>
                <span className="theme-label">
                  <Icon name={t.icon} size={14} /> {t.label}
                </span>
              </label>
            ))}
          </div>
          <p className="modal-hint">System follows your operating system's light or dark mode.</p>
        </section>
        <section className="modal-section">
          <h3 className="section-title">Grid</h3>
          <label className="setting-row">
            <span>Thumbnail size</span>
            <input
              type="range"
              min={THUMB_MIN}
              max={THUMB_MAX}
              step={4}
              value={thumbSize}
              onChange={(e) => setThumbSize(Number(e.target.value))}
            />
            <span className="muted setting-value">{thumbSize} px</span>
          </label>
          <label className="setting-row">
            <span>Show file names and ratings under thumbnails</span>
            <input type="checkbox" checked={captions} onChange={(e) => setShowCaptions(e.target.checked)} />
          </label>
        </section>
        {mayAdmin && (
          <>
            <section className="modal-section">
              <h3 className="section-title">Metadata and approvals</h3>
              <CatalogSettings />
            </section>
            <section className="modal-section">
              <h3 className="section-title">Endpoints</h3>
              <EndpointSettings />
            </section>
            <section className="modal-section">
              <h3 className="section-title">Content history</h3>
              <HistorySettings />
            </section>
            <section className="modal-section">
              <h3 className="section-title">Tagging</h3>
              <TaggingSettings />
            </section>
          </>
        )}
        {mayUsers && (
          <section className="modal-section">
            <h3 className="section-title">Users</h3>
            <UsersSettings />
          </section>
        )}
        {mayShare && (
          <section className="modal-section">
            <h3 className="section-title">Sharing</h3>
            <SharingSettings />
          </section>
        )}
        <section className="modal-section">
          <h3 className="section-title">Keyboard</h3>
          <dl className="keys wide">
            {KEYS.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        </section>
        <footer className="modal-foot">
          <button type="button" className="btn primary" onClick={close}>
            Done
          </button>
        </footer>
      </div>
    </div>
  );
}
