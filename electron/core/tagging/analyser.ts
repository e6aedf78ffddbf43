import type { AutoTagKind, OcrMode, TagBox } from '../../../shared/auto-tags';
import type { Db } from '../catalog/open';

/**
 * The plug-in point of on-device tagging. An analyser looks at one picture and proposes tags
 * (objects, faces, text, colours); the tagging job decodes each picture ONCE, runs the shared
 * models ONCE (the engine's `ModelResults`), hands both to every analyser in a worker thread, and
 * stores every analyser's results in ONE transaction on the main thread, together with the job's
 * settlement. To add one: write an `Analyser` (worker side) in `tagging/`, list it in
 * `tagging/analysers.ts` ANALYSERS; when it keeps more than tags (face descriptors, a palette),
 * give it a `store` (main side, SQL through a catalog/ repository) for its `extra`.
 */

/** The picture, decoded once per job: 8-bit sRGB, 3 channels, row-major, upright (EXIF orientation applied). */
export interface DecodedImage {
  data: Uint8Array;
  width: number;
  height: number;
  /** The picture's own size before the decode scaled it down (at most DECODE_EDGE on the long edge). */
  sourceWidth: number;
  sourceHeight: number;
}

/** A detection of a shared model, box normalized to 0..1 of the upright picture. */
export interface Detection {
  label: string;
  score: number;
  box: TagBox;
}

/** A face of the shared face model: where it is, how sure, and its descriptor when an analyser asked for one. */
export interface FaceDetection {
  score: number;
  box: TagBox;
  /** faceres descriptor (1024 floats), when some analyser needs `descriptors`. */
  descriptor: number[] | null;
}

/** What the shared models (`@vladmandic/human`) found, run once per picture for every analyser. */
export interface ModelResults {
  /** COCO objects (centernet), every score above the engine's floor: analysers apply their threshold. */
  objects: Detection[];
  faces: FaceDetection[];
}

/** Which shared models an analyser needs (the engine loads the union once per worker). */
export interface ModelNeeds {
  objects?: boolean;
  faces?: boolean;
  descriptors?: boolean;
}

/** Settings a run reads (the user's, from the catalogue). */
export interface RunSettings {
  /** Confidence an object needs to be proposed (`dam config tagging-threshold`). */
  threshold: number;
  /** Where text is recognised (`dam config ocr`); the text analyser's alone. */
  ocr?: OcrMode;
  /** The file the picture was decoded from (its name and format hint at text; OCR may read it at a larger size). */
  file?: { path: string; name: string; format: string };
}

/** One tag as an analyser proposes it. */
export interface ProposedTag {
  kind: AutoTagKind;
  label: string;
  /** 0..1 */
  confidence: number;
  box: TagBox | null;
  /** The model that found it (the analyser's modelVersion is recorded beside). */
  model: string;
  /** Kept with the tag as JSON (e.g. a colour's hex); search never reads it. */
  extra?: unknown;
}

export interface AnalyserOutput<Extra = unknown> {
  tags: ProposedTag[];
  /** Anything else to keep (structured-clonable): passed to the analyser's `store` on the main thread. */
  extra?: Extra;
  /** The analyser could not do its part on this picture (a time limit, an unreadable image): kept as its run's error. */
  error?: string;
  /**
   * Recorded instead of the analyser's modelVersion for this picture: the text analyser's
   * `…+skipped` when `ocr auto` saw no sign of text, done under auto and owed again under `all`.
   */
  version?: string;
}

/** Worker side: runs in a tagging worker thread, once per picture. */
export interface Analyser<Extra = unknown> {
  /** Stable id, stored with its runs and tags ('objects', 'faces', 'colours', 'text'). */
  readonly name: string;
  /** Bump when the model or the analysis changes: every asset is then owed a re-run of this analyser. */
  readonly modelVersion: string;
  readonly needs: ModelNeeds;
  run(image: DecodedImage, models: ModelResults, settings: RunSettings): Promise<AnalyserOutput<Extra>>;
}

/**
 * Main side: keeps an analyser's `extra` in the transaction that stores its tags (and before its
 * run is recorded). `extra` is undefined when the picture could not be read: clear what was kept.
 */
export interface AnalyserStore<Extra = unknown> {
  readonly name: string;
  store(db: Db, assetId: number, fileId: number, extra: Extra | undefined): void;
}
