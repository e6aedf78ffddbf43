import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { RootKind } from '../../../shared/model';

const NETWORK_FS =
  /^(cifs|smb3?|smbfs|nfs4?|afpfs|webdav|davfs|9p|ncpfs|glusterfs|ceph|fuse\.sshfs|sshfs|fuse\.rclone|fuse\.s3fs|fuse\.gvfsd-fuse|fuse\.smbnetfs)$/i;

interface Mount {
  point: string;
  type: string;
}

function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function listMounts(): Mount[] {
  try {
    if (process.platform === 'linux') {
      return fs
        .readFileSync('/proc/self/mounts', 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [, point = '', type = ''] = line.split(' ');
          return { point: unescapeMount(point), type };
        });
    }
    if (process.platform === 'darwin' || process.platform.endsWith('bsd')) {
      // "//user@host/share on /Volumes/share (smbfs, nodev, nosuid, mounted by me)"
      return execFileSync('mount', { encoding: 'utf8', timeout: 3000 })
        .split('\n')
        .map((line) => /^.* on (.+) \(([^,)]+)/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ point: m[1]!, type: m[2]! }));
    }
  } catch {
    // No mount table readable: treat as local; the user can force the kind.
  }
  return [];
}

/** The file-system type the path lives on (longest matching mount point), or null if unknown. */
export function fsTypeOf(p: string): string | null {
  let real: string;
  try {
    real = fs.realpathSync(p);
  } catch {
    real = path.resolve(p);
  }
  let best: Mount | null = null;
  for (const m of listMounts()) {
    const inside = real === m.point || real.startsWith(m.point.endsWith('/') ? m.point : m.point + '/');
    if (inside && (!best || m.point.length > best.point.length)) best = m;
  }
  return best?.type ?? null;
}

export function detectKind(p: string): { kind: RootKind; fsType: string | null } {
  if (process.platform === 'win32' && /^\\\\/.test(p)) return { kind: 'network', fsType: 'unc' };
  const fsType = fsTypeOf(p);
  return { kind: fsType && NETWORK_FS.test(fsType) ? 'network' : 'local', fsType };
}
