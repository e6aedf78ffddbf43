import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CoreError } from '../../electron/core/errors';
import {
  ForwardedCredentialStore,
  applyCredentialMessage,
  type CredentialMessage,
} from '../../electron/main/forwarded-credentials';
import {
  CREDENTIALS_FILE,
  SafeStorageCredentialStore,
  keychainUnavailable,
  type SafeStorageLike,
} from '../../electron/main/safe-storage-credentials';
import { tempDir } from '../helpers/corpus';

/**
 * STAND-IN for Electron's safeStorage (the Electron binary cannot run here): AES-256-GCM under a key
 * of its own, as the OS keychain would hold it; `available` and `backend` play the keychain's presence.
 */
class SafeStorageStandIn implements SafeStorageLike {
  available = true;
  backend: ReturnType<NonNullable<SafeStorageLike['getSelectedStorageBackend']>> = 'gnome_libsecret';
  private readonly key = crypto.randomBytes(32);
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  getSelectedStorageBackend() {
    return this.backend;
  }
  encryptString(plain: string): Buffer {
    if (!this.available) throw new Error('Encryption is not available.');
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return Buffer.concat([Buffer.from('v11'), iv, c.getAuthTag(), body]);
  }
  decryptString(sealed: Buffer): string {
    const iv = sealed.subarray(3, 15);
    const d = crypto.createDecipheriv('aes-256-gcm', this.key, iv);
    d.setAuthTag(sealed.subarray(15, 31));
    return Buffer.concat([d.update(sealed.subarray(31)), d.final()]).toString('utf8');
  }
}

const SECRET = 'abcd EFGH ijkl 1234 mnop ✓';

describe('the desktop app keeps endpoint passwords in the OS keychain (safeStorage)', () => {
  const dirs: string[] = [];
  const folder = () => {
    const d = tempDir('dam-safestorage-');
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('writes only ciphertext, privately, in the app data folder, and reads it back', () => {
    const safe = new SafeStorageStandIn();
    const dir = folder();
    const store = SafeStorageCredentialStore.inFolder(safe, dir);
    store.set('site', SECRET);
    store.set('other', 'second-secret');
    const file = path.join(dir, CREDENTIALS_FILE);
    expect(store.where).toBe(file);
    const bytes = fs.readFileSync(file);
    expect(bytes.includes(Buffer.from(SECRET))).toBe(false);
    expect(bytes.includes(Buffer.from('second-secret'))).toBe(false);
    expect(bytes.toString('utf8')).toContain('"site"');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // Another instance (the next start) reads the same file through the same keychain.
    const again = SafeStorageCredentialStore.inFolder(safe, dir);
    expect(again.get('site')).toBe(SECRET);
    expect(again.readable()).toEqual({ site: SECRET, other: 'second-secret' });
    again.remove('site');
    expect(again.get('site')).toBeNull();
    expect(again.get('other')).toBe('second-secret');
    // Another keychain (another user, another machine) cannot read it: a clear error, not garbage.
    const stranger = SafeStorageCredentialStore.inFolder(new SafeStorageStandIn(), dir);
    expect(() => stranger.get('other')).toThrow(/cannot be decrypted .* enter it again/);
    expect(stranger.readable()).toEqual({});
  });

  it('refuses to store a password when the keychain is unavailable, rather than write plain text', () => {
    const safe = new SafeStorageStandIn();
    safe.available = false;
    const dir = folder();
    const store = SafeStorageCredentialStore.inFolder(safe, dir);
    let err: unknown;
    try {
      store.set('site', SECRET);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CoreError);
    expect(err).toMatchObject({ code: 'unavailable', message: /OS keychain is not available/ });
    expect(fs.existsSync(path.join(dir, CREDENTIALS_FILE))).toBe(false);
    expect(fs.readdirSync(dir)).toEqual([]);

    // Linux without a keyring: Electron's basic_text backend is a fixed key, refused as well.
    const basic = new SafeStorageStandIn();
    basic.backend = 'basic_text';
    expect(keychainUnavailable(basic)).toMatch(/no keyring/);
    expect(() => SafeStorageCredentialStore.inFolder(basic, dir).set('site', SECRET)).toThrow(/no keyring/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('hands the passwords to the core process in memory and keeps what it changes encrypted in the main process', () => {
    const safe = new SafeStorageStandIn();
    const dir = folder();
    const main = SafeStorageCredentialStore.inFolder(safe, dir);
    main.set('site', SECRET);
    const sent: CredentialMessage[] = [];
    // The core's store, as core-process.ts builds it from main's handover; its messages go to main.
    const core = new ForwardedCredentialStore(
      { secrets: main.readable(), unavailable: keychainUnavailable(safe), where: main.where },
      (m) => {
        sent.push(m);
        expect(applyCredentialMessage(main, m)).toBe(true);
      },
    );
    expect(core.get('site')).toBe(SECRET);
    core.set('blog', 'blog-secret');
    core.remove('site');
    expect(sent.map((m) => m.type)).toEqual(['credential-set', 'credential-remove']);
    expect(main.readable()).toEqual({ blog: 'blog-secret' });
    expect(fs.readFileSync(main.where, 'utf8')).not.toContain('blog-secret');
    // Messages that are not ours are ignored.
    expect(applyCredentialMessage(main, { type: 'credential-set', endpoint: 'x' })).toBe(false);
    expect(applyCredentialMessage(main, null)).toBe(false);

    // No keychain: the core refuses at once, and nothing is sent to be written.
    const none = new ForwardedCredentialStore(
      { secrets: {}, unavailable: 'the OS keychain is not available', where: main.where },
      (m) => sent.push(m),
    );
    expect(() => none.set('site', SECRET)).toThrow(/OS keychain is not available/);
    expect(none.get('site')).toBeNull();
    expect(sent).toHaveLength(2);
  });
});
