import { fieldPatch, type FieldPatch } from '../../shared/contract';
import {
  APPROVAL_ACTIONS,
  type ApprovalAction,
  type Channel,
  type HistoryEntry,
} from '../../shared/governance';
import { LABELS } from '../../shared/labels';
import type { Asset } from '../../shared/model';
import { FIELDS, isListField } from '../core/governance/fields';
import { readSettings, writeSettings } from '../core/governance/settings';
import { setFields, timeline, transition } from '../core/governance/set-fields';
import { applyTemplate, deleteTemplate, listTemplates, saveTemplate } from '../core/governance/templates';
import { invalidInput, notFound } from '../core/errors';
import type { Library } from '../core/library';
import { HISTORY_CONFIG_KEYS, historyConfig } from './history-commands';
import { TAGGING_CONFIG_KEYS, taggingConfig } from './tagging-commands';

export const GOVERNANCE_HELP = `  set ID|PATH FIELD=VALUE...
                           set rights and descriptions, e.g. credit="North Studio" licenseEnd=2027-01-31
                           altText="Red bus at dusk" keywords+=bus keywords-=draft rating=4 (FIELD= clears)
  submit|approve|request-changes|reject|retire ID|PATH [--comment TEXT]
                           move the current version through the approval workflow
  history ID|PATH [--json] approvals, field and content changes: who, when, from where
  template list | save NAME FIELD=VALUE... | apply NAME ID|PATH... | delete NAME
                           rights templates applied to many assets
  config [KEY [VALUE]]     sidecar-naming photo.xmp|photo.jpg.xmp, require-rights-for-approval on|off,
                           expiry-warning-days N, embed-xmp on|off, history-limit-mb N (100 and up),
                           model-release-channels web,social|none (approval and delivery to these
                           need a model release when people are in the picture),
                           history-scope governed|all|off (which contents the content history keeps),
                           tagging on|off, tagging-threshold 0.N (confidence an object needs),
                           ocr off|auto|all (text recognition: auto where text is likely)`;

export const GOVERNANCE_COMMANDS = ['set', ...APPROVAL_ACTIONS, 'history', 'template', 'config'];

const ALIASES: Record<string, string> = {
  copyright: 'copyrightNotice',
  license: 'licenseType',
  licence: 'licenseType',
  licencetype: 'licenseType',
  alt: 'altText',
  caption: 'description',
  keyword: 'keywords',
  tags: 'keywords',
  channel: 'channels',
  territory: 'territories',
  stars: 'rating',
};

function fieldName(raw: string): string {
  const key = raw.replace(/[-_]/g, '').toLowerCase().replace('licence', 'license');
  return FIELDS.find((f) => f.toLowerCase() === key) ?? ALIASES[key] ?? raw;
}

const splitList = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** FIELD=VALUE, FIELD+=VALUE, FIELD-=VALUE (lists take comma-separated values) into a checked patch. */
export function parseAssignments(args: string[]): FieldPatch {
  const patch: Record<string, unknown> = {};
  for (const a of args) {
    const m = /^([A-Za-z_]+(?:-[A-Za-z_]+)*)(\+=|-=|=)([\s\S]*)$/.exec(a);
    if (!m) throw invalidInput(`expected FIELD=VALUE, got "${a}" (fields: ${FIELDS.join(', ')})`);
    const field = fieldName(m[1]!);
    const [op, value] = [m[2]!, m[3]!];
    if (!(FIELDS as readonly string[]).includes(field))
      throw invalidInput(`unknown field "${m[1]}" (fields: ${FIELDS.join(', ')})`);
    if (op !== '=') {
      if (!isListField(field)) throw invalidInput(`${field} is not a list: use ${field}=VALUE`);
      const key = `${field}${op === '+=' ? 'Add' : 'Remove'}`;
      patch[key] = [...((patch[key] as string[] | undefined) ?? []), ...splitList(value)];
    } else if (isListField(field)) patch[field] = splitList(value);
    else if (value.trim() === '') patch[field] = null;
    else if (field === 'rating') patch[field] = Number(value);
    else if (field === 'label') {
      const label = value.trim().toLowerCase();
      if (!(LABELS as readonly string[]).includes(label))
        throw invalidInput(`label: expects ${LABELS.join(', ')} (got "${value}")`);
      patch[field] = label;
    } else if (['flag', 'licenseType', 'modelRelease', 'propertyRelease'].includes(field))
      patch[field] = value.trim().toLowerCase();
    else patch[field] = value;
  }
  const parsed = fieldPatch.safeParse(patch);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidInput(`${issue?.path.join('.') || 'set'}: ${issue?.message ?? 'invalid value'}`);
  }
  return parsed.data;
}

function findAsset(lib: Library, arg: string | undefined): Asset {
  if (!arg) throw invalidInput('missing ID or PATH');
  const a = lib.findAsset(arg);
  if (!a) throw notFound(`no asset ${arg} in the catalogue`);
  return a;
}

const show = (v: unknown) => (v == null ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

function historyLine(e: HistoryEntry): string {
  const who = `${e.actor}@${e.machine}`;
  if (e.kind === 'approval')
    return `${e.at}  ${e.from} → ${e.to}  by ${who}${e.comment ? `: ${e.comment}` : ''}`;
  if (e.kind === 'content')
    return `${e.at}  ${e.detail ?? e.event}${e.hash ? ` (${e.hash.slice(0, 12)})` : ''}  by ${who}`;
  const what = `${e.field}: ${show(e.oldValue)} → ${show(e.newValue)}`;
  if (e.source === 'merge-conflict')
    return `${e.at}  ${e.field}: ${show(e.oldValue)} by ${who} lost to ${show(e.newValue)} (edited on two machines at once)`;
  return `${e.at}  ${what}  by ${who}${e.source === 'sidecar' ? ' (from the sidecar)' : ''}`;
}

/** Extra lines for `dam show`. */
export function governanceRows(a: Asset): [string, unknown][] {
  const r = a.rights;
  return [
    ['approval', `${a.approval.state}${a.approval.by ? ` by ${a.approval.by} ${a.approval.at}` : ''}`],
    ['alt text', a.altText],
    ['licence', r.licenseType],
    [
      'licence dates',
      r.licenseStart || r.licenseEnd ? `${r.licenseStart ?? '…'} to ${r.licenseEnd ?? '…'}` : null,
    ],
    ['usage terms', r.usageTerms],
    ['channels', r.channels.join(', ') || null],
    ['territories', r.territories.join(', ') || null],
    ['licensor', r.licensor],
    ['warnings', a.warnings.join(', ') || null],
  ];
}

const CONFIG_KEYS = [
  'sidecar-naming',
  'require-rights-for-approval',
  'expiry-warning-days',
  'embed-xmp',
  'model-release-channels',
  ...HISTORY_CONFIG_KEYS,
  ...TAGGING_CONFIG_KEYS,
];

function onOff(v: string): boolean {
  if (/^(on|yes|true|1)$/i.test(v)) return true;
  if (/^(off|no|false|0)$/i.test(v)) return false;
  throw invalidInput(`expected on or off, got "${v}"`);
}

/** `web,social` (commas or spaces); `none` or nothing: no channel. Checked against the channels by the settings writer. */
function channelList(v: string): Channel[] {
  const words = v
    .split(/[\s,]+/)
    .map((w) => w.trim().toLowerCase())
    .filter(Boolean);
  return (words.length === 1 && words[0] === 'none' ? [] : words) as Channel[];
}

/** Runs one governance command; returns the exit code. */
export async function runGovernanceCommand(
  lib: Library,
  command: string,
  args: string[],
  opts: { json?: boolean; comment?: string },
  out: (s: string) => void,
): Promise<number> {
  const print = (v: unknown) => out(JSON.stringify(v, null, 2));
  // An unreadable sidecar does not stop an edit, but the user hears about it.
  lib.events.on('warning', (e) => process.stderr.write(`warning: ${e.message}\n`));
  if (command === 'set') {
    const asset = findAsset(lib, args[0]);
    const patch = parseAssignments(args.slice(1));
    if (Object.keys(patch).length === 0) throw invalidInput('nothing to set: give FIELD=VALUE');
    // Take in what other machines wrote first, so this edit is made knowing it.
    await lib.governance.sync(asset.id);
    const { changed } = await setFields(lib, asset.id, patch);
    if (opts.json) print(lib.asset(asset.id));
    else
      out(
        changed.length
          ? `asset ${asset.id}: set ${changed.join(', ')}`
          : `asset ${asset.id}: nothing changed`,
      );
    return 0;
  }
  if ((APPROVAL_ACTIONS as readonly string[]).includes(command)) {
    const asset = findAsset(lib, args[0]);
    await lib.governance.sync(asset.id);
    const r = await transition(lib, asset.id, command as ApprovalAction, opts.comment ?? null);
    if (opts.json) print(lib.asset(asset.id)?.approval);
    else out(`asset ${asset.id}: ${r.from} → ${r.to}`);
    return 0;
  }
  if (command === 'history') {
    const asset = findAsset(lib, args[0]);
    const entries = timeline(lib, asset.id);
    if (opts.json) print(entries);
    else if (!entries.length) out(`asset ${asset.id}: no history yet`);
    else entries.forEach((e) => out(historyLine(e)));
    return 0;
  }
  if (command === 'template') {
    const [sub, name, ...rest] = args;
    if (sub === 'list' || sub === undefined) {
      const list = listTemplates(lib.db);
      if (opts.json) print(list);
      else if (!list.length) out('no rights templates yet: dam template save NAME FIELD=VALUE...');
      else
        list.forEach((t) =>
          out(
            `${t.name}: ${Object.entries(t.fields)
              .map(([k, v]) => `${k}=${show(v)}`)
              .join(' ')}`,
          ),
        );
      return 0;
    }
    if (!name) throw invalidInput(`template ${sub}: missing NAME`);
    if (sub === 'save') {
      const t = saveTemplate(lib.db, name, parseAssignments(rest));
      out(`saved template ${t.name}`);
    } else if (sub === 'apply') {
      if (!rest.length) throw invalidInput('template apply: give the assets (ID or PATH)');
      const ids = rest.map((a) => findAsset(lib, a).id);
      out(`${await applyTemplate(lib, name, ids)} of ${ids.length} asset(s) changed`);
    } else if (sub === 'delete') {
      if (!deleteTemplate(lib.db, name)) throw notFound(`no rights template "${name}"`);
      out(`deleted template ${name}`);
    } else throw invalidInput(`template: expected list, save, apply or delete (got "${sub}")`);
    return 0;
  }
  // config
  const [key, value] = args;
  if (key !== undefined && !CONFIG_KEYS.includes(key))
    throw invalidInput(`config: unknown key "${key}" (keys: ${CONFIG_KEYS.join(', ')})`);
  const historyRows = await historyConfig(
    lib,
    key !== undefined && HISTORY_CONFIG_KEYS.includes(key) ? key : undefined,
    value,
  );
  const taggingRows = taggingConfig(
    lib,
    key !== undefined && TAGGING_CONFIG_KEYS.includes(key) ? key : undefined,
    value,
  );
  let s = readSettings(lib.db);
  if (
    key !== undefined &&
    value !== undefined &&
    !HISTORY_CONFIG_KEYS.includes(key) &&
    !TAGGING_CONFIG_KEYS.includes(key)
  ) {
    s = writeSettings(
      lib.db,
      key === 'sidecar-naming'
        ? { sidecarNaming: value as never }
        : key === 'require-rights-for-approval'
          ? { requireRightsForApproval: onOff(value) }
          : key === 'embed-xmp'
            ? { embedXmp: onOff(value) }
            : key === 'model-release-channels'
              ? { modelReleaseChannels: channelList(value) }
              : { expiryWarningDays: Number(value) },
    );
  }
  const rows: [string, string][] = [
    ['sidecar-naming', s.sidecarNaming],
    ['require-rights-for-approval', s.requireRightsForApproval ? 'on' : 'off'],
    ['expiry-warning-days', String(s.expiryWarningDays)],
    ['embed-xmp', s.embedXmp ? 'on' : 'off'],
    ['model-release-channels', s.modelReleaseChannels.join(',') || 'none'],
    ...historyRows,
    ...taggingRows,
  ];
  if (opts.json)
    print({
      ...s,
      historyLimitMb: Number(historyRows[0]![1]),
      historyScope: historyRows[1]![1],
      tagging: taggingRows[0]![1],
      taggingThreshold: Number(taggingRows[1]![1]),
      ocr: taggingRows[2]![1],
    });
  else rows.filter(([k]) => key === undefined || k === key).forEach(([k, v]) => out(`${k} ${v}`));
  return 0;
}
