import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CoreError } from '../errors';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';

export type Db = Database.Database;

export const CATALOG_FILE = 'catalog.sqlite';

/** The catalogue cannot be opened: absent (not-found), damaged or too new (unavailable). */
export class CatalogError extends CoreError {
  override name = 'CatalogError';
  constructor(message: string, kind: 'missing' | 'too-new' | 'corrupt') {
    super(kind === 'missing' ? 'not-found' : 'unavailable', message, {
      reason: kind === 'missing' ? 'no-catalog' : kind === 'corrupt' ? 'catalog-damaged' : 'catalog-too-new',
    });
  }
}

export interface OpenOptions {
  /** Create the folder and the database when absent (add-root does; read-only commands do not). */
  create?: boolean;
  readonly?: boolean;
  /** Electron loads a binding built for its own ABI; Node (tests, CLI) uses the default one. */
  nativeBinding?: string;
}

export function catalogPath(dir: string): string {
  return path.join(dir, CATALOG_FILE);
}

export function openCatalog(dir: string, opts: OpenOptions = {}): Db {
  const file = catalogPath(dir);
  if (!fs.existsSync(file)) {
    if (!opts.create)
      throw new CatalogError(`no catalog at ${dir} (create one with: dam add-root PATH)`, 'missing');
    fs.mkdirSync(dir, { recursive: true });
  }
  const db = new Database(file, {
    readonly: opts.readonly ?? false,
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
  });
  try {
    // Another process (the app beside the CLI) may hold the write lock: wait for it rather than fail.
    db.pragma('busy_timeout = 15000');
    if (!opts.readonly) immediateTransactions(db);
    if (!opts.readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commit.
    db.pragma('synchronous = NORMAL');
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -65536');
    db.pragma('mmap_size = 268435456');
    migrate(db, opts.readonly ?? false);
  } catch (err) {
    db.close();
    if (err instanceof CatalogError) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    if (/not a database|malformed/i.test(msg))
      throw new CatalogError(`the catalog at ${file} is damaged: ${msg}`, 'corrupt');
    throw err;
  }
  return db;
}

/**
 * Make db.transaction(fn)() begin IMMEDIATE. A deferred transaction that reads and then writes
 * cannot wait for another process's write lock: SQLite answers SQLITE_BUSY at once, because its
 * snapshot may be stale. Taking the write lock at BEGIN lets busy_timeout do its work; every
 * transaction in the core writes, so none loses anything by it. (.deferred() stays available.)
 */
function immediateTransactions(db: Db): void {
  const plain = db.transaction.bind(db);
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const t = plain(fn);
    const run = (...args: unknown[]) => t.immediate(...args);
    return Object.assign(run, {
      default: t.immediate,
      deferred: t.deferred,
      immediate: t.immediate,
      exclusive: t.exclusive,
      database: db,
    });
  }) as Db['transaction'];
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Db, readonly = false, upTo = LATEST_SCHEMA_VERSION): void {
  const current = schemaVersion(db);
  if (current > LATEST_SCHEMA_VERSION) {
    throw new CatalogError(
      `this catalog was written by a newer version of Tessera (schema ${current}; this version understands up to ${LATEST_SCHEMA_VERSION}). Update Tessera to open it.`,
      'too-new',
    );
  }
  if (current >= upTo) return;
  if (readonly)
    throw new CatalogError('the catalog needs an upgrade; open it once with write access', 'too-new');
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > upTo) continue;
    // A no-op inside a transaction, so it is switched around one.
    const fksWere = db.pragma('foreign_keys', { simple: true }) === 1;
    if (m.rebuildsTables && fksWere) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        // Another process opening the same catalogue may have applied it while we waited for the lock.
        if (schemaVersion(db) >= m.version) return;
        db.exec(m.sql);
        if (m.rebuildsTables) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length)
            throw new CatalogError(
              `upgrading the catalog to schema ${m.version} would break ${broken.length} references; it was left as it was`,
              'corrupt',
            );
        }
        db.pragma(`user_version = ${m.version}`);
      })();
    } finally {
      if (m.rebuildsTables && fksWere) db.pragma('foreign_keys = ON');
    }
  }
}
