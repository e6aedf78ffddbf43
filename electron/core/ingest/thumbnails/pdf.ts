import { createCanvas } from '@napi-rs/canvas';
import { LIMITS } from '../../formats/limits';
import { withPdf } from '../pdfjs';
import { encodeWebp, sharp } from './encode';
import type { RenderOutput } from './types';

/** The canvas never exceeds this many pixels on its long edge, whatever maxEdge asks. */
const MAX_CANVAS_EDGE = 4096;

/**
 * The first page of a PDF (or of an Illustrator file's PDF), drawn at the size it will be shown on
 * a white sheet. sourceWidth/Height are the page's size in points (1/72 inch).
 */
export async function renderPdf(src: Buffer, maxEdge: number): Promise<RenderOutput> {
  if (src.length > LIMITS.documentBytes)
    throw new Error(`PDF too large to preview (over ${LIMITS.documentBytes / 1024 / 1024} MB)`);
  return withPdf(src, async (doc) => {
    if (doc.numPages < 1) throw new Error('the PDF has no pages');
    const page = await doc.getPage(1);
    try {
      const base = page.getViewport({ scale: 1 });
      if (!(base.width > 0 && base.height > 0)) throw new Error('the first page has no size');
      const edge = Math.min(maxEdge, MAX_CANVAS_EDGE);
      const scale = edge / Math.max(base.width, base.height);
      const viewport = page.getViewport({ scale });
      const w = Math.max(1, Math.round(viewport.width));
      const h = Math.max(1, Math.round(viewport.height));
      const canvas = createCanvas(w, h);
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, w, h);
      await page.render({
        canvas: canvas as unknown as HTMLCanvasElement,
        canvasContext: ctx as unknown as CanvasRenderingContext2D,
        viewport,
      }).promise;
      const rgba = Buffer.from(ctx.getImageData(0, 0, w, h).data.buffer);
      const out = await encodeWebp(sharp(rgba, { raw: { width: w, height: h, channels: 4 } }), maxEdge);
      return {
        ...out,
        sourceWidth: Math.round(base.width),
        sourceHeight: Math.round(base.height),
        durationS: null,
      };
    } finally {
      page.cleanup();
    }
  });
}
