import type { Handlers } from '../../../shared/contract';
import type { Library } from '../library';
import { duplicateGroups } from '../versions/duplicates';
import { actorOf } from './access';

type VersionOps =
  | 'versions.list'
  | 'versions.group'
  | 'versions.ungroup'
  | 'versions.reorder'
  | 'versions.setCurrent'
  | 'duplicates.list';

/** The contract's version-stack operations over one Library. */
export function versionHandlers(lib: Library): Pick<Handlers, VersionOps> {
  return {
    'versions.list': ({ id }) => lib.versions.list(id),
    // The logged-in account is the stack log's actor (the OS user for the desktop app and the CLI).
    'versions.group': ({ ids, currentId }, ctx) => lib.versions.group(ids, currentId, actorOf(lib, ctx)),
    'versions.ungroup': ({ ids }, ctx) => lib.versions.ungroup(ids, actorOf(lib, ctx)),
    'versions.reorder': ({ stackId, order }, ctx) => lib.versions.reorder(stackId, order, actorOf(lib, ctx)),
    'versions.setCurrent': ({ id }, ctx) => lib.versions.setCurrent(id, actorOf(lib, ctx)),
    'duplicates.list': ({ near, limit }) =>
      duplicateGroups(lib.db, lib.thumbDir, { near: near ?? false, ...(limit ? { limit } : {}) }),
  };
}
