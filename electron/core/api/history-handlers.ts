import type { Handlers } from '../../../shared/contract';
import { notFound } from '../errors';
import type { Library } from '../library';
import { listSnapshots } from '../history/history.repository';
import { restoreContent } from '../history/restore';
import { actorOf } from './access';

type HistoryOps = 'history.snapshots' | 'history.restore' | 'history.status' | 'history.settings';

/** The contract's content-history operations over one Library. */
export function historyHandlers(lib: Library): Pick<Handlers, HistoryOps> {
  return {
    'history.snapshots': (i) => {
      if (!lib.asset(i.id)) throw notFound(`no asset ${i.id} in the catalogue`);
      return listSnapshots(lib.db, i.id);
    },
    'history.restore': async (i, ctx) => {
      const res = await restoreContent(lib, i.id, i.hash, actorOf(lib, ctx));
      if (res.restored) lib.events.emit('catalog-changed', { assetIds: [i.id] });
      return { restored: res.restored, hash: res.hash };
    },
    'history.status': () => lib.history.status(),
    'history.settings': (i) =>
      lib.history.configure({
        ...(i.limitMb !== undefined ? { limitMb: i.limitMb } : {}),
        ...(i.scope !== undefined ? { scope: i.scope } : {}),
      }),
  };
}
