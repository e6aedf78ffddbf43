import type { ApiResult, CoreEvents, DamApi, EventName, OpName, OpResult } from '../../../shared/contract';

/** The contract over the HTTP bridge (`dam serve`): same-origin POSTs and one event stream. */
export function createHttpClient(base = ''): DamApi {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let source: EventSource | null = null;

  const connect = () => {
    if (source) return;
    source = new EventSource(`${base}/api/events`);
    for (const name of [
      'scan-progress',
      'job-progress',
      'catalog-changed',
      'root-state',
      'warning',
    ] as EventName[]) {
      source.addEventListener(name, (e) => {
        const payload = JSON.parse((e as MessageEvent<string>).data) as unknown;
        listeners.get(name)?.forEach((l) => l(payload));
      });
    }
    source.onerror = () => {
      // EventSource reconnects by itself; nothing is lost that a refresh of the list would not fix.
    };
  };

  return {
    async call(name, input) {
      try {
        const res = await fetch(`${base}/api/${name}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(input),
        });
        if (!res.ok && res.headers.get('content-type')?.includes('json') !== true) {
          return { ok: false, error: { code: 'internal', message: `${res.status} ${await res.text()}` } };
        }
        return (await res.json()) as ApiResult<OpResult<typeof name>>;
      } catch (err) {
        return {
          ok: false,
          error: { code: 'internal', message: `the catalogue is not reachable: ${String(err)}` },
        };
      }
    },
    on<E extends EventName>(name: E, listener: (payload: CoreEvents[E]) => void) {
      connect();
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
    mediaUrl(kind, assetId, version) {
      return `${base}/media/${kind}/${assetId}${version ? `?v=${encodeURIComponent(version)}` : ''}`;
    },
  };
}

export type { OpName };
