/** Long edge of the grid thumbnail made at ingest. */
export const THUMB_EDGE = 512;
/** Inside the thumbnail folder (same device, so rename is atomic); emptied when a catalogue opens. */
export const TMP_DIR = '.tmp';

/** Thumbnails are keyed by content, so copies share one and a moved file keeps its own. */
export function thumbRelPath(hash: string): string {
  return `${hash.slice(0, 2)}/${hash}.webp`;
}
