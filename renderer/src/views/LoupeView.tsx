import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { api, call } from '../api/client';
import { flagSelection, labelSelection, rateSelection, step } from '../app/actions';
import { ApprovalPanel } from '../components/ApprovalPanel';
import { AutoTagsPanel } from '../components/AutoTagsPanel';
import { CropEditor } from '../components/CropEditor';
import { FaceBoxes } from '../components/FaceBoxes';
import { FlagPicker } from '../components/FlagPicker';
import { GovernanceLine } from '../components/GovernanceLine';
import { Icon } from '../components/Icon';
import { LabelPicker } from '../components/LabelPicker';
import { MetadataPanel } from '../components/MetadataPanel';
import { PanelTabs } from '../components/PanelTabs';
import { Group } from '../components/Group';
import { RightsPanel } from '../components/RightsPanel';
import { StarRating } from '../components/StarRating';
import { Timeline } from '../components/Timeline';
import { TypeIcon } from '../components/TypeIcon';
import { VersionsPanel } from '../components/VersionsPanel';
import { trapTab } from '../lib/focus-trap';
import { formatCount } from '../lib/format';
import { expectedPreviewSize, MAX_UPSCALE } from '../lib/media';
import { isTypingTarget } from '../lib/shortcuts';
import { cachedAsset, useAsset, useLibrary } from '../stores/library';
import { useAllowed } from '../stores/session';
import { useSelection } from '../stores/selection';
import { useUi } from '../stores/ui';

/** How long the loupe shows a picture before it counts as viewed. */
const VIEW_AFTER_MS = 1000;

interface Pan {
  x: number;
  y: number;
}

/** Move the image no further than its edges. */
function clamp(p: Pan, img: { w: number; h: number }, stage: DOMRect): Pan {
  const mx = Math.max(0, (img.w - stage.width) / 2);
  const my = Math.max(0, (img.h - stage.height) / 2);
  return { x: Math.max(-mx, Math.min(mx, p.x)), y: Math.max(-my, Math.min(my, p.y)) };
}

function preload(id: number | undefined): void {
  const a = id === undefined ? undefined : cachedAsset(id);
  if (a?.thumbnail) new Image().src = api.mediaUrl('preview', a.id, a.contentHash ?? undefined);
}

/**
 * One asset large. Arrows step through the result list, Z or a click toggles 1:1 (where dragging
 * pans), F shows the faces found as boxes, Esc returns to the grid. The keys of the grid (ratings, labels, flags, undo) work here
 * too: they act on the asset shown, which is the selection.
 */
export function LoupeView() {
  const focus = useSelection((s) => s.focus);
  const mayEdit = useAllowed('assets.edit');
  // Framing crops is a contributor's; a viewer sees the picture only.
  const mayCrop = useAllowed('assets.setCrop');
  const asset = useAsset(focus);
  const ids = useLibrary((s) => s.ids);
  const index = focus === null ? -1 : ids.indexOf(focus);
  const titleId = useId();
  const dialog = useRef<HTMLDivElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const [zoom, setZoom] = useState(false);
  const [pan, setPan] = useState<Pan>({ x: 0, y: 0 });
  const [natural, setNatural] = useState<{ w: number; h: number } | null>(null);
  const [loadedUrl, setLoadedUrl] = useState<string | null>(null);
  const [failedUrl, setFailedUrl] = useState<string | null>(null);
  const [showInfo, setShowInfo] = useState(true);
  const showFaces = useUi((s) => s.loupeFaces);
  const toggleFaces = () => useUi.getState().set({ loupeFaces: !useUi.getState().loupeFaces });
  const cropping = useUi((s) => s.loupeCrop);
  const setCropping = useCallback((on: boolean) => useUi.getState().set({ loupeCrop: on }), []);
  const closeCrop = useCallback(() => setCropping(false), [setCropping]);
  const drag = useRef<{ x: number; y: number; pan: Pan; moved: boolean } | null>(null);
  const close = useCallback(() => useUi.getState().set({ loupeOpen: false }), []);

  const previewUrl = asset?.thumbnail
    ? api.mediaUrl('preview', asset.id, asset.contentHash ?? undefined)
    : null;
  const thumbUrl = asset?.thumbnail ? api.mediaUrl('thumb', asset.id, asset.contentHash ?? undefined) : null;

  // Focus moves into the dialog, and back to the grid's tile when it closes.
  useLayoutEffect(() => {
    dialog.current?.focus();
    return () => {
      useUi.getState().set({ loupeCrop: false });
      const id = useSelection.getState().focus;
      requestAnimationFrame(() =>
        document.querySelector<HTMLElement>(`[role=gridcell][data-id="${id}"]`)?.focus(),
      );
    };
  }, []);

  useEffect(() => {
    if (focus !== null && !asset) void useLibrary.getState().fetch([focus]);
  }, [focus, asset]);

  // A picture looked at for a moment is a view in the usage figures; flicking past it is not.
  useEffect(() => {
    if (focus === null) return;
    const timer = setTimeout(
      () => void call('usage.viewed', { id: focus }).catch(() => undefined),
      VIEW_AFTER_MS,
    );
    return () => clearTimeout(timer);
  }, [focus]);

  useEffect(() => {
    if (cropping) setZoom(false);
  }, [cropping]);

  useEffect(() => {
    setZoom(false);
    setPan({ x: 0, y: 0 });
    setNatural(null);
    preload(ids[index + 1]);
    preload(ids[index - 1]);
    // Per asset shown only: re-running when the list refreshes would reset a zoom in progress.
  }, [focus]);

  const zoomAt = (clientX: number | null, clientY: number | null) => {
    const s = stage.current?.getBoundingClientRect();
    // The crop editor frames the whole picture: no zoom while it is open.
    if (!s || !natural || cropping) return;
    const dpr = window.devicePixelRatio || 1;
    const img = { w: natural.w / dpr, h: natural.h / dpr };
    if (clientX === null || clientY === null) {
      setPan({ x: 0, y: 0 });
    } else {
      // Keep the clicked point of the picture under the pointer as it grows to 1:1.
      const scale = Math.min(s.width / img.w, s.height / img.h);
      const left = s.left + (s.width - img.w * scale) / 2;
      const top = s.top + (s.height - img.h * scale) / 2;
      const fx = Math.max(0, Math.min(1, (clientX - left) / (img.w * scale)));
      const fy = Math.max(0, Math.min(1, (clientY - top) / (img.h * scale)));
      setPan(
        clamp(
          {
            x: clientX - s.left - s.width / 2 - fx * img.w + img.w / 2,
            y: clientY - s.top - s.height / 2 - fy * img.h + img.h / 2,
          },
          img,
          s,
        ),
      );
    }
    setZoom(true);
  };

  const onPointerDown = (e: React.PointerEvent) => {
    if (e.button !== 0 || cropping) return;
    drag.current = { x: e.clientX, y: e.clientY, pan, moved: false };
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: React.PointerEvent) => {
    const d = drag.current;
    const s = stage.current?.getBoundingClientRect();
    if (!d || !zoom || !natural || !s) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) d.moved = true;
    const dpr = window.devicePixelRatio || 1;
    setPan(clamp({ x: d.pan.x + dx, y: d.pan.y + dy }, { w: natural.w / dpr, h: natural.h / dpr }, s));
  };
  const onPointerUp = (e: React.PointerEvent) => {
    const d = drag.current;
    drag.current = null;
    if (!d || d.moved) return;
    if (zoom) setZoom(false);
    else zoomAt(e.clientX, e.clientY);
  };

  const dpr = typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1;
  // Fit: contained in the stage, but never more than MAX_UPSCALE times its own pixels.
  const fitSize = natural ?? (asset ? expectedPreviewSize(asset) : null);
  // While cropping, the crop tools take a band at the top of the stage.
  const fitStyle = fitSize
    ? {
        width: `min(calc(100% - 48px), ${(fitSize.w * MAX_UPSCALE) / dpr}px)`,
        height: `min(calc(100% - ${cropping ? 104 : 48}px), ${(fitSize.h * MAX_UPSCALE) / dpr}px)`,
        ...(cropping ? { top: 'calc(50% + 28px)' } : {}),
      }
    : undefined;
  const previewReady = previewUrl !== null && loadedUrl === previewUrl;
  const previewFailed = previewUrl !== null && failedUrl === previewUrl;

  return (
    <div
      ref={dialog}
      className="loupe"
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key.toLowerCase() === 'z' && !e.ctrlKey && !e.metaKey && !e.altKey) {
          if (isTypingTarget(e.target)) return;
          e.preventDefault();
          if (zoom) setZoom(false);
          else zoomAt(null, null);
        } else if (e.key === 'i' && !e.ctrlKey && !e.metaKey && !isTypingTarget(e.target)) {
          setShowInfo((v) => !v);
        } else if (
          e.key.toLowerCase() === 'f' &&
          !e.ctrlKey &&
          !e.metaKey &&
          !e.altKey &&
          !isTypingTarget(e.target)
        ) {
          e.preventDefault();
          toggleFaces();
        } else if (e.key === 'Tab') {
          trapTab(e, dialog.current, 'button, input, [tabindex="0"]');
        }
      }}
    >
      <header className="loupe-bar">
        <button type="button" className="btn ghost" onClick={close} title="Back to the library (Esc)">
          <Icon name="chevronLeft" size={16} /> Library
        </button>
        <div className="loupe-heading">
          <h2 id={titleId}>{asset?.name ?? 'Loading…'}</h2>
          {index >= 0 && (
            <span className="muted">
              {formatCount(index + 1)} of {formatCount(ids.length)}
            </span>
          )}
        </div>
        <div className="loupe-tools">
          <div className="segmented" role="group" aria-label="Zoom">
            <button
              type="button"
              aria-pressed={!zoom}
              disabled={cropping}
              className={!zoom ? 'on' : ''}
              onClick={() => setZoom(false)}
            >
              Fit
            </button>
            <button
              type="button"
              aria-pressed={zoom}
              disabled={cropping}
              className={zoom ? 'on' : ''}
              title="Zoom to 100% (Z)"
              onClick={() => zoomAt(null, null)}
            >
              1:1
            </button>
          </div>
          <button
            type="button"
            className={`btn ghost${showFaces ? ' on' : ''}`}
            aria-pressed={showFaces}
            title="Face boxes (F)"
            onClick={toggleFaces}
          >
            Faces
          </button>
          {mayCrop && (
            <button
              type="button"
              className={`btn ghost${cropping ? ' on' : ''}`}
              aria-pressed={cropping}
              title="Crop per aspect (R)"
              disabled={!previewUrl}
              onClick={() => setCropping(!cropping)}
            >
              Crop
            </button>
          )}
          <button
            type="button"
            className="icon-btn framed"
            aria-label="Previous"
            title="Previous (←)"
            disabled={index <= 0}
            onClick={() => step(-1)}
          >
            <Icon name="chevronLeft" size={16} />
          </button>
          <button
            type="button"
            className="icon-btn framed"
            aria-label="Next"
            title="Next (→)"
            disabled={index < 0 || index >= ids.length - 1}
            onClick={() => step(1)}
          >
            <Icon name="chevronRight" size={16} />
          </button>
          <button
            type="button"
            className={`icon-btn framed${showInfo ? ' on' : ''}`}
            aria-label="Show details"
            aria-pressed={showInfo}
            title="Details (I)"
            onClick={() => setShowInfo(!showInfo)}
          >
            <Icon name="file" size={16} />
          </button>
        </div>
      </header>
      <div className="loupe-body">
        <div
          ref={stage}
          className={`loupe-stage${zoom ? ' zoomed' : ''}${cropping ? ' cropping' : ''}`}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
        >
          {asset && !previewUrl && <TypeIcon asset={asset} large />}
          {asset && previewFailed && thumbUrl && (
            <img className="loupe-fallback" src={thumbUrl} alt="" draggable={false} style={fitStyle} />
          )}
          {thumbUrl && !previewReady && !previewFailed && (
            <img className="loupe-placeholder" src={thumbUrl} alt="" draggable={false} style={fitStyle} />
          )}
          {previewUrl && !previewFailed && (
            <img
              key={previewUrl}
              className={`loupe-preview${previewReady ? ' ready' : ''}`}
              src={previewUrl}
              alt={asset?.name ?? ''}
              draggable={false}
              decoding="async"
              onLoad={(e) => {
                setNatural({ w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight });
                setLoadedUrl(previewUrl);
              }}
              onError={() => setFailedUrl(previewUrl)}
              style={
                zoom && natural
                  ? {
                      width: natural.w / dpr,
                      height: natural.h / dpr,
                      transform: `translate(calc(-50% + ${pan.x}px), calc(-50% + ${pan.y}px))`,
                    }
                  : fitStyle
              }
            />
          )}
          {previewUrl && !previewReady && !previewFailed && (
            <span className="spinner large loupe-spinner" aria-label="Loading preview" />
          )}
          {previewFailed && (
            <p className="loupe-note">No large preview for this file; showing the thumbnail.</p>
          )}
          {mayCrop && cropping && asset && previewUrl && (
            <CropEditor
              key={asset.id}
              asset={asset}
              stage={stage}
              layout={`${loadedUrl}|${failedUrl}|${showInfo}`}
              onClose={closeCrop}
            />
          )}
          {showFaces && asset && !cropping && (
            <FaceBoxes
              assetId={asset.id}
              version={asset}
              stage={stage}
              layout={`${zoom}|${pan.x},${pan.y}|${loadedUrl}|${failedUrl}|${showInfo}`}
            />
          )}
        </div>
        {showInfo && asset && (
          <aside className="loupe-side" aria-label="Details">
            <div className="loupe-side-head">
              <GovernanceLine asset={asset} />
            </div>
            <PanelTabs>
              {(tab) =>
                tab === 'rights' ? (
                  <RightsPanel ids={[asset.id]} assets={[asset]} />
                ) : tab === 'approval' ? (
                  <>
                    <Group title="Approval">
                      <ApprovalPanel ids={[asset.id]} assets={[asset]} />
                    </Group>
                    <Group title="History">
                      <Timeline asset={asset} />
                    </Group>
                  </>
                ) : tab === 'versions' ? (
                  <VersionsPanel ids={[asset.id]} asset={asset} />
                ) : (
                  <>
                    <fieldset className="inspector-fields" disabled={!mayEdit}>
                      <section className="panel-section">
                        <div className="field-row">
                          <span className="field-label">Rating</span>
                          <StarRating value={asset.rating ?? 0} onChange={(n) => void rateSelection(n)} />
                        </div>
                        <div className="field-row">
                          <span className="field-label">Label</span>
                          <LabelPicker value={asset.label} onChange={(l) => void labelSelection(l)} />
                        </div>
                        <div className="field-row">
                          <span className="field-label">Flag</span>
                          <FlagPicker value={asset.flag} onChange={(f) => void flagSelection(f)} />
                        </div>
                      </section>
                    </fieldset>
                    {(asset.title || asset.description || asset.keywords.length > 0) && (
                      <section className="panel-section">
                        {asset.title && <p className="loupe-caption-title">{asset.title}</p>}
                        {asset.description && <p className="loupe-caption">{asset.description}</p>}
                        {asset.keywords.length > 0 && (
                          <ul className="chips" aria-label="Keywords">
                            {asset.keywords.map((k) => (
                              <li key={k} className="chip">
                                <span>{k}</span>
                              </li>
                            ))}
                          </ul>
                        )}
                      </section>
                    )}
                    <section className="panel-section">
                      <h3 className="section-title">Auto-tags</h3>
                      <AutoTagsPanel ids={[asset.id]} asset={asset} />
                    </section>
                    <section className="panel-section">
                      <h3 className="section-title">Metadata</h3>
                      <MetadataPanel asset={asset} />
                    </section>
                  </>
                )
              }
            </PanelTabs>
          </aside>
        )}
      </div>
    </div>
  );
}
