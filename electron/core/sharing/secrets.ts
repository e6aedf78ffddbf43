import crypto from 'node:crypto';

// Tokens, passwords and the proof a visitor has given a share's password. A link's token is
// 192 random bits: kept only as its SHA-256 (enough to look it up, nothing to guess from). A
// password is kept as an scrypt hash (memory-hard: 16 MB per try).

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };

export function newToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A token as links carry it: base64url, 32 characters. Anything else is never looked up. */
export function isTokenShaped(s: string): boolean {
  return /^[A-Za-z0-9_-]{32}$/.test(s);
}

function scrypt(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    crypto.scrypt(
      password.normalize('NFC'),
      salt,
      SCRYPT.keylen,
      { N, r, p, maxmem: 64 * 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, key] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !key) return false;
  const want = Buffer.from(key, 'base64url');
  const got = await scrypt(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return got.length === want.length && crypto.timingSafeEqual(got, want);
}

/**
 * What the visitor's cookie holds once the password was right: an HMAC keyed by the stored hash,
 * so it outlives a restart and dies with a new password, and says nothing of the password itself.
 */
export function passwordProof(shareId: number, storedHash: string): string {
  return crypto.createHmac('sha256', storedHash).update(`share:${shareId}`).digest('base64url');
}

export function proofMatches(given: string | undefined, shareId: number, storedHash: string): boolean {
  if (!given) return false;
  const want = Buffer.from(passwordProof(shareId, storedHash));
  const got = Buffer.from(given);
  return got.length === want.length && crypto.timingSafeEqual(got, want);
}

/** `--expires 2027-01-31`: the link works through that day (UTC), so it ends at the next midnight. */
export function expiryOf(day: string): number {
  const t = Date.parse(`${day}T00:00:00Z`);
  if (!Number.isFinite(t) || new Date(t).toISOString().slice(0, 10) !== day) return NaN;
  return t + 86_400_000;
}
