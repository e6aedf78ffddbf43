// Auto-tags: what on-device analysers found in a picture (objects, faces, text, colours), proposed
// to the user apart from keywords until accepted (then a keyword) or rejected (then never again).

export const AUTO_TAG_KINDS = ['object', 'face', 'text', 'color'] as const;
export type AutoTagKind = (typeof AUTO_TAG_KINDS)[number];

export const AUTO_TAG_STATES = ['proposed', 'accepted', 'rejected'] as const;
export type AutoTagState = (typeof AUTO_TAG_STATES)[number];

/** A region of the picture, normalized to 0..1 of the upright image (x, y: top left). */
export interface TagBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** One auto-tag of an asset, as `show --json`, `dam tags` and the inspector see it. */
export interface AutoTag {
  label: string;
  kind: AutoTagKind;
  confidence: number;
  box: TagBox | null;
  model: string;
  modelVersion: string;
  state: AutoTagState;
}

/** A label's state on one asset, as an undo puts it back (`proposed`: no decision). */
export interface TagDecision {
  id: number;
  kind: AutoTagKind;
  label: string;
  state: AutoTagState;
}

/** The keyword hierarchy an accepted tag of each kind goes under (lr:hierarchicalSubject `Objects|bus`). */
export const AUTO_TAG_PARENTS: Record<AutoTagKind, string> = {
  object: 'Objects',
  face: 'People',
  text: 'Text',
  color: 'Colors',
};

export const DEFAULT_TAGGING_THRESHOLD = 0.3;

/**
 * Text recognition (OCR, seconds per picture): `off`; `auto`, only where text is likely (a
 * screenshot, a scan, a name like Screenshot* or Scan*, rows of strokes on the picture); `all`.
 */
export const OCR_MODES = ['off', 'auto', 'all'] as const;
export type OcrMode = (typeof OCR_MODES)[number];
export const DEFAULT_OCR_MODE: OcrMode = 'auto';

/** Whether and how tagging runs (Settings, `dam tag --json`, the progress strip). */
export interface TaggingStatus {
  /** The global switch (`dam config tagging on|off`). */
  enabled: boolean;
  /** Tagging paused by the user (until resumed, or the app restarts). */
  paused: boolean;
  /** Confidence an object needs to be proposed (`dam config tagging-threshold`). */
  threshold: number;
  /** Where text is recognised (`dam config ocr off|auto|all`). */
  ocr: OcrMode;
  /** The TensorFlow backend the last run used ('tensorflow' native, 'wasm'), null before any ran here. */
  backend: string | null;
  /** Images owed tagging, tagged, and failed (with an error kept on the asset). */
  pending: number;
  tagged: number;
  failed: number;
  /** Images per second of this process's tagging so far (0 before any). */
  perSecond: number;
}
