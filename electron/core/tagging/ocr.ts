import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { TagBox } from '../../../shared/auto-tags';

/**
 * Text recognition with tesseract.js (WebAssembly) and the English model of
 * `@tesseract.js-data/eng`, both from npm: every path tesseract.js would otherwise take from a CDN
 * (its language data, core, worker script) is set to the installed packages, and nothing is
 * cached to disk. One tesseract worker (a thread of the tagging worker) is made on first use and
 * reused for every picture; a picture that takes longer than the time limit ends that worker
 * (the next picture starts a fresh one).
 */

/** How long one picture may take (a 24 MP poster takes a few seconds; a scan of fine print more). */
export const OCR_TIME_LIMIT_MS = 30_000;

export interface OcrWord {
  text: string;
  /** 0..1 */
  confidence: number;
  box: TagBox;
}

export interface OcrResult {
  /** Lines of text, one per line found, top to bottom. */
  lines: string[];
  words: OcrWord[];
}

/** A grey picture, 8 bits a pixel, row-major. */
export interface GreyImage {
  data: Uint8Array;
  width: number;
  height: number;
}

interface Bbox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
interface TessWord {
  text: string;
  confidence: number;
  bbox: Bbox;
}
interface TessLine {
  text: string;
  words: TessWord[];
}
interface TessPage {
  blocks: { paragraphs: { lines: TessLine[] }[] }[] | null;
}
interface TessWorker {
  recognize(
    image: Buffer,
    options: object,
    output: { blocks: boolean; text: boolean },
  ): Promise<{ data: TessPage }>;
  terminate(): Promise<unknown>;
}
interface Tesseract {
  createWorker(langs: string, oem: number, options: object): Promise<TessWorker>;
}

const requireHere = createRequire(__filename);

/** The folder of an installed package (found from its package.json; the packages list no `exports`). */
function packageDir(name: string): string {
  return path.dirname(requireHere.resolve(`${name}/package.json`));
}

/** The local paths tesseract.js is given for everything it would fetch. */
export function tesseractPaths(): {
  workerPath: string;
  corePath: string;
  langPath: string;
  cachePath: string;
} {
  const langPath = path.join(packageDir('@tesseract.js-data/eng'), '4.0.0_best_int');
  if (!fs.existsSync(path.join(langPath, 'eng.traineddata.gz')))
    throw new Error(`text recognition: @tesseract.js-data/eng is installed without ${langPath}`);
  return {
    workerPath: path.join(packageDir('tesseract.js'), 'src', 'worker-script', 'node', 'index.js'),
    corePath: packageDir('tesseract.js-core'),
    langPath,
    // Read-only: with cacheMethod 'none' tesseract.js neither reads nor writes a cache here (nor in the working folder).
    cachePath: langPath,
  };
}

/** Thrown for a picture the recognizer could not finish or read: its message is the user's line. */
export class OcrError extends Error {}

export class Ocr {
  private worker: Promise<TessWorker> | null = null;

  private start(): Promise<TessWorker> {
    const tesseract = requireHere('tesseract.js') as Tesseract;
    return new Promise<TessWorker>((resolve, reject) => {
      // OEM 1: the LSTM recognizer alone (what the best_int model holds).
      tesseract
        .createWorker('eng', 1, {
          ...tesseractPaths(),
          cacheMethod: 'none',
          gzip: true,
          logger: () => undefined,
          // Its start never settles when loading fails: the error comes here (later ones are the recognize calls' own).
          errorHandler: (e: unknown) =>
            reject(
              new OcrError(`text recognition could not start: ${String(e).split('\n')[0]!.slice(0, 200)}`),
            ),
        })
        .then(resolve, reject);
    });
  }

  /** Words and lines of a grey picture; throws OcrError past the time limit or for what tesseract cannot read. */
  async recognize(image: GreyImage, limitMs = OCR_TIME_LIMIT_MS): Promise<OcrResult> {
    this.worker ??= this.start();
    const current = this.worker;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new OcrError(`text recognition took longer than ${Math.round(limitMs / 1000)} s`)),
          limitMs,
        );
      });
      // The worker's start counts too: tesseract.js never settles a start whose data failed to load.
      const work = current.then((worker) =>
        // PGM: tesseract's image reader takes it as is (no encoding to PNG first).
        worker.recognize(
          Buffer.concat([
            Buffer.from(`P5\n${image.width} ${image.height}\n255\n`, 'ascii'),
            Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length),
          ]),
          {},
          { blocks: true, text: false },
        ),
      );
      // Past the time limit its result or error comes to nobody.
      work.catch(() => undefined);
      const { data } = await Promise.race([work, timeout]);
      return resultOf(data, image.width, image.height);
    } catch (err) {
      // A stuck or broken worker is ended; the next picture starts a fresh one.
      if (this.worker === current) this.worker = null;
      void current.then((w) => w.terminate()).catch(() => undefined);
      if (err instanceof OcrError) throw err;
      const m = err instanceof Error ? err.message : String(err);
      throw new OcrError(`text recognition failed: ${(m.split('\n')[0] ?? m).slice(0, 200)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    await w?.then((x) => x.terminate()).catch(() => undefined);
  }
}

function round(v: number): number {
  return Math.round(Math.min(1, Math.max(0, v)) * 10000) / 10000;
}

function resultOf(page: TessPage, width: number, height: number): OcrResult {
  const lines: string[] = [];
  const words: OcrWord[] = [];
  for (const block of page.blocks ?? [])
    for (const para of block.paragraphs)
      for (const line of para.lines) {
        const text = line.text.replace(/\s+/g, ' ').trim();
        if (text) lines.push(text);
        for (const w of line.words) {
          const t = w.text.trim();
          if (!t) continue;
          words.push({
            text: t,
            confidence: round(w.confidence / 100),
            box: {
              x: round(w.bbox.x0 / width),
              y: round(w.bbox.y0 / height),
              w: round((w.bbox.x1 - w.bbox.x0) / width),
              h: round((w.bbox.y1 - w.bbox.y0) / height),
            },
          });
        }
      }
  return { lines, words };
}
