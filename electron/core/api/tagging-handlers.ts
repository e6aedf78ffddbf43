import type { Handlers } from '../../../shared/contract';
import { labelFacet } from '../catalog/auto-tags.repository';
import { notFound } from '../errors';
import type { Library } from '../library';
import { actorOf } from './access';

type TaggingOps =
  | 'tags.list'
  | 'tags.accept'
  | 'tags.reject'
  | 'tags.restore'
  | 'tags.facet'
  | 'tagging.status'
  | 'tagging.pause'
  | 'tagging.resume'
  | 'tagging.settings';

/** The contract's auto-tag and tagging operations over one Library. */
export function taggingHandlers(lib: Library): Pick<Handlers, TaggingOps> {
  return {
    'tags.list': (i) => {
      if (!lib.asset(i.id)) throw notFound(`no asset ${i.id} in the catalogue`);
      return lib.tagging.tagsOf(i.id);
    },
    'tags.accept': (i, ctx) => lib.tagging.accept(i.ids, i.labels, actorOf(lib, ctx)),
    'tags.reject': (i) => lib.tagging.reject(i.ids, i.labels),
    'tags.restore': (i) => lib.tagging.restore(i.decisions),
    'tags.facet': (i) => labelFacet(lib.db, 'object', i.limit ?? 100),
    'tagging.status': () => lib.tagging.status(),
    'tagging.pause': () => lib.tagging.pause(),
    'tagging.resume': () => lib.tagging.resume(),
    'tagging.settings': (i) =>
      lib.tagging.configure({
        ...(i.enabled !== undefined ? { enabled: i.enabled } : {}),
        ...(i.threshold !== undefined ? { threshold: i.threshold } : {}),
        ...(i.ocr !== undefined ? { ocr: i.ocr } : {}),
      }),
  };
}
