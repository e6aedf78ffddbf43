import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { api, capabilities } from '../api/client';
import { openLoupe } from '../app/actions';
import { cachedAsset, useLibrary } from '../stores/library';
import { withFacet } from '../lib/query';
import { useSelection } from '../stores/selection';
import { noteScroll } from '../lib/image-release';
import { useSettings } from '../stores/settings';
import { useUi } from '../stores/ui';
import { Tile } from './Tile';
import { ASSET_DRAG_TYPE } from '../lib/drag';

const PAD = 12;
const GAP = 8;
const CAPTION = 26;
/** Rows kept in the DOM beyond the visible ones, each side: a short scroll never shows a blank. */
const OVERSCAN = 2;
/** Screens of details fetched ahead in the direction of travel (and one behind). */
const AHEAD_SCREENS = 3;
/**
 * Above this speed (px/ms: about a screen every 0.4 s) tiles entering the view wait for their
 * thumbnails until the grid slows down: decoding images that are gone a moment later is what
 * makes a fast scroll stutter. Images already shown stay.
 */
const FAST_PX_PER_MS = 1.2;
const SETTLE_MS = 120;

export interface GridLayout {
  cols: number;
  tileWidth: number;
  mediaHeight: number;
  rowHeight: number;
}

/** Columns of at least the chosen size, stretched to fill the width exactly (no ragged right edge). */
export function layoutGrid(width: number, thumbSize: number, captions: boolean): GridLayout {
  const inner = Math.max(0, width - 2 * PAD);
  const cols = Math.max(1, Math.floor((inner + GAP) / (thumbSize + GAP)));
  const tileWidth = Math.max(40, Math.floor((inner - (cols - 1) * GAP) / cols));
  const mediaHeight = Math.round(tileWidth * 0.8);
  return { cols, tileWidth, mediaHeight, rowHeight: mediaHeight + (captions ? CAPTION : 0) + GAP };
}

/**
 * The asset grid, virtualised by hand: a spacer as tall as every row, and absolutely placed rows
 * for the visible band only. 100,000 assets cost what 50 do. Details are asked for the visible
 * rows first, then a few screens ahead, through the library store's small request queue.
 */
export function Grid() {
  const ids = useLibrary((s) => s.ids);
  const query = useLibrary((s) => s.query);
  const sort = useLibrary((s) => s.sort);
  const dir = useLibrary((s) => s.dir);
  useLibrary((s) => s.cacheVersion); // tiles read details from the cache
  const selected = useSelection((s) => s.selected);
  const focus = useSelection((s) => s.focus);
  const thumbSize = useSettings((s) => s.thumbSize);
  const captions = useSettings((s) => s.showCaptions);
  const scroller = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [band, setBand] = useState({ first: 0, last: -1, top: 0 });
  const lastTop = useRef(0);
  const lastAt = useRef(0);
  const direction = useRef<1 | -1>(1);
  const [fast, setFast] = useState(false);
  const settle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(settle.current), []);

  const layout = useMemo(
    () => layoutGrid(size.width, thumbSize, captions),
    [size.width, thumbSize, captions],
  );
  const { cols, rowHeight } = layout;
  const rows = Math.ceil(ids.length / cols);

  useEffect(() => useUi.getState().set({ columns: cols }), [cols]);

  const measure = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    const top = el.scrollTop;
    const now = performance.now();
    const moved = Math.abs(top - lastTop.current);
    if (top !== lastTop.current) direction.current = top > lastTop.current ? 1 : -1;
    if (moved > 0 && moved / Math.max(1, now - lastAt.current) > FAST_PX_PER_MS) {
      setFast(true);
      clearTimeout(settle.current);
      settle.current = setTimeout(() => setFast(false), SETTLE_MS);
    }
    lastTop.current = top;
    lastAt.current = now;
    const visible = Math.max(0, Math.min(rows - 1, Math.floor((top - PAD) / rowHeight)));
    const first = Math.max(0, visible - OVERSCAN);
    const last = Math.min(rows - 1, Math.floor((top + el.clientHeight) / rowHeight) + OVERSCAN);
    setBand((b) =>
      b.first === first && b.last === last && b.top === visible ? b : { first, last, top: visible },
    );
  }, [rowHeight, rows]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() =>
      setSize((s) =>
        s.width === el.clientWidth && s.height === el.clientHeight
          ? s
          : { width: el.clientWidth, height: el.clientHeight },
      ),
    );
    ro.observe(el);
    setSize({ width: el.clientWidth, height: el.clientHeight });
    return () => ro.disconnect();
  }, []);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    measure();
    // Only real scrolling slows the pace of new thumbnails; a first layout or a resize does not.
    const onScroll = () => {
      noteScroll();
      measure();
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, [measure, size]);

  // Keep the same items in view when the tile size (and so the column count) changes.
  const firstIndex = useRef(0);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const wanted = Math.floor(firstIndex.current / cols) * rowHeight;
    if (Math.abs(el.scrollTop - wanted) > rowHeight) el.scrollTop = wanted;
  }, [cols, rowHeight]);
  useEffect(() => {
    firstIndex.current = band.top * cols;
  }, [band.top, cols]);

  // A new search starts at the top; a refresh of the same search (a scan adding files) does not move.
  useLayoutEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
  }, [query, sort, dir]);

  // Visible rows first, then the direction of travel.
  useEffect(() => {
    if (band.last < band.first) return;
    const screen = Math.max(1, band.last - band.first + 1);
    const visible = ids.slice(band.first * cols, (band.last + 1) * cols);
    const aheadRows = screen * AHEAD_SCREENS;
    const ahead =
      direction.current > 0
        ? ids.slice((band.last + 1) * cols, (band.last + 1 + aheadRows) * cols)
        : ids.slice(Math.max(0, band.first - aheadRows) * cols, band.first * cols).reverse();
    const behind =
      direction.current > 0
        ? ids.slice(Math.max(0, band.first - screen) * cols, band.first * cols)
        : ids.slice((band.last + 1) * cols, (band.last + 1 + screen) * cols);
    useLibrary.getState().want([...visible, ...ahead, ...behind]);
  }, [ids, band, cols]);

  // Scroll the keyboard's item into view, and give it DOM focus when the grid has it.
  const focusIndex = useMemo(() => (focus === null ? -1 : ids.indexOf(focus)), [ids, focus]);
  useEffect(() => {
    const el = scroller.current;
    if (!el || focusIndex < 0) return;
    const top = PAD + Math.floor(focusIndex / cols) * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top - PAD;
    else if (top + rowHeight > el.scrollTop + el.clientHeight)
      el.scrollTop = top + rowHeight - el.clientHeight + PAD - GAP;
  }, [focusIndex, cols, rowHeight]);
  useEffect(() => {
    const el = scroller.current;
    if (!el || focusIndex < 0) return;
    const tile = el.querySelector<HTMLElement>(`[data-index="${focusIndex}"]`);
    const active = document.activeElement;
    if (tile && tile !== active && (active === document.body || active === null || el.contains(active)))
      tile.focus({ preventScroll: true });
  }, [focusIndex, band]);

  const indexOf = (target: EventTarget) =>
    Number((target as HTMLElement).closest<HTMLElement>('[data-index]')?.dataset.index ?? -1);

  const onClick = (e: React.MouseEvent) => {
    const index = indexOf(e.target);
    if (index < 0) {
      // A click on the empty space between and below tiles deselects, as in every file browser.
      if (!e.shiftKey && !e.metaKey && !e.ctrlKey) useSelection.getState().clear();
      return;
    }
    // A click on a tile's stack badge opens the stack: its versions, in the grid.
    const stack = (e.target as HTMLElement).closest<HTMLElement>('[data-stack]')?.dataset.stack;
    if (stack && !e.shiftKey && !e.metaKey && !e.ctrlKey) {
      const lib = useLibrary.getState();
      lib.setQuery(withFacet(lib.query, 'stack', stack));
      return;
    }
    useSelection.getState().click(ids, index, { shift: e.shiftKey, toggle: e.metaKey || e.ctrlKey });
  };

  // The desktop app drags the files out to other apps; in a browser the drag carries the ids to
  // a collection in the sidebar.
  const onDragStart = (e: React.DragEvent) => {
    const index = indexOf(e.target);
    const id = ids[index];
    if (id === undefined) return;
    const sel = useSelection.getState().selected;
    const dragged = sel.has(id) ? [...sel] : [id];
    if (capabilities().dragOut) {
      e.preventDefault();
      api.startDrag?.(dragged);
      return;
    }
    e.dataTransfer.setData(ASSET_DRAG_TYPE, JSON.stringify(dragged));
    e.dataTransfer.effectAllowed = 'copy';
  };

  // The focused tile is the tab stop; scrolled out of the DOM, the first visible tile stands in.
  const inBand = focusIndex >= band.first * cols && focusIndex < (band.last + 1) * cols;
  const tabStop = inBand ? focusIndex : band.top * cols;
  const draggable = true;
  const rowEls = [];
  for (let r = band.first; r <= band.last; r++) {
    const cells = [];
    for (let c = 0; c < cols; c++) {
      const index = r * cols + c;
      const id = ids[index];
      if (id === undefined) break;
      cells.push(
        <Tile
          key={id}
          id={id}
          index={index}
          col={c}
          asset={cachedAsset(id)}
          selected={selected.has(id)}
          focused={index === focusIndex}
          tabbable={index === tabStop}
          draggable={draggable}
          width={layout.tileWidth}
          mediaHeight={layout.mediaHeight}
          captions={captions}
          hold={fast}
        />,
      );
    }
    rowEls.push(
      <div
        key={r}
        role="row"
        aria-rowindex={r + 1}
        className="grid-row"
        style={{ top: PAD + r * rowHeight, height: rowHeight - GAP, left: PAD, gap: GAP }}
      >
        {cells}
      </div>,
    );
  }

  return (
    <div
      ref={scroller}
      className="grid-scroll"
      onClick={onClick}
      onDoubleClick={(e) => indexOf(e.target) >= 0 && openLoupe()}
      onDragStart={onDragStart}
    >
      <div
        role="grid"
        aria-label="Assets"
        aria-rowcount={rows}
        aria-colcount={cols}
        aria-multiselectable="true"
        className="grid"
        style={{ height: rows * rowHeight + 2 * PAD - GAP }}
      >
        {rowEls}
      </div>
    </div>
  );
}
