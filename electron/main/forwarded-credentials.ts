import { unavailable } from '../core/errors';
import type { CredentialStore } from '../core/publishing/credentials';
import type { SafeStorageCredentialStore } from './safe-storage-credentials';

/** What the core's process sends the main process to keep (or forget) an endpoint's password. */
export type CredentialMessage =
  | { type: 'credential-set'; endpoint: string; secret: string }
  | { type: 'credential-remove'; endpoint: string };

/** What the main process hands the core's process at start: the passwords it can read, or why none. */
export interface CredentialHandover {
  secrets: Record<string, string>;
  /** Why passwords cannot be stored now (no keychain), or null. */
  unavailable: string | null;
  /** The main process's file, for messages. */
  where: string;
}

/**
 * The core's end of the desktop app's keychain store. Electron's safeStorage exists in the main
 * process only and the core runs in a utility process, so the main process decrypts the passwords
 * once and hands them over in memory; each change is sent back to be encrypted and written there.
 * With no keychain, storing is refused here at once, with the main process's reason.
 */
export class ForwardedCredentialStore implements CredentialStore {
  private readonly secrets: Map<string, string>;
  private readonly why: string | null;
  readonly where: string;

  constructor(
    handover: CredentialHandover,
    private readonly send: (m: CredentialMessage) => void,
  ) {
    this.secrets = new Map(Object.entries(handover.secrets));
    this.where = `the OS keychain (${handover.where})`;
    this.why = handover.unavailable;
  }

  get(endpoint: string): string | null {
    return this.secrets.get(endpoint) ?? null;
  }

  set(endpoint: string, secret: string): void {
    if (this.why) throw unavailable(this.why);
    this.secrets.set(endpoint, secret);
    this.send({ type: 'credential-set', endpoint, secret });
  }

  remove(endpoint: string): void {
    if (!this.secrets.delete(endpoint)) return;
    this.send({ type: 'credential-remove', endpoint });
  }
}

/** The main process's side: a message from the core's process, checked, applied to the keychain store. */
export function applyCredentialMessage(store: SafeStorageCredentialStore, m: unknown): boolean {
  if (typeof m !== 'object' || m === null) return false;
  const msg = m as Partial<Record<string, unknown>>;
  if (typeof msg.endpoint !== 'string' || msg.endpoint.length === 0 || msg.endpoint.length > 64) return false;
  if (msg.type === 'credential-set' && typeof msg.secret === 'string') {
    store.set(msg.endpoint, msg.secret);
    return true;
  }
  if (msg.type === 'credential-remove') {
    store.remove(msg.endpoint);
    return true;
  }
  return false;
}
