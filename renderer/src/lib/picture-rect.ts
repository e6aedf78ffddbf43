// Where the loupe draws its picture, for the layers laid over it (face boxes, the crop editor).

import { useLayoutEffect, useState, type RefObject } from 'react';

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Where the picture's pixels are inside the stage: the image element's box (after the zoom's
 * size and the pan's transform), less the letterboxing object-fit: contain leaves around them.
 */
export function pictureRect(stage: HTMLElement): Rect | null {
  const img = stage.querySelector<HTMLImageElement>('img.loupe-preview.ready, img.loupe-fallback');
  if (!img || !img.naturalWidth || !img.naturalHeight) return null;
  const s = stage.getBoundingClientRect();
  const b = img.getBoundingClientRect();
  const scale = Math.min(b.width / img.naturalWidth, b.height / img.naturalHeight);
  const width = img.naturalWidth * scale;
  const height = img.naturalHeight * scale;
  return {
    left: b.left - s.left + (b.width - width) / 2,
    top: b.top - s.top + (b.height - height) / 2,
    width,
    height,
  };
}

/**
 * The picture's place in the stage, measured again whenever `layout` changes (zoom, pan, the
 * image loading, the side panel) and when the stage itself is resized.
 */
export function usePictureRect(stage: RefObject<HTMLDivElement | null>, layout: string): Rect | null {
  const [rect, setRect] = useState<Rect | null>(null);
  useLayoutEffect(() => {
    const el = stage.current;
    if (!el) return;
    const measure = () => setRect(pictureRect(el));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    // The preview decodes after it mounts: measure again once it has.
    el.addEventListener('load', measure, true);
    return () => {
      observer.disconnect();
      el.removeEventListener('load', measure, true);
    };
  }, [stage, layout]);
  return rect;
}
