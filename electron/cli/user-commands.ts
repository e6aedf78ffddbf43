import { ROLE_MEANS, ROLES, type UserInfo } from '../../shared/accounts';
import { invalidInput } from '../core/errors';
import type { Library } from '../core/library';

export const USER_HELP = `  user add NAME --role viewer|contributor|approver|admin [--collections A,B] [--password-stdin]
                           an account for dam serve (the password is read from stdin; without one
                           the account cannot log in until "user password" sets it); --collections
                           limits a viewer or contributor to those collections (names or paths)
  user list [--json]       accounts with role, collections, lockout and open sessions (never passwords)
  user remove NAME | role NAME ROLE [--collections A,B|""] | password NAME --password-stdin
  user unlock NAME         lift a lockout after failed logins | logout NAME: end all its sessions`;

export const USER_COMMANDS = ['user', 'users'];

export interface UserFlags {
  json?: boolean;
  role?: string;
  collections?: string;
  'password-stdin'?: boolean;
}

async function readPassword(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const password = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (password === '') throw invalidInput('--password-stdin: nothing was read from stdin');
  return password;
}

function need(arg: string | undefined, what: string): string {
  if (!arg?.trim()) throw invalidInput(`missing ${what}`);
  return arg;
}

function collectionIds(lib: Library, list: string | undefined): number[] | undefined {
  if (list === undefined) return undefined;
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((name) => lib.collections.find(name).id);
}

function line(u: UserInfo): string {
  const scope = u.collections.length ? `  collections: ${u.collections.map((c) => c.path).join(', ')}` : '';
  const state = [
    u.disabled ? 'disabled' : null,
    !u.hasPassword ? 'no password yet' : null,
    u.lockedUntil ? `locked until ${u.lockedUntil}` : null,
    u.failedLogins ? `${u.failedLogins} failed logins` : null,
    u.sessions ? `${u.sessions} session(s)` : null,
  ].filter(Boolean);
  return `${u.name}  ${u.role}${scope}${state.length ? `  (${state.join(', ')})` : ''}`;
}

export async function runUserCommand(
  lib: Library,
  args: string[],
  flags: UserFlags,
  out: (s: string) => void,
): Promise<number> {
  const [sub, ...rest] = args;
  const accounts = lib.accounts;
  const show = (u: UserInfo, verb: string) =>
    flags.json ? out(JSON.stringify(u, null, 2)) : out(`${verb} ${line(u)}`);
  switch (sub) {
    case undefined:
    case 'list': {
      const all = accounts.list();
      if (flags.json) out(JSON.stringify(all, null, 2));
      else if (!all.length)
        out('no accounts: dam serve answers on this machine only (dam user add NAME --role admin)');
      else all.forEach((u) => out(line(u)));
      return 0;
    }
    case 'add': {
      const name = need(rest[0], 'NAME');
      if (!flags.role) throw invalidInput(`--role is one of ${ROLES.join(', ')}`);
      const password = flags['password-stdin'] ? await readPassword() : null;
      const collections = collectionIds(lib, flags.collections);
      const u = await accounts.add({
        name,
        role: flags.role,
        password,
        ...(collections ? { collections } : {}),
      });
      show(u, 'added');
      if (!flags.json && !u.hasPassword)
        out(`${u.name} cannot log in until a password is set: dam user password ${u.name} --password-stdin`);
      return 0;
    }
    case 'remove':
    case 'delete': {
      show(accounts.remove(need(rest[0], 'NAME')), 'removed');
      return 0;
    }
    case 'role': {
      const name = need(rest[0], 'NAME');
      const role = need(rest[1], `ROLE (${ROLES.map((r) => `${r}: ${ROLE_MEANS[r]}`).join('; ')})`);
      const collections = collectionIds(lib, flags.collections);
      show(accounts.update(name, { role, ...(collections ? { collections } : {}) }), 'now');
      return 0;
    }
    case 'password': {
      const name = need(rest[0], 'NAME');
      if (!flags['password-stdin'])
        throw invalidInput('the new password is read from stdin: --password-stdin');
      show(await accounts.setPassword(name, await readPassword()), 'new password for');
      return 0;
    }
    case 'unlock': {
      show(accounts.unlock(need(rest[0], 'NAME')), 'unlocked');
      return 0;
    }
    case 'logout': {
      const u = accounts.find(need(rest[0], 'NAME'));
      const n = accounts.logoutEverywhere(u.id);
      out(
        flags.json
          ? JSON.stringify({ name: u.name, sessionsEnded: n })
          : `ended ${n} session(s) of ${u.name}`,
      );
      return 0;
    }
    default:
      throw invalidInput(
        `unknown user command "${sub}": add, list, remove, role, password, unlock or logout`,
      );
  }
}
