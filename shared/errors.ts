// What can go wrong, as values every side agrees on: the core raises them, the adapters carry
// them (HTTP maps them to statuses), the UI words them by code and reason, the CLI picks its
// exit code. The message is the core's one-line English for a terminal; nothing parses it.

import type { ApprovalState, Channel } from './governance';

export const ERROR_CODES = [
  /** The input breaks the contract or a rule about its shape (a bad query, an unknown key). */
  'invalid-input',
  /** What the input names does not exist: an asset, a stack, a template, a folder, a kept content. */
  'not-found',
  /** Understood, and not done: a rule says no (see `reason`). */
  'refused',
  /** It collides with what is there already (a root inside another, a file that changed meanwhile). */
  'conflict',
  /** Cannot be done here or now: an offline root, a damaged catalogue, a desktop-only operation. */
  'unavailable',
  'unauthorized',
  'unknown-operation',
  /** A fault of ours, not of the input. */
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Why, more precisely than the code; for refusals above all, so a UI can say it in its own words. */
export const ERROR_REASONS = [
  /** An approval action not allowed from the asset's state (detail.state). */
  'wrong-state',
  /** Approval needs rights the asset lacks (detail.missing). */
  'rights-required',
  /**
   * People are in the picture, no model release is recorded, and a channel it may go to needs one
   * (detail.channels: those channels; `modelReleaseChannels` in the governance settings).
   */
  'model-release-required',
  /** Only the Electron shell can do this (OS dialogs, Finder/Explorer). */
  'desktop-only',
  /** The asset stands alone, and the operation is about its stack. */
  'not-stacked',
  /** A kept content whose bytes are gone (removed for space, never copied) or damaged. */
  'content-gone',
  /** The content history is at its limit. */
  'history-full',
  /** The file (or its folder) cannot be written. */
  'not-writable',
  /** The root is offline. */
  'offline',
  /** The folder browser lists only the home folder and mounted drives (a path can still be typed). */
  'not-browsable',
  /** The search query does not parse. */
  'query',
  /** A share or upload link that expired or was revoked. */
  'link-gone',
  /** A share link that allows no download, or not of the original. */
  'download-off',
  /** An upload over its link's size limit. */
  'too-large',
  /** An upload whose type is not accepted, or whose bytes are not what its name says. */
  'wrong-type',
  /** The catalogue: absent, damaged, or written by a newer Tessera. */
  'no-catalog',
  'catalog-damaged',
  'catalog-too-new',
  /** The logged-in user's role may not do this (`dam serve` with accounts). */
  'role',
  /** Asks about the whole catalogue, and the user is limited to collections. */
  'scope',
  /** The only admin cannot be removed, demoted or disabled while others have accounts. */
  'last-admin',
  /** `dam serve` on a network address needs at least one account. */
  'no-accounts',
] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];

/** A rights rule approval enforces, named as the warning that reports it. */
export type MissingRight = 'no-credit' | 'no-license' | 'expired';

/** Facts a reason refers to, so its wording needs no parsing. */
export interface ErrorDetail {
  /** wrong-state: the state the asset is in. */
  state?: ApprovalState;
  /** rights-required: what is missing, in order. */
  missing?: MissingRight[];
  /** rights-required with 'expired': the day the licence ended. */
  licenseEnd?: string;
  /** model-release-required: the channels that need a release the asset lacks. */
  channels?: Channel[];
}

/** Errors cross the boundary as values, never as thrown strings. */
export interface ApiError {
  code: ErrorCode;
  message: string;
  reason?: ErrorReason;
  detail?: ErrorDetail;
}
