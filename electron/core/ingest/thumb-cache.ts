/** Long edge of the grid thumbnail made at ingest. */
export const THUMB_EDGE = 512;
/**
 * Inside the thumbnail folder (same device, so rename is atomic). A catalogue that opens removes
 * what dead writers left there; a temp file is `HASH.PID.JOB`.
 */
export const TMP_DIR = '.tmp';

export function thumbTempName(hash: string, jobId: number | string): string {
  return `${hash}.${process.pid}.${jobId}`;
}

/** The writer's pid of a thumbnail temp file, null when the name is not one. */
export function thumbTempPid(name: string): number | null {
  const m = /^[0-9a-f]+\.(\d{1,10})\.\d+$/.exec(name);
  return m ? Number(m[1]) : null;
}

/** Thumbnails are keyed by content, so copies share one and a moved file keeps its own. */
export function thumbRelPath(hash: string): string {
  return `${hash.slice(0, 2)}/${hash}.webp`;
}
