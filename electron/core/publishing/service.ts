import crypto from 'node:crypto';
import path from 'node:path';
import type {
  DeliveryResult,
  Endpoint,
  Publication,
  PublishQueue,
  SyncReport,
} from '../../../shared/publishing';
import { getAsset } from '../catalog/assets.repository';
import {
  deleteEndpoint,
  endpointByName,
  insertEndpoint,
  listEndpoints,
  updateEndpointRow,
  type EndpointRow,
} from '../catalog/endpoints.repository';
import { parseQuery } from '../../../shared/search/parse';
import type { Channel } from '../../../shared/governance';
import {
  defaultFieldMap,
  type EndpointOptions,
  DEFAULT_REQUIRED,
  type Delivery,
  type EndpointType,
  type RequirableField,
} from '../../../shared/publishing';
import { complete, defer, enqueue, type ClaimedJob } from '../catalog/jobs.repository';
import type { Db } from '../catalog/open';
import {
  assetsWithLivePublications,
  failingEndpointsOf,
  livePublication,
  queueByEndpoint,
  publicationsOf,
  recordFailure,
  recordPublished,
  recordReplaced,
  recordRetracted,
  requestPublication,
  type LivePublication,
} from '../catalog/publications.repository';
import { stmt } from '../catalog/statements';
import { conflict, invalidInput, notFound } from '../errors';
import type { CoreEventBus } from '../events';
import { effectiveState } from '../governance/approvals';
import { readFields } from '../governance/field-store';
import type { Actor } from '../governance/settings';
import type { JobHandler, JobRunner } from '../jobs/runner';
import type { CredentialStore } from './credentials';
import { droppedFields, fieldsHash, mapFields, pluginMeta } from './fields';
import { checkGate, type Gate } from './gate';
import { channelsLackingRelease } from '../governance/model-release';
import { renderFor, type RenderAsset } from './render';
import { EndpointError } from './endpoint-error';
import { testHook } from './test-hook';
import type { DeliveryContext, RemoteAdapter, RemoteCopy } from './adapter';
import { adapterFor } from './adapters';
import { keyTemplateProblem, remoteSlug } from './keys';

export interface PublishingDeps {
  db: Db;
  events: CoreEventBus;
  jobs: JobRunner;
  /** This catalogue's id: part of the key of every remote copy it makes. */
  origin: string;
  actor: () => Actor;
  /** Does the asset match a query in the search syntax ('' matches all). */
  matches: (query: string, assetId: number) => boolean;
  /** Every asset a query finds (every version). */
  select: (query: string) => number[];
  credentials: CredentialStore;
  /** The rendition of an asset with a preset (renditions/service.ts `render`). */
  render: RenderAsset;
  /** Throws a clear not-found error when there is no preset of this name. */
  checkPreset: (name: string) => void;
}

export interface EndpointInput {
  name: string;
  type: EndpointType;
  url: string;
  user?: string | null;
  password?: string | null;
  channel?: Channel;
  select?: string;
  preset?: string | null;
  fieldMap?: Record<string, string>;
  required?: RequirableField[];
  delivery?: Delivery;
  options?: EndpointOptions;
}

/** What endpoints.update may change (the name keys the password, so it stays). */
export type EndpointPatch = Partial<Omit<EndpointInput, 'name' | 'type'>>;

/** An unreachable endpoint is asked again after this long (it is waited for, not failed). */
const WAIT_MS = Number(process.env.DAM_PUBLISH_WAIT_MS) || 30_000;
/** A 5xx or a timeout is tried again at once, a few times, before the job backs off. */
const QUICK_RETRIES = [300, 1500];
/** How long an endpoint's adapter is used again (a plugin installed on a WordPress is seen after this). */
const ADAPTER_KEPT_MS = 60_000;
/** Deliveries at once in this process (each to its own asset). */
const PARALLEL = 2;

type Outcome = DeliveryResult & { transient?: boolean };

/** What the endpoint did not keep of what was sent, read back: the mapped fields, and what the adapter adds. */
function readBack(sent: Record<string, string>, stored: RemoteCopy): string[] {
  return [...droppedFields(sent, stored.fields), ...(stored.dropped ?? [])];
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export { remoteSlug };

/** An endpoint type's settings, checked: only those its type has, each of a shape that works. */
function checkOptions(type: EndpointType, rawUrl: string, o: EndpointOptions): EndpointOptions {
  const url = new URL(rawUrl);
  const out: EndpointOptions = {};
  if (o.region !== undefined) {
    if (type !== 's3') throw invalidInput('--region is for s3 endpoints only');
    if (!/^[a-z0-9-]{2,40}$/.test(o.region)) throw invalidInput(`--region "${o.region}": e.g. eu-west-1`);
    out.region = o.region;
  }
  if (o.keyTemplate !== undefined) {
    if (type !== 's3' && type !== 'webdav') throw invalidInput('--key is for s3 and webdav endpoints only');
    const problem = keyTemplateProblem(o.keyTemplate);
    if (problem) throw invalidInput(`--key "${o.keyTemplate}": ${problem}`);
    out.keyTemplate = o.keyTemplate;
  }
  if (o.inlineLimit !== undefined) {
    if (type !== 'webhook') throw invalidInput('--inline-limit is for webhook endpoints only');
    if (!Number.isInteger(o.inlineLimit) || o.inlineLimit < 1024 || o.inlineLimit > 512 * 1024 * 1024)
      throw invalidInput(`--inline-limit ${o.inlineLimit}: a number of bytes from 1024 to 536870912`);
    out.inlineLimit = o.inlineLimit;
  }
  if (o.folder !== undefined) {
    if (type !== 'directus') throw invalidInput('--folder is for directus endpoints only');
    const folder = o.folder.trim();
    if (!folder || folder.length > 200 || /[\u0000-\u001f/]/.test(folder))
      throw invalidInput(`--folder "${o.folder}": a folder name (no slashes), up to 200 characters`);
    out.folder = folder;
  }
  if (type === 's3' && !url.pathname.split('/').some(Boolean))
    throw invalidInput(`an s3 endpoint's URL names its bucket: ${url.origin}/BUCKET[/PREFIX]`);
  return out;
}

/** An endpoint's URL as stored: http(s) only, no credentials in it, no trailing slash. */
export function endpointUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidInput(`endpoint URL "${raw}" is not a URL (e.g. https://example.com)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw invalidInput(`endpoint URL "${raw}": only http and https`);
  if (url.username || url.password)
    throw invalidInput('put the user in --user and the password on --password-stdin, not in the URL');
  return url.toString().replace(/\/+$/, '');
}

export function publicEndpoint(e: EndpointRow, hasPassword: boolean): Endpoint {
  return { ...e, hasPassword };
}

/**
 * The outbox and its worker: what must happen on endpoints is owed as a 'publish' job of the asset
 * (enqueued in the transaction of the decision that causes it: governance/approvals.ts,
 * governance/set-fields.ts), and each run brings every endpoint's copy of the asset in line with
 * what the catalogue allows now: upload, update the fields, replace with the new version, or pull.
 * Runs only where delivery is switched on (`dam watch`, `dam serve`, the app, and `dam sync` /
 * `dam publish` while they run): a one-shot command leaves the job owed for one of those.
 */
export class Publishing {
  private active = false;
  private timer: NodeJS.Timeout | null = null;
  private waiters = new Map<number, ((r: DeliveryResult[]) => void)[]>();
  private adapters = new Map<number, { adapter: RemoteAdapter; sig: string; until: number }>();
  credentials: CredentialStore;

  readonly handler: JobHandler = {
    concurrency: () => (this.active ? PARALLEL : 0),
    run: (job) => this.runJob(job),
    gaveUp: (job, error) =>
      this.deps.events.emit('warning', {
        rootId: null,
        message: `publishing asset ${job.subject} gave up: ${error}`,
      }),
  };

  constructor(private readonly deps: PublishingDeps) {
    this.credentials = deps.credentials;
  }

  /** Deliver from the outbox in this process; also pulls what a licence that ended no longer allows, now and daily. */
  start(): void {
    if (this.active) return;
    this.active = true;
    this.sweep();
    this.scheduleSweep();
    this.deps.jobs.kick();
  }

  stop(): void {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Owe a run for every published asset whose licence has ended (or not begun) by today. */
  sweep(): number {
    const ids = stmt(
      this.deps.db,
      `SELECT DISTINCT p.asset_id FROM publications p JOIN asset_rights r ON r.asset_id = p.asset_id
        WHERE p.state NOT IN ('replaced', 'retracted') AND p.remote_id IS NOT NULL
          AND (r.license_end < date('now') OR r.license_start > date('now'))`,
    )
      .pluck()
      .all() as number[];
    this.deps.db.transaction(() => ids.forEach((id) => enqueue(this.deps.db, 'publish', id)))();
    if (ids.length) this.deps.jobs.kick();
    return ids.length;
  }

  /** Just past the next UTC midnight (when a licence's last day is over), then again each day. */
  private scheduleSweep(): void {
    const now = Date.now();
    const next = Date.UTC(
      new Date(now).getUTCFullYear(),
      new Date(now).getUTCMonth(),
      new Date(now).getUTCDate() + 1,
    );
    this.timer = setTimeout(
      () => {
        this.sweep();
        this.scheduleSweep();
      },
      next - now + 1000,
    );
    this.timer.unref();
  }

  // ---- endpoints -------------------------------------------------------------------------

  /**
   * Who asked for an asset's next run (a logged-in account of dam serve), until that run: its
   * deliveries name them. Without one, this process's user.
   */
  private readonly requestedBy = new Map<number, string>();

  listEndpoints(): Endpoint[] {
    return listEndpoints(this.deps.db).map((e) => publicEndpoint(e, this.credentials.get(e.name) != null));
  }

  /** Add an endpoint; its password goes to the credential store, never the catalogue. */
  addEndpoint(input: EndpointInput): Endpoint {
    const db = this.deps.db;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(input.name))
      throw invalidInput(`endpoint name "${input.name}": use letters, digits, . _ - (up to 64)`);
    const url = endpointUrl(input.url);
    if (input.select) parseQuery(input.select);
    const options = checkOptions(input.type, url, input.options ?? {});
    if (input.preset) this.deps.checkPreset(input.preset);
    if (endpointByName(db, input.name)) throw conflict(`an endpoint named ${input.name} exists already`);
    const row: Omit<EndpointRow, 'id'> = {
      name: input.name,
      type: input.type,
      url,
      user: input.user ?? null,
      channel: input.channel ?? 'web',
      select: input.select?.trim() ?? '',
      preset: input.preset ?? null,
      fieldMap: input.fieldMap ?? defaultFieldMap(input.type),
      required: input.required ?? [...DEFAULT_REQUIRED],
      delivery: input.delivery ?? 'automatic',
      options,
    };
    if (input.password != null) this.credentials.set(input.name, input.password);
    const id = insertEndpoint(db, row);
    return publicEndpoint({ id, ...row }, input.password != null || this.credentials.get(input.name) != null);
  }

  /**
   * Change an endpoint's settings (not its name or type). `password` replaces the stored one, null
   * forgets it. Every asset with a live copy there owes a run, so a new mapping or selection reaches
   * the CMS (or pulls what it no longer takes).
   */
  updateEndpoint(name: string, patch: EndpointPatch, who?: Actor): Endpoint {
    const db = this.deps.db;
    const ep = endpointByName(db, name);
    if (!ep) throw notFound(`no endpoint "${name}" (dam endpoint list)`);
    if (patch.select) parseQuery(patch.select);
    if (patch.preset) this.deps.checkPreset(patch.preset);
    const row: EndpointRow = {
      ...ep,
      ...(patch.url !== undefined ? { url: endpointUrl(patch.url) } : {}),
      ...(patch.user !== undefined ? { user: patch.user } : {}),
      ...(patch.channel !== undefined ? { channel: patch.channel } : {}),
      ...(patch.select !== undefined ? { select: patch.select.trim() } : {}),
      ...(patch.preset !== undefined ? { preset: patch.preset } : {}),
      ...(patch.fieldMap !== undefined ? { fieldMap: patch.fieldMap } : {}),
      ...(patch.required !== undefined ? { required: patch.required } : {}),
      ...(patch.delivery !== undefined ? { delivery: patch.delivery } : {}),
    };
    if (patch.options !== undefined || patch.url !== undefined)
      row.options = checkOptions(ep.type, row.url, patch.options ?? ep.options);
    if (patch.password === null) this.credentials.remove(name);
    else if (patch.password !== undefined) this.credentials.set(name, patch.password);
    db.transaction(() => {
      updateEndpointRow(db, row);
      for (const id of assetsWithLivePublications(db, ep.id)) {
        enqueue(db, 'publish', id);
        if (who) this.requestedBy.set(id, who.user);
      }
    })();
    if (this.active) this.deps.jobs.kick();
    return publicEndpoint(row, this.credentials.get(name) != null);
  }

  /** What the outbox owes each endpoint, and whether each was reachable at its last attempt. */
  queue(): PublishQueue {
    const endpoints = queueByEndpoint(this.deps.db).map(({ waiting, ...q }) => ({
      ...q,
      online: waiting === 0,
    }));
    const jobs = stmt(this.deps.db, `SELECT count(*) FROM jobs WHERE kind = 'publish'`)
      .pluck()
      .get() as number;
    return { endpoints, jobs };
  }

  /** Deliver again what failed or waits for an asset: to one endpoint, or to each where it did. */
  async retry(assetId: number, endpoint?: string, who?: Actor): Promise<DeliveryResult[]> {
    const names = endpoint ? [endpoint] : failingEndpointsOf(this.deps.db, assetId);
    if (!names.length) throw notFound(`asset ${assetId} has no failed delivery to retry`);
    const out: DeliveryResult[] = [];
    for (const to of names) out.push(...(await this.publish([assetId], { to }, who)));
    return out;
  }

  removeEndpoint(name: string): void {
    const ep = endpointByName(this.deps.db, name);
    if (!ep) throw notFound(`no endpoint "${name}" (dam endpoint list)`);
    deleteEndpoint(this.deps.db, ep.id);
    this.adapters.delete(ep.id);
    this.credentials.remove(name);
  }

  /** Can we log in and upload there: the user it answers as, or why not. */
  async testEndpoint(name: string): Promise<{ ok: boolean; message: string }> {
    const ep = endpointByName(this.deps.db, name);
    if (!ep) throw notFound(`no endpoint "${name}" (dam endpoint list)`);
    try {
      return { ok: true, message: `${ep.name}: ${await this.adapter(ep).test()}` };
    } catch (err) {
      return { ok: false, message: `${ep.name}: ${message(err)}` };
    }
  }

  publications(assetId: number): Publication[] {
    return publicationsOf(this.deps.db, assetId);
  }

  private targets(to?: string): EndpointRow[] {
    if (to) {
      const ep = endpointByName(this.deps.db, to);
      if (!ep) throw notFound(`no endpoint "${to}" (dam endpoint list)`);
      return [ep];
    }
    const all = listEndpoints(this.deps.db);
    if (!all.length) throw notFound('no endpoint to publish to: add one with dam endpoint add');
    return all;
  }

  /**
   * Publish these assets now (to one endpoint, or every one): the delivery is owed in one transaction,
   * then delivered; each asset and endpoint answers, refusals with their reason. A dry run says what
   * would happen and changes nothing.
   */
  async publish(
    ids: number[],
    opts: { to?: string; dryRun?: boolean } = {},
    who?: Actor,
  ): Promise<DeliveryResult[]> {
    const eps = this.targets(opts.to);
    const db = this.deps.db;
    if (opts.dryRun)
      return ids.flatMap((id) =>
        eps.map((ep): DeliveryResult => {
          const fields = readFields(db, id);
          const gate = checkGate(ep, effectiveState(db, id), fields, channelsLackingRelease(db, id, fields));
          return {
            assetId: id,
            endpoint: ep.name,
            outcome: gate.ok ? 'would-publish' : 'refused',
            reason: gate.ok ? null : gate.reason,
            url: livePublication(db, id, ep.id)?.url ?? null,
            warnings: [],
          };
        }),
      );
    const by = (who ?? this.deps.actor()).user;
    db.transaction(() => {
      for (const id of ids) for (const ep of eps) requestPublication(db, id, ep.id, by);
    })();
    if (who) for (const id of ids) this.requestedBy.set(id, by);
    const names = new Set(eps.map((e) => e.name));
    const results = await this.round(ids);
    return results.filter((r) => names.has(r.endpoint));
  }

  /** Deliver everything owed now; returns when each asset has had its run, with what happened. */
  async sync(): Promise<SyncReport & { results: DeliveryResult[] }> {
    const db = this.deps.db;
    const due = new Set<number>(
      stmt(db, `SELECT subject FROM jobs WHERE kind = 'publish'`).pluck().all() as number[],
    );
    for (const id of stmt(
      db,
      `SELECT DISTINCT asset_id FROM publications WHERE state NOT IN ('replaced', 'retracted')`,
    )
      .pluck()
      .all() as number[])
      due.add(id);
    for (const ep of listEndpoints(db))
      if (ep.delivery === 'automatic')
        for (const id of this.deps.select(`approval:approved ${ep.select}`)) due.add(id);
    const results = await this.round([...due]);
    const report: SyncReport = { published: 0, replaced: 0, retracted: 0, refused: 0, failed: 0 };
    for (const r of results) {
      if (r.outcome === 'published' || r.outcome === 'updated') report.published++;
      else if (r.outcome === 'waiting') report.failed++;
      else if (r.outcome in report) report[r.outcome as keyof SyncReport]++;
    }
    return { ...report, results };
  }

  /** Owe a run for each asset and wait until each has had one (here, or finished in another process). */
  private async round(ids: number[]): Promise<DeliveryResult[]> {
    const wasActive = this.active;
    this.active = true;
    const results: DeliveryResult[] = [];
    const runs = ids.map(
      (id) =>
        new Promise<void>((resolve) => {
          const list = this.waiters.get(id) ?? [];
          list.push((r) => {
            results.push(...r);
            resolve();
          });
          this.waiters.set(id, list);
        }),
    );
    const db = this.deps.db;
    db.transaction(() => ids.forEach((id) => enqueue(db, 'publish', id)))();
    try {
      await Promise.all(ids.map((id, i) => Promise.race([runs[i], this.deps.jobs.whenDone('publish', id)])));
    } finally {
      for (const id of ids) this.waiters.delete(id);
      if (!wasActive) this.active = false;
    }
    return results;
  }

  private async runJob(job: ClaimedJob): Promise<void> {
    const results: Outcome[] = [];
    for (const ep of listEndpoints(this.deps.db)) {
      const r = await this.deliver(job.subject, ep);
      if (r) results.push(r);
    }
    // The run asked for has had its deliveries: later ones are the outbox's own.
    this.requestedBy.delete(job.subject);
    const waiters = this.waiters.get(job.subject) ?? [];
    this.waiters.delete(job.subject);
    const clean = results.map(({ transient: _t, ...r }) => r);
    for (const w of waiters) w(clean);
    for (const r of clean) if (r.outcome !== 'unchanged') this.deps.events.emit('publication', r);
    if (results.some((r) => r.outcome !== 'unchanged'))
      this.deps.events.emit('catalog-changed', { assetIds: [job.subject] });
    const transient = results.find((r) => r.transient);
    if (transient) throw new Error(`${transient.endpoint}: ${transient.reason}`);
    if (results.some((r) => r.outcome === 'waiting')) defer(this.deps.db, job, WAIT_MS);
    else complete(this.deps.db, job);
  }

  /**
   * The adapter that talks to the endpoint (publishing/adapters.ts), kept for a while as long as the
   * endpoint's settings and secret are the same: a WordPress adapter asks once whether the companion
   * plugin is there (not once per asset), an S3 client keeps its connections.
   */
  private adapter(ep: EndpointRow): RemoteAdapter {
    const secret = this.credentials.get(ep.name);
    const sig = crypto
      .createHash('sha256')
      .update(JSON.stringify([ep.type, ep.url, ep.user, ep.options, secret]))
      .digest('hex');
    const kept = this.adapters.get(ep.id);
    if (kept && kept.sig === sig && kept.until > Date.now()) return kept.adapter;
    const adapter = adapterFor(ep, secret);
    this.adapters.set(ep.id, { adapter, sig, until: Date.now() + ADAPTER_KEPT_MS });
    return adapter;
  }

  /** Bring one endpoint's copy of an asset in line; null when there is nothing to do or say. */
  private async deliver(assetId: number, ep: EndpointRow): Promise<Outcome | null> {
    const db = this.deps.db;
    const asset = getAsset(db, assetId, '');
    if (!asset) return null;
    const live = livePublication(db, assetId, ep.id);
    const selected = ep.select.trim() === '' || this.deps.matches(ep.select, assetId);
    const wanted = ep.delivery === 'automatic' ? selected : live != null;
    if (!wanted && !live) return null;
    const by = this.requestedBy.get(assetId) ?? this.deps.actor().user;
    const base = { assetId, endpoint: ep.name, url: live?.url ?? null, warnings: [] as string[] };
    const fields = readFields(db, assetId);
    const gate = wanted
      ? checkGate(ep, effectiveState(db, assetId), fields, channelsLackingRelease(db, assetId, fields))
      : ({
          ok: false,
          reason: `${ep.name}'s selection (${ep.select}) no longer takes it`,
          pull: true,
        } as Gate);

    try {
      if (!gate.ok) {
        if (gate.pull && live?.remoteId) return await this.retract(ep, live, gate.reason, by, base);
        if (gate.pull && live) {
          recordRetracted(db, live.id, by, gate.reason, []);
          return { ...base, outcome: 'refused', reason: gate.reason };
        }
        // A refusal of what nobody asked for (a draft on an automatic endpoint) is not news.
        if (!live && gate.quiet) return null;
        if (live?.state === 'published' && gate.quiet) return null;
        recordFailure(db, assetId, ep.id, by, `refused: ${gate.reason}`);
        return { ...base, outcome: 'refused', reason: gate.reason };
      }
      if (asset.state !== 'present')
        return this.failed(ep, assetId, by, base, `the file is missing: ${asset.path}`, false);
      const version = asset.contentHash;
      if (!version) return this.failed(ep, assetId, by, base, 'the file has not been read yet', false);
      const sent = mapFields(ep.fieldMap, fields, { name: path.parse(asset.path).name });
      // The plugin's meta counts too: a credit, licence or expiry edit is owed to the copy.
      const meta = pluginMeta(fields, assetId);
      const hash = fieldsHash({ ...sent, ...meta });
      if (
        live?.remoteId &&
        live.versionHash === version &&
        live.fieldsHash === hash &&
        live.state === 'published' &&
        !live.lastError
      )
        return { ...base, outcome: 'unchanged', reason: null };
      const ctx: DeliveryContext = {
        origin: this.deps.origin,
        assetId,
        version,
        name: path.parse(asset.path).name,
        meta,
      };
      return await this.withQuickRetries(() => this.upsert(ep, ctx, live, sent, hash, by, base));
    } catch (err) {
      if (err instanceof EndpointError) {
        if (err.failure === 'unreachable') {
          recordFailure(db, assetId, ep.id, by, `waiting: ${err.message}`, { keepPending: true });
          return { ...base, outcome: 'waiting', reason: err.message };
        }
        return this.failed(ep, assetId, by, base, err.message, err.failure === 'transient');
      }
      return this.failed(ep, assetId, by, base, message(err), false);
    }
  }

  private failed(
    ep: EndpointRow,
    assetId: number,
    by: string,
    base: Omit<DeliveryResult, 'outcome' | 'reason'>,
    reason: string,
    transient: boolean,
  ): Outcome {
    recordFailure(this.deps.db, assetId, ep.id, by, reason);
    return { ...base, outcome: 'failed', reason, transient };
  }

  private async withQuickRetries<T>(fn: () => Promise<T>): Promise<T> {
    for (let i = 0; ; i++) {
      try {
        return await fn();
      } catch (err) {
        if (!(err instanceof EndpointError) || err.failure !== 'transient' || i >= QUICK_RETRIES.length)
          throw err;
        await new Promise((r) => setTimeout(r, QUICK_RETRIES[i]));
      }
    }
  }

  /**
   * The endpoint's copy of this version with these fields, through its adapter: the fields alone
   * when the copy there is this version; else the copy at this version's key is found again (a run
   * killed after its upload made it) or put there, over an older version's where the adapter
   * replaces in place (same id). An older version's copy with another id is relinked from (the posts
   * that embed it) and removed: one copy per asset and endpoint.
   */
  private async upsert(
    ep: EndpointRow,
    ctx: DeliveryContext,
    live: LivePublication | undefined,
    sent: Record<string, string>,
    hash: string,
    by: string,
    base: Omit<DeliveryResult, 'outcome' | 'reason'>,
  ): Promise<Outcome> {
    const remote = this.adapter(ep);
    let old: RemoteCopy | null = null;
    if (live?.remoteId) {
      const there = await remote.get(live.remoteId, ctx);
      if (there && live.versionHash === ctx.version) {
        const stored = await remote.setFields(there, sent, ctx);
        if (stored) return this.settle(ep, ctx, live, stored, { sent, hash, by, updated: true }, base);
      }
      old = there;
    }
    // Made first: a key may end with the rendition's extension (the preset's format).
    const r = await renderFor(ep, ctx.assetId, this.deps.render);
    const key = remote.key(ctx, r.ext);
    let stored = await remote.find(key, ctx);
    if (!stored || stored.version !== ctx.version) {
      stored = await remote.put(key, r, sent, ctx, old);
      testHook('after-upload');
    } else if (readBack(sent, stored).length) {
      stored = (await remote.setFields(stored, sent, ctx)) ?? stored;
    }
    if (old && old.id !== stored.id) {
      await remote.relink?.(old, stored);
      await remote.remove(old, ctx, 'replaced by a new version');
    }
    return this.settle(ep, ctx, live, stored, { sent, hash, by, updated: false }, base);
  }

  /**
   * A delivery's outcome recorded: the copy now holds this version with these fields (what the
   * read-back found dropped is a warning, stored and emitted). A live copy of another version is
   * marked replaced in the same transaction. `updated`: only the fields of the copy there were set.
   */
  private settle(
    ep: EndpointRow,
    ctx: DeliveryContext,
    live: LivePublication | undefined,
    stored: RemoteCopy,
    what: { sent: Record<string, string>; hash: string; by: string; updated: boolean },
    base: Omit<DeliveryResult, 'outcome' | 'reason'>,
  ): Outcome {
    const db = this.deps.db;
    const { sent, hash, by, updated } = what;
    const warnings = readBack(sent, stored);
    const url = stored.url ?? live?.url ?? null;
    const replaced = live?.remoteId != null && live.versionHash !== ctx.version;
    db.transaction(() => {
      if (replaced && live) recordReplaced(db, live.id, by);
      recordPublished(db, ctx.assetId, ep.id, {
        remoteId: stored.id,
        url,
        versionHash: ctx.version,
        fieldsHash: hash,
        by,
        warnings,
      });
    })();
    this.warn(ep, ctx.assetId, warnings);
    const outcome = replaced ? 'replaced' : updated ? 'updated' : 'published';
    return { ...base, url, warnings, outcome, reason: null };
  }

  /** Delete the remote copy (or swap a placeholder in), keeping the list of posts and pages that showed it. */
  private async retract(
    ep: EndpointRow,
    live: LivePublication,
    reason: string,
    by: string,
    base: Omit<DeliveryResult, 'outcome' | 'reason'>,
  ): Promise<Outcome> {
    const remote = this.adapter(ep);
    const ctx: DeliveryContext = {
      origin: this.deps.origin,
      assetId: live.assetId,
      version: live.versionHash ?? '',
      name: '',
    };
    const there = await remote.get(live.remoteId!, ctx);
    const usedIn = there && remote.usages ? await remote.usages(there) : [];
    if (there) await remote.remove(there, ctx, reason);
    recordRetracted(this.deps.db, live.id, by, reason, usedIn);
    if (usedIn.length)
      this.deps.events.emit('warning', {
        rootId: null,
        message: `asset ${live.assetId} was pulled from ${ep.name} (${reason}); still used in: ${usedIn.join('; ')}`,
      });
    return { ...base, outcome: 'retracted', reason, warnings: usedIn.map((u) => `was used in ${u}`) };
  }

  private warn(ep: EndpointRow, assetId: number, warnings: string[]): void {
    for (const w of warnings)
      this.deps.events.emit('warning', { rootId: null, message: `asset ${assetId} on ${ep.name}: ${w}` });
  }
}
