import fs from 'node:fs';

/**
 * Random access to a file's bytes, from memory or from disk. The container walkers only ask for
 * the headers and blocks they need, so a multi-GB file is never read whole.
 */
export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `offset`; fewer only where the file ends, empty past it. */
  read(offset: number, length: number): Promise<Buffer>;
}

/** A source that holds an open file until closed (a no-op for memory). */
export interface OpenSource extends ByteSource {
  close(): Promise<void>;
}

/** [start, end) of a read, inside the file; empty for a negative offset or length. */
function clampRange(size: number, offset: number, length: number): [number, number] {
  if (!(offset >= 0) || !(length > 0) || offset >= size) return [0, 0];
  return [offset, Math.min(size, offset + length)];
}

export function bufferSource(buf: Uint8Array): OpenSource {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  return {
    size: b.length,
    read: (offset, length) => {
      const [start, end] = clampRange(b.length, offset, length);
      return Promise.resolve(b.subarray(start, end));
    },
    close: () => Promise.resolve(),
  };
}

/** A window onto part of another source (an embedded JPEG inside a RAF, for instance). */
export function sliceSource(src: ByteSource, start: number, length: number): ByteSource {
  const s = Math.max(0, Math.min(start, src.size));
  const size = Math.max(0, Math.min(length, src.size - s));
  return {
    size,
    read: (offset, len) => {
      const [a, b] = clampRange(size, offset, len);
      return b > a ? src.read(s + a, b - a) : Promise.resolve(Buffer.alloc(0));
    },
  };
}

export interface FileSourceOptions {
  /**
   * Reads shorter than this are served from one read-ahead window of this size: the metadata
   * walkers issue many tiny header reads close together. 0 reads exactly what is asked.
   */
  readAhead?: number;
}

export async function openFileSource(file: string, options: FileSourceOptions = {}): Promise<OpenSource> {
  const readAhead = options.readAhead ?? 0;
  const fh = await fs.promises.open(file, 'r');
  try {
    const { size } = await fh.stat();
    const readExactly = async (start: number, end: number): Promise<Buffer> => {
      const buf = Buffer.allocUnsafe(end - start);
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
    return {
      size,
      async read(offset, length) {
        const [start, end] = clampRange(size, offset, length);
        if (end === start) return Buffer.alloc(0);
        if (end - start > readAhead) return readExactly(start, end);
        if (start < window.start || end > window.start + window.buf.length) {
          window = { start, buf: await readExactly(start, Math.min(size, start + readAhead)) };
        }
        return window.buf.subarray(
          start - window.start,
          Math.min(end, window.start + window.buf.length) - window.start,
        );
      },
      close: () => fh.close(),
    };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/** A file path, or the whole file already in memory, as a source; close it when done. */
export function openSource(input: Buffer | string, options: FileSourceOptions = {}): Promise<OpenSource> {
  return typeof input === 'string' ? openFileSource(input, options) : Promise.resolve(bufferSource(input));
}

export async function withSource<T>(
  input: Buffer | string,
  fn: (src: ByteSource) => Promise<T>,
  options: FileSourceOptions = {},
): Promise<T> {
  const src = await openSource(input, options);
  try {
    return await fn(src);
  } finally {
    await src.close();
  }
}
