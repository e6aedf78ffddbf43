import { parentPort } from 'node:worker_threads';
import sharp from 'sharp';
import { processFile } from '../ingest/process-file';
import type { ProcessRequest } from './messages';

// The pool runs one worker per core; libvips threads inside each would only fight over the same
// cores (measured: 15.8 vs 13.3 files/s for 24 MP JPEGs on 2 cores).
sharp.concurrency(1);

// One file at a time per worker: the pool decides parallelism, and a per-file time limit can
// then end exactly the file that hangs.
parentPort?.on('message', (req: ProcessRequest) => {
  processFile(req).then(
    (res) => parentPort?.postMessage(res),
    (err: unknown) =>
      parentPort?.postMessage({
        jobId: req.jobId,
        fileId: req.fileId,
        stat: null,
        stable: false,
        error: null,
        transientError: err instanceof Error ? err.message : String(err),
      }),
  );
});
