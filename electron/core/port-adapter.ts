import type { ApiResult, MediaKind } from '../../shared/contract';
import type { CoreEventName, CoreEvents } from '../../shared/events';
import { createHandlers, dispatch, type Handlers } from './api';
import type { Library } from './library';
import { MediaError, mediaFile } from './media';

/**
 * The contract over a message port: how the desktop shell talks to the core running in its own
 * process (Electron's utilityProcess), so no SQLite statement runs on the UI's main thread. Like
 * the IPC adapter and the HTTP bridge it is generic over the one contract table: a call is a name
 * and an input, validated and answered by the same dispatch, and its ApiResult (error codes
 * included) travels back as it is.
 *
 * Plain Node: the port is anything with postMessage and on('message') delivering the data (a
 * worker_threads MessagePort as it is; Electron's MessagePortMain through fromMessagePortMain).
 */
export interface PortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (data: unknown) => void): unknown;
}

/** Shell → core. */
export type ToCore =
  | { type: 'call'; id: number; name: string; input: unknown }
  | { type: 'media'; id: number; kind: MediaKind; assetId: number; version: string | null }
  | { type: 'close'; id: number };

/** Where an asset's media file is, or why it cannot be served (an HTTP status for the protocol answer). */
export type MediaAnswer = { ok: true; file: string } | { ok: false; status: number; message: string };

/** Core → shell. */
export type FromCore =
  | { type: 'result'; id: number; result: ApiResult<unknown> }
  | { type: 'media'; id: number; answer: MediaAnswer }
  | { type: 'closed'; id: number }
  | { type: 'event'; name: CoreEventName; payload: unknown };

const ALL_EVENTS: Record<CoreEventName, true> = {
  'scan-progress': true,
  'job-progress': true,
  'catalog-changed': true,
  'root-state': true,
  warning: true,
  publication: true,
  'upload-received': true,
};
/** Every event the core pushes (a Record, so a new event name fails the typecheck until listed). */
export const CORE_EVENTS = Object.keys(ALL_EVENTS) as CoreEventName[];

export interface CoreSide {
  handlers: Handlers;
  events: { on<K extends CoreEventName>(name: K, fn: (payload: CoreEvents[K]) => void): () => void };
  /** The file for an asset's thumbnail, preview or kept content (core/media.ts). */
  media(kind: MediaKind, assetId: number, version: string | null): Promise<MediaAnswer>;
  /** Close the catalogue cleanly (jobs stopped, database closed). */
  close(): Promise<void>;
}

/** The core side over one open Library: its contract handlers, events, media and close. */
export function librarySide(lib: Library, handlers: Handlers = createHandlers(lib)): CoreSide {
  return {
    handlers,
    events: lib.events,
    async media(kind, assetId, version) {
      try {
        return { ok: true, file: await mediaFile(lib, kind, assetId, version) };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        return { ok: false, status: err instanceof MediaError ? err.status : 500, message };
      }
    },
    close: () => lib.close(),
  };
}

const MEDIA_KINDS: readonly MediaKind[] = ['thumb', 'preview', 'snapshot'];

function isToCore(m: unknown): m is ToCore {
  if (typeof m !== 'object' || m === null) return false;
  const { type, id } = m as { type?: unknown; id?: unknown };
  return (type === 'call' || type === 'media' || type === 'close') && Number.isSafeInteger(id);
}

/**
 * Answer the shell's messages on `port` with the core in `side` and push every core event to it.
 * Messages that are not of the protocol are dropped; a call after close is answered with an error.
 */
export function serveCore(port: PortLike, side: CoreSide): void {
  let closing: Promise<void> | null = null;
  const offs = CORE_EVENTS.map((name) =>
    side.events.on(name, (payload) => port.postMessage({ type: 'event', name, payload } satisfies FromCore)),
  );
  const reply = (m: FromCore) => port.postMessage(m);

  port.on('message', (m) => {
    if (!isToCore(m)) return;
    if (m.type === 'close') {
      closing ??= (async () => {
        offs.forEach((off) => off());
        await side.close();
      })();
      void closing.then(() => reply({ type: 'closed', id: m.id }));
      return;
    }
    if (closing) {
      if (m.type === 'call')
        reply({
          type: 'result',
          id: m.id,
          result: { ok: false, error: { code: 'unavailable', message: 'the catalogue is closing' } },
        });
      else reply({ type: 'media', id: m.id, answer: { ok: false, status: 503, message: 'closing' } });
      return;
    }
    if (m.type === 'call') {
      void dispatch(side.handlers, typeof m.name === 'string' ? m.name : '', m.input).then((result) =>
        reply({ type: 'result', id: m.id, result }),
      );
      return;
    }
    if (!MEDIA_KINDS.includes(m.kind) || !Number.isSafeInteger(m.assetId) || m.assetId <= 0) {
      reply({ type: 'media', id: m.id, answer: { ok: false, status: 400, message: 'bad media request' } });
      return;
    }
    void side
      .media(m.kind, m.assetId, typeof m.version === 'string' ? m.version : null)
      .then((answer) => reply({ type: 'media', id: m.id, answer }));
  });
}
