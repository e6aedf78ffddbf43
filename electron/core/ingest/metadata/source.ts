import fs from 'node:fs';

/**
 * Random access to a file's bytes, from memory or from disk. The container walkers only ask for
 * the headers and metadata blocks they need, so a multi-GB file is never read whole.
 */
export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `offset`; fewer only where the file ends. */
  read(offset: number, length: number): Promise<Buffer>;
}

function clampRange(size: number, offset: number, length: number): [number, number] {
  const start = Math.max(0, Math.min(offset, size));
  const end = Math.max(start, Math.min(start + Math.max(0, length), size));
  return [start, end];
}

export function bufferSource(buf: Uint8Array): ByteSource {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  return {
    size: b.length,
    read: (offset, length) => {
      const [start, end] = clampRange(b.length, offset, length);
      return Promise.resolve(b.subarray(start, end));
    },
  };
}

/** A window onto part of another source (an embedded JPEG inside a RAF, for instance). */
export function sliceSource(src: ByteSource, start: number, length: number): ByteSource {
  const [s, e] = clampRange(src.size, start, length);
  return {
    size: e - s,
    read: (offset, len) => {
      const [a, b] = clampRange(e - s, offset, len);
      return src.read(s + a, b - a);
    },
  };
}

/** Small reads (segment and chunk headers) are served from one read-ahead window of this size. */
const WINDOW = 64 * 1024;

export async function withFileSource<T>(file: string, fn: (src: ByteSource) => Promise<T>): Promise<T> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const { size } = await fh.stat();
    const readExactly = async (start: number, end: number): Promise<Buffer> => {
      const buf = Buffer.alloc(end - start);
      let done = 0;
      while (done < buf.length) {
        const { bytesRead } = await fh.read(buf, done, buf.length - done, start + done);
        if (bytesRead === 0) break; // the file shrank under us
        done += bytesRead;
      }
      return done === buf.length ? buf : buf.subarray(0, done);
    };
    // A fresh buffer per window, so slices handed out earlier stay valid.
    let window: { start: number; buf: Buffer } = { start: 0, buf: Buffer.alloc(0) };
    const src: ByteSource = {
      size,
      async read(offset, length) {
        const [start, end] = clampRange(size, offset, length);
        if (end - start > WINDOW) return readExactly(start, end);
        if (start < window.start || end > window.start + window.buf.length) {
          window = { start, buf: await readExactly(start, Math.min(size, start + WINDOW)) };
        }
        return window.buf.subarray(
          start - window.start,
          Math.min(end, window.start + window.buf.length) - window.start,
        );
      },
    };
    return await fn(src);
  } finally {
    await fh.close();
  }
}
