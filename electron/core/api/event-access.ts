import { roleAtLeast, type Role } from '../../../shared/accounts';
import type { RequestUser } from '../../../shared/contract';
import type { CoreEventName, CoreEvents } from '../../../shared/events';

/**
 * Who may receive each event pushed to a logged-in account (the HTTP bridge's event stream), in
 * one place like the contract's ACCESS: the least role, and what the event tells of the catalogue:
 * - 'catalogue': the catalogue as a whole (roots, scans, job counts): not for an account limited
 *   to collections, as the operations that read the same are refused to it;
 * - a function: the asset ids it names; an account limited to collections gets the event only
 *   about assets inside them (`narrow` keeps what it may see of a list, or drops the event).
 * An event not declared here does not compile. No account (the local token): every event.
 */
interface EventAccess<K extends CoreEventName> {
  role: Role;
  assets:
    | 'catalogue'
    | {
        ids(payload: CoreEvents[K]): readonly number[];
        narrow?(payload: CoreEvents[K], keep: Set<number>): CoreEvents[K] | null;
      };
}

const EVENT_ACCESS: { [K in CoreEventName]: EventAccess<K> } = {
  // As roots.list and stats: anyone's, but the whole catalogue's.
  'scan-progress': { role: 'viewer', assets: 'catalogue' },
  'job-progress': { role: 'viewer', assets: 'catalogue' },
  'root-state': { role: 'viewer', assets: 'catalogue' },
  // Warnings name files anywhere in the roots: for those who read the problems list (an admin).
  warning: { role: 'admin', assets: 'catalogue' },
  'catalog-changed': {
    role: 'viewer',
    assets: {
      ids: (p) => p.assetIds,
      // An empty list says "anything may have changed": it names nothing, so it goes to everyone.
      narrow: (p, keep) => {
        if (p.assetIds.length === 0) return p;
        const assetIds = p.assetIds.filter((id) => keep.has(id));
        return assetIds.length ? { assetIds } : null;
      },
    },
  },
  publication: { role: 'viewer', assets: { ids: (p) => [p.assetId] } },
  // An upload through a portal: the toast is for those who manage the portals (uploadLinks.*).
  'upload-received': {
    role: 'admin',
    assets: { ids: (p) => (p.assetId === null ? [] : [p.assetId]) },
  },
};

/**
 * The event as this account may see it, or null when it must not reach it. `inScope` answers which
 * of the ids lie in the account's collections (asked only for an account limited to them).
 */
export function eventFor<K extends CoreEventName>(
  name: K,
  payload: CoreEvents[K],
  user: RequestUser | undefined,
  inScope: (ids: readonly number[], scope: readonly number[]) => Set<number>,
): CoreEvents[K] | null {
  if (!user) return payload;
  const access = EVENT_ACCESS[name] as EventAccess<K>;
  if (!roleAtLeast(user.role, access.role)) return null;
  if (!user.scope) return payload;
  if (access.assets === 'catalogue') return null;
  const ids = access.assets.ids(payload);
  const keep = ids.length ? inScope(ids, user.scope) : new Set<number>();
  if (access.assets.narrow) return access.assets.narrow(payload, keep);
  return ids.length > 0 && ids.every((id) => keep.has(id)) ? payload : null;
}
