import type { Handlers } from '../../../shared/contract';
import { notFound } from '../errors';
import type { Library } from '../library';
import { actorOf } from './access';

type PublishingOps =
  | 'endpoints.list'
  | 'endpoints.add'
  | 'endpoints.update'
  | 'endpoints.remove'
  | 'endpoints.test'
  | 'publish.assets'
  | 'publish.sync'
  | 'publications.list'
  | 'publications.retry'
  | 'publish.queue';

/** Every id names an asset of the catalogue, else a not-found naming the first that does not. */
function existing(lib: Library, ids: number[]): number[] {
  const known = new Set(lib.assets(ids).map((a) => a.id));
  const missing = ids.find((id) => !known.has(id));
  if (missing !== undefined) throw notFound(`no asset ${missing} in the catalogue`);
  return ids;
}

/**
 * The contract's publishing operations over one Library. A password only ever comes in (endpoints.add,
 * endpoints.update) and goes to the credential store; an Endpoint says only whether one is stored.
 */
export function publishingHandlers(lib: Library): Pick<Handlers, PublishingOps> {
  const p = lib.publishing;
  return {
    'endpoints.list': () => p.listEndpoints(),
    'endpoints.add': (i) => p.addEndpoint(i),
    // The logged-in account is who publishes (the publication's "by"); the OS user without one.
    'endpoints.update': ({ name, ...patch }, ctx) => p.updateEndpoint(name, patch, actorOf(lib, ctx)),
    'endpoints.remove': (i) => {
      p.removeEndpoint(i.name);
      return { removed: i.name };
    },
    'endpoints.test': (i) => p.testEndpoint(i.name),
    'publish.assets': (i, ctx) =>
      p.publish(
        existing(lib, i.ids),
        {
          ...(i.endpoint ? { to: i.endpoint } : {}),
          ...(i.dryRun ? { dryRun: true } : {}),
        },
        actorOf(lib, ctx),
      ),
    'publish.sync': () => p.sync(),
    'publications.list': (i) => p.publications(existing(lib, [i.id])[0]!),
    'publications.retry': (i, ctx) => p.retry(existing(lib, [i.id])[0]!, i.endpoint, actorOf(lib, ctx)),
    'publish.queue': () => p.queue(),
  };
}
