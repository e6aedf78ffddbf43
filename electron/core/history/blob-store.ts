import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { removeDeadTemps } from '../temp-files';

export const HISTORY_DIR = 'history';
/** Inside the store (same device: the rename into place is atomic). */
const TMP_DIR = '.tmp';
const HASH = /^[0-9a-f]{64}$/;
const CHUNK = 1 << 20;

export function isHash(s: string): boolean {
  return HASH.test(s);
}

/** Bytes copied into the store's temp folder, hashed on the way: not yet a blob. */
export interface Incoming {
  tmp: string;
  hash: string;
  size: number;
}

/**
 * Copy src to dst while hashing what is read, then flush dst to disk: what the hash says is what
 * dst holds, whatever happens to src meanwhile. Returns the hash and the size copied.
 */
export async function copyHashed(
  src: string,
  dst: string,
  mode?: number,
): Promise<{ hash: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  const input = await fs.promises.open(src, 'r');
  try {
    const output = await fs.promises.open(dst, 'wx', mode ?? 0o600);
    try {
      const buf = Buffer.allocUnsafe(CHUNK);
      for (;;) {
        const { bytesRead } = await input.read(buf, 0, CHUNK, null);
        if (bytesRead === 0) break;
        const bytes = buf.subarray(0, bytesRead);
        h.update(bytes);
        await output.write(bytes);
        size += bytesRead;
      }
      if (mode !== undefined) await output.chmod(mode);
      await output.sync();
    } finally {
      await output.close();
    }
  } finally {
    await input.close();
  }
  return { hash: h.digest('hex'), size };
}

/**
 * The content-addressed store: history/ab/abcdef… holds the bytes whose SHA-256 is the name. A
 * blob appears there only by a rename after its bytes were hashed and flushed, so a blob is never
 * wrong; a kill mid-copy leaves only a temp file, removed when the catalogue next opens.
 */
export class BlobStore {
  readonly dir: string;
  private readonly tmpDir: string;

  constructor(catalogDir: string) {
    this.dir = path.join(catalogDir, HISTORY_DIR);
    this.tmpDir = path.join(this.dir, TMP_DIR);
  }

  /** The blob's place, from a validated hash only: never a path from outside. */
  pathFor(hash: string): string {
    if (!isHash(hash)) throw new Error(`not a SHA-256: ${hash.slice(0, 80)}`);
    return path.join(this.dir, hash.slice(0, 2), hash);
  }

  has(hash: string, size?: number): boolean {
    try {
      const st = fs.statSync(this.pathFor(hash));
      return st.isFile() && (size === undefined || st.size === size);
    } catch {
      return false;
    }
  }

  /**
   * Remove what killed copies left. Temp names carry the writer's pid: a process that shares this
   * catalogue and is copying right now keeps its file.
   */
  cleanTemp(): void {
    removeDeadTemps(this.tmpDir, (name) => Number(/^(\d+)-/.exec(name)?.[1]) || null);
  }

  /**
   * Copy a file into the temp folder, hashing as it goes. null (and nothing left behind) when the
   * bytes are not the expected ones: the file changed since it was catalogued.
   */
  async copyIn(src: string, expected: string | null): Promise<Incoming | null> {
    await fs.promises.mkdir(this.tmpDir, { recursive: true });
    const tmp = path.join(this.tmpDir, `${process.pid}-${randomBytes(8).toString('hex')}`);
    try {
      const { hash, size } = await copyHashed(src, tmp);
      if (expected !== null && hash !== expected) {
        await fs.promises.rm(tmp, { force: true });
        return null;
      }
      return { tmp, hash, size };
    } catch (err) {
      await fs.promises.rm(tmp, { force: true });
      throw err;
    }
  }

  /** Move copied bytes into place; bytes already there under that name are the same bytes. */
  async commit(inc: Incoming): Promise<void> {
    const dst = this.pathFor(inc.hash);
    await fs.promises.mkdir(path.dirname(dst), { recursive: true });
    if (this.has(inc.hash, inc.size)) return this.discard(inc);
    await fs.promises.rename(inc.tmp, dst);
  }

  async discard(inc: Incoming): Promise<void> {
    await fs.promises.rm(inc.tmp, { force: true });
  }

  async remove(hash: string): Promise<void> {
    await fs.promises.rm(this.pathFor(hash), { force: true });
  }
}
