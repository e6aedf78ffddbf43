import fs from 'node:fs';
import path from 'node:path';
import { CoreError } from '../errors';

/**
 * Where endpoint passwords live: never in the catalogue. The desktop app passes an implementation
 * over Electron's safeStorage (the OS keychain; electron/main), since the core never imports Electron;
 * the CLI and `dam serve` use a file only its user can read.
 */
export interface CredentialStore {
  get(endpoint: string): string | null;
  set(endpoint: string, secret: string): void;
  remove(endpoint: string): void;
  /** Where it keeps them, for messages. */
  readonly where: string;
}

/**
 * The CLI's and `dam serve`'s store: a JSON file beside the catalogue folder
 * (`<catalogue>.credentials.json`; `DAM_CREDENTIALS` names another), mode 0600. A file others can
 * read is refused rather than used, as ssh does with a private key.
 */
export class FileCredentialStore implements CredentialStore {
  constructor(readonly where: string) {}

  static beside(catalogDir: string): FileCredentialStore {
    const abs = path.resolve(catalogDir);
    return new FileCredentialStore(
      process.env.DAM_CREDENTIALS || path.join(path.dirname(abs), `${path.basename(abs)}.credentials.json`),
    );
  }

  private read(): Record<string, string> {
    let st: fs.Stats;
    try {
      st = fs.statSync(this.where);
    } catch {
      return {};
    }
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0)
      throw new CoreError(
        'refused',
        `the credentials file ${this.where} can be read by others: make it private (chmod 600) and try again`,
        { reason: 'not-writable' },
      );
    try {
      const v = JSON.parse(fs.readFileSync(this.where, 'utf8')) as { secrets?: Record<string, string> };
      return v.secrets ?? {};
    } catch {
      throw new CoreError('unavailable', `the credentials file ${this.where} cannot be read (damaged?)`);
    }
  }

  private write(secrets: Record<string, string>): void {
    fs.mkdirSync(path.dirname(this.where), { recursive: true });
    const tmp = `${this.where}.${process.pid}.tmp`;
    // Created private, never widened: the secret is not readable by others even for a moment.
    fs.writeFileSync(tmp, JSON.stringify({ version: 1, secrets }, null, 2), { mode: 0o600 });
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, this.where);
  }

  get(endpoint: string): string | null {
    return this.read()[endpoint] ?? null;
  }

  set(endpoint: string, secret: string): void {
    this.write({ ...this.read(), [endpoint]: secret });
  }

  remove(endpoint: string): void {
    const all = this.read();
    if (!(endpoint in all)) return;
    delete all[endpoint];
    this.write(all);
  }
}
