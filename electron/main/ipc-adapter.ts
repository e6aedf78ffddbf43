import type { IpcMain, WebContents } from 'electron';
import type { ApiResult } from '../../shared/contract';
import type { CoreEventName, CoreEvents } from '../../shared/events';
import { dispatch, type Handlers } from '../core/api';
import { CORE_EVENTS } from '../core/port-adapter';

export const CALL_CHANNEL = 'dam:call';
export const EVENT_CHANNEL = 'dam:event';

/** A call by name, answered with the contract's result value (the core's dispatch, near or over a port). */
export type CallFn = (name: string, input: unknown) => Promise<ApiResult<unknown>>;

/** Anything that pushes the core's events: the Library's bus, or the core client over its port. */
export interface EventSource {
  on<K extends CoreEventName>(name: K, fn: (payload: CoreEvents[K]) => void): () => void;
}

/**
 * The whole contract over Electron IPC: one channel, validated by the same dispatch the HTTP
 * bridge uses (here, or in the core's process when `target` forwards there). Calls are accepted
 * only from our own renderer's frames.
 */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  target: Handlers | CallFn,
  isTrustedSender: (url: string) => boolean,
): () => void {
  const call: CallFn = typeof target === 'function' ? target : (name, input) => dispatch(target, name, input);
  ipcMain.handle(CALL_CHANNEL, (event, name: unknown, input: unknown) => {
    const url = event.senderFrame?.url ?? '';
    if (!isTrustedSender(url))
      return { ok: false, error: { code: 'unauthorized', message: 'untrusted frame' } };
    return call(typeof name === 'string' ? name : '', input);
  });
  return () => ipcMain.removeHandler(CALL_CHANNEL);
}

/** Push every core event to a window. */
export function forwardEvents(
  source: EventSource,
  target: Pick<WebContents, 'send' | 'isDestroyed'>,
): () => void {
  const offs = CORE_EVENTS.map((name) =>
    source.on(name, (payload) => {
      if (!target.isDestroyed()) target.send(EVENT_CHANNEL, name, payload);
    }),
  );
  return () => offs.forEach((off) => off());
}
