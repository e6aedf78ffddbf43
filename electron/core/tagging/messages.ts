import type { OcrMode } from '../../../shared/auto-tags';
import type { AnalyserOutput } from './analyser';

/** Main thread → tagging worker: one picture, the analysers owed on it. */
export interface TagRequest {
  jobId: number;
  assetId: number;
  /** The asset's current file. */
  path: string;
  format: string;
  /** Its grid thumbnail (absolute), decoded instead of the file when sharp cannot read the file (RAW, HEIC, PSD). */
  thumb: string | null;
  analysers: string[];
  threshold: number;
  ocr: OcrMode;
}

/** Tagging worker → main thread. */
export interface TagResult {
  jobId: number;
  assetId: number;
  /** The TensorFlow backend that ran ('tensorflow' or 'wasm'). */
  backend: string | null;
  /** Per analyser, in request order. */
  outputs: { name: string; modelVersion: string; output: AnalyserOutput }[];
  /** The picture cannot be tagged (unreadable, too large): kept on the asset, not retried. */
  error: string | null;
  /** The worker failed (crash, time limit, the engine would not start): retried with backoff. */
  transientError: string | null;
  ms: number;
}
