import type { MessagePortMain } from 'electron';
import { Library } from '../core/library';
import { librarySide, serveCore } from '../core/port-adapter';
import { ForwardedCredentialStore, type CredentialHandover } from './forwarded-credentials';
import { fromMessagePortMain } from './message-port';

// The core's own process (an Electron utilityProcess, forked by main.ts): it opens the catalogue
// and answers the contract over the MessagePort main sends it, so every SQLite statement, flush
// and scan runs here and the window's main thread only forwards.

/** What main sends first, with the port to serve. */
export interface OpenMessage {
  type: 'open';
  dir: string;
  /** better-sqlite3 built for Electron's ABI, when there is one. */
  nativeBinding?: string;
  /** Endpoint passwords from the OS keychain (safeStorage is the main process's alone). */
  credentials: CredentialHandover;
}

/** What the core answers on the parent port once the catalogue is open (or could not be). */
export type OpenAnswer = { type: 'ready' } | { type: 'failed'; message: string };

const parent = process.parentPort;

parent.once('message', (e: { data: unknown; ports: MessagePortMain[] }) => {
  const msg = e.data as OpenMessage;
  const port = e.ports[0];
  if (msg?.type !== 'open' || typeof msg.dir !== 'string' || !port) {
    parent.postMessage({ type: 'failed', message: 'the catalogue process got no catalogue to open' });
    return;
  }
  let lib: Library;
  try {
    lib = Library.open(msg.dir, {
      create: true,
      ...(msg.nativeBinding ? { nativeBinding: msg.nativeBinding } : {}),
      // Changes go back to the main process, which encrypts and keeps them.
      credentials: new ForwardedCredentialStore(msg.credentials, (m) => parent.postMessage(m)),
    });
  } catch (err) {
    parent.postMessage({
      type: 'failed',
      message: err instanceof Error ? err.message : String(err),
    } satisfies OpenAnswer);
    return;
  }
  // Closed on request (quit); main ends this process once the close is answered.
  serveCore(fromMessagePortMain(port), librarySide(lib));
  parent.postMessage({ type: 'ready' } satisfies OpenAnswer);
  void lib.startWatching();
  lib.tagging.runInBackground();
  // The app delivers the publishing outbox continuously, as dam serve and dam watch do.
  lib.publishing.start();
});
