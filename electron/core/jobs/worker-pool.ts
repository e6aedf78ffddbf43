import { Worker } from 'node:worker_threads';
import type { ProcessRequest, ProcessResult } from './messages';
import { workerFile } from './worker-files';

export function defaultWorkerFile(): string {
  return workerFile('ingest-worker.js');
}

interface Slot {
  worker: Worker;
  busy: boolean;
  settle?: (r: ProcessResult) => void;
  timer?: NodeJS.Timeout;
}

export class WorkerPool {
  private slots: Slot[] = [];
  private closed = false;

  constructor(
    readonly size: number,
    private readonly workerFile = defaultWorkerFile(),
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(this.workerFile), busy: false };
    slot.worker.on('message', (res: ProcessResult) => this.finish(slot, res));
    slot.worker.on('error', (err) => this.fail(slot, `worker crashed: ${err.message}`));
    slot.worker.on('exit', () => {
      if (!this.closed && slot.busy) this.fail(slot, 'worker exited unexpectedly');
    });
    return slot;
  }

  get idleCount(): number {
    return this.slots.filter((s) => !s.busy).length;
  }

  private finish(slot: Slot, res: ProcessResult): void {
    if (slot.timer) clearTimeout(slot.timer);
    const settle = slot.settle;
    slot.busy = false;
    slot.settle = undefined;
    settle?.(res);
  }

  /** A crash or a hang costs one worker, never the app: replace it and report the file. */
  private fail(slot: Slot, message: string): void {
    const settle = slot.settle;
    const idx = this.slots.indexOf(slot);
    if (slot.timer) clearTimeout(slot.timer);
    slot.settle = undefined;
    slot.busy = false;
    void slot.worker.terminate();
    if (!this.closed && idx >= 0) this.slots[idx] = this.spawn();
    settle?.({ transientError: message } as ProcessResult);
  }

  run(req: ProcessRequest, timeoutMs: number): Promise<ProcessResult> {
    const slot = this.slots.find((s) => !s.busy);
    if (!slot) return Promise.reject(new Error('no idle worker'));
    slot.busy = true;
    return new Promise<ProcessResult>((resolve) => {
      slot.settle = (r) => resolve({ ...r, jobId: req.jobId, fileId: req.fileId });
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
