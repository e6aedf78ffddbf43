import type { IpcMain, WebContents } from 'electron';
import type { CoreEventName } from '../../shared/events';
import { dispatch, type Handlers } from '../core/api';
import type { Library } from '../core/library';

export const CALL_CHANNEL = 'dam:call';
export const EVENT_CHANNEL = 'dam:event';
const EVENTS: CoreEventName[] = ['scan-progress', 'job-progress', 'catalog-changed', 'root-state', 'warning'];

/**
 * The whole contract over Electron IPC: one channel, validated by the same dispatch the HTTP
 * bridge uses. Calls are accepted only from our own renderer's frames.
 */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  handlers: Handlers,
  isTrustedSender: (url: string) => boolean,
): () => void {
  ipcMain.handle(CALL_CHANNEL, (event, name: unknown, input: unknown) => {
    const url = event.senderFrame?.url ?? '';
    if (!isTrustedSender(url))
      return { ok: false, error: { code: 'unauthorized', message: 'untrusted frame' } };
    return dispatch(handlers, typeof name === 'string' ? name : '', input);
  });
  return () => ipcMain.removeHandler(CALL_CHANNEL);
}

/** Push every core event to a window. */
export function forwardEvents(lib: Library, target: Pick<WebContents, 'send' | 'isDestroyed'>): () => void {
  const offs = EVENTS.map((name) =>
    lib.events.on(name, (payload) => {
      if (!target.isDestroyed()) target.send(EVENT_CHANNEL, name, payload);
    }),
  );
  return () => offs.forEach((off) => off());
}
