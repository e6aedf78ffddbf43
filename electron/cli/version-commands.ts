import type { DuplicateGroup } from '../../shared/duplicates';
import type { Asset } from '../../shared/model';
import type { VersionStack } from '../../shared/versions';
import { invalidInput, notFound } from '../core/errors';
import type { Library } from '../core/library';
import { duplicateGroups } from '../core/versions/duplicates';
import { printable } from './printable';

export const VERSION_HELP = `  versions ID|PATH [--json] [--set-current]
                           the version stack an asset is in (position, current, name, approval);
                           --set-current makes this version the current one
  group ID|PATH ID|PATH... [--current ID|PATH]
                           stack assets as versions of one another (their stacks merge)
  ungroup ID|PATH...       take assets out of their stacks
  duplicates [--near] [--json] [--limit N]
                           pictures catalogued more than once (the same bytes); --near adds
                           near-identical ones (bursts, re-saves); * marks the suggested keeper.
                           Then: dam set ID... flag=reject, or dam group KEEPER ID... --current KEEPER`;

export const VERSION_COMMANDS = ['versions', 'group', 'ungroup', 'duplicates'];

function assetId(lib: Library, arg: string | undefined): number {
  if (!arg) throw invalidInput('missing ID or PATH');
  const a = lib.findAsset(arg);
  if (!a) throw notFound(`no asset ${arg} in the catalogue`);
  return a.id;
}

/** One line per version: position, a * on the current one, name, approval. */
export function stackLines(s: VersionStack): string[] {
  const head =
    s.stackId == null ? 'not in a version stack' : `stack ${s.stackId}: ${s.versions.length} versions`;
  const width = String(s.versions.length).length;
  return [
    head,
    ...s.versions.map(
      (v) =>
        `${String(v.position).padStart(width)} ${v.current ? '*' : ' '} ${String(v.assetId).padStart(6)}  ${v.name}  ${v.approval}  (${v.reason})`,
    ),
  ];
}

/** The `show` line for a stacked asset. */
export function stackRow(a: Asset): [string, unknown] {
  const s = a.stack;
  return ['versions', s ? `stack ${s.id}, ${s.position} of ${s.size}${s.current ? ', current' : ''}` : null];
}

/** One block per group: kind, size and why the keeper; then each member, the keeper starred. */
export function duplicateLines(groups: DuplicateGroup[]): string[] {
  if (groups.length === 0) return ['no duplicates'];
  const lines: string[] = [];
  groups.forEach((g, i) => {
    lines.push(`group ${i + 1}: ${g.members.length} ${g.kind}, keep ${g.keeperId} (${g.reason})`);
    for (const m of g.members) {
      const size = m.width && m.height ? `${m.width}×${m.height}` : '';
      const facts = [
        size,
        m.rating ? `${m.rating}★` : '',
        m.sharpness != null ? `sharpness ${Math.round(m.sharpness)}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      lines.push(
        `  ${m.assetId === g.keeperId ? '*' : ' '} ${String(m.assetId).padStart(6)}  ${printable(m.path)}${facts ? `  (${facts})` : ''}`,
      );
    }
  });
  return lines;
}

export async function runVersionCommand(
  lib: Library,
  command: string,
  args: string[],
  values: { json?: boolean; 'set-current'?: boolean; current?: string; near?: boolean; limit?: number },
  out: (s: string) => void,
): Promise<number> {
  if (command === 'duplicates') {
    if (args.length > 0)
      throw invalidInput('duplicates takes no arguments: dam duplicates [--near] [--json]');
    const groups = await duplicateGroups(lib.db, lib.thumbDir, {
      near: values.near ?? false,
      ...(values.limit ? { limit: values.limit } : {}),
    });
    if (values.json) out(JSON.stringify(groups, null, 2));
    else duplicateLines(groups).forEach((l) => out(l));
    return 0;
  }
  const print = (s: VersionStack) => {
    if (values.json) out(JSON.stringify(s, null, 2));
    else stackLines(s).forEach((l) => out(l));
  };
  if (command === 'versions') {
    if (args.length > 1) throw invalidInput('versions takes one ID or PATH');
    const id = assetId(lib, args[0]);
    print(values['set-current'] ? lib.versions.setCurrent(id) : lib.versions.list(id));
    return 0;
  }
  if (command === 'group') {
    if (args.length < 2) throw invalidInput('group needs at least two assets: dam group ID|PATH ID|PATH...');
    const ids = args.map((a) => assetId(lib, a));
    const current = values.current === undefined ? undefined : assetId(lib, values.current);
    print(lib.versions.group(ids, current));
    return 0;
  }
  if (command === 'ungroup') {
    if (args.length < 1) throw invalidInput('ungroup needs at least one asset: dam ungroup ID|PATH...');
    const res = lib.versions.ungroup(args.map((a) => assetId(lib, a)));
    if (values.json) out(JSON.stringify(res));
    else
      out(
        `${res.updated} asset${res.updated === 1 ? '' : 's'} taken out of ${res.updated === 1 ? 'its stack' : 'their stacks'}`,
      );
    return 0;
  }
  return 2;
}
