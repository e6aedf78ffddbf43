import { roleAtLeast } from '../../../shared/accounts';
import {
  ACCESS,
  requiredRole,
  type OpName,
  type OpParsed,
  type RequestContext,
} from '../../../shared/contract';
import { notFound, refused } from '../errors';
import type { Actor } from '../governance/settings';
import type { Library } from '../library';

/**
 * The guard of every operation called by a logged-in account (the contract's ACCESS table): its role
 * must reach the operation's, and an asset outside its collections is answered exactly as a missing
 * one. No account (the desktop app, the CLI, the local token): the catalogue's owner, no check.
 */
export function authorize<K extends OpName>(
  lib: Library,
  name: K,
  input: OpParsed<K>,
  ctx: RequestContext,
): void {
  const user = ctx.user;
  if (!user) return;
  const role = requiredRole(name, input);
  if (!roleAtLeast(user.role, role))
    throw refused('role', `${name} needs the ${role} role; ${user.name} is a ${user.role}`);
  if (!user.scope) return;
  const assets = ACCESS[name].assets;
  if (assets === 'catalogue')
    throw refused('scope', `${name} covers the whole catalogue; ${user.name} is limited to collections`);
  if (typeof assets !== 'function') return;
  const ids = assets(input);
  const seen = lib.inScope(ids, user.scope);
  const outside = ids.find((id) => !seen.has(id));
  // The words of a missing asset: whether it exists elsewhere is not this account's to know.
  if (outside !== undefined) throw notFound(`no asset ${outside} in the catalogue`);
}

/** Who acts for a request: the logged-in account (on this machine), else this process's user. */
export function actorOf(lib: Library, ctx: RequestContext | undefined): Actor {
  return ctx?.user ? { user: ctx.user.name, machine: lib.governance.actor.machine } : lib.governance.actor;
}

/** The collections a request is limited to (null: all). */
export const scopeOf = (ctx: RequestContext | undefined): number[] | null => ctx?.user?.scope ?? null;
