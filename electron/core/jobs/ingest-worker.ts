import { parentPort } from 'node:worker_threads';
import { processFile } from '../ingest/process-file';
import type { ProcessRequest } from './messages';

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
