import sharp from 'sharp';
import type { OcrMode } from '../../../shared/auto-tags';
import { wordKey } from '../../../shared/keywords';
import { setFileText } from '../catalog/file-text.repository';
import type { Analyser, AnalyserStore, DecodedImage, ProposedTag, RunSettings } from './analyser';
import { Ocr, type GreyImage } from './ocr';
import { textLikely, type TextRule } from './text-likely';

/**
 * Text in pictures (OCR): where `dam config ocr` says (`auto`: where a rule of text-likely.ts
 * fires; `all`; `off`: not run), tesseract reads the picture; its lines become the file's `ocr`
 * text (file_text: searchable with text:, shown by show --json) and its surest words `text`
 * auto-tags with their boxes. The rule that made it run is returned with the text.
 */

export const TEXT_MODEL_VERSION = 'tesseract-7-eng-4.0.0-best-int-1';
/** Recorded instead when `ocr auto` saw no sign of text: done for auto, owed again under `all`. */
export const TEXT_SKIPPED_VERSION = `${TEXT_MODEL_VERSION}+skipped`;

/** The recognizer reads at most this long an edge: fine print of a 24 MP page needs more than the shared 1024 px decode. */
const OCR_EDGE = 2048;
/** A word becomes a tag only when the recognizer is at least this sure (its weaker words are noise) and this long. */
const TAG_CONFIDENCE = 0.75;
const TAG_MIN_LENGTH = 4;
/** Words too common to say anything about a picture. */
const STOP_WORDS = new Set(
  'that these this with from have here were there their what when which will your they them then than also into more some such only over each both very just about been does'.split(
    ' ',
  ),
);
const MAX_TAGS = 30;
/** Rasters sharp decodes itself at a chosen size (shrinking a JPEG while decoding). */
const DIRECT = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif']);

export interface TextExtra {
  /** The lines read, one a line; null when none were read or OCR did not run. */
  text: string | null;
  /** Why OCR ran ('all' when the user asked for every picture), null when it did not. */
  rule: TextRule | 'all' | null;
}

/** The recorded versions that count as done for this mode (`off`: the analyser is not owed at all). */
export function textVersionsDone(mode: OcrMode): string[] {
  return mode === 'auto' ? [TEXT_MODEL_VERSION, TEXT_SKIPPED_VERSION] : [TEXT_MODEL_VERSION];
}

/** The worker's one recognizer, reused for every picture (tesseract.js loads on the first that needs it). */
let ocr: Ocr | null = null;

/** The picture in grey for the recognizer: from the file at up to OCR_EDGE when the shared decode made it smaller. */
async function greyFor(image: DecodedImage, file: RunSettings['file']): Promise<GreyImage> {
  const shrunk = image.sourceWidth > image.width || image.sourceHeight > image.height;
  if (shrunk && file && DIRECT.has(file.format)) {
    try {
      const { data, info } = await sharp(file.path, { failOn: 'error' })
        .rotate()
        .resize(OCR_EDGE, OCR_EDGE, { fit: 'inside', withoutEnlargement: true })
        .greyscale()
        .raw({ depth: 'uchar' })
        .toBuffer({ resolveWithObject: true });
      if (info.channels === 1)
        return {
          data: new Uint8Array(data.buffer, data.byteOffset, data.length),
          width: info.width,
          height: info.height,
        };
    } catch {
      // The shared decode read it: that will do.
    }
  }
  const g = new Uint8Array(image.width * image.height);
  for (let i = 0, j = 0; i < g.length; i++, j += 3)
    g[i] = (image.data[j]! * 77 + image.data[j + 1]! * 150 + image.data[j + 2]! * 29) >> 8;
  return { data: g, width: image.width, height: image.height };
}

export const textAnalyser: Analyser<TextExtra> = {
  name: 'text',
  modelVersion: TEXT_MODEL_VERSION,
  needs: {},
  async run(image, _models, settings) {
    const mode = settings.ocr ?? 'auto';
    const rule: TextRule | 'all' | null =
      mode === 'all'
        ? 'all'
        : mode === 'auto'
          ? textLikely(image, { name: settings.file?.name ?? '', format: settings.file?.format ?? '' })
          : null;
    if (!rule) return { tags: [], extra: { text: null, rule: null }, version: TEXT_SKIPPED_VERSION };
    let read;
    try {
      read = await (ocr ??= new Ocr()).recognize(await greyFor(image, settings.file));
    } catch (err) {
      return {
        tags: [],
        extra: { text: null, rule },
        error: err instanceof Error ? err.message : String(err),
      };
    }
    const tags: ProposedTag[] = [];
    const seen = new Set<string>();
    for (const w of read.words) {
      // Letters and digits only (the punctuation around a word is not part of it).
      const label = w.text.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
      const key = wordKey(label);
      if (label.length < TAG_MIN_LENGTH || w.confidence < TAG_CONFIDENCE || seen.has(key)) continue;
      if (STOP_WORDS.has(label.toLowerCase())) continue;
      if (!/\p{L}/u.test(label)) continue;
      seen.add(key);
      tags.push({ kind: 'text', label, confidence: w.confidence, box: w.box, model: 'tesseract' });
      if (tags.length >= MAX_TAGS) break;
    }
    const text = read.lines.join('\n').trim();
    return { tags, extra: { text: text || null, rule } };
  },
};

/** Main side: the lines become the file's `ocr` text (cleared when none were read or the picture could not be). */
export const textStore: AnalyserStore<TextExtra> = {
  name: 'text',
  store(db, _assetId, fileId, extra) {
    setFileText(db, fileId, 'ocr', extra?.text ?? null);
  },
};
