import { operations } from '../../shared/contract';
import type { ContentSnapshot } from '../../shared/versions';
import { listSnapshots } from '../core/history/history.repository';
import { restoreContent } from '../core/history/restore';
import { formatBytes } from '../core/history/limit';
import { invalidInput, notFound } from '../core/errors';
import type { Library } from '../core/library';

export const HISTORY_HELP = `  snapshots ID|PATH [--json]
                           the contents kept for an asset's file, newest first
  restore ID|PATH HASH     write a kept content back to the file (HASH or a unique prefix of it);
                           the present content is kept first, so restoring that undoes it`;

export const HISTORY_COMMANDS = ['snapshots', 'restore'];
export const HISTORY_CONFIG_KEYS = ['history-limit-mb', 'history-scope'];

function assetOf(lib: Library, arg: string | undefined): number {
  if (!arg) throw invalidInput('missing ID or PATH');
  const a = lib.findAsset(arg);
  if (!a) throw notFound(`no asset ${arg} in the catalogue`);
  return a.id;
}

function snapshotLine(s: ContentSnapshot): string {
  const state = s.current ? 'current' : s.stored ? 'kept' : 'not kept';
  return `${s.at}  ${s.hash.slice(0, 12)}  ${formatBytes(s.size).padStart(9)}  ${state.padEnd(8)}  ${s.reason.padEnd(8)}  by ${s.actor}@${s.machine}`;
}

/** A full hash, or the one kept content of this asset that starts with the given prefix. */
function resolveHash(list: ContentSnapshot[], given: string | undefined, assetId: number): string {
  if (!given) throw invalidInput('missing HASH (dam snapshots ID lists them)');
  const prefix = given.trim().toLowerCase();
  if (!/^[0-9a-f]{4,64}$/.test(prefix)) throw invalidInput(`"${given}" is not a content hash`);
  const matches = list.filter((s) => s.hash.startsWith(prefix));
  if (matches.length === 1) return matches[0]!.hash;
  if (matches.length > 1) throw invalidInput(`${prefix} matches ${matches.length} contents: give more of it`);
  // Let the core say why (another asset's hash, never kept, …) when the whole hash was given.
  if (prefix.length === 64) return prefix;
  throw notFound(`${prefix} is not one of the contents kept for asset ${assetId} (dam snapshots ${assetId})`);
}

/** Runs snapshots or restore; returns the exit code. */
export async function runHistoryCommand(
  lib: Library,
  command: string,
  args: string[],
  opts: { json?: boolean },
  out: (s: string) => void,
): Promise<number> {
  lib.events.on('warning', (e) => process.stderr.write(`warning: ${e.message}\n`));
  const id = assetOf(lib, args[0]);
  const list = listSnapshots(lib.db, id);
  if (command === 'snapshots') {
    if (opts.json) out(JSON.stringify(list, null, 2));
    else if (!list.length) out(`asset ${id}: no contents kept (dam config history-scope shows what is kept)`);
    else list.forEach((s) => out(snapshotLine(s)));
    return 0;
  }
  const hash = resolveHash(list, args[1], id);
  const res = await restoreContent(lib, id, hash);
  if (opts.json) out(JSON.stringify({ restored: res.restored, hash: res.hash }));
  else if (!res.restored) out(`asset ${id}: the file already has the content ${hash.slice(0, 12)}`);
  else
    out(
      `asset ${id}: restored ${hash.slice(0, 12)}; the content it replaced is kept as ${res.replaced!.slice(0, 12)} ` +
        `(dam restore ${id} ${res.replaced!.slice(0, 12)} undoes this)`,
    );
  return 0;
}

/** `dam config history-limit-mb N` / `history-scope governed|all|off`, checked as the API checks them. */
export async function historyConfig(
  lib: Library,
  key: string | undefined,
  value: string | undefined,
): Promise<[string, string][]> {
  if (key !== undefined && value !== undefined) {
    const input = key === 'history-limit-mb' ? { limitMb: Number(value) } : { scope: value };
    const parsed = operations['history.settings'].input.safeParse(input);
    if (!parsed.success)
      throw invalidInput(
        key === 'history-limit-mb'
          ? `history-limit-mb is a whole number of megabytes from 100 (got "${value}")`
          : `history-scope is governed, all or off (got "${value}")`,
      );
    await lib.history.configure(parsed.data);
  }
  const s = lib.history.status();
  if (s.warning) process.stderr.write(`warning: ${s.warning}\n`);
  return [
    ['history-limit-mb', String(Math.round(s.limitBytes / 1024 / 1024))],
    ['history-scope', s.scope],
  ];
}
