import { cameraName, formatBytes } from '../../shared/format';
import { factLines } from '../../shared/facts';
import { parseArgs } from 'node:util';
import type { Asset, Root } from '../../shared/model';
import { isCoreError, notFound } from '../core/errors';
import { Library } from '../core/library';
import { defaultCatalogDir } from '../core/paths';
import { ProgressBar } from './progress';
import {
  GOVERNANCE_COMMANDS,
  GOVERNANCE_HELP,
  governanceRows,
  runGovernanceCommand,
} from './governance-commands';
import { HISTORY_COMMANDS, HISTORY_HELP, runHistoryCommand } from './history-commands';
import {
  PUBLISHING_COMMANDS,
  PUBLISHING_HELP,
  publicationJson,
  runPublishingCommand,
} from './publishing-commands';
import { TAGGING_COMMANDS, TAGGING_HELP, runTaggingCommand } from './tagging-commands';
import { startHttpBridge } from '../server/http-bridge';
import { loadTls, selfSignedTls } from '../server/tls';
import { printable } from './printable';
import { VERSION_COMMANDS, VERSION_HELP, runVersionCommand, stackRow } from './version-commands';
import { COLLECTION_COMMANDS, COLLECTION_HELP, runCollectionCommand } from './collection-commands';
import { PEOPLE_COMMANDS, PEOPLE_HELP, runPeopleCommand } from './people-commands';
import { EXPORT_COMMANDS, EXPORT_HELP, runExportCommand } from './export-commands';
import { USER_COMMANDS, USER_HELP, runUserCommand } from './user-commands';
import { SHARE_COMMANDS, SHARE_HELP, runShareCommand } from './share-commands';
import { REPORT_COMMANDS, REPORT_HELP, runReportCommand } from './report-commands';
import path from 'node:path';

const HELP = `dam: the Tessera catalogue, headless

Usage: dam [--catalog DIR] COMMAND [options]

Commands:
  add-root PATH [--network|--local] [--name NAME] [--poll SECONDS]
                           catalogue a folder (local or network share)
  remove-root ID|PATH      forget a root (its files stay on disk)
  roots [--json]           list roots with kind and online/offline state
  scan [--json]            one pass over every root; returns when all its work is done
  watch                    keep the catalogue in step with the disk until Ctrl+C
  search QUERY [--json] [--limit N] [--sort date|name|size|rating|added] [--asc]
  show ID|PATH [--json]    one asset with its metadata (--json adds "versions": its stack, see versions)
  stats [--json]           counts by type and state
${GOVERNANCE_HELP}
${VERSION_HELP}
${COLLECTION_HELP}
${PEOPLE_HELP}
${EXPORT_HELP}
${HISTORY_HELP}
${PUBLISHING_HELP}
${TAGGING_HELP}
${USER_HELP}
${SHARE_HELP}
  serve [--port N] [--host ADDR] [--https | --tls-cert FILE --tls-key FILE]
${REPORT_HELP}
  serve [--port N] [--host ADDR]
                           the UI and the API over HTTP (127.0.0.1, random port and token);
                           prints its URL first; watches the roots until Ctrl+C. With accounts
                           (dam user add) it asks everyone to log in, and may listen on the network
                           (--host 0.0.0.0); --https makes a self-signed certificate on first start
                           and prints its SHA-256 fingerprint

Options:
  --catalog DIR            the catalogue folder (default: the desktop app's, ${defaultCatalogDir()})
  -h, --help               this help
  -v, --version            the version

Query syntax: words (prefix match), "phrases", -exclusions, and filters such as
  type:video camera:"EOS 40D" keyword:bus -keyword:draft date:2008..2010 rating:>=3 is:missing
  approval:approved warning:expires-soon license:cc-by channel:web
  versions:all stack:12 is:stacked (other versions than a stack's current one are hidden otherwise)
  collection:"Spring campaign" (in it or a collection inside it)
`;

class UsageError extends Error {}

/** Files with errors that `dam scan` names in its text output (--json lists them all). */
const SCAN_ERRORS_SHOWN = 5;

function out(s: string): void {
  process.stdout.write(s + '\n');
}

function json(v: unknown): void {
  out(JSON.stringify(v, null, 2));
}

function showAsset(a: Asset): void {
  const rows: [string, unknown][] = [
    ['id', a.id],
    ['path', printable(a.path)],
    ['type', `${a.type} (${a.format})`],
    ['state', a.state],
    ['size', formatBytes(a.size)],
    ['dimensions', a.width && a.height ? `${a.width} × ${a.height}` : null],
    ['orientation', a.orientation],
    ['captured', a.captureDate],
    ['camera', cameraName(a.make, a.model)],
    ['lens', a.lens],
    [
      'exposure',
      a.exposureTime
        ? `${a.exposureTime < 1 ? `1/${Math.round(1 / a.exposureTime)}` : a.exposureTime} s`
        : null,
    ],
    ['aperture', a.fNumber ? `f/${a.fNumber}` : null],
    ['iso', a.iso],
    ['focal length', a.focalLength ? `${a.focalLength} mm` : null],
    ['duration', a.durationS != null ? `${a.durationS.toFixed(1)} s` : null],
    ['gps', a.gps ? `${a.gps.lat.toFixed(6)}, ${a.gps.lon.toFixed(6)}` : null],
    ...factLines(a.facts).map((f): [string, string] => [f.label.toLowerCase(), f.value]),
    ['title', a.title],
    ['description', a.description],
    ['keywords', a.keywords.length ? a.keywords.join(', ') : null],
    ['creator', a.creator],
    ['copyright', a.copyright],
    ['credit', a.credit],
    ['rating', a.rating],
    ['label', a.label],
    ['flag', a.flag],
    [
      'colours',
      a.colors.length
        ? a.colors.map((c) => `${c.name} ${c.hex} ${Math.round(c.share * 100)}%`).join(', ')
        : null,
    ],
    ['people', a.people.length ? a.people.join(', ') : null],
    ['faces', a.faces || null],
    ...governanceRows(a),
    stackRow(a),
    ['content hash', a.contentHash],
    ['thumbnail', a.thumbnail],
    ['error', a.error],
  ];
  for (const [k, v] of rows)
    if (v !== null && v !== undefined && v !== '') out(`${k.padEnd(13)} ${String(v)}`);
}

function rootLine(r: Root): string {
  const state = r.state === 'online' ? 'online' : `offline: ${r.stateReason ?? 'unreachable'}`;
  return `${String(r.id).padStart(3)}  ${r.name}  ${printable(r.path)}  [${r.kind}${r.fsType ? `, ${r.fsType}` : ''}] ${state}  ${r.assetCount} files`;
}

function requireArg(v: string | undefined, what: string): string {
  if (!v) throw new UsageError(`missing ${what}`);
  return v;
}

function onJobProgress(lib: Library, bar: ProgressBar): void {
  lib.events.on('scan-progress', (p) => {
    if (p.phase === 'walking') bar.text(`scanning… ${p.seen} files`);
  });
  lib.events.on('job-progress', (p) => {
    bar.update('processing', p.done, p.done + p.pending, p.perSecond);
  });
}

/** Query exclusions (`-draft`, `-keyword:x`) look like options; mark them as words before parsing. */
const WORD_MARK = '\u0000';

async function run(argv: string[]): Promise<number> {
  const marked = argv.map((a) => (/^-[^-]./.test(a) ? WORD_MARK + a : a));
  const parsed = parseArgs({
    args: marked,
    allowPositionals: true,
    strict: true,
    options: {
      catalog: { type: 'string' },
      json: { type: 'boolean' },
      limit: { type: 'string' },
      sort: { type: 'string' },
      asc: { type: 'boolean' },
      network: { type: 'boolean' },
      local: { type: 'boolean' },
      name: { type: 'string' },
      poll: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      comment: { type: 'string' },
      'set-current': { type: 'boolean' },
      near: { type: 'boolean' },
      type: { type: 'string' },
      url: { type: 'string' },
      user: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      role: { type: 'string' },
      https: { type: 'boolean' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      collections: { type: 'string' },
      channel: { type: 'string' },
      select: { type: 'string' },
      preset: { type: 'string' },
      aspect: { type: 'string' },
      box: { type: 'string' },
      clear: { type: 'boolean' },
      region: { type: 'string' },
      key: { type: 'string' },
      'inline-limit': { type: 'string' },
      manual: { type: 'boolean' },
      to: { type: 'string' },
      'dry-run': { type: 'boolean' },
      current: { type: 'string' },
      parent: { type: 'string' },
      query: { type: 'string' },
      expires: { type: 'string' },
      download: { type: 'string' },
      watermark: { type: 'string' },
      folder: { type: 'string' },
      'max-size': { type: 'string' },
      csv: { type: 'boolean' },
      months: { type: 'string' },
      days: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  const values = parsed.values;
  const positionals = parsed.positionals.map((p) => (p.startsWith(WORD_MARK) ? p.slice(1) : p));
  if (values.version) {
    out(require('../../package.json').version as string);
    return 0;
  }
  const [command, ...args] = positionals;
  if (values.help || !command || command === 'help') {
    out(HELP.trimEnd());
    return values.help || command === 'help' ? 0 : 2;
  }
  const dir = values.catalog ?? defaultCatalogDir();
  const known = [
    ...['add-root', 'remove-root', 'roots', 'scan', 'watch', 'search', 'show', 'stats', 'serve'],
    ...GOVERNANCE_COMMANDS,
    ...VERSION_COMMANDS,
    ...HISTORY_COMMANDS,
    ...COLLECTION_COMMANDS,
    ...PUBLISHING_COMMANDS,
    ...TAGGING_COMMANDS,
    ...PEOPLE_COMMANDS,
    ...EXPORT_COMMANDS,
    ...USER_COMMANDS,
    ...SHARE_COMMANDS,
    ...REPORT_COMMANDS,
  ];
  if (!known.includes(command)) throw new UsageError(`unknown command "${command}" (try dam --help)`);

  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new UsageError('--limit expects a whole number from 1 to 10000');
  const sorts = {
    date: 'captureDate',
    name: 'name',
    size: 'size',
    rating: 'rating',
    added: 'added',
  } as const;
  // No --sort: the default order (newest first; a stack:N search in the stack's own order).
  const sort = values.sort === undefined ? undefined : sorts[values.sort as keyof typeof sorts];
  if (values.sort !== undefined && !sort)
    throw new UsageError('--sort expects date, name, size, rating or added');
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError('--port expects 0-65535 (0 picks a free port)');
  const poll = values.poll === undefined ? undefined : Number(values.poll);
  if (poll !== undefined && !(poll >= 1 && poll <= 3600))
    throw new UsageError('--poll expects seconds between 1 and 3600');
  if (values.network && values.local) throw new UsageError('choose --network or --local, not both');

  const lib = Library.open(dir, { create: command === 'add-root' || command === 'serve' });
  try {
    if (GOVERNANCE_COMMANDS.includes(command) || HISTORY_COMMANDS.includes(command)) {
      const code = GOVERNANCE_COMMANDS.includes(command)
        ? await runGovernanceCommand(lib, command, args, values, out)
        : await runHistoryCommand(lib, command, args, values, out);
      // Contents these commands owe the history store are copied before we exit: the file may be
      // overwritten the moment we return.
      if (command !== 'history' && command !== 'snapshots') await lib.history.whenIdle();
      return code;
    }
    if (COLLECTION_COMMANDS.includes(command)) return runCollectionCommand(lib, args, values, out);
    if (PUBLISHING_COMMANDS.includes(command))
      return await runPublishingCommand(lib, command, args, values, out);
    if (TAGGING_COMMANDS.includes(command)) return await runTaggingCommand(lib, command, args, values, out);
    if (PEOPLE_COMMANDS.includes(command)) return await runPeopleCommand(lib, args, values, out);
    if (EXPORT_COMMANDS.includes(command)) return await runExportCommand(lib, command, args, values, out);
    if (USER_COMMANDS.includes(command)) return await runUserCommand(lib, args, values, out);
    if (SHARE_COMMANDS.includes(command)) return await runShareCommand(lib, command, args, values, out);
    if (REPORT_COMMANDS.includes(command)) return runReportCommand(lib, args, values, out);
    if (VERSION_COMMANDS.includes(command)) {
      const code = await runVersionCommand(lib, command, args, { ...values, limit }, out);
      // Joining a stack governs an asset: its content is kept before we exit (duplicates only reads).
      if (command !== 'duplicates') await lib.history.whenIdle();
      return code;
    }
    switch (command) {
      case 'add-root': {
        const root = lib.addRoot(requireArg(args[0], 'PATH'), {
          ...(values.name ? { name: values.name } : {}),
          ...(values.network ? { network: true } : values.local ? { network: false } : {}),
          ...(poll ? { pollIntervalMs: poll * 1000 } : {}),
        });
        if (values.json) json(root);
        else
          out(
            `added root ${root.id}: ${printable(root.path)} (${root.kind}${root.fsType ? `, ${root.fsType}` : ''}); run "dam scan" to catalogue it`,
          );
        return 0;
      }
      case 'remove-root': {
        const arg = requireArg(args[0], 'ID or PATH');
        const root = lib.roots().find((r) => String(r.id) === arg || r.path === arg);
        if (!root) throw notFound(`no root ${arg}`);
        await lib.removeRoot(root.id);
        out(`removed root ${root.id}: ${printable(root.path)}`);
        return 0;
      }
      case 'roots': {
        const roots = lib.roots();
        if (values.json) json(roots);
        else if (roots.length === 0) out('no roots yet: add one with dam add-root PATH');
        else roots.forEach((r) => out(rootLine(r)));
        return 0;
      }
      case 'scan': {
        const bar = new ProgressBar();
        onJobProgress(lib, bar);
        const { offline, problems, failed, ...summary } = await lib.scan();
        bar.clear();
        for (const p of problems) process.stderr.write(`warning: ${printable(p)}\n`);
        for (const id of offline) {
          const r = lib.roots().find((x) => x.id === id);
          process.stderr.write(`warning: root ${id} (${r?.path}) is offline: ${r?.stateReason}\n`);
        }
        if (values.json) out(JSON.stringify({ ...summary, problems: failed }));
        else {
          out(
            `${summary.files} files: ${summary.new} new, ${summary.changed} changed, ${summary.unchanged} unchanged, ` +
              `${summary.missing} missing, ${summary.errors} with errors (${summary.seconds} s)`,
          );
          // The first few by name, so the count can be acted on; the rest are a search away.
          for (const f of failed.slice(0, SCAN_ERRORS_SHOWN))
            out(`  ${printable(f.path)}: ${printable(f.reason)}`);
          if (failed.length > SCAN_ERRORS_SHOWN)
            out(`  … and ${failed.length - SCAN_ERRORS_SHOWN} more (dam search has:error)`);
        }
        return 0;
      }
      case 'serve': {
        if (Boolean(values['tls-cert']) !== Boolean(values['tls-key']))
          throw new UsageError('--tls-cert and --tls-key go together');
        if (values.https && values['tls-cert'])
          throw new UsageError(
            '--https makes its own certificate: leave out --tls-cert and --tls-key, or --https',
          );
        const tls = values['tls-cert']
          ? loadTls(values['tls-cert'], values['tls-key']!)
          : values.https
            ? selfSignedTls(dir)
            : undefined;
        const bridge = await startHttpBridge(lib, {
          port,
          ...(values.host ? { host: values.host } : {}),
          staticDir: path.join(__dirname, 'renderer'),
          ...(tls ? { tls: { cert: tls.cert, key: tls.key } } : {}),
        });
        // Listening before the URL is printed: a client may stop us while the catch-up scan runs.
        const stopped = new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        out(bridge.url);
        if (tls)
          process.stderr.write(
            `${tls.generated ? 'made a self-signed certificate; ' : ''}certificate SHA-256 fingerprint: ${tls.fingerprint}\n` +
              (tls.generated || values.https
                ? 'check that browsers on other machines show this fingerprint before logging in\n'
                : ''),
          );
        process.stderr.write(
          bridge.mode === 'accounts'
            ? 'accounts: log in at the address above (dam user list)\n'
            : 'no accounts: this machine only, with the token in the address above\n',
        );
        lib.events.on('warning', (e) => process.stderr.write(`warning: ${e.message}\n`));
        await lib.startWatching();
        lib.publishing.start();
        lib.tagging.runInBackground();
        process.stderr.write(`serving ${dir}; Ctrl+C to stop\n`);
        await stopped;
        await bridge.close();
        return 0;
      }
      case 'watch': {
        const bar = new ProgressBar();
        onJobProgress(lib, bar);
        lib.events.on('root-state', (e) => {
          bar.clear();
          process.stderr.write(`root ${e.rootId} is ${e.state}${e.reason ? `: ${e.reason}` : ''}\n`);
        });
        lib.events.on('warning', (e) => {
          bar.clear();
          process.stderr.write(`warning: ${e.message}\n`);
        });
        await lib.startWatching();
        lib.publishing.start();
        lib.tagging.runInBackground();
        // Listening before saying so: a signal sent on reading the line must find the handler.
        const stopped = new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        process.stderr.write(`watching ${lib.roots().length} root(s) in ${dir}; Ctrl+C to stop\n`);
        await stopped;
        bar.clear();
        process.stderr.write('stopping…\n');
        return 0;
      }
      case 'search': {
        const res = lib.search(args.join(' '), { limit, sort, dir: values.asc ? 'asc' : 'desc' });
        if (values.json) json(res);
        else {
          for (const a of res.items)
            out(
              `${String(a.id).padStart(6)}  ${a.type.padEnd(6)} ${(a.captureDate ?? '').slice(0, 10).padEnd(10)}  ${printable(a.path)}`,
            );
          out(
            `${res.total}${res.totalCapped ? '+' : ''} match${res.total === 1 ? '' : 'es'}${res.total > res.items.length ? `, ${res.items.length} shown` : ''}`,
          );
        }
        return 0;
      }
      case 'show': {
        const a = lib.findAsset(requireArg(args[0], 'ID or PATH'));
        if (!a) throw notFound(`no asset ${args[0]} in the catalogue`);
        // An asset alone has one version, itself: versions is never empty.
        if (values.json)
          json({
            ...a,
            versions: lib.versions.list(a.id).versions,
            publications: lib.publishing.publications(a.id).map(publicationJson),
            usage: (({ totals, lastUsedAt }) => ({ ...totals, lastUsedAt }))(lib.usage.asset(a.id, 0)),
            autoTags: lib.tagging.tagsOf(a.id).map(({ label, kind, confidence, box, state }) => ({
              label,
              kind,
              confidence,
              box,
              state,
            })),
            text: lib.tagging.textOf(a.id),
          });
        else showAsset(a);
        return 0;
      }
      case 'stats': {
        const s = lib.stats();
        if (values.json) json(s);
        else {
          out(`${s.assets} assets in ${s.roots.total} root(s) (${s.roots.offline} offline)`);
          out(
            `by type: ${Object.entries(s.byType)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}`,
          );
          out(
            `present ${s.byState.present}, missing ${s.byState.missing}, errors ${s.byState.errors}, pending ${s.byState.pending}`,
          );
        }
        return 0;
      }
    }
    return 2;
  } finally {
    await lib.close();
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Exits once stdout and stderr have handed everything to the OS: process.exit() at once would drop
 * what a pipe has not taken yet (a `--json` result cut at 64 KB).
 */
function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  let open = 2;
  const done = () => {
    if (--open === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

// A reader that went away (`dam search … | head`) ends the command quietly, as it does for ls.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
// Nor is a stderr nobody reads (`2>&1 | head`, a closed stderr) a crash: the command goes on without
// its messages, stdout whole and its exit code its own.
process.stderr.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
  throw err;
});

run(process.argv.slice(2)).then(
  (code) => exitWhenFlushed(code),
  (err: unknown) => {
    const usage =
      err instanceof UsageError ||
      (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'));
    const known = usage || isCoreError(err);
    process.stderr.write(`dam: ${known ? message(err) : `unexpected error: ${message(err)}`}\n`);
    exitWhenFlushed(usage ? 2 : 1);
  },
);
