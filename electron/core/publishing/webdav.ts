import type { EndpointOptions } from '../../../shared/publishing';
import type { DeliveryContext, RemoteAdapter, RemoteCopy } from './adapter';
import { EndpointError, fetchText, statusFailure } from './endpoint-error';
import { fileKey } from './keys';
import type { Rendition } from './render';

/** What the sidecar beside each upload holds: the fields, and what ties the file to the catalogue. */
export interface WebDavSidecar {
  tessera: 1;
  origin: string;
  assetId: number;
  version: string;
  file: string;
  fields: Record<string, string>;
  at: string;
}

/** The sidecar of a file: `photo.jpg` → `photo.jpg.json`. */
export const sidecarOf = (key: string) => `${key}.json`;

/**
 * A WebDAV folder (Nextcloud, ownCloud, a NAS): the file is PUT at a key kept across versions (a new
 * version overwrites it: same path, same share links), its fields in a JSON sidecar beside it
 * (`NAME.jpg.json`) rather than as dead properties: every server keeps a file, the people browsing
 * the share see it, and any tool reads it, while dead properties are not kept by every server
 * (lighttpd without its database, some NAS firmware) and are shown by none. The sidecar is written
 * after the file, so a file without a current sidecar is put again. Basic authentication (a
 * Nextcloud app password).
 */
export class WebDavAdapter implements RemoteAdapter {
  readonly inPlace = true;
  private readonly base: string;
  private readonly auth: string;
  private readonly made = new Set<string>();

  constructor(
    url: string,
    private readonly options: EndpointOptions,
    user: string,
    password: string,
  ) {
    this.base = url.replace(/\/+$/, '');
    this.auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }

  url(key: string): string {
    return `${this.base}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }

  private async call(
    method: string,
    key: string,
    opts: { body?: Buffer | string; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; text: string }> {
    const what = `${method} ${key || '/'}`;
    const { res, text } = await fetchText(
      key ? this.url(key) : `${this.base}/`,
      {
        method,
        headers: { authorization: this.auth, ...opts.headers },
        body: typeof opts.body === 'string' ? opts.body : opts.body && new Uint8Array(opts.body),
      },
      what,
      this.base,
    );
    return { status: res.status, text };
  }

  /** A call whose 2xx (or one of `also`) is success; else the outbox's error. */
  private async ok(
    method: string,
    key: string,
    opts: { body?: Buffer | string; headers?: Record<string, string> } = {},
    also: number[] = [],
  ): Promise<{ status: number; text: string }> {
    const r = await this.call(method, key, opts);
    if ((r.status >= 200 && r.status < 300) || also.includes(r.status)) return r;
    if (r.status === 401 || r.status === 403)
      throw new EndpointError('auth', `${this.base} refused the user or password (HTTP ${r.status})`);
    throw statusFailure(r.status, `${method} ${key || '/'}`, this.base);
  }

  async test(): Promise<string> {
    const r = await this.ok('PROPFIND', '', { headers: { depth: '0' } }, [404]);
    if (r.status === 404) throw new EndpointError('rejected', `there is no WebDAV folder at ${this.base}`);
    if (r.status !== 207)
      throw new EndpointError(
        'rejected',
        `${this.base} is not a WebDAV folder (PROPFIND answered ${r.status})`,
      );
    return `the WebDAV folder ${this.base} answers to this user`;
  }

  key(ctx: DeliveryContext, ext: string): string {
    return fileKey(this.options.keyTemplate, ctx, ext);
  }

  private async sidecar(key: string): Promise<WebDavSidecar | null> {
    const r = await this.ok('GET', sidecarOf(key), {}, [404]);
    if (r.status === 404) return null;
    try {
      const v = JSON.parse(r.text) as WebDavSidecar;
      return v && typeof v === 'object' && typeof v.fields === 'object' ? v : null;
    } catch {
      return null; // A damaged sidecar is written again with the file.
    }
  }

  async get(key: string): Promise<RemoteCopy | null> {
    const head = await this.ok('HEAD', key, {}, [404]);
    if (head.status === 404) return null;
    const side = await this.sidecar(key);
    return { id: key, url: this.url(key), version: side?.version ?? null, fields: side?.fields ?? {} };
  }

  find(key: string): Promise<RemoteCopy | null> {
    return this.get(key);
  }

  /** The folders a key lies in, made when missing (a 405 is one that exists already). */
  private async folders(key: string): Promise<void> {
    const parts = key.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (this.made.has(dir)) continue;
      await this.ok('MKCOL', dir, {}, [405]);
      this.made.add(dir);
    }
  }

  private async writeSidecar(
    key: string,
    fields: Record<string, string>,
    ctx: DeliveryContext,
    version: string,
  ): Promise<void> {
    const side: WebDavSidecar = {
      tessera: 1,
      origin: ctx.origin,
      assetId: ctx.assetId,
      version,
      file: key.split('/').pop()!,
      fields,
      at: new Date().toISOString(),
    };
    await this.ok('PUT', sidecarOf(key), {
      body: `${JSON.stringify(side, null, 2)}\n`,
      headers: { 'content-type': 'application/json' },
    });
  }

  private async readBack(key: string): Promise<RemoteCopy> {
    const copy = await this.get(key);
    if (!copy) throw new EndpointError('transient', `${key} was written but is not in ${this.base}`);
    return copy;
  }

  async put(
    key: string,
    r: Rendition,
    fields: Record<string, string>,
    ctx: DeliveryContext,
  ): Promise<RemoteCopy> {
    await this.folders(key);
    await this.ok('PUT', key, { body: r.bytes, headers: { 'content-type': r.mime } });
    await this.writeSidecar(key, fields, ctx, ctx.version);
    return this.readBack(key);
  }

  async setFields(
    copy: RemoteCopy,
    fields: Record<string, string>,
    ctx: DeliveryContext,
  ): Promise<RemoteCopy | null> {
    const head = await this.ok('HEAD', copy.id, {}, [404]);
    if (head.status === 404) return null;
    await this.writeSidecar(copy.id, fields, ctx, copy.version ?? ctx.version);
    return this.readBack(copy.id);
  }

  async remove(copy: RemoteCopy): Promise<void> {
    await this.ok('DELETE', copy.id, {}, [404]);
    await this.ok('DELETE', sidecarOf(copy.id), {}, [404]);
  }
}
