import type { FieldPatch, FieldsResult, TransitionResult } from '../../../shared/contract';
import type { Handlers, RequestContext } from '../../../shared/contract';
import { actorOf } from './access';
import { CoreError, notFound, toApiError } from '../errors';
import type { Library } from '../library';
import { effectiveState } from '../governance/approvals';
import { readSettings, writeSettings } from '../governance/settings';
import { setFields, timeline, transition } from '../governance/set-fields';
import { applyTemplate, deleteTemplate, listTemplates, saveTemplate } from '../governance/templates';

type GovernanceOps =
  | 'assets.setFields'
  | 'assets.setFieldsEach'
  | 'assets.transition'
  | 'assets.history'
  | 'rights.templates.list'
  | 'rights.templates.save'
  | 'rights.templates.delete'
  | 'rights.templates.apply'
  | 'governance.settings';

/** The contract's governance operations over one Library. */
export function governanceHandlers(lib: Library): Pick<Handlers, GovernanceOps> {
  const setEach = async (
    edits: { id: number; patch: FieldPatch }[],
    ctx: RequestContext | undefined,
  ): Promise<FieldsResult> => {
    const who = actorOf(lib, ctx);
    const res = await Promise.all(
      edits.map(async (e) => ({ id: e.id, ...(await setFields(lib, e.id, e.patch, who)) })),
    );
    const changed = res.filter((r) => r.changed.length > 0);
    return { updated: changed.length, previous: changed.map((r) => ({ id: r.id, patch: r.previous })) };
  };
  return {
    'assets.setFields': (i, ctx) =>
      setEach(
        i.ids.map((id) => ({ id, patch: i.patch })),
        ctx,
      ),
    'assets.setFieldsEach': (i, ctx) => setEach(i.edits, ctx),
    'assets.transition': async (i, ctx) => {
      const out: TransitionResult[] = [];
      const who = actorOf(lib, ctx);
      for (const id of i.ids) {
        try {
          const r = await transition(lib, id, i.action, i.comment ?? null, who);
          out.push({ id, ok: true, state: r.to });
        } catch (err) {
          // Each asset answers for itself: a refusal (or a vanished asset) does not stop the rest.
          if (!(err instanceof CoreError)) throw err;
          out.push({ id, ok: false, state: effectiveState(lib.db, id), error: toApiError(err) });
        }
      }
      return out;
    },
    'assets.history': (i) => {
      if (!lib.asset(i.id)) throw notFound(`no asset ${i.id} in the catalogue`);
      return timeline(lib, i.id);
    },
    'rights.templates.list': () => listTemplates(lib.db),
    'rights.templates.save': (i) => saveTemplate(lib.db, i.name, i.fields),
    'rights.templates.delete': (i) => ({ removed: deleteTemplate(lib.db, i.name) }),
    'rights.templates.apply': async (i, ctx) => ({
      updated: await applyTemplate(lib, i.name, i.ids, actorOf(lib, ctx)),
    }),
    'governance.settings': (i) => (Object.keys(i).length ? writeSettings(lib.db, i) : readSettings(lib.db)),
  };
}
