import { create } from 'zustand';
import { roleAtLeast, type SessionInfo } from '../../../shared/accounts';
import { ACCESS, requiredRole, type OpName, type OpParsed } from '../../../shared/contract';
import { call } from '../api/client';

/**
 * Who is using the UI (`session.me`): the desktop app and dam serve's local token act as the
 * owner (admin); with accounts, the logged-in user. The UI hides what the role cannot do; the server
 * refuses it anyway.
 */
export interface SessionState {
  me: SessionInfo | null;
  load(): Promise<void>;
}

export const useSession = create<SessionState>((set) => ({
  me: null,
  async load() {
    const me = await call('session.me', {}).catch(() => null);
    if (me) set({ me });
  },
}));

/**
 * May the current user call this operation (with this input)? Until the session is known the UI
 * shows what it always did: the desktop app and the local token are the owner, and the server
 * refuses an account's calls whatever the UI shows.
 */
export function allowed<K extends OpName>(me: SessionInfo | null, name: K, input?: OpParsed<K>): boolean {
  if (!me) return true;
  const role = me.role;
  const needed = input !== undefined ? requiredRole(name, input) : ACCESS[name].role;
  if (typeof needed === 'function') return false;
  if (!roleAtLeast(role, needed)) return false;
  return !(me.scope && ACCESS[name].assets === 'catalogue');
}

/** The hook form: re-renders when the session is known. */
export function useAllowed<K extends OpName>(name: K, input?: OpParsed<K>): boolean {
  const me = useSession((s) => s.me);
  return allowed(me, name, input);
}
