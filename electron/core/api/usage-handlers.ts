import type { Handlers } from '../../../shared/contract';
import type { Library } from '../library';
import { actorOf } from './access';

type UsageOps = 'usage.viewed' | 'usage.asset' | 'usage.report';

/** The contract's usage figures over one Library. */
export function usageHandlers(lib: Library): Pick<Handlers, UsageOps> {
  return {
    'usage.viewed': ({ id }, ctx) => lib.usage.viewed(id, actorOf(lib, ctx).user),
    'usage.asset': ({ id, limit }) => lib.usage.asset(id, limit ?? 200),
    'usage.report': ({ kind, months, days, limit }) =>
      lib.usage.report(kind, {
        ...(months ? { months } : {}),
        ...(days ? { days } : {}),
        ...(limit ? { limit } : {}),
      }),
  };
}
