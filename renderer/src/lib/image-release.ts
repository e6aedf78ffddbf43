/**
 * Thumbnails enter the page through here, a few per animation frame. Dozens of images requested and
 * decoded in the same instant (after a jump, or a fast scroll coming to rest) starve the frames
 * around them for a quarter of a second; spread over a few frames the same work leaves each frame
 * on time. At rest (the first screen) the pace is brisk; while the grid moves, gentle.
 */
const AT_REST_PER_FRAME = 12;
const MOVING_PER_FRAME = 2;
const MOVING_MS = 250;

let lastScroll = -Infinity;
const queue = new Set<() => void>();
let scheduled = false;

/** The grid calls this on every scroll event. */
export function noteScroll(): void {
  lastScroll = performance.now();
}

function run(now: number): void {
  scheduled = false;
  const budget = now - lastScroll < MOVING_MS ? MOVING_PER_FRAME : AT_REST_PER_FRAME;
  let n = 0;
  for (const fn of queue) {
    if (n++ >= budget) break;
    queue.delete(fn);
    fn();
  }
  if (queue.size > 0) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(run);
}

/** Calls `show` in a coming frame; the returned function withdraws it (the tile left the page). */
export function releaseImage(show: () => void): () => void {
  const entry = () => show();
  queue.add(entry);
  schedule();
  return () => void queue.delete(entry);
}
