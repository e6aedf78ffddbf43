import { parentPort, workerData } from 'node:worker_threads';
import { walkSync, type WalkBatch } from '../ingest/walk';

const { root, exclude } = workerData as { root: string; exclude: string[] };
const done = walkSync(
  root,
  (batch: WalkBatch) => {
    // Copy out of the shared backing store so the buffer can be handed over, not cloned.
    const num = batch.num.slice();
    parentPort!.postMessage({ batch: { rel: batch.rel, num } }, [num.buffer]);
  },
  { exclude },
);
parentPort!.postMessage({ done });
