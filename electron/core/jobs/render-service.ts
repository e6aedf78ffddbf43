import { Worker } from 'node:worker_threads';
import type { FormatId } from '../ingest/formats/file-types';
import { workerFile } from './worker-files';

export interface RenderJob {
  id: number;
  path: string;
  format: FormatId;
  maxEdge: number;
  /** Where the WebP goes (written aside, then renamed). */
  out: string;
}
export type RenderReply = { id: number; ok: true } | { id: number; ok: false; error: string };

const TIME_LIMIT_MS = 60_000;

/**
 * One worker thread for renders a person is waiting for (the loupe's preview), apart from the
 * ingest pool so a long scan never delays them. Started on first use; replaced if it dies.
 */
export class RenderService {
  private worker: Worker | null = null;
  private nextId = 1;
  private waiting = new Map<
    number,
    { resolve: () => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(workerFile('render-worker.js'));
    w.on('message', (r: RenderReply) => {
      const p = this.waiting.get(r.id);
      if (!p) return;
      this.waiting.delete(r.id);
      clearTimeout(p.timer);
      if (r.ok) p.resolve();
      else p.reject(new Error(r.error));
    });
    const failAll = (message: string) => {
      this.worker = null;
      for (const [, p] of this.waiting) {
        clearTimeout(p.timer);
        p.reject(new Error(message));
      }
      this.waiting.clear();
    };
    w.on('error', (err) => failAll(`preview renderer crashed: ${err.message}`));
    w.on('exit', () => failAll('preview renderer stopped'));
    w.unref();
    this.worker = w;
    return w;
  }

  render(job: Omit<RenderJob, 'id'>): Promise<void> {
    const id = this.nextId++;
    const w = this.ensure();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error('timed out making the preview'));
        void w.terminate();
      }, TIME_LIMIT_MS);
      this.waiting.set(id, { resolve, reject, timer });
      w.postMessage({ ...job, id } satisfies RenderJob);
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
  }
}
