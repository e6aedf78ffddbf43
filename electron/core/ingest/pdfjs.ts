import { createRequire } from 'node:module';
import path from 'node:path';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { LIMITS } from '../formats/limits';

// pdf.js (Apache-2.0), the legacy build meant for Node, opened on a file's bytes inside the
// ingest or render worker (its own "fake worker": no thread of its own). Everything it does for one
// file runs against a time budget: a PDF with a broken cross-reference table or a hostile page
// tree gets a clear error, never a stuck worker. No script in a PDF is ever run (isEvalSupported
// false, no scripting build), and nothing is fetched: fonts come from the package's own folder.

export type { PDFDocumentProxy };

/** 50 megapixels: 200 MB of RGBA, the most one embedded image may cost. */
const MAX_IMAGE_PIXELS = 50_000_000;

export class PdfError extends Error {
  override name = 'PdfError';
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let loaded: Promise<PdfJs> | null = null;

function pdfjs(): Promise<PdfJs> {
  loaded ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return loaded;
}

let fontsDir: string | null | undefined;
/** The standard 14 fonts shipped with pdfjs-dist, for PDFs that use them without embedding. */
function standardFonts(): string | null {
  if (fontsDir === undefined) {
    try {
      const req = createRequire(path.join(__dirname, 'noop.js'));
      fontsDir = path.join(path.dirname(req.resolve('pdfjs-dist/package.json')), 'standard_fonts') + path.sep;
    } catch {
      fontsDir = null;
    }
  }
  return fontsDir;
}

/** pdf.js's exception names as a user reads them. */
function describe(err: unknown): string {
  const e = err as { name?: string; message?: string };
  switch (e?.name) {
    case 'PasswordException':
      return 'the PDF is password-protected';
    case 'InvalidPDFException':
      return 'not a valid PDF (damaged or cut short)';
    default: {
      const msg = (e?.message ?? String(err)).split('\n')[0]!.trim();
      return `damaged PDF: ${msg.length > 160 ? `${msg.slice(0, 157)}...` : msg}`;
    }
  }
}

/**
 * Opens the PDF in `bytes`, hands it to `use`, and closes it. Throws PdfError with a one-line
 * message for a damaged, encrypted or too slow document.
 */
export async function withPdf<T>(
  bytes: Uint8Array,
  use: (doc: PDFDocumentProxy) => Promise<T>,
  budgetMs: number = LIMITS.documentMs,
): Promise<T> {
  if (bytes.length > LIMITS.documentBytes)
    throw new PdfError(`PDF too large to read (over ${LIMITS.documentBytes / 1024 / 1024} MB)`);
  const lib = await pdfjs();
  const fonts = standardFonts();
  // A copy: pdf.js may take over the buffer it is given, and the caller's bytes are shared.
  const task = lib.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
    stopAtErrors: false,
    // An image inside the page is decoded whole before it is scaled: past this many pixels it is
    // left out of the drawing rather than allowed to take gigabytes.
    maxImageSize: MAX_IMAGE_PIXELS,
    ...(fonts ? { standardFontDataUrl: fonts } : {}),
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new PdfError(`gave up reading the PDF after ${Math.round(budgetMs / 1000)} s`)),
      budgetMs,
    );
  });
  try {
    return await Promise.race([
      (async () => {
        let doc: PDFDocumentProxy;
        try {
          doc = await task.promise;
        } catch (err) {
          throw new PdfError(describe(err));
        }
        try {
          return await use(doc);
        } catch (err) {
          if (err instanceof PdfError) throw err;
          throw new PdfError(describe(err));
        }
      })(),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
    // Also stops a parse still running after the budget ran out.
    await task.destroy().catch(() => undefined);
  }
}
