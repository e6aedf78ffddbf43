/** OS errors that may pass on their own (a busy file, a share that hiccups): worth a retry. */
const TRANSIENT = new Set([
  'EBUSY',
  'EAGAIN',
  'EIO',
  'ETIMEDOUT',
  'ENOTCONN',
  'ESTALE',
  'EHOSTDOWN',
  'ECONNRESET',
  'EMFILE',
  'ENFILE',
]);

export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err && 'code' in err
    ? String((err as { code: unknown }).code)
    : undefined;
}

export function isTransient(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && TRANSIENT.has(code);
}

const FRIENDLY: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'file not found',
  EISDIR: 'is a folder',
  ELOOP: 'too many symbolic links (a loop)',
  ENAMETOOLONG: 'name too long',
  EIO: 'input/output error (disk or share problem)',
  ENOTCONN: 'the share is not connected',
  ESTALE: 'the share handle went stale',
};

/** One short line a user can read, never a stack trace. */
export function describeError(err: unknown): string {
  const code = errorCode(err);
  if (code && FRIENDLY[code]) return FRIENDLY[code];
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0]!.slice(0, 300) || 'unknown error';
}
