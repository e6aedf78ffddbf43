import type { ApiResult, Handlers, OpName, RequestContext } from '../../../shared/contract';
import { allCollections } from '../catalog/collections.repository';
import { collectionsWithin } from '../search/collection-sql';
import { accountHandlers } from './account-handlers';
import { actorOf, scopeOf } from './access';
import { ID_PAGE_MAX, operations } from '../../../shared/contract';
import { stmt } from '../catalog/statements';
import { suggestKeywords } from '../catalog/edits.repository';
import { governanceFacets } from '../governance/facets';
import { colorFacets } from '../catalog/colors.repository';
import { peopleFacet } from '../catalog/faces.repository';
import { folderLevel } from '../catalog/folders.repository';
import { governanceHandlers } from './governance-handlers';
import { historyHandlers } from './history-handlers';
import { taggingHandlers } from './tagging-handlers';
import { versionHandlers } from './version-handlers';
import { peopleHandlers } from './people-handlers';
import { publishingHandlers } from './publishing-handlers';
import { usageHandlers } from './usage-handlers';
import { editAssetsRecorded } from '../governance/set-fields';
import { toApiError, unavailable } from '../errors';
import { Library } from '../library';
import { browseFolders, expandUserPath, hostInfo } from '../host/folders';

export type { Handlers };

/** The implementation of every operation in the contract, over one Library. */
export function createHandlers(lib: Library): Handlers {
  return {
    'roots.list': () => lib.roots(),
    'roots.add': (i) =>
      lib.addRoot(expandUserPath(i.path), {
        ...(i.name ? { name: i.name } : {}),
        ...(i.network !== undefined ? { network: i.network } : {}),
      }),
    'host.info': () => hostInfo(),
    'folders.browse': (i) => browseFolders(i.path),
    'roots.remove': async (i) => {
      await lib.removeRoot(i.id);
      return { removed: i.id };
    },
    'roots.folders': (i) => folderLevel(lib.db, i.rootId, (i.parent ?? '').replace(/^\/+|\/+$/g, '')),
    scan: async (i) => {
      const { offline: _o, problems: _p, failed: _f, ...summary } = await lib.scan(i.rootIds);
      return summary;
    },
    'assets.search': (i, ctx) => lib.search(i.query, { ...i, scope: scopeOf(ctx) }),
    'assets.ids': (i, ctx) => {
      // One more than asked says whether there are more, without counting the whole match.
      const limit = i.limit ?? ID_PAGE_MAX;
      const ids = lib.searchIds(i.query, {
        ...i,
        limit: limit + 1,
        offset: i.offset ?? 0,
        scope: scopeOf(ctx),
      });
      return { ids: ids.slice(0, limit), more: ids.length > limit };
    },
    'assets.get': (i, ctx) => {
      // Ids outside the account's collections are left out, as missing ones are.
      const scope = scopeOf(ctx);
      if (!scope) return lib.assets(i.ids);
      const seen = lib.inScope(i.ids, scope);
      return lib.assets(i.ids.filter((id) => seen.has(id)));
    },
    'assets.edit': (i, ctx) => {
      const res = editAssetsRecorded(
        lib,
        i.ids.map((id) => ({ id, patch: i.patch })),
        actorOf(lib, ctx),
      );
      lib.events.emit('catalog-changed', { assetIds: i.ids });
      return res;
    },
    'assets.editEach': (i, ctx) => {
      const res = editAssetsRecorded(lib, i.edits, actorOf(lib, ctx));
      lib.events.emit('catalog-changed', { assetIds: i.edits.map((e) => e.id) });
      return res;
    },
    'keywords.suggest': (i) => suggestKeywords(lib.db, i.prefix, i.limit ?? 10),
    stats: () => lib.stats(),
    facets: () => ({
      cameras: stmt(
        lib.db,
        `SELECT model AS name, count(*) AS count FROM asset_search WHERE model IS NOT NULL GROUP BY model ORDER BY count DESC LIMIT 200`,
      ).all() as { name: string; count: number }[],
      years: stmt(
        lib.db,
        `SELECT CAST(strftime('%Y', capture_ts / 1000, 'unixepoch') AS INTEGER) AS year, count(*) AS count
           FROM asset_search WHERE capture_ts IS NOT NULL GROUP BY year ORDER BY year DESC`,
      ).all() as { year: number; count: number }[],
      ...governanceFacets(lib.db),
      colors: colorFacets(lib.db),
      people: peopleFacet(lib.db),
    }),
    'problems.list': (i) =>
      stmt(
        lib.db,
        `SELECT f.asset_id AS assetId, r.path || '/' || f.rel_path AS path, f.error AS error
           FROM files f JOIN roots r ON r.id = f.root_id WHERE f.error IS NOT NULL ORDER BY f.processed_at DESC LIMIT ?`,
      ).all(i.limit ?? 500) as { assetId: number; path: string; error: string }[],
    ...governanceHandlers(lib),
    ...versionHandlers(lib),
    ...peopleHandlers(lib),
    'renditions.presets': () => lib.renditions.presets(),
    'renditions.savePreset': (i) => lib.renditions.savePreset(i),
    'renditions.removePreset': (i) => lib.renditions.removePreset(i.name),
    'assets.export': (i, ctx) =>
      lib.renditions.export(i.ids, i.preset, expandUserPath(i.to), undefined, {
        ...(i.aspect ? { aspect: i.aspect } : {}),
        // Counted in the usage figures as the logged-in account's download.
        by: actorOf(lib, ctx).user,
      }),
    'assets.crops': (i) => lib.crops.list(i.id),
    'assets.setCrop': (i) => lib.crops.set(i.id, i.aspect, i.box),
    'assets.clearCrop': (i) => lib.crops.clear(i.id, i.aspect),
    'collections.list': (_i, ctx) => {
      const all = lib.collections.list();
      const scope = scopeOf(ctx);
      if (!scope) return all;
      // The account's collections and those inside them: the rest of the tree is not its to see.
      const visible = new Set(collectionsWithin(allCollections(lib.db), scope).map((c) => c.id));
      return all
        .filter((c) => visible.has(c.id))
        .map((c) => (visible.has(c.parentId ?? 0) ? c : { ...c, parentId: null }));
    },
    'collections.create': (i) => lib.collections.create(i),
    'collections.update': (i) => lib.collections.update(i),
    'collections.remove': (i) => lib.collections.remove(i.id),
    'collections.addAssets': (i) => lib.collections.addAssets(i.id, i.ids),
    'collections.removeAssets': (i) => lib.collections.removeAssets(i.id, i.ids),
    'shares.create': (i) => lib.shares.create(i),
    'shares.list': () => lib.shares.list(),
    'shares.revoke': (i) => lib.shares.revoke(i.id),
    'uploadLinks.create': (i) => lib.uploads.createLink(i),
    'uploadLinks.list': () => lib.uploads.listLinks(),
    'uploadLinks.revoke': (i) => lib.uploads.revokeLink(i.id),
    ...historyHandlers(lib),
    ...taggingHandlers(lib),
    ...publishingHandlers(lib),
    ...accountHandlers(lib),
    ...usageHandlers(lib),
    'desktop.pickFolder': desktopOnly,
    'desktop.reveal': desktopOnly,
    'desktop.open': desktopOnly,
  };
}

function desktopOnly(): never {
  throw unavailable('this works in the desktop app only', { reason: 'desktop-only' });
}

/**
 * The single entry point every adapter (Electron IPC, HTTP) calls: validates the input against the
 * contract and turns every failure into a typed error value.
 */
export async function dispatch(
  handlers: Handlers,
  name: string,
  input: unknown,
  ctx: RequestContext = {},
  /** Runs on the validated input before the handler (the HTTP bridge's role and scope check); throws to refuse. */
  guard?: (name: OpName, input: unknown, ctx: RequestContext) => void,
): Promise<ApiResult<unknown>> {
  if (!Object.prototype.hasOwnProperty.call(operations, name)) {
    return { ok: false, error: { code: 'unknown-operation', message: `no operation "${name}"` } };
  }
  const op = name as OpName;
  const parsed = operations[op].input.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return {
      ok: false,
      error: { code: 'invalid-input', message: `${name}: ${where}${issue?.message ?? 'invalid input'}` },
    };
  }
  try {
    guard?.(op, parsed.data, ctx);
    const handler = handlers[op] as (i: unknown, ctx: RequestContext) => unknown;
    return { ok: true, value: await handler(parsed.data, ctx) };
  } catch (err) {
    return { ok: false, error: toApiError(err) };
  }
}
