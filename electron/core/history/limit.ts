import { formatBytes } from '../../../shared/format';
import type { HistoryStoreStatus } from '../../../shared/versions';
import type { Db } from '../catalog/open';
import { stmt } from '../catalog/statements';
import type { BlobStore, Incoming } from './blob-store';
import {
  evictionCandidates,
  forgetBlob,
  getBlob,
  insertBlob,
  markStoredEverywhere,
  nearLimitWarned,
  readHistorySettings,
  setNearLimitWarned,
  storeUsage,
  touchBlob,
} from './history.repository';

const MB = 1024 * 1024;
/** The share of the limit past which the user is told the store is nearly full. */
export const WARN_AT = 0.9;

export { formatBytes };

/**
 * The store's size limit: the warning past 90 % (once per crossing), and room made at the limit by
 * evicting the least recently used blobs that are no file's current content.
 */
export class StoreLimit {
  private admitting: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly store: BlobStore,
    private readonly warn: (text: string) => void,
  ) {}

  /** Resolves once the admission under way (if any) is done. */
  async settled(): Promise<void> {
    await this.admitting.catch(() => undefined);
  }

  limitBytes(): number {
    return Math.round(readHistorySettings(this.db).limitMb * MB);
  }

  status(): HistoryStoreStatus {
    const { bytes, blobs } = storeUsage(this.db);
    const s = readHistorySettings(this.db);
    const limit = Math.round(s.limitMb * MB);
    let warning: string | null = null;
    if (bytes >= limit * WARN_AT) {
      const pct = Math.round((bytes / limit) * 100);
      warning =
        `The content history uses ${formatBytes(bytes)} of its ${formatBytes(limit)} limit (${pct} %). ` +
        `At the limit the least recently used contents that are no file's current content are removed, ` +
        `and new contents are skipped once nothing more can go: raise the limit or keep fewer contents.`;
    }
    return { usedBytes: bytes, limitBytes: limit, entries: blobs, scope: s.scope, warning };
  }

  /** Emit the near-the-limit warning once per crossing of 90 % (remembered across processes). */
  checkWarning(): void {
    const { bytes } = storeUsage(this.db);
    const limit = this.limitBytes();
    const near = bytes >= limit * WARN_AT;
    const warned = nearLimitWarned(this.db);
    if (near && !warned) {
      setNearLimitWarned(this.db, true);
      this.warn(this.status().warning!);
    } else if (!near && warned) setNearLimitWarned(this.db, false);
  }

  /** One admission after another: the limit is checked and the blob stored as one step. */
  admit<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.admitting.then(fn, fn);
    this.admitting = next.catch(() => undefined);
    return next;
  }

  /**
   * Evict least recently used blobs that are no file's current content until `incoming` more bytes
   * fit; evicts nothing when even that would not make room. False when there is no room.
   */
  async shrinkTo(incoming: number, protect: readonly string[]): Promise<boolean> {
    const db = this.db;
    const limit = this.limitBytes();
    let used = storeUsage(db).bytes;
    if (used + incoming <= limit) return true;
    const evictable =
      (stmt(
        db,
        `SELECT coalesce(sum(b.size), 0) FROM history_blobs b
          WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.content_hash = b.hash)
            AND b.hash NOT IN (SELECT value FROM json_each(?))`,
      )
        .pluck()
        .get(JSON.stringify(protect)) as number) ?? 0;
    const fits = used - evictable + incoming <= limit;
    // A lower limit (incoming = 0) evicts what it can even when it cannot get all the way down.
    if (!fits && incoming > 0) return false;
    const gone: string[] = [];
    while (used + incoming > limit) {
      const batch = evictionCandidates(db, [...protect, ...gone]);
      if (!batch.length) break;
      db.transaction(() => {
        for (const b of batch) {
          if (used + incoming <= limit) break;
          // The catalogue first: a crash before the unlink leaves an unlisted file, never a listed hole.
          forgetBlob(db, b.hash);
          gone.push(b.hash);
          used -= b.size;
        }
      })();
    }
    for (const h of gone) await this.store.remove(h);
    return used + incoming <= limit;
  }

  /** Store copied bytes as a blob when they fit (after eviction); 'full' drops them. */
  async place(inc: Incoming, protect: readonly string[]): Promise<'stored' | 'full'> {
    const db = this.db;
    const blob = getBlob(db, inc.hash);
    if (blob && this.store.has(inc.hash, blob.size)) {
      await this.store.discard(inc);
      touchBlob(db, inc.hash);
      return 'stored';
    }
    if (!(await this.shrinkTo(inc.size, [inc.hash, ...protect]))) {
      await this.store.discard(inc);
      return 'full';
    }
    await this.store.commit(inc);
    db.transaction(() => {
      insertBlob(db, inc.hash, inc.size);
      markStoredEverywhere(db, inc.hash);
    })();
    this.checkWarning();
    return 'stored';
  }
}
