import type { Channel } from '../../../shared/governance';
import { renditionName, type RenditionPreset } from '../../../shared/renditions';
import {
  DEFAULT_SHARE_CHANNEL,
  DEFAULT_SHARE_PRESET,
  type CreatedShare,
  type DownloadLevel,
  type LinkState,
  type ShareInfo,
} from '../../../shared/sharing';
import { todayUtc } from '../../../shared/warnings';
import { allCollections, collectionById } from '../catalog/collections.repository';
import type { Db } from '../catalog/open';
import { renditionSources } from '../catalog/rendition-sources.repository';
import {
  allShares,
  assetContentKey,
  insertShare,
  recordShareEvent,
  revokeShare,
  selectionAssets,
  selectionSize,
  shareById,
  shareByTokenHash,
  shareEventCounts,
  type ShareRow,
} from '../catalog/shares.repository';
import { invalidInput, notFound, refused } from '../errors';
import type { FieldValues } from '../governance/fields';
import { readFields } from '../governance/field-store';
import type { Rendition } from '../renditions/render';
import { collectionPaths } from '../search/collection-sql';
import {
  expiryOf,
  hashPassword,
  hashToken,
  isTokenShaped,
  newToken,
  passwordProof,
  proofMatches,
  verifyPassword,
} from './secrets';

/** What sharing needs from the rest of the core, named one by one. */
export interface SharesDeps {
  db: Db;
  actor: () => string;
  /** Asset ids a search finds, in display order (a collection's members). */
  select: (query: string) => number[];
  preset: (name: string) => RenditionPreset;
  render: (assetId: number, preset: RenditionPreset) => Promise<Rendition>;
  originalFile: (assetId: number) => { path: string; name: string } | null;
}

export interface ShareInput {
  collectionId?: number | undefined;
  assetIds?: number[] | undefined;
  /** YYYY-MM-DD: the last day the link works (UTC). */
  expires?: string | null | undefined;
  password?: string | null | undefined;
  download?: DownloadLevel | undefined;
  preset?: string | undefined;
  watermark?: string | null | undefined;
  channel?: Channel | undefined;
}

/** A link opened by its token: usable, or why not (404 unknown, 410 expired or revoked). */
export type ShareAccess = { ok: true; share: ShareRow } | { ok: false; status: 404 | 410; message: string };

/** One picture on a gallery page. */
export interface GalleryItem {
  id: number;
  name: string;
  title: string | null;
  description: string | null;
  credit: string | null;
}

export type PasswordCheck =
  | { result: 'ok'; proof: string }
  | { result: 'wrong'; delayMs: number }
  | { result: 'locked'; retryAfterS: number };

/** A gallery shows at most this many pictures (a collection can hold a whole catalogue). */
export const GALLERY_MAX = 2000;
/** Grid tiles and the single-image view, in pixels on the long edge. */
export const PREVIEW_EDGES = { grid: 480, view: 1600 } as const;
export type PreviewSize = keyof typeof PREVIEW_EDGES;

/** Wrong passwords: slowed after this many in a row, locked for LOCK_MS after LOCK_AFTER. */
const SLOW_AFTER = 3;
const LOCK_AFTER = 10;
const LOCK_MS = 15 * 60_000;
const CACHE_ENTRIES = 120;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function linkState(
  row: { revoked_at: number | null; expires_at: number | null },
  now: number,
): LinkState {
  if (row.revoked_at !== null) return 'revoked';
  if (row.expires_at !== null && row.expires_at <= now) return 'expired';
  return 'active';
}

/**
 * May this asset be shown on a link for `channel` today? No channels recorded means no
 * restriction (as publishing reads it); a licence not begun or ended hides it.
 */
export function shareable(
  f: Pick<FieldValues, 'channels' | 'licenseStart' | 'licenseEnd'>,
  channel: Channel,
  today: string,
): boolean {
  if (f.channels.length && !f.channels.includes(channel)) return false;
  if (f.licenseEnd && f.licenseEnd < today) return false;
  if (f.licenseStart && f.licenseStart > today) return false;
  return true;
}

/**
 * Share links: a gallery of a collection (live) or a frozen selection, with an expiry, an optional
 * password, a download level and a watermark. What a link shows is decided again on every
 * request: the rights (channel, licence dates) and the collection's members as they are now.
 */
export class SharesService {
  private readonly failures = new Map<number, { count: number; last: number }>();
  private readonly cache = new Map<string, Buffer>();

  constructor(private readonly deps: SharesDeps) {}

  async create(input: ShareInput, now = Date.now()): Promise<CreatedShare> {
    const { db } = this.deps;
    const byCollection = input.collectionId !== undefined;
    if (byCollection === (input.assetIds !== undefined))
      throw invalidInput('share either a collection or a selection of assets');
    let label: string;
    let assetIds: number[] = [];
    if (byCollection) {
      const c = collectionById(db, input.collectionId!);
      if (!c) throw notFound(`no collection ${input.collectionId}`);
      label = collectionPaths(allCollections(db)).get(c.id) ?? c.name;
    } else {
      assetIds = [...new Set(input.assetIds)];
      const known = renditionSources(db, assetIds);
      const missing = assetIds.find((id) => !known.has(id));
      if (missing !== undefined) throw notFound(`no asset ${missing} in the catalogue`);
      label = `${assetIds.length} selected asset${assetIds.length === 1 ? '' : 's'}`;
    }
    let expiresAt: number | null = null;
    if (input.expires) {
      expiresAt = expiryOf(input.expires);
      if (Number.isNaN(expiresAt))
        throw invalidInput(`--expires: "${input.expires}" is not a date like 2027-01-31`);
      if (expiresAt <= now) throw invalidInput(`the expiry date ${input.expires} has passed`);
    }
    if (input.password !== undefined && input.password !== null && input.password.length < 4)
      throw invalidInput('a share password needs at least 4 characters');
    const preset = this.deps.preset(input.preset ?? DEFAULT_SHARE_PRESET).name;
    const watermark = input.watermark?.trim() || null;
    const token = newToken();
    const row = {
      token_hash: hashToken(token),
      kind: byCollection ? ('collection' as const) : ('selection' as const),
      collection_id: byCollection ? input.collectionId! : null,
      label,
      created_by: this.deps.actor(),
      created_at: now,
      expires_at: expiresAt,
      password_hash: input.password ? await hashPassword(input.password) : null,
      download: input.download ?? 'preview',
      preset,
      watermark,
      channel: input.channel ?? DEFAULT_SHARE_CHANNEL,
    };
    const id = db.transaction(() => insertShare(db, row, assetIds))();
    return { share: this.info(shareById(db, id)!, now), token, path: `/s/${token}` };
  }

  list(now = Date.now()): ShareInfo[] {
    return allShares(this.deps.db).map((r) => this.info(r, now));
  }

  revoke(id: number, now = Date.now()): ShareInfo {
    const { db } = this.deps;
    if (!shareById(db, id)) throw notFound(`no share ${id}`);
    revokeShare(db, id, now);
    this.forget(id);
    return this.info(shareById(db, id)!, now);
  }

  /** The link a token names, if it can be used now. */
  open(token: string, now = Date.now()): ShareAccess {
    const row = isTokenShaped(token) ? shareByTokenHash(this.deps.db, hashToken(token)) : undefined;
    if (!row)
      return { ok: false, status: 404, message: 'There is no such link. Check the address you were given.' };
    const state = linkState(row, now);
    if (state === 'revoked')
      return { ok: false, status: 410, message: 'This link was withdrawn by the studio that shared it.' };
    if (state === 'expired')
      return {
        ok: false,
        status: 410,
        message: `This link expired on ${iso(row.expires_at! - 86_400_000)!.slice(0, 10)}.`,
      };
    if (row.kind === 'collection' && row.collection_id === null)
      return { ok: false, status: 410, message: 'What was shared here is no longer available.' };
    return { ok: true, share: row };
  }

  /** Whether the visitor's cookie proves the password (always, for a link without one). */
  unlocked(share: ShareRow, proof: string | undefined): boolean {
    return share.password_hash === null || proofMatches(proof, share.id, share.password_hash);
  }

  /** A password typed on the gallery's form; slowed after a few wrong ones, locked after many. */
  async checkPassword(share: ShareRow, given: string, now = Date.now()): Promise<PasswordCheck> {
    if (share.password_hash === null) return { result: 'ok', proof: '' };
    const f = this.failures.get(share.id);
    if (f && f.count >= LOCK_AFTER && now - f.last < LOCK_MS)
      return { result: 'locked', retryAfterS: Math.ceil((LOCK_MS - (now - f.last)) / 1000) };
    if (await verifyPassword(given, share.password_hash)) {
      this.failures.delete(share.id);
      return { result: 'ok', proof: passwordProof(share.id, share.password_hash) };
    }
    const count = (f && now - f.last < LOCK_MS ? f.count : 0) + 1;
    this.failures.set(share.id, { count, last: now });
    if (count >= LOCK_AFTER) return { result: 'locked', retryAfterS: LOCK_MS / 1000 };
    return {
      result: 'wrong',
      delayMs: count > SLOW_AFTER ? Math.min(250 * 2 ** (count - SLOW_AFTER - 1), 8000) : 0,
    };
  }

  /** What the link shows now: its assets whose rights allow its channel today, present and online. */
  items(share: ShareRow, now = Date.now()): GalleryItem[] {
    const ids = share.kind === 'selection' ? selectionAssets(this.deps.db, share.id) : this.members(share);
    const out: GalleryItem[] = [];
    for (const item of this.allowed(share, ids, now)) {
      out.push(item);
      if (out.length >= GALLERY_MAX) break;
    }
    return out;
  }

  /** One asset of the link, re-checked: outside the link or no longer allowed is not found. */
  item(share: ShareRow, assetId: number, now = Date.now()): GalleryItem {
    const found = this.items(share, now).find((i) => i.id === assetId);
    if (!found) throw notFound(`asset ${assetId} is not in this link`);
    return found;
  }

  private collectionQuery(share: ShareRow): string | null {
    const path = collectionPaths(allCollections(this.deps.db)).get(share.collection_id!);
    return path ? `collection:"${path}"` : null;
  }

  private members(share: ShareRow): number[] {
    const q = this.collectionQuery(share);
    return q ? this.deps.select(q) : [];
  }

  /** Of these assets, those present, online, and whose rights allow the link's channel today. */
  private allowed(share: ShareRow, ids: readonly number[], now: number): GalleryItem[] {
    const { db } = this.deps;
    const today = todayUtc(now);
    const sources = renditionSources(db, ids);
    const out: GalleryItem[] = [];
    for (const id of ids) {
      const src = sources.get(id);
      if (!src || src.state !== 'present' || src.root_state !== 'online') continue;
      const f = readFields(db, id);
      if (!shareable(f, share.channel, today)) continue;
      out.push({ id, name: src.name, title: f.title, description: f.description, credit: f.credit });
    }
    return out;
  }

  /** A JPEG to look at (watermarked when the link says so), cached by content. */
  async preview(share: ShareRow, assetId: number, size: PreviewSize, now = Date.now()): Promise<Buffer> {
    this.item(share, assetId, now);
    const edge = PREVIEW_EDGES[size];
    const key = `${assetId}|${assetContentKey(this.deps.db, assetId)}|${edge}|${share.watermark ?? ''}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const r = await this.deps.render(assetId, {
      name: `share-${size}`,
      longEdge: edge,
      format: 'jpeg',
      quality: 82,
      keepGps: false,
      keepSerials: false,
      watermark: share.watermark,
      fileName: '{name}',
      builtIn: false,
    });
    this.cache.set(key, r.data);
    while (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    return r.data;
  }

  /**
   * A download as the link allows it: `preview` is the link's rendition preset (watermarked when
   * set), `original` the file's own bytes, sent as they are. Counted.
   */
  async download(
    share: ShareRow,
    assetId: number,
    kind: 'preview' | 'original',
    now = Date.now(),
  ): Promise<{ file: string; name: string } | { data: Buffer; name: string }> {
    if (share.download === 'none') throw refused('download-off', 'this link does not allow downloads');
    if (kind === 'original' && share.download !== 'original')
      throw refused('download-off', 'this link does not allow downloading originals');
    const item = this.item(share, assetId, now);
    let answer: { file: string; name: string } | { data: Buffer; name: string };
    if (kind === 'original') {
      const f = this.deps.originalFile(assetId);
      if (!f) throw notFound(`asset ${assetId} cannot be read now`);
      answer = { file: f.path, name: f.name };
    } else {
      const preset = this.deps.preset(share.preset);
      const r = await this.deps.render(assetId, {
        ...preset,
        watermark: share.watermark ?? preset.watermark,
      });
      const stem = renditionName(preset.fileName, {
        name: item.name,
        id: assetId,
        date: null,
        preset: preset.name,
        title: item.title,
      });
      answer = { data: r.data, name: `${stem}.${r.ext}` };
    }
    recordShareEvent(this.deps.db, share.id, 'download', assetId, now);
    return answer;
  }

  visited(share: ShareRow, now = Date.now()): void {
    recordShareEvent(this.deps.db, share.id, 'visit', null, now);
  }

  private forget(shareId: number): void {
    this.failures.delete(shareId);
  }

  private info(r: ShareRow, now: number): ShareInfo {
    const counts = shareEventCounts(this.deps.db, r.id);
    return {
      id: r.id,
      label: r.label,
      collectionId: r.collection_id,
      selected: r.kind === 'selection' ? selectionSize(this.deps.db, r.id) : null,
      createdBy: r.created_by,
      createdAt: iso(r.created_at)!,
      expiresAt: iso(r.expires_at),
      passwordProtected: r.password_hash !== null,
      download: r.download,
      preset: r.preset,
      watermark: r.watermark,
      channel: r.channel,
      revokedAt: iso(r.revoked_at),
      state: linkState(r, now),
      visits: counts.visit,
      downloads: counts.download,
    };
  }
}
