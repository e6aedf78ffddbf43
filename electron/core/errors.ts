import type { ApiError, ErrorCode, ErrorDetail, ErrorReason } from '../../shared/errors';
import { QueryError } from '../../shared/search/parse';

/**
 * The one exception the core throws for what a person can act on: a code (and a finer reason)
 * that the adapters carry through the contract, and a one-line message for a terminal. Anything
 * else that escapes is a fault of ours and becomes 'internal'.
 */
export class CoreError extends Error {
  override name = 'CoreError';
  readonly reason: ErrorReason | undefined;
  readonly detail: ErrorDetail | undefined;

  constructor(
    readonly code: Exclude<ErrorCode, 'internal' | 'unknown-operation' | 'unauthorized'>,
    message: string,
    opts: { reason?: ErrorReason; detail?: ErrorDetail } = {},
  ) {
    super(message);
    this.reason = opts.reason;
    this.detail = opts.detail;
  }
}

type Opts = { reason?: ErrorReason; detail?: ErrorDetail };

export const notFound = (message: string, opts?: Opts) => new CoreError('not-found', message, opts);
export const invalidInput = (message: string, opts?: Opts) => new CoreError('invalid-input', message, opts);
export const conflict = (message: string, opts?: Opts) => new CoreError('conflict', message, opts);
export const unavailable = (message: string, opts?: Opts) => new CoreError('unavailable', message, opts);
export const refused = (reason: ErrorReason, message: string, detail?: ErrorDetail) =>
  new CoreError('refused', message, { reason, ...(detail ? { detail } : {}) });

/** A failure a person can act on (the CLI prints its message alone; anything else is "unexpected"). */
export function isCoreError(err: unknown): err is CoreError | QueryError {
  return err instanceof CoreError || err instanceof QueryError;
}

/** Any failure as the contract's error value. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof CoreError)
    return {
      code: err.code,
      message: err.message,
      ...(err.reason ? { reason: err.reason } : {}),
      ...(err.detail ? { detail: err.detail } : {}),
    };
  // The search grammar lives where the renderer can use it too, so its error is its own class.
  if (err instanceof QueryError) return { code: 'invalid-input', reason: 'query', message: err.message };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
