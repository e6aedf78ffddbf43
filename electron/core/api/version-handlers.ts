import type { Handlers } from '../../../shared/contract';
import type { Library } from '../library';
import { duplicateGroups } from '../versions/duplicates';

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
    'versions.group': ({ ids, currentId }) => lib.versions.group(ids, currentId),
    'versions.ungroup': ({ ids }) => lib.versions.ungroup(ids),
    'versions.reorder': ({ stackId, order }) => lib.versions.reorder(stackId, order),
    'versions.setCurrent': ({ id }) => lib.versions.setCurrent(id),
    'duplicates.list': ({ near, limit }) =>
      duplicateGroups(lib.db, lib.thumbDir, { near: near ?? false, ...(limit ? { limit } : {}) }),
  };
}
