import fs from 'node:fs';

/**
 * Random access to a file's bytes, whether it is already in memory or still on disk. Container
 * walkers read a few headers here and there; a 200 MB RAW need not be loaded to find its preview.
 */
export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `offset`; shorter at the end of the file, empty past it. */
  read(offset: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

export function bufferSource(buf: Buffer): ByteSource {
  return {
    size: buf.length,
    read: async (offset, length) => {
      if (offset < 0 || offset >= buf.length || length <= 0) return Buffer.alloc(0);
      return buf.subarray(offset, Math.min(buf.length, offset + length));
    },
    close: async () => {},
  };
}

export async function fileSource(file: string): Promise<ByteSource> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const { size } = await fh.stat();
    return {
      size,
      read: async (offset, length) => {
        if (offset < 0 || offset >= size || length <= 0) return Buffer.alloc(0);
        const n = Math.min(length, size - offset);
        const out = Buffer.allocUnsafe(n);
        const { bytesRead } = await fh.read(out, 0, n, offset);
        return out.subarray(0, bytesRead);
      },
      close: () => fh.close(),
    };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

export function openSource(src: Buffer | string): Promise<ByteSource> {
  return typeof src === 'string' ? fileSource(src) : Promise.resolve(bufferSource(src));
}
