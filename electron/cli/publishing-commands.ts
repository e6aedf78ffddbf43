import { CHANNELS } from '../../shared/governance';
import type { DeliveryResult, Publication } from '../../shared/publishing';
import { ENDPOINT_TYPES, isChannel } from '../../shared/publishing';
import { invalidInput, notFound } from '../core/errors';
import type { Library } from '../core/library';

export const PUBLISHING_HELP = `  endpoint add NAME --type wordpress|s3|webdav|webhook|directus --url URL [--user USER] --password-stdin
               [--channel web] [--select QUERY] [--preset NAME] [--manual]
               [--region R] [--key TEMPLATE] [--inline-limit BYTES] [--folder NAME]
                           a place approved assets are delivered to (the password, S3 secret, webhook
                           secret or Directus token is read from stdin and kept in the credentials file
                           beside the catalogue, never in it); s3: --url http(s)://HOST/BUCKET[/PREFIX],
                           --user ACCESS_KEY_ID; --key: the file's key, default {assetId}-{slug}.{ext};
                           directus: --url of the Directus, a static token, --folder of its file library
  endpoint list [--json] | test NAME | remove NAME
  publish ID|PATH... [--to NAME] [--dry-run] [--json]
                           deliver now (to one endpoint, or all); refusals say why
  sync [--json]            deliver everything owed now; returns when done:
                           {"published","replaced","retracted","refused","failed"}
  publications ID|PATH [--json]
                           where an asset is used: endpoint, remote id, URL, version, state`;

export const PUBLISHING_COMMANDS = ['endpoint', 'publish', 'sync', 'publications'];

export interface PublishingFlags {
  json?: boolean;
  type?: string;
  url?: string;
  user?: string;
  'password-stdin'?: boolean;
  channel?: string;
  select?: string;
  preset?: string;
  manual?: boolean;
  region?: string;
  key?: string;
  'inline-limit'?: string;
  folder?: string;
  to?: string;
  'dry-run'?: boolean;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function assetId(lib: Library, arg: string): number {
  const a = lib.findAsset(arg);
  if (!a) throw notFound(`no asset ${arg} in the catalogue`);
  return a.id;
}

/** Publications as `show --json` and `publications --json` carry them. */
export function publicationJson(p: Publication) {
  return {
    endpoint: p.endpoint,
    remoteId: p.remoteId,
    url: p.url,
    versionHash: p.versionHash,
    state: p.state,
    at: new Date(p.at).toISOString(),
    by: p.by,
    error: p.error,
    warnings: p.warnings,
    usedIn: p.usedIn,
  };
}

function resultLine(r: DeliveryResult): string {
  const what = r.outcome === 'would-publish' ? 'would publish' : r.outcome;
  return `asset ${r.assetId} → ${r.endpoint}: ${what}${r.reason ? ` (${r.reason})` : ''}${r.url ? ` ${r.url}` : ''}`;
}

export async function runPublishingCommand(
  lib: Library,
  command: string,
  args: string[],
  flags: PublishingFlags,
  out: (s: string) => void,
): Promise<number> {
  const json = (v: unknown) => out(JSON.stringify(v, null, 2));
  switch (command) {
    case 'endpoint': {
      const [sub, name] = args;
      if (sub === 'list') {
        const eps = lib.publishing.listEndpoints();
        if (flags.json) json(eps);
        else if (!eps.length)
          out('no endpoints: add one with dam endpoint add NAME --type wordpress --url URL ...');
        else
          for (const e of eps)
            out(
              `${e.name}  ${e.type}  ${e.url}  user ${e.user ?? '-'}  ${e.channel}  ${e.delivery}` +
                `${e.select ? `  select "${e.select}"` : ''}${e.hasPassword ? '' : '  (no password stored)'}`,
            );
        return 0;
      }
      if (!name) throw invalidInput(`dam endpoint ${sub ?? ''}: missing NAME`);
      if (sub === 'add') {
        const type = flags.type ?? 'wordpress';
        if (!(ENDPOINT_TYPES as readonly string[]).includes(type))
          throw invalidInput(`--type: expects ${ENDPOINT_TYPES.join(', ')} (got "${type}")`);
        if (!flags.url) throw invalidInput('dam endpoint add: --url URL is required');
        if (flags.channel && !isChannel(flags.channel))
          throw invalidInput(`--channel: expects ${CHANNELS.join(', ')} (got "${flags.channel}")`);
        const inlineLimit = flags['inline-limit'];
        if (inlineLimit !== undefined && !/^\d+$/.test(inlineLimit))
          throw invalidInput(`--inline-limit: a number of bytes (got "${inlineLimit}")`);
        const password = flags['password-stdin'] ? await readStdin() : null;
        if (password === '') throw invalidInput('--password-stdin: nothing was read from stdin');
        const ep = lib.publishing.addEndpoint({
          name,
          type: type as (typeof ENDPOINT_TYPES)[number],
          url: flags.url,
          user: flags.user ?? null,
          password,
          ...(flags.channel ? { channel: flags.channel as (typeof CHANNELS)[number] } : {}),
          ...(flags.select ? { select: flags.select } : {}),
          ...(flags.preset ? { preset: flags.preset } : {}),
          delivery: flags.manual ? 'manual' : 'automatic',
          options: {
            ...(flags.region ? { region: flags.region } : {}),
            ...(flags.key ? { keyTemplate: flags.key } : {}),
            ...(inlineLimit ? { inlineLimit: Number(inlineLimit) } : {}),
            ...(flags.folder !== undefined ? { folder: flags.folder } : {}),
          },
        });
        if (flags.json) json(ep);
        else
          out(
            `added endpoint ${ep.name} (${ep.type}, ${ep.delivery})` +
              (password
                ? `; its password is in ${lib.publishing.credentials.where}`
                : '; no password stored'),
          );
        return 0;
      }
      if (sub === 'test') {
        const r = await lib.publishing.testEndpoint(name);
        if (flags.json) json(r);
        else out(r.message);
        return r.ok ? 0 : 1;
      }
      if (sub === 'remove') {
        lib.publishing.removeEndpoint(name);
        out(`removed endpoint ${name} (its remote copies stay where they are)`);
        return 0;
      }
      throw invalidInput(`dam endpoint: expects add, list, test or remove (got "${sub ?? ''}")`);
    }
    case 'publish': {
      if (!args.length) throw invalidInput('dam publish: missing ID or PATH');
      const ids = args.map((a) => assetId(lib, a));
      const results = await lib.publishing.publish(ids, {
        ...(flags.to ? { to: flags.to } : {}),
        dryRun: !!flags['dry-run'],
      });
      if (flags.json) json(results);
      else results.forEach((r) => out(resultLine(r)));
      for (const r of results)
        for (const w of r.warnings)
          process.stderr.write(`warning: asset ${r.assetId} on ${r.endpoint}: ${w}\n`);
      return results.some((r) => r.outcome === 'failed' || r.outcome === 'refused' || r.outcome === 'waiting')
        ? 1
        : 0;
    }
    case 'sync': {
      const { results, ...report } = await lib.publishing.sync();
      if (flags.json) out(JSON.stringify(report));
      else {
        for (const r of results) if (r.outcome !== 'unchanged') out(resultLine(r));
        out(
          `${report.published} published, ${report.replaced} replaced, ${report.retracted} retracted, ` +
            `${report.refused} refused, ${report.failed} failed`,
        );
      }
      for (const r of results)
        for (const w of r.warnings)
          process.stderr.write(`warning: asset ${r.assetId} on ${r.endpoint}: ${w}\n`);
      return 0;
    }
    case 'publications': {
      if (!args[0]) throw invalidInput('dam publications: missing ID or PATH');
      const list = lib.publishing.publications(assetId(lib, args[0])).map(publicationJson);
      if (flags.json) json(list);
      else if (!list.length) out('not published anywhere');
      else
        for (const p of list)
          out(
            `${p.endpoint}  ${p.state}  ${p.remoteId ?? '-'}  ${p.url ?? ''}  ${p.at}  ${p.by}` +
              `${p.versionHash ? `  version ${p.versionHash.slice(0, 12)}` : ''}${p.error ? `  (${p.error})` : ''}` +
              `${p.usedIn.length ? `  was used in: ${p.usedIn.join('; ')}` : ''}`,
          );
      return 0;
    }
  }
  return 2;
}
