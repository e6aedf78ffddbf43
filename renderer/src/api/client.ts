import type {
  ApiError,
  ApiErrorCode,
  DamApi,
  ErrorReason,
  OpInput,
  OpName,
  OpResult,
} from '../../../shared/contract';
import { createHttpClient } from './http-client';

let bridge: DamApi | null = null;

/**
 * Picked on first use rather than at import: the Electron preload has set `window.dam` before any
 * page script runs; a browser talking to `dam serve` has none and gets the HTTP client. The rest
 * of the UI only ever sees the DamApi below.
 */
function current(): DamApi {
  bridge ??= (typeof window !== 'undefined' ? window.dam : undefined) ?? createHttpClient();
  return bridge;
}

export const api: DamApi = {
  call: (name, input) => current().call(name, input),
  on: (name, listener) => current().on(name, listener),
  mediaUrl: (kind, assetId, version) => current().mediaUrl(kind, assetId, version),
  startDrag: (assetIds) => current().startDrag?.(assetIds),
  onMenu: (listener) => current().onMenu?.(listener) ?? (() => undefined),
};

/** What the host can do beyond the contract's core (the desktop shell has OS dialogs and drag-out). */
export function capabilities(): { pickFolder: boolean; dragOut: boolean } {
  const desktop = typeof window !== 'undefined' && window.dam !== undefined;
  return { pickFolder: desktop, dragOut: Boolean(current().startDrag) && desktop };
}

/** A failed call, carrying the core's typed error: the UI decides by code and reason. */
export class ApiCallError extends Error {
  readonly code: ApiErrorCode;
  readonly reason: ErrorReason | undefined;
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.reason = error.reason;
  }
}

/** Call and unwrap: a refusal becomes an exception carrying the core's readable message. */
export async function call<K extends OpName>(name: K, input: OpInput<K>): Promise<OpResult<K>> {
  const r = await api.call(name, input);
  if (!r.ok) throw new ApiCallError(r.error);
  return r.value;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
