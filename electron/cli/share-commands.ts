import path from 'node:path';
import { CHANNELS, type Channel } from '../../shared/governance';
import { formatBytes } from '../../shared/format';
import {
  DOWNLOAD_LEVELS,
  parseSize,
  type DownloadLevel,
  type ShareInfo,
  type UploadLinkInfo,
} from '../../shared/sharing';
import { invalidInput, notFound } from '../core/errors';
import type { Library } from '../core/library';
import { printable } from './printable';

export const SHARE_HELP = `  share create COLLECTION [--expires 2027-01-31] [--password-stdin] [--download none|preview|original]
               [--preset NAME] [--watermark TEXT] [--channel partners]
                           a share link: a gallery page at /s/TOKEN on dam serve's address (the
                           token is printed once); only assets whose rights allow the channel
                           and whose licence is running are shown, checked at every visit
  share list [--json]      every share link: state, downloads allowed, visits and downloads
  share revoke ID          the link stops working at once (410)
  upload-link create ROOT [--folder NAME] [--expires DATE] [--max-size 2GB]
                           an upload portal at /u/TOKEN: files land in ROOT/NAME (Inbox)/UPLOADER/
                           as drafts, with "uploaded by" in their history
  upload-link list [--json] | revoke ID`;

export const SHARE_COMMANDS = ['share', 'shares', 'upload-link', 'upload-links'];

export interface ShareFlags {
  json?: boolean;
  expires?: string;
  'password-stdin'?: boolean;
  download?: string;
  preset?: string;
  watermark?: string;
  channel?: string;
  folder?: string;
  'max-size'?: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function day(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v))
    throw invalidInput(`--expires expects a date like 2027-01-31, not "${v}"`);
  return v;
}

function shareLine(s: ShareInfo): string {
  const parts = [
    s.state,
    `download ${s.download}${s.download === 'none' ? '' : ` (${s.preset})`}`,
    `channel ${s.channel}`,
    s.expiresAt ? `until ${s.expiresAt.slice(0, 10)}` : 'no expiry',
    ...(s.passwordProtected ? ['password'] : []),
    ...(s.watermark ? [`watermark "${s.watermark}"`] : []),
    `${s.visits} visit${s.visits === 1 ? '' : 's'}`,
    `${s.downloads} download${s.downloads === 1 ? '' : 's'}`,
  ];
  return `${String(s.id).padStart(4)}  ${printable(s.label)}  ${parts.join(', ')}  by ${s.createdBy}`;
}

function linkLine(l: UploadLinkInfo, rootPath: string): string {
  return `${String(l.id).padStart(4)}  ${printable(path.join(rootPath, l.folder))}  ${l.state}, up to ${formatBytes(l.maxSize)}, ${l.expiresAt ? `until ${l.expiresAt.slice(0, 10)}` : 'no expiry'}, ${l.uploads} file${l.uploads === 1 ? '' : 's'} received  by ${l.createdBy}`;
}

function idArg(arg: string | undefined, what: string): number {
  if (!arg || !/^\d+$/.test(arg)) throw invalidInput(`name the ${what} by its id (see the list)`);
  return Number(arg);
}

const SERVE_HINT = 'open it on the address dam serve prints (its host and port), e.g. http://127.0.0.1:PORT';

export async function runShareCommand(
  lib: Library,
  command: string,
  args: string[],
  flags: ShareFlags,
  out: (s: string) => void,
): Promise<number> {
  const [sub, ...rest] = args;
  if (command === 'share' || command === 'shares') {
    switch (sub ?? 'list') {
      case 'create': {
        if (!rest[0]) throw invalidInput('missing COLLECTION: the name or path of the collection to share');
        const collection = lib.collections.find(rest[0]);
        if (flags.download !== undefined && !(DOWNLOAD_LEVELS as readonly string[]).includes(flags.download))
          throw invalidInput(`--download expects ${DOWNLOAD_LEVELS.join(', ')}`);
        if (flags.channel !== undefined && !(CHANNELS as readonly string[]).includes(flags.channel))
          throw invalidInput(`--channel expects ${CHANNELS.join(', ')}`);
        const password = flags['password-stdin'] ? await readStdin() : null;
        if (password === '') throw invalidInput('--password-stdin: nothing was read from stdin');
        const made = await lib.shares.create({
          collectionId: collection.id,
          expires: day(flags.expires),
          password,
          download: flags.download as DownloadLevel | undefined,
          preset: flags.preset,
          watermark: flags.watermark ?? null,
          channel: flags.channel as Channel | undefined,
        });
        if (flags.json) out(JSON.stringify(made, null, 2));
        else {
          out(shareLine(made.share));
          out(made.path);
          out(`the link is shown this once; ${SERVE_HINT}${made.path}`);
        }
        return 0;
      }
      case 'list': {
        const all = lib.shares.list();
        if (flags.json) out(JSON.stringify(all, null, 2));
        else if (!all.length) out('no share links yet: dam share create COLLECTION');
        else all.forEach((s) => out(shareLine(s)));
        return 0;
      }
      case 'revoke': {
        const s = lib.shares.revoke(idArg(rest[0], 'share'));
        if (flags.json) out(JSON.stringify(s, null, 2));
        else out(`revoked share ${s.id}: ${printable(s.label)}`);
        return 0;
      }
      default:
        throw invalidInput(`unknown share command "${sub}" (create, list, revoke)`);
    }
  }
  const roots = lib.roots();
  const rootPath = (id: number) => roots.find((r) => r.id === id)?.path ?? `root ${id}`;
  switch (sub ?? 'list') {
    case 'create': {
      const arg = rest[0];
      if (!arg) throw invalidInput('missing ROOT: the id, name or path of the root uploads go into');
      const abs = path.resolve(arg);
      const root = roots.find((r) => String(r.id) === arg || r.path === abs || r.name === arg);
      if (!root) throw notFound(`no root ${arg} (see dam roots)`);
      let maxSize: number | undefined;
      if (flags['max-size'] !== undefined) {
        const n = parseSize(flags['max-size']);
        if (n === null)
          throw invalidInput(`--max-size expects a size like 2GB or 500MB, not "${flags['max-size']}"`);
        maxSize = n;
      }
      const made = lib.uploads.createLink({
        rootId: root.id,
        folder: flags.folder,
        expires: day(flags.expires),
        maxSize,
      });
      if (flags.json) out(JSON.stringify(made, null, 2));
      else {
        out(
          `upload link ${made.link.id}: into ${printable(path.join(root.path, made.link.folder))}/UPLOADER/, up to ${formatBytes(made.link.maxSize)} a file`,
        );
        out(made.path);
        out(`the link is shown this once; ${SERVE_HINT}${made.path}`);
      }
      return 0;
    }
    case 'list': {
      const all = lib.uploads.listLinks();
      if (flags.json) out(JSON.stringify(all, null, 2));
      else if (!all.length) out('no upload links yet: dam upload-link create ROOT');
      else all.forEach((l) => out(linkLine(l, rootPath(l.rootId))));
      return 0;
    }
    case 'revoke': {
      const l = lib.uploads.revokeLink(idArg(rest[0], 'upload link'));
      if (flags.json) out(JSON.stringify(l, null, 2));
      else out(`revoked upload link ${l.id}`);
      return 0;
    }
    default:
      throw invalidInput(`unknown upload-link command "${sub}" (create, list, revoke)`);
  }
}
