// Publishing: endpoints (a CMS or other place approved assets are delivered to) and publications
// (where each asset is used), as every side agrees on them. No Node, no Electron.

import { CHANNELS, type Channel } from './governance';

/**
 * Kinds of endpoint this version delivers to: a WordPress site (REST API, Application Password), an
 * S3-compatible bucket (AWS, MinIO, Ceph, Backblaze), a WebDAV folder (Nextcloud, a NAS), a webhook
 * (signed JSON to any receiver), a Directus files library (a static token).
 */
export const ENDPOINT_TYPES = ['wordpress', 's3', 'webdav', 'webhook', 'directus'] as const;
export type EndpointType = (typeof ENDPOINT_TYPES)[number];

/** Automatic: every approved asset the endpoint selects goes out; manual: only on `dam publish`. */
export const DELIVERIES = ['automatic', 'manual'] as const;
export type Delivery = (typeof DELIVERIES)[number];

/**
 * Where a publication stands. `pending`: owed, not delivered yet (asked for, or waiting for the
 * endpoint); `published`: the remote copy is the current version; `replaced`: an older version's
 * copy, superseded by a newer publication; `retracted`: pulled (rights ended, retired, rejected);
 * `failed`: the last delivery failed (`error` says why; a copy already there stays as it was).
 */
export const PUBLICATION_STATES = ['pending', 'published', 'replaced', 'retracted', 'failed'] as const;
export type PublicationState = (typeof PUBLICATION_STATES)[number];

/** The asset's fields an endpoint can require before it takes an asset. */
export const REQUIRABLE_FIELDS = ['altText', 'credit', 'title', 'description', 'creator'] as const;
export type RequirableField = (typeof REQUIRABLE_FIELDS)[number];
export const DEFAULT_REQUIRED: readonly RequirableField[] = ['altText', 'credit'];

/**
 * The CMS's fields, each a template over the asset's fields: `{field}` is replaced by its value, and a
 * part in `[...]` is left out when a field it names is empty.
 */
export const DEFAULT_FIELD_MAP: Readonly<Record<string, string>> = {
  title: '{title}',
  alt_text: '{altText}',
  caption: '[{description} — ][Credit: {credit}]',
  description: '{extendedDescription}',
};

/**
 * What the stores without a CMS's own fields get: S3 object metadata (x-amz-meta-alt, …), a WebDAV
 * upload's JSON sidecar, a webhook's `fields`.
 */
export const FILE_FIELD_MAP: Readonly<Record<string, string>> = {
  title: '{title}',
  alt: '{altText}',
  caption: '{description}',
  credit: '{credit}',
  creator: '{creator}',
  copyright: '{copyrightNotice}',
  license: '{licenseType}',
  licenseEnd: '{licenseEnd}',
};

/**
 * Directus: directus_files' own title and description, and custom fields (made on first use when the
 * token may) for what it has no field of its own for.
 */
export const DIRECTUS_FIELD_MAP: Readonly<Record<string, string>> = {
  title: '{title}',
  description: '[{description}][ — Credit: {credit}]',
  alt_text: '{altText}',
  credit: '{credit}',
  creator: '{creator}',
  license: '{licenseType}',
  license_end: '{licenseEnd}',
};

/** The field mapping an endpoint of this type starts with. */
export function defaultFieldMap(type: EndpointType): Record<string, string> {
  if (type === 'wordpress') return { ...DEFAULT_FIELD_MAP };
  if (type === 'directus') return { ...DIRECTUS_FIELD_MAP };
  return { ...FILE_FIELD_MAP };
}

/** The webhook's largest rendition sent inline (base64 in the JSON), unless the endpoint says otherwise. */
export const DEFAULT_INLINE_LIMIT = 8 * 1024 * 1024;

/** Settings only some endpoint types have. */
export interface EndpointOptions {
  /** S3: the region requests are signed for (default: the one an amazonaws.com host names, else us-east-1). */
  region?: string;
  /**
   * S3 and WebDAV: the object key or file name under the URL's path, from `{assetId}`, `{slug}` (the
   * file's name, readable), `{ext}`, `{origin}` (this catalogue). Must hold `{assetId}`. Kept across
   * versions, so a new version replaces the copy in place.
   */
  keyTemplate?: string;
  /** Webhook: the largest rendition sent inline as base64, in bytes. */
  inlineLimit?: number;
  /** Directus: the top-level folder of the file library uploads go into (made when missing). */
  folder?: string;
}

export const DEFAULT_KEY_TEMPLATE = '{assetId}-{slug}.{ext}';

/** An endpoint as shown (its password is never part of it: it is kept apart, see README). */
export interface Endpoint {
  id: number;
  name: string;
  type: EndpointType;
  url: string;
  user: string | null;
  channel: Channel;
  /** Which assets it takes, in the search syntax ('' for every approved asset its channel allows). */
  select: string;
  /** The rendition preset (null: the default web rendition). */
  preset: string | null;
  fieldMap: Record<string, string>;
  required: RequirableField[];
  delivery: Delivery;
  options: EndpointOptions;
  /** A password is stored for it (in the credentials file or the OS keychain). */
  hasPassword: boolean;
}

/** One delivery of an asset to an endpoint ("where used"). */
export interface Publication {
  endpoint: string;
  remoteId: string | null;
  url: string | null;
  /** The content hash of the version delivered. */
  versionHash: string | null;
  state: PublicationState;
  /** When it reached this state, and who (the person whose decision caused it). */
  at: number;
  by: string;
  error: string | null;
  /** Fields the CMS dropped or changed on read-back. */
  warnings: string[];
  /** Posts and pages that showed it when it was pulled (a retraction lists them to fix by hand). */
  usedIn: string[];
}

/** What `dam sync` and a publish did, per asset and endpoint. */
export const DELIVERY_OUTCOMES = ['published', 'replaced', 'retracted', 'refused', 'failed'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];
export type SyncReport = Record<DeliveryOutcome, number>;

export interface DeliveryResult {
  assetId: number;
  endpoint: string;
  /** 'unchanged': the remote copy was already current; 'waiting': the endpoint is unreachable, retried later. */
  outcome: DeliveryOutcome | 'unchanged' | 'updated' | 'waiting' | 'would-publish';
  reason: string | null;
  url: string | null;
  warnings: string[];
}

export function isChannel(v: string): v is Channel {
  return (CHANNELS as readonly string[]).includes(v);
}

/** What the outbox owes one endpoint. */
export interface EndpointQueue {
  endpoint: string;
  /** Deliveries asked for and not made yet (waiting for the endpoint, or for their turn). */
  pending: number;
  /** Live publications whose last delivery failed (with `lastError`, the newest reason). */
  failed: number;
  /** false: the last attempt could not reach it (deliveries wait until it answers). */
  online: boolean;
  lastError: string | null;
}

/** The outbox at a glance: the status bar's queue indicator. */
export interface PublishQueue {
  endpoints: EndpointQueue[];
  /** Publishing runs owed in the job table (assets whose copies are to be brought in line). */
  jobs: number;
}
