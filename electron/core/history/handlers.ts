import type { Handlers } from '../api';
import { UserError, type Library } from '../library';

type HistoryOps = 'history.snapshots' | 'history.restore' | 'history.status' | 'history.settings';

/** The contract's content-history operations over one Library. */
export function historyHandlers(_lib: Library): Pick<Handlers, HistoryOps> {
  const notYet = (): never => {
    throw new UserError('content history is not built yet');
  };
  return {
    'history.snapshots': notYet,
    'history.restore': notYet,
    'history.status': notYet,
    'history.settings': notYet,
  };
}
