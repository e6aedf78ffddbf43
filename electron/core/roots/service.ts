import fs from 'node:fs';
import path from 'node:path';
import type { Root } from '../../../shared/model';
import type { Db } from '../catalog/open';
import {
  deleteRoot,
  findRootByPath,
  insertRoot,
  listRoots,
  type RootRecord,
} from '../catalog/roots.repository';
import { conflict, invalidInput, notFound } from '../errors';
import { detectKind } from '../ingest/mounts';

export interface AddRootOptions {
  name?: string;
  /** true/false forces the kind; undefined detects it from the mount's file-system type. */
  network?: boolean;
  pollIntervalMs?: number;
}

/**
 * The catalogue's roots: which folders may become one (a real folder, not inside or around
 * another), their kind (local or network, from the mount), listing and forgetting. Watching and
 * scanning them is the composition root's business.
 */
export class RootsService {
  constructor(private readonly db: Db) {}

  list(): Root[] {
    return listRoots(this.db).map(({ dev: _dev, ...r }) => r);
  }

  add(rootPath: string, opts: AddRootOptions = {}): RootRecord {
    const abs = path.resolve(rootPath);
    let real: string;
    try {
      real = fs.realpathSync(abs);
    } catch {
      throw notFound(`folder not found: ${abs}`);
    }
    const st = fs.statSync(real);
    if (!st.isDirectory()) throw invalidInput(`not a folder: ${abs}`);
    if (findRootByPath(this.db, real)) throw conflict(`already catalogued: ${real}`);
    for (const r of listRoots(this.db)) {
      const inside = (a: string, b: string) => a.startsWith(b.endsWith(path.sep) ? b : b + path.sep);
      if (inside(real, r.path))
        throw conflict(`${real} is inside the root ${r.path}, which already covers it`);
      if (inside(r.path, real)) throw conflict(`${real} contains the root ${r.path}; remove that root first`);
    }
    const detected = detectKind(real);
    const kind = opts.network === undefined ? detected.kind : opts.network ? 'network' : 'local';
    const root = insertRoot(this.db, {
      path: real,
      name: opts.name?.trim() || path.basename(real) || real,
      kind,
      kindForced: opts.network !== undefined,
      fsType: detected.fsType,
      dev: st.dev,
      pollIntervalMs: opts.pollIntervalMs ?? (kind === 'network' ? 10_000 : 5_000),
    });
    return root;
  }

  remove(id: number): void {
    deleteRoot(this.db, id);
  }
}
