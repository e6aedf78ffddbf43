import fs from 'node:fs';
import type http from 'node:http';
import { pipeline } from 'node:stream/promises';

/**
 * At most `size` holders at once; the rest wait in arrival order. Media reads go through one, so
 * a burst of requests cannot run the process out of file descriptors (EMFILE).
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async acquire(): Promise<() => void> {
    if (this.active >= this.size) await new Promise<void>((r) => this.waiting.push(r));
    else this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `active` stays as it is.
      if (next) next();
      else this.active--;
    };
  }
}

/** Why a file on disk could not be sent, as an HTTP status and a one-line reason (no paths). */
export function fileErrorStatus(err: unknown): { status: number; message: string } {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
    case 'EISDIR':
      return { status: 404, message: 'the file is missing from the cache' };
    case 'EACCES':
    case 'EPERM':
      return { status: 403, message: 'the file cannot be read (permission denied)' };
    case 'EMFILE':
    case 'ENFILE':
      return { status: 503, message: 'too many open files: try again' };
    default:
      return { status: 500, message: 'the file cannot be read' };
  }
}

/** Files up to this size are read whole, so their descriptor is held for the read, not for the client. */
const READ_WHOLE = 4 * 1024 * 1024;

/**
 * Send one regular file, holding a slot of `limit` while it is open: a small file (thumbnails,
 * previews, UI assets) only while it is read, so a slow client holds no descriptor; a large one
 * until its last byte. Every failure (a folder where a file should be, no permission, no
 * descriptor left) becomes one error answer: before the headers as a status, after them by
 * cutting that response only.
 */
export async function sendFile(
  limit: Semaphore,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  file: string,
  headers: http.OutgoingHttpHeaders,
): Promise<void> {
  const release = await limit.acquire();
  let handle: fs.promises.FileHandle | undefined;
  try {
    if (res.destroyed) return;
    let body: Buffer | undefined;
    try {
      handle = await fs.promises.open(file, 'r');
      const st = await handle.stat();
      if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      if (st.size <= READ_WHOLE && req.method !== 'HEAD') body = await handle.readFile();
      res.writeHead(200, { ...headers, 'Content-Length': body?.length ?? st.size });
    } catch (err) {
      const { status, message } = fileErrorStatus(err);
      res.writeHead(status, {
        'Content-Type': 'text/plain; charset=utf-8',
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
        ...(status === 503 ? { 'Retry-After': '1' } : {}),
      });
      res.end(message);
      return;
    }
    if (req.method === 'HEAD' || body) {
      await handle.close();
      handle = undefined;
      release();
      res.end(body);
      return;
    }
    // The stream closes the handle when it ends or fails; a read error cuts this response only.
    const stream = handle.createReadStream();
    handle = undefined;
    await pipeline(stream, res).catch(() => res.destroy());
  } finally {
    await handle?.close().catch(() => undefined);
    release();
  }
}
