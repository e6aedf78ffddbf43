import fs from 'node:fs';
import path from 'node:path';
import type { SafeStorage } from 'electron';
import { unavailable } from '../core/errors';
import type { CredentialStore } from '../core/publishing/credentials';

/**
 * What this store needs of Electron's `safeStorage` (main process only): typed against Electron's
 * own declarations, so a change there breaks the build; a test passes a stand-in (Electron cannot run
 * there). The synchronous calls are used on purpose: the core's CredentialStore is synchronous.
 */
export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

/** The file in the app's data folder (userData), beside the catalogue folder and never inside it. */
export const CREDENTIALS_FILE = 'endpoint-credentials.json';

/**
 * Why secrets cannot be kept now, or null when they can. On Linux without a keyring (no GNOME
 * Keyring, KWallet), Electron falls back to `basic_text`: a key written in Electron's source, which is
 * plain text by another name, so it is refused as well.
 */
export function keychainUnavailable(s: SafeStorageLike): string | null {
  if (!s.isEncryptionAvailable())
    return 'the OS keychain is not available to Tessera, so endpoint passwords cannot be stored (they are never kept in plain text)';
  if (s.getSelectedStorageBackend?.() === 'basic_text')
    return 'no keyring (GNOME Keyring or KWallet) is running, so endpoint passwords cannot be stored safely (they are never kept in plain text)';
  return null;
}

/**
 * Endpoint passwords in the desktop app: each encrypted by the OS keychain (Electron `safeStorage`:
 * Keychain on macOS, DPAPI on Windows, the Secret Service or KWallet on Linux) and kept as ciphertext
 * in a private file of the app's data folder. Never in the catalogue. When the keychain is not there,
 * storing is refused with the reason rather than writing plain text.
 */
export class SafeStorageCredentialStore implements CredentialStore {
  constructor(
    private readonly safe: SafeStorageLike,
    readonly where: string,
  ) {}

  static inFolder(safe: SafeStorageLike, userData: string): SafeStorageCredentialStore {
    return new SafeStorageCredentialStore(safe, path.join(userData, CREDENTIALS_FILE));
  }

  private read(): Record<string, string> {
    let text: string;
    try {
      text = fs.readFileSync(this.where, 'utf8');
    } catch {
      return {};
    }
    try {
      const v = JSON.parse(text) as { secrets?: Record<string, string> };
      return v.secrets ?? {};
    } catch {
      throw unavailable(`the credentials file ${this.where} cannot be read (damaged?)`);
    }
  }

  private write(secrets: Record<string, string>): void {
    fs.mkdirSync(path.dirname(this.where), { recursive: true });
    const tmp = `${this.where}.${process.pid}.tmp`;
    // Ciphertext only, yet private too: created 0600 and renamed into place whole.
    fs.writeFileSync(
      tmp,
      JSON.stringify({ version: 1, encryption: 'electron-safeStorage', secrets }, null, 2),
      {
        mode: 0o600,
      },
    );
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, this.where);
  }

  get(endpoint: string): string | null {
    const sealed = this.read()[endpoint];
    if (sealed === undefined) return null;
    const why = keychainUnavailable(this.safe);
    if (why) throw unavailable(why);
    try {
      return this.safe.decryptString(Buffer.from(sealed, 'base64'));
    } catch {
      throw unavailable(
        `the password of endpoint ${endpoint} cannot be decrypted by this user's keychain: enter it again in Settings → Endpoints`,
      );
    }
  }

  set(endpoint: string, secret: string): void {
    const why = keychainUnavailable(this.safe);
    if (why) throw unavailable(why);
    const sealed = this.safe.encryptString(secret).toString('base64');
    this.write({ ...this.read(), [endpoint]: sealed });
  }

  remove(endpoint: string): void {
    const all = this.read();
    if (!(endpoint in all)) return;
    delete all[endpoint];
    this.write(all);
  }

  /**
   * Every password that can be decrypted now, for the core's process (safeStorage exists in the main
   * process only); one that cannot is left out, to be entered again.
   */
  readable(): Record<string, string> {
    const out: Record<string, string> = {};
    if (keychainUnavailable(this.safe)) return out;
    for (const name of Object.keys(this.read())) {
      try {
        const v = this.get(name);
        if (v !== null) out[name] = v;
      } catch {
        // Sealed by another user or machine: left out; the endpoint says it has no password.
      }
    }
    return out;
  }
}
