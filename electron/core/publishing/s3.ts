import type { S3Client } from '@aws-sdk/client-s3';
import type { EndpointOptions } from '../../../shared/publishing';
import type { DeliveryContext, RemoteAdapter, RemoteCopy } from './adapter';
import { ENDPOINT_TIMEOUT_MS, EndpointError } from './endpoint-error';
import { fileKey } from './keys';
import type { Rendition } from './render';

type Sdk = typeof import('@aws-sdk/client-s3');
let loading: Promise<Sdk> | null = null;
/** The SDK, loaded on first use: every `dam` command would otherwise pay for loading it at start. */
function sdk(): Promise<Sdk> {
  return (loading ??= import('@aws-sdk/client-s3'));
}

/** S3 keeps at most 2 KB of user metadata per object (keys and values). */
const METADATA_LIMIT = 2000;

/** Where a bucket is: the service's origin, the bucket and the key prefix, from `http(s)://host/bucket/prefix`. */
export interface S3Place {
  endpoint: string;
  bucket: string;
  prefix: string;
  region: string;
}

export function s3Place(url: string, options: EndpointOptions): S3Place {
  const u = new URL(url);
  const [bucket = '', ...rest] = u.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const fromHost = /(?:^|\.)s3[.-]([a-z0-9-]+)\.amazonaws\.com$/.exec(u.hostname)?.[1];
  return {
    endpoint: u.origin,
    bucket,
    prefix: rest.length ? `${rest.join('/')}/` : '',
    region: options.region ?? (fromHost && fromHost !== 'external-1' ? fromHost : 'us-east-1'),
  };
}

/** A metadata key as S3 keeps it: lower case, a header token. */
function metaKey(field: string): string {
  return field.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

/** Header values are ASCII: anything else goes as RFC 2047 (what S3 itself answers with). */
function encodeValue(v: string): string {
  return /^[\x20-\x7e]*$/.test(v) ? v : `=?UTF-8?B?${Buffer.from(v, 'utf8').toString('base64')}?=`;
}

function decodeValue(v: string): string {
  const m = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=$/i.exec(v);
  return m ? Buffer.from(m[1]!, 'base64').toString('utf8') : v;
}

/**
 * The object's metadata: the mapped fields (empty ones left out) and what ties it to the catalogue.
 * Over S3's 2 KB the longest field is shortened until it fits (the read-back then says so).
 */
export function objectMetadata(fields: Record<string, string>, ctx: DeliveryContext): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [f, v] of Object.entries(fields)) if (v !== '') values[metaKey(f)] = v;
  const fixed = { 'asset-id': String(ctx.assetId), 'version-hash': ctx.version, origin: ctx.origin };
  const size = () =>
    Object.entries({ ...values, ...fixed }).reduce((n, [k, v]) => n + k.length + encodeValue(v).length, 0);
  while (size() > METADATA_LIMIT) {
    const [longest] = Object.entries(values).sort((a, b) => b[1].length - a[1].length);
    if (!longest || longest[1].length < 8) break;
    values[longest[0]] = `${[...longest[1]].slice(0, Math.floor(longest[1].length / 2)).join('')}…`;
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...values, ...fixed })) out[k] = encodeValue(v);
  return out;
}

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * An S3-compatible bucket (AWS, MinIO, Ceph, Backblaze B2): path-style requests to the URL's host,
 * the object at a key kept across versions (a new version is put over it: same key, same URL), the
 * mapped fields as its metadata (x-amz-meta-alt, -credit, -caption, … and -asset-id, -version-hash),
 * found again by its key (HeadObject) so a crash after an upload never makes a second copy.
 * Credentials: the access key id is the endpoint's user, the secret its password.
 */
export class S3Adapter implements RemoteAdapter {
  readonly inPlace = true;
  private s3: S3Client | null = null;
  private readonly place: S3Place;
  private readonly credentials: { accessKeyId: string; secretAccessKey: string };

  constructor(
    url: string,
    private readonly options: EndpointOptions,
    accessKeyId: string,
    secretAccessKey: string,
  ) {
    this.place = s3Place(url, options);
    this.credentials = { accessKeyId, secretAccessKey };
  }

  private async client(): Promise<S3Client> {
    const { S3Client } = await sdk();
    return (this.s3 ??= new S3Client({
      endpoint: this.place.endpoint,
      region: this.place.region,
      forcePathStyle: true,
      credentials: this.credentials,
      // The outbox retries with its own backoff; the SDK's retries would hide a server that is down.
      maxAttempts: 1,
      requestHandler: { connectionTimeout: 10_000, requestTimeout: ENDPOINT_TIMEOUT_MS },
      // Checksums only where S3 requires them: S3-compatible servers do not all know the new ones.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }));
  }

  private where(): string {
    return `${this.place.endpoint}/${this.place.bucket}`;
  }

  /** Each command's time limit: the SDK's own socket timeouts miss an answer that is held back. */
  private limit(): { abortSignal: AbortSignal } {
    return { abortSignal: AbortSignal.timeout(ENDPOINT_TIMEOUT_MS) };
  }

  /** An SDK error in the outbox's terms; 404 is null for the caller. */
  private async call<T>(what: string, fn: () => Promise<T>): Promise<T | null> {
    try {
      return await fn();
    } catch (err) {
      const e = err as SdkError;
      const status = e.$metadata?.httpStatusCode;
      const detail = e.name && e.name !== 'Error' && e.name !== 'UnknownError' ? `${e.name}` : '';
      if (status === 404 || e.name === 'NotFound' || e.name === 'NoSuchKey') {
        if (e.name === 'NoSuchBucket')
          throw new EndpointError(
            'rejected',
            `${what}: there is no bucket ${this.place.bucket} at ${this.place.endpoint}`,
          );
        return null;
      }
      if (status === 401 || status === 403)
        throw new EndpointError(
          'auth',
          `${this.where()} refused the access key or secret: ${detail || e.message || 'Forbidden'} (HTTP ${status})`,
        );
      if (status && (status >= 500 || status === 429 || status === 408))
        throw new EndpointError('transient', `${what}: ${detail || e.message} (HTTP ${status})`);
      if (status) throw new EndpointError('rejected', `${what}: ${detail || e.message} (HTTP ${status})`);
      const why = e.code ?? e.name ?? e.message ?? String(err);
      if (/timeout|abort|ECONNRESET|EPIPE|socket hang up/i.test(`${why} ${e.message ?? ''}`))
        throw new EndpointError(
          'transient',
          `${what}: no answer within ${ENDPOINT_TIMEOUT_MS / 1000} s (${why})`,
        );
      throw new EndpointError('unreachable', `cannot reach ${this.place.endpoint}: ${why}`);
    }
  }

  async test(): Promise<string> {
    if (!this.place.bucket)
      throw new EndpointError(
        'rejected',
        `the URL names no bucket (use ${this.place.endpoint}/BUCKET[/PREFIX])`,
      );
    const r = await this.call(`HEAD bucket ${this.place.bucket}`, async () =>
      (await this.client()).send(
        new (await sdk()).HeadBucketCommand({ Bucket: this.place.bucket }),
        this.limit(),
      ),
    );
    if (r === null)
      throw new EndpointError(
        'rejected',
        `there is no bucket ${this.place.bucket} at ${this.place.endpoint}`,
      );
    return `bucket ${this.place.bucket} at ${this.place.endpoint} answers to this access key (region ${this.place.region})`;
  }

  key(ctx: DeliveryContext, ext: string): string {
    return this.place.prefix + fileKey(this.options.keyTemplate, ctx, ext);
  }

  url(key: string): string {
    return `${this.where()}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }

  async get(key: string): Promise<RemoteCopy | null> {
    const head = await this.call(`HEAD ${key}`, async () =>
      (await this.client()).send(
        new (await sdk()).HeadObjectCommand({ Bucket: this.place.bucket, Key: key }),
        this.limit(),
      ),
    );
    if (!head) return null;
    const meta: Record<string, string> = {};
    for (const [k, v] of Object.entries(head.Metadata ?? {})) meta[k.toLowerCase()] = decodeValue(v);
    return {
      id: key,
      url: this.url(key),
      version: meta['version-hash'] ?? null,
      fields: meta,
    };
  }

  find(key: string): Promise<RemoteCopy | null> {
    return this.get(key);
  }

  /** The copy as read back, its fields keyed by the names sent (S3 lower-cases metadata keys). */
  private async readBack(key: string, fields: Record<string, string>): Promise<RemoteCopy> {
    const copy = await this.get(key);
    if (!copy)
      throw new EndpointError('transient', `${key} was written but cannot be read back from ${this.where()}`);
    const named: Record<string, unknown> = {};
    for (const f of Object.keys(fields)) named[f] = copy.fields[metaKey(f)] ?? '';
    return { ...copy, fields: named };
  }

  async put(
    key: string,
    r: Rendition,
    fields: Record<string, string>,
    ctx: DeliveryContext,
  ): Promise<RemoteCopy> {
    await this.call(`PUT ${key}`, async () =>
      (await this.client()).send(
        new (await sdk()).PutObjectCommand({
          Bucket: this.place.bucket,
          Key: key,
          Body: r.bytes,
          ContentType: r.mime,
          Metadata: objectMetadata(fields, ctx),
        }),
        this.limit(),
      ),
    );
    return this.readBack(key, fields);
  }

  /** Metadata cannot be edited: the object is copied onto itself with the new metadata. */
  async setFields(
    copy: RemoteCopy,
    fields: Record<string, string>,
    ctx: DeliveryContext,
  ): Promise<RemoteCopy | null> {
    const head = await this.call(`HEAD ${copy.id}`, async () =>
      (await this.client()).send(
        new (await sdk()).HeadObjectCommand({ Bucket: this.place.bucket, Key: copy.id }),
        this.limit(),
      ),
    );
    if (!head) return null;
    const done = await this.call(`COPY ${copy.id}`, async () =>
      (await this.client()).send(
        new (await sdk()).CopyObjectCommand({
          Bucket: this.place.bucket,
          Key: copy.id,
          CopySource: `${this.place.bucket}/${copy.id.split('/').map(encodeURIComponent).join('/')}`,
          MetadataDirective: 'REPLACE',
          ContentType: head.ContentType,
          Metadata: objectMetadata(fields, { ...ctx, version: copy.version ?? ctx.version }),
        }),
        this.limit(),
      ),
    );
    if (done === null) return null;
    return this.readBack(copy.id, fields);
  }

  async remove(copy: RemoteCopy): Promise<void> {
    await this.call(`DELETE ${copy.id}`, async () =>
      (await this.client()).send(
        new (await sdk()).DeleteObjectCommand({ Bucket: this.place.bucket, Key: copy.id }),
        this.limit(),
      ),
    );
  }
}
