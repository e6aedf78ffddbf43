import crypto from 'node:crypto';
import type { StoredPassword } from '../catalog/accounts.repository';

/**
 * scrypt, memory-hard: 2^15 × 8 × 128 bytes = 32 MB and some 100 ms per guess on a laptop core.
 * The parameters are stored with each hash, so raising them later still verifies older ones.
 */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  keylen: number;
}
export const SCRYPT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 1, keylen: 32 };
const SALT_BYTES = 16;

function scrypt(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    crypto.scrypt(
      password.normalize('NFC'),
      salt,
      params.keylen,
      { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
}

export async function hashPassword(
  password: string,
  params: ScryptParams = SCRYPT_PARAMS,
): Promise<StoredPassword> {
  const salt = crypto.randomBytes(SALT_BYTES);
  return { hash: await scrypt(password, salt, params), salt, params: JSON.stringify(params) };
}

function parseParams(json: string): ScryptParams | null {
  try {
    const p = JSON.parse(json) as Partial<ScryptParams>;
    const ok = (v: unknown, max: number) => Number.isInteger(v) && (v as number) > 0 && (v as number) <= max;
    // Bounded: a tampered catalogue must not make one login allocate gigabytes.
    if (ok(p.N, 2 ** 20) && ok(p.r, 32) && ok(p.p, 16) && ok(p.keylen, 128)) return p as ScryptParams;
  } catch {
    // Unreadable parameters verify nothing.
  }
  return null;
}

/** Constant-time comparison of the derived key; unreadable parameters never match. */
export async function verifyPassword(password: string, stored: StoredPassword): Promise<boolean> {
  const params = parseParams(stored.params);
  if (!params) return false;
  const key = await scrypt(password, stored.salt, params);
  return key.length === stored.hash.length && crypto.timingSafeEqual(key, stored.hash);
}
