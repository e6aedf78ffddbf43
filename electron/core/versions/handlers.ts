import type { Handlers } from '../api';
import { UserError, type Library } from '../library';

type VersionOps =
  'versions.list' | 'versions.group' | 'versions.ungroup' | 'versions.reorder' | 'versions.setCurrent';

/** The contract's version-stack operations over one Library. */
export function versionHandlers(_lib: Library): Pick<Handlers, VersionOps> {
  const notYet = (): never => {
    throw new UserError('version stacks are not built yet');
  };
  return {
    'versions.list': notYet,
    'versions.group': notYet,
    'versions.ungroup': notYet,
    'versions.reorder': notYet,
    'versions.setCurrent': notYet,
  };
}
