import type { Handlers } from '../../../shared/contract';
import { refused } from '../errors';
import type { Library } from '../library';

type AccountOps =
  | 'session.me'
  | 'session.logoutEverywhere'
  | 'users.list'
  | 'users.add'
  | 'users.update'
  | 'users.setPassword'
  | 'users.remove';

/** Who is asking, and the accounts of `dam serve` (Settings → Users). */
export function accountHandlers(lib: Library): Pick<Handlers, AccountOps> {
  return {
    'session.me': (_i, ctx) => {
      const user = ctx?.user;
      // No account: the desktop app or dam serve's local token, acting as the catalogue's owner.
      if (!user) return { name: lib.governance.actor.user, role: 'admin', scope: null, mode: 'local' };
      return {
        name: user.name,
        role: user.role,
        scope: lib.accounts.scopeCollections(user.scope),
        mode: 'account',
      };
    },
    'session.logoutEverywhere': (_i, ctx) => {
      if (!ctx?.user) throw refused('role', 'not logged in with an account: there are no sessions to end');
      return { ended: lib.accounts.logoutEverywhere(ctx.user.id) };
    },
    'users.list': () => lib.accounts.list(),
    'users.add': (i) =>
      lib.accounts.add({
        name: i.name,
        role: i.role,
        password: i.password ?? null,
        ...(i.collections ? { collections: i.collections } : {}),
      }),
    'users.update': (i) => {
      if (i.unlock) lib.accounts.unlock(i.id);
      return lib.accounts.update(i.id, {
        ...(i.role !== undefined ? { role: i.role } : {}),
        ...(i.collections !== undefined ? { collections: i.collections } : {}),
        ...(i.disabled !== undefined ? { disabled: i.disabled } : {}),
      });
    },
    'users.setPassword': (i) => lib.accounts.setPassword(i.id, i.password),
    'users.remove': (i) => lib.accounts.remove(i.id),
  };
}
