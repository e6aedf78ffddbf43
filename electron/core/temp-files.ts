import crypto from 'node:crypto';

/**
 * The hidden name a file is written under before it is renamed over its target (sidecars, and
 * originals with embedded XMP): `.NAME.PID.HEX.tmp`. A process killed in between leaves one behind;
 * the pid in the name tells a later scan whether its writer can still be at work.
 */
const TEMP = /^\.(.+)\.(\d{1,10})\.[0-9a-f]{8}\.tmp$/;

export function tempNameFor(name: string): string {
  return `.${name}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
}

/** The target's name and the writer's pid when the name is one of ours, else null. */
export function parseTempName(name: string): { target: string; pid: number } | null {
  const m = TEMP.exec(name);
  return m ? { target: m[1]!, pid: Number(m[2]) } : null;
}
