import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { invalidInput, unavailable } from '../core/errors';

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
  /** SHA-256 of the certificate (DER), as browsers show it: AB:CD:… */
  fingerprint: string;
  /** Made now (first start with --https). */
  generated: boolean;
}

function fingerprintOf(cert: Buffer, what: string): string {
  try {
    return new crypto.X509Certificate(cert).fingerprint256;
  } catch (err) {
    throw invalidInput(
      `${what} is not a PEM certificate: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** --tls-cert / --tls-key: the user's own certificate and key (PEM); checked to belong together. */
export function loadTls(certFile: string, keyFile: string): TlsFiles {
  const read = (f: string, what: string) => {
    try {
      return fs.readFileSync(f);
    } catch (err) {
      throw invalidInput(
        `cannot read the ${what} ${f}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      );
    }
  };
  const cert = read(certFile, 'certificate');
  const key = read(keyFile, 'key');
  const fingerprint = fingerprintOf(cert, certFile);
  let matches = false;
  try {
    matches = new crypto.X509Certificate(cert).checkPrivateKey(crypto.createPrivateKey(key));
  } catch (err) {
    throw invalidInput(
      `${keyFile} is not a PEM private key: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (!matches) throw invalidInput(`${keyFile} is not the key of ${certFile}`);
  return { cert, key, fingerprint, generated: false };
}

/**
 * --https: a self-signed certificate kept in the catalogue folder (tls-cert.pem, and tls-key.pem
 * readable by its owner only), made with openssl on first start and reused after, so the
 * fingerprint colleagues checked once stays the same.
 */
export function selfSignedTls(catalogDir: string): TlsFiles {
  const certFile = path.join(catalogDir, 'tls-cert.pem');
  const keyFile = path.join(catalogDir, 'tls-key.pem');
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    if ((fs.statSync(keyFile).mode & 0o077) !== 0)
      throw unavailable(
        `${keyFile} can be read by others: chmod 600 it (or remove both tls-*.pem to make new ones)`,
      );
    return loadTls(certFile, keyFile);
  }
  // Made in a private folder, then moved in: the key is never readable by others, even briefly.
  const work = fs.mkdtempSync(path.join(catalogDir, '.tls-'));
  try {
    fs.chmodSync(work, 0o700);
    const host = os.hostname() || 'localhost';
    const names = [...new Set(['localhost', host])].map((n) => `DNS:${n}`);
    const r = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-sha256',
        '-days',
        '825',
        '-subj',
        `/CN=Tessera on ${host.replace(/[/=]/g, '-')}`,
        '-addext',
        `subjectAltName=${[...names, 'IP:127.0.0.1', 'IP:::1'].join(',')}`,
        '-keyout',
        path.join(work, 'key.pem'),
        '-out',
        path.join(work, 'cert.pem'),
      ],
      { encoding: 'utf8' },
    );
    if (r.error || r.status !== 0)
      throw unavailable(
        `--https needs openssl to make a certificate (${r.error ? 'not found' : r.stderr.trim().split('\n').pop()}); or give your own: --tls-cert FILE --tls-key FILE`,
      );
    fs.chmodSync(path.join(work, 'key.pem'), 0o600);
    fs.renameSync(path.join(work, 'key.pem'), keyFile);
    fs.renameSync(path.join(work, 'cert.pem'), certFile);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return { ...loadTls(certFile, keyFile), generated: true };
}
