import type { EndpointOptions } from '../../../shared/publishing';
import type { DeliveryContext, RemoteAdapter, RemoteCopy } from './adapter';
import { EndpointError, fetchText, statusFailure } from './endpoint-error';
import { fileKey, originPart } from './keys';
import type { Rendition } from './render';

/**
 * The fields that tie a file in Directus to this catalogue: found again by them after a crash
 * between upload and commit, and its version known without downloading it.
 */
export const DIRECTUS_TIE_FIELDS = ['tessera_asset_id', 'tessera_version', 'tessera_origin'] as const;

/** Fields every directus_files row has (a mapped field among them is never created). */
const BUILT_IN = new Set(['title', 'description', 'tags', 'location', 'filename_download', 'folder']);

/** A stored file id: Directus keys files by UUID; anything else is not looked up. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type FileRow = Record<string, unknown> & { id: string };

interface Schema {
  /** Custom fields we wanted and made now. */
  created: string[];
  /** Custom fields that are not there and that this token may not make: their values are not kept. */
  missing: string[];
  /** The fields directus_files has (after what we made). */
  has: Set<string>;
}

/**
 * A Directus 11 files library as a remote DAM: the rendition is uploaded to `POST /files`
 * (multipart: the fields first, the file last, as Directus asks), a new version replaces it in place
 * with `PATCH /files/:id` (same id, same `/assets/:id` URL), the fields go into directus_files'
 * own `title` and `description` and into custom fields (alt text, credit, licence, expiry, and the
 * `tessera_*` fields that tie it to the asset), which are made on first use when the token may
 * (an admin's), else named in a warning. A copy is found again by its stored id, else by a filter
 * on the asset id and catalogue, else by its file name. Authenticated with a static token.
 */
export class DirectusAdapter implements RemoteAdapter {
  readonly inPlace = true;
  private readonly base: string;
  private schema: Promise<Schema> | null = null;
  private folderId: Promise<string | null> | null = null;

  constructor(
    url: string,
    private readonly options: EndpointOptions,
    private readonly token: string,
    /** The field map's names: those not built in are made as custom fields. */
    private readonly mapped: string[],
  ) {
    this.base = url.replace(/\/+$/, '');
  }

  private async call<T>(
    method: string,
    route: string,
    opts: { json?: unknown; form?: FormData; query?: Record<string, string> } = {},
  ): Promise<{ status: number; data: T | null }> {
    const what = `${method} ${route}`;
    const q = opts.query ? `?${new URLSearchParams(opts.query).toString()}` : '';
    const { res, text } = await fetchText(
      `${this.base}${route}${q}`,
      {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: 'application/json',
          ...(opts.json !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: opts.json !== undefined ? JSON.stringify(opts.json) : opts.form,
      },
      what,
      this.base,
    );
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (res.ok)
      return { status: res.status, data: ((body as { data?: T } | null)?.data ?? null) as T | null };
    const first = (body as { errors?: { message?: string; extensions?: { code?: string } }[] } | null)
      ?.errors?.[0];
    const detail = first?.message?.slice(0, 200) ?? '';
    if (res.status === 401)
      throw new EndpointError(
        'auth',
        `${this.base} refused the token: ${detail || 'unauthorized'} (HTTP 401)`,
      );
    // Directus answers 403 both for "may not" and for an item that is not there: the caller reads it.
    if (res.status === 403 || res.status === 404) return { status: res.status, data: null };
    throw statusFailure(res.status, what, this.base, detail);
  }

  /** What an answer of 403 means where something had to be allowed. */
  private forbidden(what: string): EndpointError {
    return new EndpointError('auth', `${this.base} refused the token: it may not ${what} (HTTP 403)`);
  }

  /** The custom fields this endpoint writes: the mapped ones Directus does not have built in, and the tie. */
  private wanted(): string[] {
    return [...new Set([...this.mapped.filter((f) => !BUILT_IN.has(f)), ...DIRECTUS_TIE_FIELDS])];
  }

  /** directus_files' fields; what we want and is missing is made, once per adapter (a delivery run). */
  private ensureSchema(): Promise<Schema> {
    this.schema ??= this.makeSchema().catch((err: unknown) => {
      this.schema = null;
      throw err;
    });
    return this.schema;
  }

  private async makeSchema(): Promise<Schema> {
    const r = await this.call<{ field: string }[]>('GET', '/fields/directus_files');
    const has = new Set(r.data ? r.data.map((f) => f.field) : BUILT_IN);
    // A user who may not read the schema (no app access) is asked field by field: a field that is
    // not there (or not readable) makes the query fail.
    if (!r.data)
      for (const field of this.wanted()) {
        try {
          const probe = await this.call<unknown[]>('GET', '/files', {
            query: { limit: '1', fields: `id,${field}` },
          });
          if (probe.data) has.add(field);
        } catch (err) {
          // An unknown field is a 400 on some versions: not there.
          if (!(err instanceof EndpointError) || err.failure !== 'rejected') throw err;
        }
      }
    const created: string[] = [];
    const missing: string[] = [];
    for (const field of this.wanted()) {
      if (has.has(field)) continue;
      const made = await this.call('POST', '/fields/directus_files', {
        json: {
          field,
          type: 'text',
          meta: { interface: 'input-multiline', note: 'Kept by Tessera DAM', special: null },
          schema: {},
        },
      });
      if (made.status === 403) missing.push(field);
      else {
        has.add(field);
        created.push(field);
      }
    }
    return { created, missing, has };
  }

  /** The warning for fields this token could not make, or null. */
  static missingWarning(missing: string[]): string | null {
    if (!missing.length) return null;
    return (
      `directus_files has no field ${missing.join(', ')} and this token may not add them: ` +
      `their values are not kept (add them as text fields in Settings → Data Model → File Library, or use an admin's token)`
    );
  }

  async test(): Promise<string> {
    const me = await this.call<{ email?: string; first_name?: string }>('GET', '/users/me', {
      query: { fields: 'email,first_name' },
    });
    // A user without app access may not read its own profile: still a valid token (not a 401).
    const who = me.data?.email ?? me.data?.first_name ?? "the token's user";
    const files = await this.call<unknown[]>('GET', '/files', { query: { limit: '1', fields: 'id' } });
    if (!files.data) throw this.forbidden('read the file library');
    const schema = await this.ensureSchema();
    if (this.options.folder) await this.folder();
    const made = schema.created.length
      ? `; made the fields ${schema.created.join(', ')} on directus_files`
      : '';
    const warning = DirectusAdapter.missingWarning(schema.missing);
    return `logged in to ${this.base} as ${who}${made}${warning ? `; warning: ${warning}` : ''}`;
  }

  /** The configured folder's id (made at the top level when missing), or null for none. */
  private folder(): Promise<string | null> {
    const name = this.options.folder;
    if (!name) return Promise.resolve(null);
    this.folderId ??= (async () => {
      const found = await this.call<{ id: string }[]>('GET', '/folders', {
        query: { 'filter[name][_eq]': name, 'filter[parent][_null]': 'true', fields: 'id', limit: '1' },
      });
      if (!found.data) throw this.forbidden('read the folders');
      if (found.data[0]) return found.data[0].id;
      const made = await this.call<{ id: string }>('POST', '/folders', { json: { name } });
      if (!made.data) throw this.forbidden(`make the folder ${name}`);
      return made.data.id;
    })().catch((err: unknown) => {
      this.folderId = null;
      throw err;
    });
    return this.folderId;
  }

  /** The file's name in Directus: this catalogue, the asset, its name (kept across versions). */
  key(ctx: DeliveryContext, ext: string): string {
    return `${originPart(ctx.origin)}-${fileKey(undefined, ctx, ext)}`;
  }

  url(id: string): string {
    return `${this.base}/assets/${encodeURIComponent(id)}`;
  }

  private copyOf(row: FileRow): RemoteCopy {
    const version = row.tessera_version;
    return {
      id: row.id,
      url: this.url(row.id),
      version: typeof version === 'string' && version ? version : null,
      fields: row,
    };
  }

  private async first(filter: Record<string, unknown>): Promise<FileRow | null> {
    const r = await this.call<FileRow[]>('GET', '/files', {
      query: { filter: JSON.stringify(filter), fields: '*', limit: '1', sort: 'uploaded_on' },
    });
    if (!r.data) throw this.forbidden('read the file library');
    return r.data[0] ?? null;
  }

  async get(id: string): Promise<RemoteCopy | null> {
    if (!UUID.test(id)) return null;
    const row = await this.first({ id: { _eq: id } });
    return row ? this.copyOf(row) : null;
  }

  /** By the asset id and catalogue when those fields exist, else by the file name. */
  async find(key: string, ctx: DeliveryContext): Promise<RemoteCopy | null> {
    const { has } = await this.ensureSchema();
    const row =
      has.has('tessera_asset_id') && has.has('tessera_origin')
        ? await this.first({
            _and: [
              { tessera_asset_id: { _eq: String(ctx.assetId) } },
              { tessera_origin: { _eq: ctx.origin } },
            ],
          })
        : await this.first({ filename_download: { _eq: key } });
    return row ? this.copyOf(row) : null;
  }

  /** The values sent: the mapped fields and the tie, only those directus_files has. */
  private payload(fields: Record<string, string>, ctx: DeliveryContext, version: string, has: Set<string>) {
    const all: Record<string, string> = {
      ...fields,
      tessera_asset_id: String(ctx.assetId),
      tessera_version: version,
      tessera_origin: ctx.origin,
    };
    return Object.fromEntries(Object.entries(all).filter(([f]) => BUILT_IN.has(f) || has.has(f)));
  }

  private async readBack(id: string): Promise<RemoteCopy> {
    const copy = await this.get(id);
    if (!copy)
      throw new EndpointError(
        'transient',
        `file ${id} was written but cannot be read back from ${this.base}`,
      );
    return copy;
  }

  async put(
    key: string,
    r: Rendition,
    fields: Record<string, string>,
    ctx: DeliveryContext,
    replacing: RemoteCopy | null,
  ): Promise<RemoteCopy> {
    const { has } = await this.ensureSchema();
    // Over the copy there: the older version's, or one a run killed after its upload left.
    const target = replacing ?? (await this.find(key, ctx));
    const form = new FormData();
    for (const [f, v] of Object.entries(this.payload(fields, ctx, ctx.version, has))) form.append(f, v);
    const folder = await this.folder();
    if (folder) form.append('folder', folder);
    // The file goes last: Directus reads the fields that come before it.
    form.append('file', new Blob([new Uint8Array(r.bytes)], { type: r.mime }), key);
    const done = target
      ? await this.call<FileRow>('PATCH', `/files/${encodeURIComponent(target.id)}`, { form })
      : await this.call<FileRow>('POST', '/files', { form });
    if (!done.data) {
      if (target && !(await this.get(target.id)))
        throw new EndpointError('transient', `file ${target.id} went away while it was replaced`);
      throw this.forbidden(target ? `replace file ${target.id}` : 'upload files');
    }
    return this.readBack(done.data.id);
  }

  async setFields(
    copy: RemoteCopy,
    fields: Record<string, string>,
    ctx: DeliveryContext,
  ): Promise<RemoteCopy | null> {
    const { has } = await this.ensureSchema();
    if (!(await this.get(copy.id))) return null;
    const done = await this.call<FileRow>('PATCH', `/files/${encodeURIComponent(copy.id)}`, {
      json: this.payload(fields, ctx, copy.version ?? ctx.version, has),
    });
    if (!done.data) {
      if (!(await this.get(copy.id))) return null;
      throw this.forbidden(`edit file ${copy.id}`);
    }
    return this.readBack(copy.id);
  }

  async remove(copy: RemoteCopy): Promise<void> {
    const r = await this.call('DELETE', `/files/${encodeURIComponent(copy.id)}`);
    if (r.status === 403 && (await this.get(copy.id))) throw this.forbidden(`delete file ${copy.id}`);
  }
}
