import { memo, useEffect, useState } from 'react';
import type { Warning } from '../../../shared/governance';
import type { Asset } from '../../../shared/model';
import { api } from '../api/client';
import { extension, formatDuration, plural } from '../lib/format';
import { STATE_LABELS, TILE_WARNINGS, WARNING_LABELS } from '../lib/governance';
import { releaseImage } from '../lib/image-release';
import { displayRatio } from '../lib/media';
import { Icon } from './Icon';
import { Stars } from './StarRating';
import { TypeIcon } from './TypeIcon';

export interface TileProps {
  id: number;
  index: number;
  col: number;
  asset: Asset | undefined;
  selected: boolean;
  focused: boolean;
  /** The grid's one tab stop (roving tabindex). */
  tabbable: boolean;
  width: number;
  mediaHeight: number;
  captions: boolean;
  /** Desktop only: tiles can be dragged out to other apps. */
  draggable: boolean;
  /** The grid is moving fast: a tile arriving now shows its placeholder until it slows down. */
  hold: boolean;
}

const MEDIA_PAD = 8;

/**
 * The picture is sized up front from the metadata, so the tile never shifts when it arrives and
 * small images are scaled to fill their cell; the loaded image corrects a wrong guess.
 */
function Thumb({
  asset,
  width,
  height,
  hold,
}: {
  asset: Asset;
  width: number;
  height: number;
  hold: boolean;
}) {
  const url = asset.thumbnail ? api.mediaUrl('thumb', asset.id, asset.contentHash ?? undefined) : null;
  const [failed, setFailed] = useState<string | null>(null);
  const [measured, setMeasured] = useState<number | null>(null);
  // A tile's image is requested once the grid is not flying past, a few tiles a frame
  // (lib/image-release.ts); once shown it stays, however the grid moves afterwards.
  const [released, setReleased] = useState(false);
  useEffect(() => {
    if (released || hold || !url) return;
    return releaseImage(() => setReleased(true));
  }, [released, hold, url]);
  if (!url || failed === url) return <TypeIcon asset={asset} />;
  const ratio = measured ?? displayRatio(asset);
  const boxW = width - 2 * MEDIA_PAD;
  const boxH = height - 2 * MEDIA_PAD;
  const size =
    ratio === null
      ? undefined
      : ratio > boxW / boxH
        ? { width: boxW, height: Math.max(1, Math.round(boxW / ratio)) }
        : { width: Math.max(1, Math.round(boxH * ratio)), height: boxH };
  if (!released) return <div className="thumb-hold" style={size} />;
  return (
    <img
      key={url}
      src={url}
      alt=""
      loading="lazy"
      decoding="async"
      draggable={false}
      className={size ? undefined : 'unsized'}
      style={size}
      onLoad={(e) => {
        const img = e.currentTarget;
        // An attribute React does not manage: a re-render (new class) must not undo it.
        img.dataset.loaded = '';
        const real = img.naturalWidth / img.naturalHeight;
        if (ratio === null || Math.abs(real / ratio - 1) > 0.02) setMeasured(real);
      }}
      onError={() => setFailed(url)}
    />
  );
}

/** Warnings worth a badge: every one once the asset is in the workflow; on a draft only the urgent ones. */
function tileWarnings(a: Asset): Warning[] {
  return a.approval.state === 'draft' ? a.warnings.filter((w) => TILE_WARNINGS.includes(w)) : a.warnings;
}

const SHOW_EXT: ReadonlySet<Asset['type']> = new Set(['raw', 'video', 'audio', 'design', '3d', 'other']);

/**
 * One cell of the grid. Memoised on plain props: while scrolling, only tiles entering the view
 * render; a detail arriving re-renders just its own tile. Events are handled by the grid
 * (delegation), so no per-tile handler breaks the memo.
 */
export const Tile = memo(function Tile(p: TileProps) {
  const a = p.asset;
  const cls = ['tile'];
  if (p.selected) cls.push('selected');
  if (p.focused) cls.push('focused');
  if (a?.flag === 'reject') cls.push('rejected');
  if (a?.state === 'missing') cls.push('missing');
  const warnings = a ? tileWarnings(a) : [];
  const urgent = warnings.some((w) => w === 'expired' || w === 'sidecar-unreadable');
  return (
    <div
      role="gridcell"
      aria-colindex={p.col + 1}
      aria-selected={p.selected}
      aria-label={a?.name ?? 'Loading'}
      tabIndex={p.tabbable ? 0 : -1}
      data-index={p.index}
      data-id={p.id}
      draggable={p.draggable || undefined}
      className={cls.join(' ')}
      style={{ width: p.width }}
      title={a ? `${a.name}${a.error ? `\n${a.error}` : ''}` : undefined}
    >
      <div className="tile-media" style={{ height: p.mediaHeight }}>
        {a ? (
          <Thumb asset={a} width={p.width} height={p.mediaHeight} hold={p.hold} />
        ) : (
          <div className="tile-skeleton" />
        )}
        {a && (
          <>
            <div className="tile-badges">
              {a.state === 'missing' && <span className="badge badge-missing">Missing</span>}
              {a.error && (
                <span className="badge badge-error" aria-label={`Error: ${a.error}`}>
                  <Icon name="alert" size={12} />
                </span>
              )}
              {a.flag === 'pick' && (
                <span className="badge badge-pick" aria-label="Pick">
                  <Icon name="flag" size={12} filled />
                </span>
              )}
              {a.flag === 'reject' && (
                <span className="badge badge-reject" aria-label="Rejected">
                  <Icon name="reject" size={12} />
                </span>
              )}
              {a.duplicates.length > 0 && (
                <span
                  role="img"
                  className="badge badge-duplicate"
                  aria-label={`Duplicate: the same file is also at ${plural(a.duplicates.length, 'other place')}`}
                  title={`The same file (identical bytes) is also at:\n${a.duplicates.map((d) => d.path).join('\n')}`}
                >
                  <Icon name="copy" size={11} />
                  {a.duplicates.length + 1}
                </span>
              )}
              {warnings.length > 0 && (
                <span
                  role="img"
                  className={`badge badge-warning${urgent ? ' urgent' : ''}`}
                  aria-label={`Warnings: ${warnings.map((w) => WARNING_LABELS[w]).join(', ')}`}
                  title={warnings.map((w) => WARNING_LABELS[w]).join('\n')}
                >
                  <Icon name={warnings[0] === 'expires-soon' ? 'clock' : 'alert'} size={11} />
                  {warnings.length > 1 && <span>{warnings.length}</span>}
                </span>
              )}
            </div>
            {a.approval.state !== 'draft' && (
              <span
                role="img"
                className={`tile-state state-${a.approval.state}`}
                aria-label={STATE_LABELS[a.approval.state]}
                title={STATE_LABELS[a.approval.state]}
              />
            )}
            {a.stack && (
              <span
                role="img"
                className={`badge badge-stack${a.stack.current ? '' : ' other'}`}
                data-stack={a.stack.id}
                aria-label={`Stack of ${a.stack.size}${a.stack.current ? ', current version' : `, version ${a.stack.position}`}`}
                title={`Stack of ${a.stack.size}${a.stack.current ? ' (current version)' : ''}: click to show every version`}
              >
                <Icon name="layers" size={11} />
                {a.stack.size}
              </span>
            )}
            {(SHOW_EXT.has(a.type) || a.durationS) && (
              <span className="tile-ext">
                {a.durationS ? formatDuration(a.durationS) : extension(a.name)}
              </span>
            )}
          </>
        )}
      </div>
      {p.captions && (
        <div className="tile-caption">
          {a?.label && <span className={`label-dot label-${a.label}`} aria-label={`${a.label} label`} />}
          <span className="tile-name">{a?.name ?? '\u00a0'}</span>
          {a && <Stars rating={a.rating} />}
        </div>
      )}
      {!p.captions && a?.label && <span className={`tile-label-bar label-${a.label}`} />}
    </div>
  );
});
