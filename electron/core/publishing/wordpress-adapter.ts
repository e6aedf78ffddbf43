import type { DeliveryContext, RemoteAdapter, RemoteCopy } from './adapter';
import { droppedMeta } from './fields';
import { remoteSlug } from './keys';
import type { Rendition } from './render';
import { testHook } from './test-hook';
import { WordPressClient, rewriteContent, type Usage, type WpMedia } from './wordpress';

/**
 * A WordPress site's media library behind the outbox's one interface. The key is a slug naming the
 * asset and its version (WordPress has no replace endpoint, and a colliding slug silently becomes
 * `-2`, so a slug is never reused). With the companion plugin (resources/wordpress/tessera-dam) a new
 * version of the same type replaces the file in place (same attachment id and URL) and the asset's
 * credit, licence, expiry and id go along as registered meta; without it the new version is a new
 * attachment, the posts and pages that embed the old one are rewritten to it (`relink`), and the old
 * one is deleted.
 */
export class WordPressAdapter implements RemoteAdapter {
  /** In place only with the plugin and the same type: `put` says so by returning the same id. */
  readonly inPlace = false;
  private readonly wp: WordPressClient;
  /** The media items behind the copies this adapter handed out: relink needs their sizes and URLs. */
  private readonly media = new WeakMap<RemoteCopy, WpMedia>();

  constructor(
    private readonly site: string,
    user: string,
    password: string,
  ) {
    this.wp = new WordPressClient(site, user, password);
  }

  async test(): Promise<string> {
    const me = await this.wp.test();
    return `logged in to ${this.site} as ${me.user}, may upload media`;
  }

  key(ctx: DeliveryContext): string {
    return remoteSlug(ctx.origin, ctx.assetId, ctx.version);
  }

  /** Meta only where the companion plugin registers it (WordPress drops unregistered meta silently). */
  private async meta(ctx: DeliveryContext): Promise<Record<string, string> | undefined> {
    return (await this.wp.hasPlugin()) ? (ctx.meta ?? {}) : undefined;
  }

  /** A media item as the outbox sees it; `meta`: what was sent as meta, to read back. */
  private copy(m: WpMedia, ctx: DeliveryContext, meta?: Record<string, string>): RemoteCopy {
    const copy: RemoteCopy = {
      id: String(m.id),
      url: m.source_url,
      // The slug names the version it was made for; the plugin's in-place replacement renames it.
      version: m.slug === this.key(ctx) ? ctx.version : null,
      fields: m as unknown as Record<string, unknown>,
      dropped: meta ? droppedMeta(meta, m.meta) : [],
    };
    this.media.set(copy, m);
    return copy;
  }

  private async item(copy: RemoteCopy): Promise<WpMedia | null> {
    return this.media.get(copy) ?? (await this.wp.media(copy.id));
  }

  async get(id: string, ctx: DeliveryContext): Promise<RemoteCopy | null> {
    const m = await this.wp.media(id);
    return m && this.copy(m, ctx);
  }

  async find(key: string, ctx: DeliveryContext): Promise<RemoteCopy | null> {
    const m = await this.wp.findBySlug(key);
    return m && this.copy(m, ctx, await this.meta(ctx));
  }

  /**
   * The plugin replaces the file of the older version's item in place when the type is the same (the
   * URL keeps its extension); otherwise a new item is uploaded. Its fields are set after either.
   */
  async put(
    key: string,
    r: Rendition,
    fields: Record<string, string>,
    ctx: DeliveryContext,
    replacing: RemoteCopy | null,
  ): Promise<RemoteCopy> {
    const plugin = await this.wp.hasPlugin();
    const meta = await this.meta(ctx);
    const old = replacing && (await this.item(replacing));
    if (old && plugin && old.mime_type === r.mime) {
      const replaced = await this.wp.replaceFile(old.id, r.bytes, r.mime);
      testHook('after-upload');
      const stored = (await this.wp.update(old.id, { ...fields, slug: key }, meta)) ?? replaced;
      return this.copy(stored, ctx, meta);
    }
    // The fields go with the upload (read back from its answer) unless too long for its query.
    const up = await this.wp.upload(r.bytes, `${key}.${r.ext}`, r.mime, { ...fields, slug: key }, meta);
    testHook('after-upload');
    const stored = up.withFields
      ? up.media
      : ((await this.wp.update(up.media.id, { ...fields, slug: key }, meta)) ?? up.media);
    return this.copy(stored, ctx, meta);
  }

  async setFields(
    copy: RemoteCopy,
    fields: Record<string, string>,
    ctx: DeliveryContext,
  ): Promise<RemoteCopy | null> {
    const meta = await this.meta(ctx);
    // The slug stays: it names the version the item holds.
    const slug = (await this.item(copy))?.slug;
    const stored = await this.wp.update(Number(copy.id), slug ? { ...fields, slug } : fields, meta);
    return stored && this.copy(stored, ctx, meta);
  }

  /** Posts and pages that embed the old item are rewritten to show the new one. */
  async relink(from: RemoteCopy, to: RemoteCopy): Promise<void> {
    const [a, b] = [await this.item(from), await this.item(to)];
    if (!a || !b) return;
    for (const u of await this.wp.usages(a)) await this.wp.rewrite(u, rewriteContent(u.content, a, b));
  }

  async remove(copy: RemoteCopy): Promise<void> {
    await this.wp.delete(copy.id);
  }

  /** Where the plugin says the item is shown (content and featured image), else posts whose content embeds it. */
  async usages(copy: RemoteCopy): Promise<string[]> {
    const m = await this.item(copy);
    if (!m) return [];
    const used: Usage[] = (await this.wp.hasPlugin())
      ? await this.wp.pluginUsages(m.id)
      : await this.wp.usages(m);
    return used.map((u) => `${u.type} ${u.id} "${u.title}" ${u.link}`);
  }
}
