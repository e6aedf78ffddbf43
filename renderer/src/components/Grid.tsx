import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { Asset } from '../../../shared/model';
import { api } from '../api/client';
import { useLibrary } from '../stores/library';
import { useSelection } from '../stores/selection';
import { useSettings } from '../stores/settings';

const GAP = 8;
const LABEL_H = 22;
const OVERSCAN_ROWS = 4;
const PREFETCH_ROWS = 30;

function TypeIcon({ asset }: { asset: Asset }) {
  return <div className={`type-icon type-${asset.type}`}>{asset.format.toUpperCase()}</div>;
}

/** Thumbnails already shown once; they are drawn even during a fast scroll (the browser has them). */
const shown = new Set<number>();

const Tile = memo(function Tile({
  asset,
  size,
  fast,
}: {
  asset: Asset | undefined;
  size: number;
  fast: boolean;
}) {
  if (!asset) return <div className="tile-img placeholder" style={{ height: size }} />;
  // While the grid flies past, new thumbnails wait until it slows down: loading hundreds of
  // images a second would stall the frames the scrolling needs.
  const draw = asset.thumbnail && (!fast || shown.has(asset.id));
  if (draw) shown.add(asset.id);
  return (
    <>
      <div className="tile-img" style={{ height: size }}>
        {draw ? (
          <img
            src={api.mediaUrl('thumb', asset.id, asset.contentHash ?? undefined)}
            alt=""
            decoding="async"
            draggable={false}
          />
        ) : asset.thumbnail ? (
          <div className="thumb-pending" />
        ) : (
          <TypeIcon asset={asset} />
        )}
        {asset.state === 'missing' && <span className="badge badge-missing">missing</span>}
        {asset.error && (
          <span className="badge badge-error" title={asset.error}>
            !
          </span>
        )}
        {asset.flag && <span className={`flag flag-${asset.flag}`}>{asset.flag === 'pick' ? '⚑' : '✕'}</span>}
      </div>
      <div className="tile-label">
        {asset.label && <span className={`label-dot label-${asset.label}`} />}
        <span className="tile-name">{asset.name}</span>
        {asset.rating ? <span className="tile-stars">{'★'.repeat(asset.rating)}</span> : null}
      </div>
    </>
  );
});

/**
 * Only the rows in view (plus a few) are in the DOM, so 100,000 assets scroll like 100. Details
 * for visible rows are fetched in one batch.
 */
export function Grid({ onOpen }: { onOpen(index: number): void }) {
  const ids = useLibrary((s) => s.ids);
  const assets = useLibrary((s) => s.assets);
  const ensureAssets = useLibrary((s) => s.ensureAssets);
  const { selected, focus, click } = useSelection();
  const size = useSettings((s) => s.thumbSize);
  const ref = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ first: 0, last: 0, width: 800 });
  const [fast, setFast] = useState(false);
  const cols = Math.max(1, Math.floor((view.width - GAP) / (size + GAP)));
  const rowH = size + LABEL_H + GAP;
  const rows = Math.ceil(ids.length / cols);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let lastTop = el.scrollTop;
    let settle: number | undefined;
    // Re-render only when the band of rows in the DOM has to change, not on every scroll pixel.
    const measure = () => {
      const jump = Math.abs(el.scrollTop - lastTop);
      lastTop = el.scrollTop;
      if (jump > el.clientHeight / 2) {
        setFast(true);
        window.clearTimeout(settle);
        settle = window.setTimeout(() => setFast(false), 120);
      }
      const first = Math.max(0, Math.floor(el.scrollTop / rowH) - OVERSCAN_ROWS);
      const last = Math.ceil((el.scrollTop + el.clientHeight) / rowH) + OVERSCAN_ROWS;
      setView((v) =>
        v.first === first && v.last === last && v.width === el.clientWidth
          ? v
          : { first, last, width: el.clientWidth },
      );
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    el.addEventListener('scroll', measure, { passive: true });
    return () => {
      ro.disconnect();
      el.removeEventListener('scroll', measure);
    };
  }, [rowH]);

  const first = view.first;
  const last = Math.min(rows - 1, view.last);
  const visible = useMemo(() => ids.slice(first * cols, (last + 1) * cols), [ids, first, last, cols]);

  // Details are fetched well ahead of the rows in the DOM, in large batches, so scrolling rarely
  // waits for (or re-renders on) a fetch. Also after `assets` changes: an invalidated asset is
  // fetched again.
  const wanted = useMemo(
    () => ids.slice(Math.max(0, first - PREFETCH_ROWS) * cols, (last + 1 + PREFETCH_ROWS) * cols),
    [ids, first, last, cols],
  );
  useEffect(() => {
    const missing = visible.some((id) => !assets.has(id));
    if (missing) void ensureAssets(wanted);
  }, [visible, wanted, assets, ensureAssets]);

  // Keep the focused tile in view when the keyboard moves it.
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const row = Math.floor(focus / cols);
    const y = row * rowH;
    if (y < el.scrollTop) el.scrollTop = y;
    else if (y + rowH > el.scrollTop + el.clientHeight) el.scrollTop = y + rowH - el.clientHeight;
    const tile = el.querySelector<HTMLElement>(`[data-index="${focus}"]`);
    if (tile && el.contains(document.activeElement)) tile.focus({ preventScroll: true });
  }, [focus, cols, rowH]);

  (window as unknown as { __gridCols?: number }).__gridCols = cols;

  const rowEls = [];
  for (let r = first; r <= last; r++) {
    const cells = [];
    for (let c = 0; c < cols; c++) {
      const index = r * cols + c;
      const id = ids[index];
      if (id === undefined) break;
      const asset = assets.get(id);
      cells.push(
        <div
          key={id}
          role="gridcell"
          aria-label={asset?.name ?? 'loading'}
          aria-selected={selected.has(id)}
          aria-colindex={c + 1}
          tabIndex={index === focus ? 0 : -1}
          data-index={index}
          className={`tile${selected.has(id) ? ' selected' : ''}${index === focus ? ' focused' : ''}`}
          style={{ left: GAP + c * (size + GAP), width: size }}
          onClick={(e) => click(ids, index, { shift: e.shiftKey, toggle: e.metaKey || e.ctrlKey })}
          onDoubleClick={() => onOpen(index)}
          draggable={Boolean(window.dam?.startDrag)}
          onDragStart={(e) => {
            if (!window.dam?.startDrag) return;
            e.preventDefault();
            window.dam.startDrag(selected.has(id) ? [...selected] : [id]);
          }}
        >
          <Tile asset={asset} size={size} fast={fast} />
        </div>,
      );
    }
    rowEls.push(
      <div
        key={r}
        role="row"
        aria-rowindex={r + 1}
        className="grid-row"
        style={{ transform: `translateY(${GAP + r * rowH}px)`, height: rowH - GAP }}
      >
        {cells}
      </div>,
    );
  }

  return (
    <div ref={ref} className="grid-scroll">
      <div
        role="grid"
        aria-label="Assets"
        aria-rowcount={rows}
        aria-colcount={cols}
        aria-multiselectable
        className="grid"
        style={{ height: rows * rowH + GAP }}
      >
        {rowEls}
      </div>
    </div>
  );
}
