import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { renderThumbnail } from '../ingest/thumbnails';
import type { RenderJob, RenderReply } from './render-service';

// Large previews on demand, off the main thread: a HEIC decode alone takes about a second.
parentPort?.on('message', (job: RenderJob) => {
  renderThumbnail({ path: job.path, format: job.format, maxEdge: job.maxEdge })
    .then((out) => {
      const tmp = `${job.out}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, out.data);
      fs.renameSync(tmp, job.out);
      parentPort?.postMessage({ id: job.id, ok: true } satisfies RenderReply);
    })
    .catch((err: unknown) =>
      parentPort?.postMessage({
        id: job.id,
        ok: false,
        error: err instanceof Error ? err.message : String(err),
      } satisfies RenderReply),
    );
});
