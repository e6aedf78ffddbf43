import type {
  ApiErrorCode,
  ApiResult,
  CoreEvents,
  DamApi,
  EventName,
  OpInput,
  OpName,
  OpResult,
} from '../../../shared/contract';

const EVENT_NAMES: EventName[] = [
  'scan-progress',
  'job-progress',
  'catalog-changed',
  'root-state',
  'warning',
  'publication',
  'upload-received',
];
const MAX_RETRY_MS = 15_000;

type Listener = (payload: never) => void;

function failure<T>(code: ApiErrorCode, message: string): ApiResult<T> {
  return { ok: false, error: { code, message } };
}

/**
 * With accounts, every POST carries the session's CSRF token: the server set it in a cookie only
 * pages of its own origin can read (SameSite=Strict), and checks the header against the session.
 */
function csrfHeader(): Record<string, string> {
  const m = /(?:^|;\s*)dam_csrf=([^;]+)/.exec(document.cookie);
  return m ? { 'X-CSRF-Token': m[1]! } : {};
}

function toLogin(): void {
  const next = location.pathname + location.search;
  location.assign(`/login?next=${encodeURIComponent(next)}`);
}

/** Ends this session (POST /logout) and goes to the login page. */
export async function logout(base = ''): Promise<void> {
  await fetch(`${base}/logout`, { method: 'POST', headers: csrfHeader(), credentials: 'same-origin' }).catch(
    () => undefined,
  );
  location.assign('/login');
}

/**
 * The contract over the HTTP bridge (`dam serve`): operations are same-origin POSTs, events one
 * server-sent stream. Authentication is the HttpOnly cookie the server set when the page was
 * opened with its token, so nothing here handles secrets.
 */
export function createHttpClient(base = ''): DamApi {
  const listeners = new Map<EventName, Set<Listener>>();
  let source: EventSource | null = null;
  let retryMs = 1000;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let lostEvents = false;

  const emit = <E extends EventName>(name: E, payload: CoreEvents[E]) => {
    for (const l of listeners.get(name) ?? []) (l as (p: CoreEvents[E]) => void)(payload);
  };

  const connect = () => {
    const es = new EventSource(`${base}/api/events`);
    source = es;
    es.onopen = () => {
      retryMs = 1000;
      // Whatever happened while the stream was down was not heard: a change notice with no ids
      // makes every listener re-read what it shows.
      if (lostEvents) emit('catalog-changed', { assetIds: [] });
      lostEvents = false;
    };
    for (const name of EVENT_NAMES) {
      es.addEventListener(name, (e) => {
        let payload: unknown;
        try {
          payload = JSON.parse((e as MessageEvent<string>).data);
        } catch {
          return;
        }
        emit(name, payload as CoreEvents[typeof name]);
      });
    }
    es.onerror = () => {
      lostEvents = true;
      // The browser retries a dropped stream by itself, but gives up for good on an HTTP error
      // (a restarted server answers 401 until the page is reopened): retry that with back-off.
      if (es.readyState !== EventSource.CLOSED) return;
      source = null;
      clearTimeout(retryTimer);
      retryTimer = setTimeout(connect, retryMs);
      retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
    };
  };

  async function call<K extends OpName>(name: K, input: OpInput<K>): Promise<ApiResult<OpResult<K>>> {
    let res: Response;
    try {
      res = await fetch(`${base}/api/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...csrfHeader() },
        body: JSON.stringify(input),
        credentials: 'same-origin',
      });
    } catch {
      return failure('internal', 'Tessera is not reachable: is `dam serve` still running?');
    }
    if (res.status === 401) {
      // With accounts: the session ended (logged out elsewhere, expired): back to the login page.
      if (res.headers.get('x-login')) toLogin();
      return failure('unauthorized', 'This session has expired: open the address `dam serve` printed again.');
    }
    const type = res.headers.get('content-type') ?? '';
    if (!type.includes('application/json'))
      return failure('internal', `${res.status} ${(await res.text()).slice(0, 300)}`);
    return (await res.json()) as ApiResult<OpResult<K>>;
  }

  return {
    call,
    on(name, listener) {
      if (!source && retryTimer === undefined) connect();
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener as Listener);
      return () => void set.delete(listener as Listener);
    },
    mediaUrl(kind, assetId, version) {
      const v = version ? `?v=${encodeURIComponent(version)}` : '';
      return `${base}/media/${kind}/${assetId}${v}`;
    },
  };
}
