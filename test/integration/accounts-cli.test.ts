import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserInfo } from '../../shared/accounts';
import { catalogPath } from '../../electron/core/catalog/open';
import { tempDir } from '../helpers/corpus';
import { CLI } from '../helpers/library';

const PASSWORD = 'correct horse battery staple';

describe('dam user: accounts for dam serve', () => {
  let cat: string;
  const run = (args: string[], input?: string) =>
    spawnSync(process.execPath, [CLI, '--catalog', cat, ...args], { encoding: 'utf8', input: input ?? '' });
  const ok = (args: string[], input?: string) => {
    const r = run(args, input);
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  };
  const users = () => JSON.parse(ok(['user', 'list', '--json'])) as UserInfo[];

  beforeAll(() => {
    cat = tempDir('dam-users-cat-');
    ok(['add-root', tempDir('dam-users-root-')]);
    ok(['collection', 'create', 'Acme']);
    ok(['collection', 'create', 'Spring', '--parent', 'Acme']);
    ok(['collection', 'create', 'Other']);
  });
  afterAll(() => fs.rmSync(cat, { recursive: true, force: true }));

  it('adds accounts with a role, a scope and a password read from stdin, never shown or stored plain', () => {
    expect(ok(['user', 'list'])).toMatch(/no accounts/);
    ok(['user', 'add', 'ana', '--role', 'admin', '--password-stdin'], `${PASSWORD}\n`);
    const added = ok(
      [
        'user',
        'add',
        'vic',
        '--role',
        'viewer',
        '--collections',
        'Acme/Spring,Other',
        '--password-stdin',
        '--json',
      ],
      PASSWORD,
    );
    expect(added).not.toContain(PASSWORD);
    expect(JSON.parse(added)).toMatchObject({
      name: 'vic',
      role: 'viewer',
      collections: [{ path: 'Acme/Spring' }, { path: 'Other' }],
      hasPassword: true,
    });
    const noPassword = ok(['user', 'add', 'cy', '--role', 'contributor']);
    expect(noPassword).toMatch(/cannot log in until a password is set/);

    const list = ok(['user', 'list', '--json']);
    expect(list).not.toContain(PASSWORD);
    expect(list).not.toMatch(/hash|salt/i);
    expect(users().map((u) => [u.name, u.role, u.hasPassword])).toEqual([
      ['ana', 'admin', true],
      ['cy', 'contributor', false],
      ['vic', 'viewer', true],
    ]);

    // The catalogue holds a 32-byte scrypt hash with its own salt per user, never the password.
    const db = new Database(catalogPath(cat), { readonly: true });
    const rows = db
      .prepare(
        `SELECT password_hash, password_salt, password_params FROM users WHERE password_hash IS NOT NULL`,
      )
      .all() as {
      password_hash: Buffer;
      password_salt: Buffer;
      password_params: string;
    }[];
    db.close();
    expect(rows).toHaveLength(2);
    expect(rows[0]!.password_hash).toHaveLength(32);
    expect(rows[0]!.password_salt.equals(rows[1]!.password_salt)).toBe(false);
    expect(JSON.parse(rows[0]!.password_params)).toMatchObject({ N: 32768, r: 8, p: 1 });
    for (const f of fs.readdirSync(cat).filter((f) => f.startsWith(path.basename(catalogPath(cat)))))
      expect(fs.readFileSync(path.join(cat, f)).includes(Buffer.from(PASSWORD))).toBe(false);
  });

  it('refuses bad input with a clear one-line message', () => {
    const cases: [string[], string | undefined, RegExp][] = [
      [['user', 'add', 'ANA', '--role', 'viewer'], undefined, /already a user named "ANA"/],
      [
        ['user', 'add', 'zed', '--role', 'owner'],
        undefined,
        /role is one of viewer, contributor, approver, admin/,
      ],
      [['user', 'add', 'zed', '--role', 'viewer', '--password-stdin'], 'short', /at least 10 characters/],
      [['user', 'add', 'a@b', '--role', 'viewer'], undefined, /cannot hold @/],
      [
        ['user', 'add', 'zed', '--role', 'admin', '--collections', 'Other'],
        undefined,
        /only a viewer or a contributor/,
      ],
      [['user', 'role', 'nobody', 'admin'], undefined, /no user "nobody"/],
      [['user', 'frobnicate'], undefined, /unknown user command/],
    ];
    for (const [args, input, message] of cases) {
      const r = run(args, input);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(users().map((u) => u.name)).toEqual(['ana', 'cy', 'vic']);
  });

  it('changes a role and scope, keeps the last admin, and removes accounts', () => {
    ok(['user', 'role', 'cy', 'approver']);
    expect(users().find((u) => u.name === 'cy')).toMatchObject({ role: 'approver', collections: [] });
    ok(['user', 'role', 'vic', 'contributor', '--collections', 'Other']);
    expect(users().find((u) => u.name === 'vic')).toMatchObject({
      role: 'contributor',
      collections: [{ path: 'Other' }],
    });
    const demote = run(['user', 'role', 'ana', 'viewer']);
    expect(demote.status).toBe(1);
    expect(demote.stderr).toMatch(/ana is the last admin: make another user admin first/);
    expect(run(['user', 'remove', 'ana']).stderr).toMatch(/last admin/);
    ok(['user', 'password', 'cy', '--password-stdin'], PASSWORD);
    expect(users().find((u) => u.name === 'cy')!.hasPassword).toBe(true);
    ok(['user', 'remove', 'vic']);
    ok(['user', 'remove', 'cy']);
    // Alone, the last admin may go: no account left means dam serve is local-only again.
    ok(['user', 'remove', 'ana']);
    expect(users()).toEqual([]);
  });
});
