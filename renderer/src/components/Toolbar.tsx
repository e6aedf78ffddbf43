import { useEffect, useRef, useState } from 'react';
import type { SortKey } from '../../../shared/model';
import { call } from '../api/client';
import { useLibrary } from '../stores/library';
import { useSettings, type Theme } from '../stores/settings';

/** Facets write filters into the query text, so what you see in the box is what is searched. */
function withFacet(query: string, key: string, value: string): string {
  const rest = query.split(/\s+(?=(?:[^"]*"[^"]*")*[^"]*$)/).filter((t) => t && !t.startsWith(`${key}:`));
  return [...rest, ...(value ? [`${key}:${value}`] : [])].join(' ');
}

export function Toolbar({ searchRef }: { searchRef: React.RefObject<HTMLInputElement | null> }) {
  const query = useLibrary((s) => s.query);
  const sort = useLibrary((s) => s.sort);
  const dir = useLibrary((s) => s.dir);
  const count = useLibrary((s) => s.ids.length);
  const { setQuery, setSort } = useLibrary.getState();
  const { thumbSize, setThumbSize, theme, setTheme } = useSettings();
  const [text, setText] = useState(query);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => setText(query), [query]);

  const [facets, setFacets] = useState<{
    cameras: { name: string; count: number }[];
    years: { year: number; count: number }[];
  }>({ cameras: [], years: [] });
  // Counted over the whole catalogue: asked for after the grid has painted, and again as it grows.
  useEffect(() => {
    const t = window.setTimeout(() => void call('facets', {}).then(setFacets, () => undefined), 500);
    return () => window.clearTimeout(t);
  }, [count]);
  const camera = /(?:^|\s)camera:"([^"]+)"/.exec(query)?.[1] ?? '';
  const year = /(?:^|\s)date:(\d{4})(?:\s|$)/.exec(query)?.[1] ?? '';
  const type = /(?:^|\s)type:(\S+)/.exec(query)?.[1] ?? '';
  const rating = /(?:^|\s)rating:>=(\d)/.exec(query)?.[1] ?? '';
  const label = /(?:^|\s)label:(\S+)/.exec(query)?.[1] ?? '';

  return (
    <header className="toolbar">
      <input
        ref={searchRef}
        type="search"
        aria-label="Search"
        placeholder='Search: canon 2008, type:video, camera:"EOS 40D", -keyword:draft'
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          window.clearTimeout(timer.current);
          const v = e.target.value;
          timer.current = window.setTimeout(() => setQuery(v), 120);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') (e.target as HTMLInputElement).blur();
          e.stopPropagation();
        }}
      />
      <select
        aria-label="Type"
        value={type}
        onChange={(e) => setQuery(withFacet(query, 'type', e.target.value))}
      >
        <option value="">All types</option>
        <option value="image">Images</option>
        <option value="raw">RAW</option>
        <option value="video">Video</option>
        <option value="design">Design</option>
        <option value="other">Other</option>
      </select>
      <select
        aria-label="Camera"
        value={camera}
        onChange={(e) => setQuery(withFacet(query, 'camera', e.target.value ? `"${e.target.value}"` : ''))}
      >
        <option value="">Any camera</option>
        {facets.cameras.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name} ({c.count})
          </option>
        ))}
      </select>
      <select
        aria-label="Year"
        value={year}
        onChange={(e) => setQuery(withFacet(query, 'date', e.target.value))}
      >
        <option value="">Any date</option>
        {facets.years.map((y) => (
          <option key={y.year} value={y.year}>
            {y.year} ({y.count})
          </option>
        ))}
      </select>
      <select
        aria-label="Minimum rating"
        value={rating}
        onChange={(e) => setQuery(withFacet(query, 'rating', e.target.value ? `>=${e.target.value}` : ''))}
      >
        <option value="">Any rating</option>
        {[1, 2, 3, 4, 5].map((n) => (
          <option key={n} value={n}>
            {'★'.repeat(n)} or more
          </option>
        ))}
      </select>
      <select
        aria-label="Label"
        value={label}
        onChange={(e) => setQuery(withFacet(query, 'label', e.target.value))}
      >
        <option value="">Any label</option>
        {['red', 'yellow', 'green', 'blue', 'purple'].map((l) => (
          <option key={l} value={l}>
            {l}
          </option>
        ))}
      </select>
      <select aria-label="Sort by" value={sort} onChange={(e) => setSort(e.target.value as SortKey, dir)}>
        <option value="captureDate">Capture date</option>
        <option value="name">Name</option>
        <option value="size">Size</option>
        <option value="rating">Rating</option>
        <option value="added">Added</option>
      </select>
      <button
        aria-label={dir === 'desc' ? 'Descending' : 'Ascending'}
        onClick={() => setSort(sort, dir === 'desc' ? 'asc' : 'desc')}
      >
        {dir === 'desc' ? '↓' : '↑'}
      </button>
      <input
        aria-label="Thumbnail size"
        type="range"
        min={96}
        max={360}
        value={thumbSize}
        onChange={(e) => setThumbSize(Number(e.target.value))}
      />
      <select aria-label="Theme" value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
        <option value="dark">Dark</option>
        <option value="light">Light</option>
        <option value="system">System</option>
      </select>
      <span className="count-total" aria-live="polite">
        {count.toLocaleString()} items
      </span>
    </header>
  );
}
