import type { Rendition } from './render';

/**
 * One copy of an asset on an endpoint, as the endpoint has it now (read back).
 */
export interface RemoteCopy {
  /** What the publication stores to find it again: a media id, an object key, a path. */
  id: string;
  /** Where it is served (null when the endpoint has no URL for it, e.g. a webhook's receiver said none). */
  url: string | null;
  /**
   * The content hash of the version it holds, when the endpoint keeps it (S3 metadata, a WebDAV
   * sidecar, or a key that names the version); null when unknown, which means "not this version".
   */
  version: string | null;
  /** Its fields as the endpoint stored them, keyed as the field map names them (for the read-back). */
  fields: Record<string, unknown>;
  /**
   * Read-back warnings beyond the mapped fields, worded like `droppedFields` (WordPress: the
   * plugin's meta it did not keep); the outbox shows them beside those of the fields.
   */
  dropped?: string[];
}

/** What a delivery is about: carried to the endpoint beside the mapped fields. */
export interface DeliveryContext {
  /** This catalogue's id (part of every key, so two catalogues never share a copy). */
  origin: string;
  assetId: number;
  /** The content hash of the version delivered. */
  version: string;
  /** The file's name without its extension (for keys and slugs a person can read). */
  name: string;
  /**
   * The asset's rights beside the mapped fields, for an endpoint that keeps them as fields of their
   * own (WordPress's companion plugin registers them as meta): tessera_credit, tessera_licence,
   * tessera_expiry, tessera_asset_id (fields.ts `pluginMeta`). Absent when pulling a copy.
   */
  meta?: Record<string, string>;
}

/**
 * What the outbox needs of an endpoint type. `service.ts` holds the flow (the rights gate, what is
 * owed, recording each step); an adapter only talks to its endpoint. Each call throws an
 * `EndpointError` saying whether to wait, retry or give up.
 *
 * The flow for a delivery: a copy of the same version gets its fields (`setFields`); otherwise the
 * copy this version's key names is looked for (`find`: a run killed after an upload made one), and
 * made (`put`) when it is not there or holds another version. An adapter that replaces `inPlace`
 * keeps the key across versions (S3, WebDAV, a webhook's receiver): `put` overwrites. One that does
 * not (WordPress without its plugin) makes a new copy; the old one is then `relink`ed from (the
 * posts that embed it) and removed. What counts is the id `put` returns: the same id as the old
 * copy's is a replacement in place (WordPress with its plugin), another id a new copy.
 */
export interface RemoteAdapter {
  /** A new version overwrites the copy at the same key (same id and URL). */
  readonly inPlace: boolean;
  /** Can we log in and write there: a line saying as whom, or an EndpointError saying why not. */
  test(): Promise<string>;
  /** The key of this asset's copy of this version (`ext`: the rendition's): derived, so it is found again after a crash. */
  key(ctx: DeliveryContext, ext: string): string;
  /** The copy with this stored id, or null when it is gone. */
  get(id: string, ctx: DeliveryContext): Promise<RemoteCopy | null>;
  /** The copy at this key, or null (an endpoint that cannot be asked answers null). */
  find(key: string, ctx: DeliveryContext): Promise<RemoteCopy | null>;
  /**
   * Deliver the rendition with its fields at the key: a new copy, or over the one there (in place).
   * `replacing` is the live copy of an older version, if any (a webhook says "replaced").
   */
  put(
    key: string,
    rendition: Rendition,
    fields: Record<string, string>,
    ctx: DeliveryContext,
    replacing: RemoteCopy | null,
  ): Promise<RemoteCopy>;
  /** Set the fields of a copy; returns it as read back, or null when it is gone. */
  setFields(
    copy: RemoteCopy,
    fields: Record<string, string>,
    ctx: DeliveryContext,
  ): Promise<RemoteCopy | null>;
  /** Point what embeds `from` at `to` (WordPress posts and pages), before `from` is removed. */
  relink?(from: RemoteCopy, to: RemoteCopy): Promise<void>;
  /** Delete the copy (or swap a placeholder in); fine when it is gone already. */
  remove(copy: RemoteCopy, ctx: DeliveryContext, reason: string): Promise<void>;
  /** Where the copy is used there (posts and pages), each as a line for the person to fix. */
  usages?(copy: RemoteCopy): Promise<string[]>;
}
