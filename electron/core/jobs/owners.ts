import crypto from 'node:crypto';
import { processAlive } from '../temp-files';

/**
 * Who claims jobs: "pid:token", one token per runner (per open catalogue), so that two catalogue
 * handles in one process, or a pid reused after a crash, are never mistaken for each other.
 */
const live = new Set<string>();

export function newOwner(): string {
  const owner = `${process.pid}:${crypto.randomBytes(6).toString('hex')}`;
  live.add(owner);
  return owner;
}

export function retireOwner(owner: string): void {
  live.delete(owner);
}

/**
 * Whether the claims of an owner still stand: its lease has not run out and its process lives
 * (in this process: its runner is still open). A catalogue is local to one machine, so a pid says
 * something; the lease covers a pid reused by an unrelated process.
 */
export function ownerAlive(owner: string | null, leaseUntil: number | null, now = Date.now()): boolean {
  if (!owner || leaseUntil == null || leaseUntil < now) return false;
  const pid = Number(owner.split(':')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return live.has(owner);
  return processAlive(pid);
}
