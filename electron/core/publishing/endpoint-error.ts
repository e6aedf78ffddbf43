/** Why a call to an endpoint failed, in the terms the outbox acts on. */
export type EndpointFailure =
  /** Cannot be reached at all (down, refused, DNS): wait and try again later, not a failure. */
  | 'unreachable'
  /** It answered late or with a 5xx: try again with backoff. */
  | 'transient'
  /** Wrong user or password, or the user may not upload: a person must act. */
  | 'auth'
  /** It refused the request (4xx): a person must act. */
  | 'rejected';

export class EndpointError extends Error {
  constructor(
    readonly failure: EndpointFailure,
    message: string,
  ) {
    super(message);
  }
}

/** A fetch that threw, worded: its cause's code (ECONNREFUSED) when it has one. */
export function describeFetchError(err: unknown): string {
  const e = err as { cause?: { code?: string; message?: string }; message?: string };
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}

/** A thrown fetch as the outbox sees it: no answer in time is transient, no connection is unreachable. */
export function fetchFailure(err: unknown, what: string, site: string, timeoutMs: number): EndpointError {
  const why = describeFetchError(err);
  if (/timeout|abort/i.test(why) || (err as Error).name === 'TimeoutError')
    return new EndpointError('transient', `${what}: no answer within ${timeoutMs / 1000} s`);
  return new EndpointError('unreachable', `cannot reach ${site}: ${why}`);
}

/** An HTTP status that is not a success, as the outbox sees it (404 is the caller's to read). */
export function statusFailure(status: number, what: string, site: string, detail = ''): EndpointError {
  const why = detail ? `${detail} (HTTP ${status})` : `HTTP ${status}`;
  if (status === 401 || status === 403)
    return new EndpointError('auth', `${site} refused the user or password: ${why}`);
  if (status >= 500 || status === 429 || status === 408)
    return new EndpointError('transient', `${what}: ${why}`);
  return new EndpointError('rejected', `${what}: ${why}`);
}

/** How long one call to an endpoint may take before it counts as a timeout (transient). */
export const ENDPOINT_TIMEOUT_MS = Number(process.env.DAM_PUBLISH_TIMEOUT_MS) || 60_000;

/**
 * One call to an endpoint, its answer read whole, under the endpoint time limit: a thrown fetch (or
 * a body cut off) becomes the outbox's error; any status comes back for the caller to read.
 */
export async function fetchText(
  url: string,
  init: Omit<RequestInit, 'signal'>,
  what: string,
  site: string,
): Promise<{ res: Response; text: string }> {
  try {
    const res = await fetch(url, {
      redirect: 'follow',
      ...init,
      signal: AbortSignal.timeout(ENDPOINT_TIMEOUT_MS),
    });
    return { res, text: await res.text() };
  } catch (err) {
    throw fetchFailure(err, what, site, ENDPOINT_TIMEOUT_MS);
  }
}
