import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import {
  centreCrop,
  CROP_ASPECTS,
  cropPixels,
  uprightSize,
  type AssetCrop,
  type CropAspect,
  type CropBox,
} from '../../../shared/crops';
import type { Asset } from '../../../shared/model';
import { call, errorMessage } from '../api/client';
import { fractionRatio, growBox, HANDLES, moveBox, resizeBox, sameBox, type Handle } from '../lib/crop-edit';
import { usePictureRect } from '../lib/picture-rect';
import { isControlTarget, isTypingTarget } from '../lib/shortcuts';
import { useLibrary } from '../stores/library';
import { useUi } from '../stores/ui';
import { useUndoStack } from '../stores/undo-stack';

const pct = (n: number) => `${(n * 100).toFixed(4)}%`;

/** One arrow press moves or grows the box by this fraction of the picture. */
const KEY_STEP = 0.01;

const HANDLE_NAMES: Record<Handle, string> = {
  nw: 'top left corner',
  n: 'top edge',
  ne: 'top right corner',
  e: 'right edge',
  se: 'bottom right corner',
  s: 'bottom edge',
  sw: 'bottom left corner',
  w: 'left edge',
};

type Gesture =
  | { kind: 'move'; start: CropBox; px: number; py: number }
  | { kind: 'resize'; start: CropBox; handle: Handle; dx: number; dy: number };

/** Where a handle sits on a box, in fractions of the picture. */
function handlePoint(b: CropBox, h: Handle): { x: number; y: number } {
  return {
    x: h.includes('w') ? b.x : h.includes('e') ? b.x + b.w : b.x + b.w / 2,
    y: h.includes('n') ? b.y : h.includes('s') ? b.y + b.h : b.y + b.h / 2,
  };
}

/**
 * The crop editor over the loupe's picture: an aspect to frame (1:1, 4:5, 16:9, free), each
 * aspect's crop outlined, the chosen one moved by dragging it and resized by its handles (keeping
 * the aspect's shape in pixels of the upright picture, as the core checks it). Keyboard: arrows
 * move, Shift+arrows resize, Enter saves, Esc cancels. Saving goes through the undo stack
 * (Ctrl/Cmd+Z puts the earlier box back); No crop clears the aspect's crop. Boxes are fractions of
 * the picture as shown: the preview is drawn upright, so the numbers are the core's own.
 */
export function CropEditor({
  asset,
  stage,
  layout,
  onClose,
}: {
  asset: Asset;
  stage: RefObject<HTMLDivElement | null>;
  layout: string;
  onClose: () => void;
}) {
  const rect = usePictureRect(stage, layout);
  const [crops, setCrops] = useState<AssetCrop[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [aspect, setAspect] = useState<CropAspect>('1:1');
  /** Unsaved boxes, per aspect. */
  const [drafts, setDrafts] = useState<Partial<Record<CropAspect, CropBox>>>({});
  const [saving, setSaving] = useState(false);
  const gesture = useRef<Gesture | null>(null);
  const layer = useRef<HTMLDivElement>(null);
  const frame = useRef<HTMLDivElement>(null);

  // Read again whenever the asset's details change (a crop saved, undone, or merged from a sidecar).
  useEffect(() => {
    let current = true;
    call('assets.crops', { id: asset.id }).then(
      (list) => {
        if (!current) return;
        setCrops(list);
        setError(null);
      },
      (err: unknown) => current && setError(errorMessage(err)),
    );
    return () => {
      current = false;
    };
  }, [asset]);

  // The picture's size as the core measures crops (upright); the preview's when the catalogue has none.
  const size =
    asset.width && asset.height
      ? uprightSize(asset.width, asset.height, asset.orientation)
      : rect
        ? { width: rect.width, height: rect.height }
        : { width: 1, height: 1 };
  const k = fractionRatio(aspect, size.width, size.height);
  const saved = (a: CropAspect) => crops?.find((c) => c.aspect === a)?.box ?? null;
  const shownBox = (a: CropAspect) => drafts[a] ?? saved(a) ?? centreCrop(a, size.width, size.height);
  const box = shownBox(aspect);
  const changed = CROP_ASPECTS.filter((a) => {
    const d = drafts[a];
    return d && !sameBox(d, saved(a) ?? centreCrop(a, size.width, size.height));
  });

  const setBox = useCallback((b: CropBox) => setDrafts((d) => ({ ...d, [aspect]: b })), [aspect]);

  const save = useCallback(async () => {
    if (saving || changed.length === 0) return;
    setSaving(true);
    const notify = useUi.getState().notify;
    try {
      for (const a of changed) await useUndoStack.getState().crop(asset.id, a, drafts[a]!, `Crop ${a}`);
      setDrafts({});
      useLibrary.getState().markStale([asset.id]);
      notify(`Crop ${changed.join(', ')} saved`, { undoable: true });
    } catch (err) {
      notify(`Could not save the crop: ${errorMessage(err)}`, { tone: 'error' });
    } finally {
      setSaving(false);
    }
  }, [asset.id, changed, drafts, saving]);

  const clear = async () => {
    setDrafts((d) => ({ ...d, [aspect]: undefined }));
    if (!saved(aspect)) return;
    const notify = useUi.getState().notify;
    try {
      await useUndoStack.getState().crop(asset.id, aspect, null, `Crop ${aspect} cleared`);
      useLibrary.getState().markStale([asset.id]);
      notify(`Crop ${aspect} cleared`, { undoable: true });
    } catch (err) {
      notify(`Could not clear the crop: ${errorMessage(err)}`, { tone: 'error' });
    }
  };

  // The editor's keys come before the loupe's and the library's (arrows would step, Esc close).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.isComposing || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      const arrow = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[e.key] as
        [number, number] | undefined;
      if (arrow) {
        const [dx, dy] = arrow;
        setBox(
          e.shiftKey
            ? growBox(box, dx * KEY_STEP, dy * KEY_STEP, k)
            : moveBox(box, dx * KEY_STEP, dy * KEY_STEP),
        );
      } else if (e.key === 'Enter') {
        // A focused button's own Enter stays its own.
        if (isControlTarget(e.target)) return;
        void save();
      } else if (e.key === 'Escape') onClose();
      else return;
      e.preventDefault();
      e.stopPropagation();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [box, k, onClose, save, setBox]);

  const pointAt = (e: React.PointerEvent): { x: number; y: number } => {
    const r = layer.current!.getBoundingClientRect();
    return { x: (e.clientX - r.left) / r.width, y: (e.clientY - r.top) / r.height };
  };
  const onPointerDown = (e: React.PointerEvent) => {
    // The stage behind zooms on a click: the editor's clicks are its own.
    e.stopPropagation();
    if (e.button !== 0 || !layer.current) return;
    const handle = (e.target as HTMLElement).dataset.handle as Handle | undefined;
    const p = pointAt(e);
    if (handle) {
      const h = handlePoint(box, handle);
      gesture.current = { kind: 'resize', start: box, handle, dx: h.x - p.x, dy: h.y - p.y };
    } else if (e.target === frame.current) {
      gesture.current = { kind: 'move', start: box, px: p.x, py: p.y };
    } else return;
    layer.current.setPointerCapture(e.pointerId);
    frame.current?.focus();
  };
  const onPointerMove = (e: React.PointerEvent) => {
    const g = gesture.current;
    if (!g) return;
    e.stopPropagation();
    const p = pointAt(e);
    setBox(
      g.kind === 'move'
        ? moveBox(g.start, p.x - g.px, p.y - g.py)
        : resizeBox(g.start, g.handle, p.x + g.dx, p.y + g.dy, k),
    );
  };
  const onPointerUp = (e: React.PointerEvent) => {
    e.stopPropagation();
    gesture.current = null;
  };

  const px = cropPixels(box, size.width, size.height);
  return (
    <>
      {rect && (
        <div
          ref={layer}
          className="crop-layer"
          role="group"
          aria-label="Crop"
          style={{ left: rect.left, top: rect.top, width: rect.width, height: rect.height }}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={onPointerUp}
        >
          <div className="crop-dim" aria-hidden="true">
            <div style={{ left: pct(box.x), top: pct(box.y), width: pct(box.w), height: pct(box.h) }} />
          </div>
          {CROP_ASPECTS.filter((a) => a !== aspect && (drafts[a] || saved(a))).map((a) => {
            const b = shownBox(a);
            return (
              <div
                key={a}
                className={`crop-outline${drafts[a] ? ' unsaved' : ''}`}
                role="img"
                aria-label={`${a} crop${drafts[a] ? ', not saved' : ''}`}
                style={{ left: pct(b.x), top: pct(b.y), width: pct(b.w), height: pct(b.h) }}
              >
                <span className="crop-outline-label">{a}</span>
              </div>
            );
          })}
          <div
            ref={frame}
            className="crop-frame"
            role="img"
            tabIndex={0}
            aria-label={`${aspect} crop${changed.includes(aspect) ? ', not saved' : saved(aspect) ? '' : ', none set (the centred box)'}`}
            data-aspect={aspect}
            style={{ left: pct(box.x), top: pct(box.y), width: pct(box.w), height: pct(box.h) }}
          >
            {HANDLES.map((h) => (
              <span
                key={h}
                className={`crop-handle crop-handle-${h}`}
                data-handle={h}
                title={`Resize from the ${HANDLE_NAMES[h]}`}
              />
            ))}
          </div>
        </div>
      )}
      <div className="crop-bar" role="toolbar" aria-label="Crop tools">
        <div className="segmented" role="group" aria-label="Aspect">
          {CROP_ASPECTS.map((a) => (
            <button
              key={a}
              type="button"
              aria-pressed={a === aspect}
              className={a === aspect ? 'on' : ''}
              onClick={() => {
                setAspect(a);
                // Back to the frame, so that Enter saves rather than pressing this button again.
                requestAnimationFrame(() => frame.current?.focus());
              }}
            >
              {a === 'free' ? 'Free' : a}
              {saved(a) && <span className="crop-dot" aria-label="(set)" />}
            </button>
          ))}
        </div>
        <span className="crop-size muted" aria-live="polite">
          {error ? `Could not read the crops: ${error}` : `${px.width} × ${px.height} px`}
        </span>
        <button
          type="button"
          className="btn ghost"
          title="No crop for this aspect (renditions use the centred box)"
          onClick={() => void clear()}
          disabled={!saved(aspect) && !drafts[aspect]}
        >
          No crop
        </button>
        <button type="button" className="btn ghost" title="Close without saving (Esc)" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="btn primary"
          title="Save the crop (Enter)"
          disabled={saving || changed.length === 0}
          onClick={() => void save()}
        >
          Save
        </button>
      </div>
    </>
  );
}
