import { useEffect, useRef, useState } from 'react';
import type { Asset } from '../../../shared/model';
import { api } from '../api/client';
import { MetadataPanel } from './MetadataPanel';

/** Large preview of one asset; arrows step, Z zooms to 100 %, Esc closes. */
export function Loupe(props: { asset: Asset | undefined; onClose(): void; onStep(delta: number): void }) {
  const { asset, onClose, onStep } = props;
  const [zoom, setZoom] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  useEffect(() => setZoom(false), [asset?.id]);
  return (
    <div
      ref={ref}
      role="dialog"
      aria-modal="true"
      aria-label={asset?.name ?? 'Preview'}
      className="loupe"
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
        else if (e.key === 'ArrowRight') onStep(1);
        else if (e.key === 'ArrowLeft') onStep(-1);
        else if (e.key === 'z' || e.key === 'Z') setZoom((z) => !z);
        else return;
        e.preventDefault();
        e.stopPropagation();
      }}
    >
      <div className="loupe-bar">
        <button onClick={() => onStep(-1)} aria-label="Previous">
          ‹
        </button>
        <span className="loupe-title">{asset?.name}</span>
        <button onClick={() => setZoom((z) => !z)}>{zoom ? 'Fit' : '100 %'}</button>
        <button onClick={() => onStep(1)} aria-label="Next">
          ›
        </button>
        <button onClick={onClose} aria-label="Close">
          ✕
        </button>
      </div>
      <div className="loupe-body">
        <div className={`loupe-image${zoom ? ' zoomed' : ''}`} onClick={() => setZoom((z) => !z)}>
          {asset &&
            (asset.thumbnail ? (
              <img src={api.mediaUrl('preview', asset.id, asset.contentHash ?? undefined)} alt={asset.name} />
            ) : (
              <div className="type-icon large">{asset.format.toUpperCase()}</div>
            ))}
        </div>
        <aside className="loupe-side">{asset && <MetadataPanel asset={asset} />}</aside>
      </div>
    </div>
  );
}
