import { useState } from 'react';
import { errorMessage, call } from '../api/client';
import { logout } from '../api/http-client';
import { useSession } from '../stores/session';
import { Icon } from './Icon';

/** The logged-in user (dam serve with accounts): name, role, log out here or everywhere. */
export function UserMenu() {
  const me = useSession((s) => s.me);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!me || me.mode !== 'account') return null;
  return (
    <div className="user-menu">
      <button
        type="button"
        className="btn ghost user-menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={`${me.name} (${me.role})`}
        onClick={() => setOpen(!open)}
        title={`${me.name}, ${me.role}${me.scope ? `, limited to ${me.scope.map((c) => c.path).join(', ')}` : ''}`}
      >
        <Icon name="user" size={14} /> <span className="user-menu-name">{me.name}</span>
      </button>
      {open && (
        <div className="user-menu-list popover" role="menu" aria-label="User">
          <button type="button" role="menuitem" className="btn" onClick={() => void logout()}>
            Log out
          </button>
          <button
            type="button"
            role="menuitem"
            className="btn"
            onClick={() =>
              void call('session.logoutEverywhere', {})
                .then(() => logout())
                .catch((err: unknown) => setError(errorMessage(err)))
            }
          >
            Log out everywhere
          </button>
          {error && <p role="alert">{error}</p>}
        </div>
      )}
    </div>
  );
}
