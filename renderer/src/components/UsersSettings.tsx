import { useEffect, useState } from 'react';
import { ROLE_MEANS, ROLES, type Role, type UserInfo } from '../../../shared/accounts';
import { call, errorMessage } from '../api/client';
import { useCollections } from '../stores/collections';

/** Settings → Users (admins): accounts of dam serve, their role, collections, password and lockout. */
export function UsersSettings() {
  const [users, setUsers] = useState<UserInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [password, setPassword] = useState('');
  const [scope, setScope] = useState<number[]>([]);
  const collections = useCollections((s) => s.list);
  const reload = () =>
    call('users.list', {})
      .then(setUsers)
      .catch((err: unknown) => setError(errorMessage(err)));
  useEffect(() => void reload(), []);
  const act = (p: Promise<unknown>) =>
    p.then(() => (setError(null), reload())).catch((err: unknown) => setError(errorMessage(err)));
  const scoped = role === 'viewer' || role === 'contributor';

  return (
    <div className="users-settings">
      {users && users.length === 0 && (
        <p className="modal-hint">No accounts: dam serve answers on this machine only, with its token.</p>
      )}
      <ul className="users-list" aria-label="Users">
        {users?.map((u) => (
          <li key={u.id} className="setting-row" aria-label={u.name}>
            <span>
              {u.name}
              {u.collections.length > 0 && (
                <span className="muted"> · {u.collections.map((c) => c.path).join(', ')}</span>
              )}
              {u.lockedUntil && <span className="muted"> · locked</span>}
              {!u.hasPassword && <span className="muted"> · no password</span>}
            </span>
            <select
              aria-label={`Role of ${u.name}`}
              value={u.role}
              onChange={(e) => void act(call('users.update', { id: u.id, role: e.target.value as Role }))}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="btn"
              onClick={() => {
                const pw = window.prompt(`New password for ${u.name} (at least 10 characters)`);
                if (pw) void act(call('users.setPassword', { id: u.id, password: pw }));
              }}
            >
              Reset password
            </button>
            {u.lockedUntil && (
              <button
                type="button"
                className="btn"
                onClick={() => void act(call('users.update', { id: u.id, unlock: true }))}
              >
                Unlock
              </button>
            )}
            <button
              type="button"
              className="btn"
              onClick={() => void act(call('users.remove', { id: u.id }))}
            >
              Remove {u.name}
            </button>
          </li>
        ))}
      </ul>
      <form
        className="users-add"
        aria-label="Add a user"
        onSubmit={(e) => {
          e.preventDefault();
          void act(
            call('users.add', {
              name: name.trim(),
              role,
              ...(password ? { password } : {}),
              ...(scoped && scope.length ? { collections: scope } : {}),
            }).then(() => {
              setName('');
              setPassword('');
              setScope([]);
            }),
          );
        }}
      >
        <input
          aria-label="New user name"
          placeholder="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <select aria-label="New user role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r} title={ROLE_MEANS[r]}>
              {r}
            </option>
          ))}
        </select>
        <input
          aria-label="New user password"
          type="password"
          autoComplete="new-password"
          placeholder="Password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {scoped && collections.length > 0 && (
          <select
            multiple
            aria-label="Limit to collections"
            value={scope.map(String)}
            onChange={(e) => setScope([...e.target.selectedOptions].map((o) => Number(o.value)))}
          >
            {collections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.path}
              </option>
            ))}
          </select>
        )}
        <button type="submit" className="btn primary" disabled={!name.trim()}>
          Add user
        </button>
      </form>
      <p className="modal-hint">{ROLES.map((r) => `${r}: ${ROLE_MEANS[r]}`).join('; ')}.</p>
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
    </div>
  );
}
