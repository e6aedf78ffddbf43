import type { ApiResult, MediaKind } from '../../shared/contract';
import type { CoreEventName, CoreEvents } from '../../shared/events';
import type { FromCore, MediaAnswer, PortLike, ToCore } from '../core/port-adapter';

/**
 * The shell's end of the core's port (core/port-adapter.ts): calls by name with their input,
 * answered with the ApiResult the core's dispatch made, plus the core's events. Plain Node, no
 * Electron: main.ts hands it a wrapped MessagePortMain.
 */
export interface CoreClient {
  call(name: string, input: unknown): Promise<ApiResult<unknown>>;
  media(kind: MediaKind, assetId: number, version: string | null): Promise<MediaAnswer>;
  on<K extends CoreEventName>(name: K, fn: (payload: CoreEvents[K]) => void): () => void;
  /** Ask the core to close the catalogue; resolves when it has. */
  close(): Promise<void>;
  /** The core is gone (its process ended): every waiting and later call gets this error. */
  fail(message: string): void;
}

type Waiter = (m: FromCore) => void;

export function connectCore(port: PortLike): CoreClient {
  let next = 1;
  let failed: string | null = null;
  const waiting = new Map<number, { resolve: Waiter; fallback: () => FromCore }>();
  const listeners = new Map<CoreEventName, Set<(payload: never) => void>>();

  port.on('message', (raw) => {
    const m = raw as FromCore;
    if (typeof m !== 'object' || m === null) return;
    if (m.type === 'event') {
      for (const fn of listeners.get(m.name) ?? []) fn(m.payload as never);
      return;
    }
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    w.resolve(m);
  });

  /** Send one request and wait for the answer with its id; `fallback` is the answer if the core is gone. */
  function request(msg: (id: number) => ToCore, fallback: (message: string) => FromCore): Promise<FromCore> {
    if (failed !== null) return Promise.resolve(fallback(failed));
    const id = next++;
    return new Promise((resolve) => {
      waiting.set(id, { resolve, fallback: () => fallback(failed ?? 'the catalogue stopped') });
      port.postMessage(msg(id));
    });
  }

  const failure = (message: string): ApiResult<unknown> => ({
    ok: false,
    error: { code: 'unavailable', message },
  });

  return {
    async call(name, input) {
      const m = await request(
        (id) => ({ type: 'call', id, name, input }),
        (message) => ({ type: 'result', id: 0, result: failure(message) }),
      );
      return m.type === 'result' ? m.result : failure('unexpected answer');
    },
    async media(kind, assetId, version) {
      const m = await request(
        (id) => ({ type: 'media', id, kind, assetId, version }),
        (message) => ({ type: 'media', id: 0, answer: { ok: false, status: 503, message } }),
      );
      return m.type === 'media' ? m.answer : { ok: false, status: 500, message: 'unexpected answer' };
    },
    on(name, fn) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(fn as (payload: never) => void);
      return () => set.delete(fn as (payload: never) => void);
    },
    async close() {
      await request(
        (id) => ({ type: 'close', id }),
        () => ({ type: 'closed', id: 0 }),
      );
    },
    fail(message) {
      failed ??= message;
      for (const w of waiting.values()) w.resolve(w.fallback());
      waiting.clear();
    },
  };
}
