/**
 * The WordPress REST API, as far as publishing needs it: media upload (raw body with
 * Content-Disposition), fields by POST /wp/v2/media/{id}, read back with ?context=edit, find by slug,
 * DELETE with ?force=true (there is no replace endpoint), and the posts and pages that embed a media
 * item. Authenticated with an Application Password. Every route goes through `?rest_route=`, which
 * works whether or not the site has pretty permalinks.
 */

import { ENDPOINT_TIMEOUT_MS, EndpointError, describeFetchError, fetchFailure } from './endpoint-error';

export { EndpointError, type EndpointFailure } from './endpoint-error';

export interface WpMedia {
  id: number;
  slug: string;
  source_url: string;
  link?: string;
  title?: { raw?: string; rendered?: string };
  caption?: { raw?: string; rendered?: string };
  description?: { raw?: string; rendered?: string };
  alt_text?: string;
  mime_type?: string;
  media_details?: { sizes?: Record<string, { source_url: string }> };
  /** Registered meta only (the companion plugin registers the tessera_* keys). */
  meta?: Record<string, unknown>;
}

interface WpPost {
  id: number;
  link: string;
  title?: { raw?: string; rendered?: string };
  content?: { raw?: string };
}

/** What a post or page that embeds a media item is called in a list ("where it was used"). */
export interface Usage {
  type: 'post' | 'page';
  id: number;
  title: string;
  link: string;
}

/** The longest URL sent: servers commonly take 8 KB of request line; this leaves room for proxies. */
const MAX_URL = 4000;

/** The companion plugin's REST namespace (resources/wordpress/tessera-dam). */
export const PLUGIN_NAMESPACE = 'tessera/v1';

export class WordPressClient {
  private readonly auth: string;
  private readonly site: string;
  private plugin: Promise<boolean> | null = null;

  constructor(url: string, user: string, password: string) {
    this.site = url.replace(/\/+$/, '');
    this.auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }

  private url(route: string, query: Record<string, string> = {}): string {
    const q = new URLSearchParams({ rest_route: route, ...query });
    return `${this.site}/?${q.toString()}`;
  }

  private async call<T>(
    method: string,
    route: string,
    opts: {
      query?: Record<string, string>;
      json?: unknown;
      body?: Buffer;
      headers?: Record<string, string>;
    } = {},
  ): Promise<{ status: number; data: T | null }> {
    let res: Response;
    try {
      res = await fetch(this.url(route, opts.query), {
        method,
        headers: {
          authorization: this.auth,
          accept: 'application/json',
          ...(opts.json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...opts.headers,
        },
        body: opts.json !== undefined ? JSON.stringify(opts.json) : opts.body && new Uint8Array(opts.body),
        signal: AbortSignal.timeout(ENDPOINT_TIMEOUT_MS),
        redirect: 'follow',
      });
    } catch (err) {
      throw fetchFailure(err, `${method} ${route}`, this.site, ENDPOINT_TIMEOUT_MS);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new EndpointError(
        'transient',
        `${method} ${route}: the answer broke off (${describeFetchError(err)})`,
      );
    }
    let data: unknown = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (res.ok) {
      if (data === null && method !== 'DELETE')
        throw new EndpointError(
          'transient',
          `${method} ${route}: the answer is not JSON (HTTP ${res.status})`,
        );
      return { status: res.status, data: data as T };
    }
    const wpMessage = (data as { message?: string } | null)?.message;
    const why = wpMessage ? `${wpMessage} (HTTP ${res.status})` : `HTTP ${res.status}`;
    if (res.status === 401 || res.status === 403)
      throw new EndpointError('auth', `${this.site} refused the user or application password: ${why}`);
    if (res.status === 404) return { status: 404, data: null };
    if (res.status >= 500 || res.status === 429 || res.status === 408)
      throw new EndpointError('transient', `${method} ${route}: ${why}`);
    throw new EndpointError('rejected', `${method} ${route}: ${why}`);
  }

  /** The user can log in and upload media. */
  async test(): Promise<{ user: string }> {
    const r = await this.call<{ name: string; capabilities?: Record<string, boolean> }>(
      'GET',
      '/wp/v2/users/me',
      {
        query: { context: 'edit' },
      },
    );
    if (r.status === 404 || !r.data)
      throw new EndpointError(
        'rejected',
        `${this.site} has no WordPress REST API (/wp/v2/users/me not found)`,
      );
    if (r.data.capabilities && !r.data.capabilities.upload_files)
      throw new EndpointError('auth', `the user ${r.data.name} may not upload media to ${this.site}`);
    return { user: r.data.name };
  }

  async media(id: string): Promise<WpMedia | null> {
    const r = await this.call<WpMedia>('GET', `/wp/v2/media/${encodeURIComponent(id)}`, {
      query: { context: 'edit' },
    });
    return r.status === 404 ? null : r.data;
  }

  /** The media item with exactly this slug (WordPress turns a colliding slug into slug-2: never reused). */
  async findBySlug(slug: string): Promise<WpMedia | null> {
    const r = await this.call<WpMedia[]>('GET', '/wp/v2/media', {
      query: { slug, context: 'edit', per_page: '10' },
    });
    return r.data?.find((m) => m.slug === slug) ?? null;
  }

  /**
   * A new media item from the raw bytes. `fields` (and registered `meta`) go along in the query,
   * which WordPress applies as it creates the item and answers with in the edit context: one request
   * instead of an upload and an update. Fields too long for a query (a long description) are left
   * to the caller's `update`: `withFields` says whether they went along.
   */
  async upload(
    bytes: Buffer,
    fileName: string,
    mime: string,
    fields?: Record<string, string>,
    meta?: Record<string, string>,
  ): Promise<{ media: WpMedia; withFields: boolean }> {
    const query: Record<string, string> = { context: 'edit', ...fields };
    for (const [k, v] of Object.entries(meta ?? {})) query[`meta[${k}]`] = v;
    const withFields = fields !== undefined && this.url('/wp/v2/media', query).length <= MAX_URL;
    const r = await this.call<WpMedia>('POST', '/wp/v2/media', {
      body: bytes,
      headers: { 'content-type': mime, 'content-disposition': `attachment; filename="${fileName}"` },
      ...(withFields ? { query } : {}),
    });
    if (!r.data)
      throw new EndpointError('rejected', `the upload of ${fileName} was refused (HTTP ${r.status})`);
    return { media: r.data, withFields };
  }

  /**
   * Is the companion plugin active there (its REST namespace answers)? Asked once per client: the
   * outbox keeps an endpoint's adapter (and its client) for a minute, so a plugin installed or
   * removed is seen within a minute.
   */
  hasPlugin(): Promise<boolean> {
    this.plugin ??= this.call<{ namespace?: string }>('GET', `/${PLUGIN_NAMESPACE}`).then(
      (r) => r.status !== 404 && r.data?.namespace === PLUGIN_NAMESPACE,
      (err: unknown) => {
        this.plugin = null;
        throw err;
      },
    );
    return this.plugin;
  }

  /**
   * The media item's file replaced in place by the plugin (same id, same URL, sizes made again).
   * The caller checks the type is the same: the URL keeps its extension.
   */
  async replaceFile(id: number, bytes: Buffer, mime: string): Promise<WpMedia> {
    const r = await this.call<WpMedia>('POST', `/${PLUGIN_NAMESPACE}/replace/${id}`, {
      body: bytes,
      headers: { 'content-type': mime },
    });
    if (!r.data) throw new EndpointError('rejected', `media item ${id} is gone: it cannot be replaced`);
    return r.data;
  }

  /** Where the plugin says a media item is shown: posts and pages, in their content or as featured image. */
  async pluginUsages(id: number): Promise<Usage[]> {
    const r = await this.call<{ id: number; type: string; title: string; link: string }[]>(
      'GET',
      `/${PLUGIN_NAMESPACE}/usage/${id}`,
    );
    return (r.data ?? []).map((u) => ({
      type: u.type === 'page' ? 'page' : 'post',
      id: u.id,
      title: u.title,
      link: u.link,
    }));
  }

  async update(
    id: number,
    fields: Record<string, string>,
    meta?: Record<string, string>,
  ): Promise<WpMedia | null> {
    const r = await this.call<WpMedia>('POST', `/wp/v2/media/${id}`, {
      json: meta ? { ...fields, meta } : fields,
      query: { context: 'edit' },
    });
    return r.status === 404 ? null : r.data;
  }

  /** Deleted for good (media cannot go to the trash over REST); false when it was gone already. */
  async delete(id: string): Promise<boolean> {
    const r = await this.call('DELETE', `/wp/v2/media/${encodeURIComponent(id)}`, {
      query: { force: 'true' },
    });
    return r.status !== 404;
  }

  /** Posts and pages whose content embeds this media item (by its id in blocks or classes, or its file). */
  async usages(media: Pick<WpMedia, 'id' | 'source_url'>): Promise<(Usage & { content: string })[]> {
    const stem = fileStem(media.source_url);
    const out: (Usage & { content: string })[] = [];
    for (const type of ['post', 'page'] as const) {
      const r = await this.call<WpPost[]>('GET', `/wp/v2/${type}s`, {
        query: {
          search: stem,
          context: 'edit',
          status: 'publish,future,draft,pending,private',
          per_page: '100',
        },
      });
      for (const p of r.data ?? []) {
        const content = p.content?.raw ?? '';
        if (embeds(content, media.id, stem))
          out.push({ type, id: p.id, title: p.title?.raw ?? p.title?.rendered ?? '', link: p.link, content });
      }
    }
    return out;
  }

  async rewrite(u: Usage, content: string): Promise<void> {
    await this.call('POST', `/wp/v2/${u.type}s/${u.id}`, { json: { content } });
  }
}

/** The file name of an upload without its extension: WordPress's size variants add -WxH to it. */
export function fileStem(url: string): string {
  const name = decodeURIComponent(url.split('?')[0]!.split('/').pop() ?? '');
  return name.replace(/\.[^.]+$/, '');
}

function embeds(content: string, id: number, stem: string): boolean {
  return (
    content.includes(stem) ||
    new RegExp(`wp-image-${id}\\b`).test(content) ||
    new RegExp(`"id":${id}\\b`).test(content)
  );
}

/**
 * A post's content with every reference to the old media item turned into the new one: its URLs
 * (each size variant to the new item's variant of the same size name, else the full image), its
 * wp-image-ID class and the block's "id".
 */
export function rewriteContent(content: string, from: WpMedia, to: WpMedia): string {
  let out = content;
  const pairs: [string, string][] = [];
  const newSizes = to.media_details?.sizes ?? {};
  for (const [name, size] of Object.entries(from.media_details?.sizes ?? {}))
    pairs.push([size.source_url, newSizes[name]?.source_url ?? to.source_url]);
  pairs.push([from.source_url, to.source_url]);
  // Longest first: a size variant's URL contains the stem of the full one.
  pairs.sort((a, b) => b[0].length - a[0].length);
  for (const [a, b] of pairs) out = out.split(a).join(b);
  out = out.replace(new RegExp(`wp-image-${from.id}\\b`, 'g'), `wp-image-${to.id}`);
  out = out.replace(new RegExp(`"id":${from.id}\\b`, 'g'), `"id":${to.id}`);
  return out;
}
