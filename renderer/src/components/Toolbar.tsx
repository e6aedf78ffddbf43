import { useState, type RefObject } from 'react';
import { selectedIds } from '../app/actions';
import { BulkDialog } from './BulkDialog';
import type { SortKey } from '../../../shared/model';
import { useLibrary } from '../stores/library';
import { useReview } from '../stores/review';
import { useSelection } from '../stores/selection';
import { THUMB_MAX, THUMB_MIN, useSettings } from '../stores/settings';
import { useUi } from '../stores/ui';
import { Icon } from './Icon';
import { SearchField } from './SearchField';
import { useAllowed } from '../stores/session';

const SORTS: { value: SortKey; label: string }[] = [
  { value: 'captureDate', label: 'Capture date' },
  { value: 'added', label: 'Date added' },
  { value: 'name', label: 'File name' },
  { value: 'size', label: 'File size' },
  { value: 'rating', label: 'Rating' },
];

export function Toolbar({ searchRef }: { searchRef: RefObject<HTMLInputElement | null> }) {
  const sort = useLibrary((s) => s.sort);
  const dir = useLibrary((s) => s.dir);
  const thumbSize = useSettings((s) => s.thumbSize);
  const setSort = useLibrary.getState().setSort;
  const selected = useSelection((s) => s.selected.size);
  const [bulk, setBulk] = useState<'publish' | 'export' | null>(null);
  // What the logged-in role may use (the server refuses the rest anyway; the desktop app and the
  // local token are the owner and see everything).
  const mayReview = useAllowed('assets.transition', { ids: [1], action: 'approve' });
  const mayDedupe = useAllowed('duplicates.list');
  const mayShare = useAllowed('shares.create');
  const mayPublish = useAllowed('publish.assets');
  const mayExport = useAllowed('assets.export');
  const mayPeople = useAllowed('people.list');
  const mayUsage = useAllowed('usage.report');
  return (
    <header className="toolbar">
      <SearchField ref={searchRef} />
      <div className="toolbar-group">
        <label className="select-wrap" title="Sort by">
          <span className="visually-hidden">Sort by</span>
          <select aria-label="Sort by" value={sort} onChange={(e) => setSort(e.target.value as SortKey, dir)}>
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="icon-btn framed"
          aria-label={
            dir === 'desc' ? 'Sorted descending; sort ascending' : 'Sorted ascending; sort descending'
          }
          title={dir === 'desc' ? 'Descending' : 'Ascending'}
          onClick={() => setSort(sort, dir === 'desc' ? 'asc' : 'desc')}
        >
          <Icon name={dir === 'desc' ? 'sortDesc' : 'sortAsc'} size={16} />
        </button>
      </div>
      <div className="toolbar-group size-control" title="Thumbnail size">
        <Icon name="grid" size={13} />
        <input
          type="range"
          aria-label="Thumbnail size"
          min={THUMB_MIN}
          max={THUMB_MAX}
          step={4}
          value={thumbSize}
          onChange={(e) => useSettings.getState().setThumbSize(Number(e.target.value))}
        />
        <Icon name="image" size={16} />
      </div>
      {mayReview && (
        <button
          type="button"
          className="btn toolbar-review"
          aria-label="Review"
          title="Review everything in review (Ctrl Shift R)"
          onClick={() => {
            useUi.getState().set({ loupeOpen: false });
            void useReview.getState().start();
          }}
        >
          <Icon name="review" size={15} /> <span className="btn-text">Review</span>
        </button>
      )}
      {mayShare && selected > 0 && (
        <button
          type="button"
          className="btn toolbar-share"
          aria-label="Share…"
          title="A share link for the selected items: a gallery page with an expiry, a password and downloads as you choose"
          onClick={() => {
            const ids = [...useSelection.getState().selected];
            useUi.getState().set({
              share: { assetIds: ids, label: `${ids.length} selected item${ids.length === 1 ? '' : 's'}` },
            });
          }}
        >
          <Icon name="copy" size={15} /> <span className="btn-text">Share…</span>
        </button>
      )}
      {mayDedupe && (
        <button
          type="button"
          className="btn toolbar-duplicates"
          aria-label="Duplicates"
          title="Review duplicates and near-identical pictures"
          onClick={() => useUi.getState().set({ loupeOpen: false, duplicatesOpen: true })}
        >
          <Icon name="copy" size={15} /> <span className="btn-text">Duplicates</span>
        </button>
      )}
      {mayPublish && (
        <button
          type="button"
          className="icon-btn framed toolbar-publish"
          aria-label="Publish…"
          title="Publish the selection to an endpoint"
          disabled={selected === 0}
          onClick={() => setBulk('publish')}
        >
          <Icon name="upload" size={16} />
        </button>
      )}
      {mayExport && (
        <button
          type="button"
          className="icon-btn framed toolbar-export"
          aria-label="Export…"
          title="Export the selection's renditions (a preset) to a folder or a zip"
          disabled={selected === 0}
          onClick={() => setBulk('export')}
        >
          <Icon name="download" size={16} />
        </button>
      )}
      {bulk && <BulkDialog mode={bulk} ids={selectedIds()} onClose={() => setBulk(null)} />}
      {mayPeople && (
        <button
          type="button"
          className="btn toolbar-people"
          aria-label="People"
          title="People: the faces found, grouped by person"
          onClick={() => useUi.getState().set({ loupeOpen: false, peopleOpen: true })}
        >
          <Icon name="person" size={15} /> <span className="btn-text">People</span>
        </button>
      )}
      {mayUsage && (
        <button
          type="button"
          className="icon-btn framed toolbar-reports"
          aria-label="Usage"
          title="Usage figures: most used, never used, licences ending"
          onClick={() => useUi.getState().set({ loupeOpen: false, reportsOpen: true })}
        >
          <Icon name="chart" size={16} />
        </button>
      )}
      <button
        type="button"
        className="icon-btn framed"
        aria-label="Settings"
        title="Settings (Ctrl ,)"
        onClick={() => useUi.getState().set({ settingsOpen: true })}
      >
        <Icon name="gear" size={16} />
      </button>
    </header>
  );
}
