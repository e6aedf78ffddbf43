import { createHash } from 'node:crypto';
import fs from 'node:fs';

// A file up to the in-memory limit is read once: the bytes feed the metadata reader and the
// decoder, and each chunk is hashed as it arrives, while it is still in the CPU cache. The bytes
// go into a buffer this thread keeps between files: a fresh 10-30 MB buffer per camera file cost
// page faults and, worse, full garbage collections (V8 counts the external memory), about a
// tenth of an ingest worker's time on 24 MP JPEGs.
//
// The reads are synchronous, in 256 KiB chunks: this runs only in an ingest worker, one file at a
// time, so nothing else waits on its event loop, and each chunk is still in the core's L2 cache
// when it is hashed. Promise reads of 1 MiB each went through libuv's thread pool (a hand-off per
// chunk, the copy on another core): ~2 ms more CPU per 11 MB file.

const CHUNK = 1 << 18;
/** Buffers up to this size are kept for the next file; a rare bigger file gets its own. */
const KEEP_LIMIT = 32 * 1024 * 1024;
/** An idle worker gives the memory back. */
const KEEP_IDLE_MS = 10_000;

let spare: Buffer | null = null;
let dropTimer: NodeJS.Timeout | null = null;

function take(size: number): Buffer {
  if (dropTimer) clearTimeout(dropTimer);
  dropTimer = null;
  if (spare && spare.length >= size) {
    const b = spare;
    spare = null;
    return b;
  }
  // Room to grow a little, so files of similar sizes share one buffer.
  return Buffer.allocUnsafeSlow(size <= KEEP_LIMIT ? Math.min(KEEP_LIMIT, Math.ceil(size * 1.25)) : size);
}

function giveBack(b: Buffer): void {
  if (b.length > KEEP_LIMIT || (spare && spare.length >= b.length)) return;
  spare = b;
  if (dropTimer) clearTimeout(dropTimer);
  dropTimer = setTimeout(() => {
    spare = null;
    dropTimer = null;
  }, KEEP_IDLE_MS);
  dropTimer.unref();
}

export interface FileBytes {
  /** The file's bytes; valid until release(). */
  bytes: Buffer;
  /** SHA-256 of exactly those bytes, hex. */
  hash: string;
  /** The bytes may be overwritten by the next file read in this thread once this is called. */
  release(): void;
}

/**
 * Reads up to `size` bytes of `file` (its size when stat'ed) and hashes them. A file that changes
 * meanwhile yields what was read; the caller's second stat tells it the reading is not stable.
 */
export async function readAndHash(file: string, size: number): Promise<FileBytes> {
  const buf = take(size);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    giveBack(buf);
  };
  try {
    const h = createHash('sha256');
    const fd = fs.openSync(file, 'r');
    let n = 0;
    try {
      while (n < size) {
        const bytesRead = fs.readSync(fd, buf, n, Math.min(CHUNK, size - n), n);
        if (bytesRead === 0) break;
        h.update(buf.subarray(n, n + bytesRead));
        n += bytesRead;
      }
    } finally {
      fs.closeSync(fd);
    }
    return { bytes: buf.subarray(0, n), hash: h.digest('hex'), release };
  } catch (err) {
    release();
    throw err;
  }
}
