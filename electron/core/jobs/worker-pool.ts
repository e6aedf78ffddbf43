import { Worker } from 'node:worker_threads';
import type { ProcessRequest, ProcessResult } from './messages';
import { workerFile } from './worker-files';
import { spawnWithOldSpaceFloor } from './worker-heap';

export function defaultWorkerFile(): string {
  return workerFile('ingest-worker.js');
}

interface Slot<Res> {
  worker: Worker;
  busy: boolean;
  settle?: (r: Res) => void;
  timer?: NodeJS.Timeout;
}

/** What a request carries at least: the job it is for. */
interface PoolRequest {
  jobId: number;
}

/** The result a pool reports for a worker that crashed, exited or hung, or to stamp a reply with its request. */
function ingestResult(req: ProcessRequest, r: ProcessResult): ProcessResult {
  return { ...r, jobId: req.jobId, fileId: req.fileId };
}

/**
 * Worker threads that each take one request at a time (the ingest pool; tagging runs its own pool
 * of the same class with its own worker file, request and result types). A crash or a hang costs
 * one worker, which is replaced; the request's result then says what happened (`failure`).
 */
export class WorkerPool<Req extends PoolRequest = ProcessRequest, Res = ProcessResult> {
  private slots: Slot<Res>[] = [];
  private closed = false;

  constructor(
    readonly size: number,
    private readonly workerFile = defaultWorkerFile(),
    /** The request's result from a worker's reply, or from `{ transientError }` when the worker failed. */
    private readonly result: (req: Req, r: Res) => Res = ingestResult as never,
    /** The old generation's starting size of each worker's heap, in MB (see worker-heap.ts). */
    private readonly oldSpaceFloorMb?: number,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot<Res> {
    const start = () => new Worker(this.workerFile);
    const worker = this.oldSpaceFloorMb ? spawnWithOldSpaceFloor(this.oldSpaceFloorMb, start) : start();
    const slot: Slot<Res> = { worker, busy: false };
    slot.worker.on('message', (res: Res) => this.finish(slot, res));
    slot.worker.on('error', (err) => this.fail(slot, `worker crashed: ${err.message}`));
    slot.worker.on('exit', () => {
      if (!this.closed && slot.busy) this.fail(slot, 'worker exited unexpectedly');
    });
    return slot;
  }

  get idleCount(): number {
    return this.slots.filter((s) => !s.busy).length;
  }

  private finish(slot: Slot<Res>, res: Res): void {
    if (slot.timer) clearTimeout(slot.timer);
    const settle = slot.settle;
    slot.busy = false;
    slot.settle = undefined;
    settle?.(res);
  }

  /** A crash or a hang costs one worker, never the app: replace it and report the file. */
  private fail(slot: Slot<Res>, message: string): void {
    const settle = slot.settle;
    const idx = this.slots.indexOf(slot);
    if (slot.timer) clearTimeout(slot.timer);
    slot.settle = undefined;
    slot.busy = false;
    void slot.worker.terminate();
    if (!this.closed && idx >= 0) this.slots[idx] = this.spawn();
    settle?.({ transientError: message } as Res);
  }

  run(req: Req, timeoutMs: number): Promise<Res> {
    const slot = this.slots.find((s) => !s.busy);
    if (!slot) return Promise.reject(new Error('no idle worker'));
    slot.busy = true;
    return new Promise<Res>((resolve) => {
      slot.settle = (r) => resolve(this.result(req, r));
      slot.timer = setTimeout(
        () => this.fail(slot, `timed out after ${Math.round(timeoutMs / 1000)} s (the file may be damaged)`),
        timeoutMs,
      );
      slot.worker.postMessage(req);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots = [];
  }
}
