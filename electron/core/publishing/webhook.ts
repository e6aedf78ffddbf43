import crypto from 'node:crypto';
import { DEFAULT_INLINE_LIMIT, type EndpointOptions } from '../../../shared/publishing';
import type { DeliveryContext, RemoteAdapter, RemoteCopy } from './adapter';
import { EndpointError, fetchText, statusFailure } from './endpoint-error';
import { fieldsHash } from './fields';
import { originPart } from './keys';
import type { Rendition } from './render';

export type WebhookEvent = 'published' | 'updated' | 'replaced' | 'retracted' | 'ping';

/** The JSON a receiver gets (see README, "Webhook endpoints"). */
export interface WebhookBody {
  event: WebhookEvent;
  /** The same for a delivery sent again (a retry after a timeout): a receiver keeps the first. */
  deliveryId: string;
  /** Unix seconds, as the X-Tessera-Timestamp header says: a receiver refuses old ones (replays). */
  sentAt: number;
  /** The asset's copy on the receiver: one per asset and catalogue, kept across versions. */
  key: string;
  asset: { id: number; catalogue: string; version: string | null };
  fields: Record<string, string>;
  /** The rendition, inline (published, replaced); null for updated, retracted, ping. */
  file: { name: string; mime: string; size: number; sha256: string; base64: string } | null;
  reason?: string;
}

/** The signature header's value: HMAC-SHA256 of the exact body bytes with the endpoint's secret. */
export function signature(secret: string, body: string | Buffer): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * A generic webhook: each change is POSTed as signed JSON (`X-Tessera-Signature: sha256=<HMAC of the
 * body>`, `X-Tessera-Timestamp`, `X-Tessera-Event`, `X-Tessera-Delivery`), the rendition inline as
 * base64 up to the endpoint's limit. The receiver's 2xx is delivered; a 5xx or no answer is retried
 * with the same delivery id, so a receiver that keeps the first of each id never holds two. It may
 * answer `{"url": "…"}`: where it serves the file. A receiver cannot be asked what it holds, so a
 * webhook's copy is never found again: a retry sends it again (same key, same delivery id).
 */
export class WebhookAdapter implements RemoteAdapter {
  readonly inPlace = true;
  private readonly limit: number;

  constructor(
    private readonly url: string,
    options: EndpointOptions,
    private readonly secret: string,
  ) {
    this.limit = options.inlineLimit ?? DEFAULT_INLINE_LIMIT;
  }

  private async send(body: WebhookBody): Promise<{ url: string | null }> {
    const json = JSON.stringify(body);
    const { res, text } = await fetchText(
      this.url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Tessera-DAM',
          'x-tessera-event': body.event,
          'x-tessera-delivery': body.deliveryId,
          'x-tessera-timestamp': String(body.sentAt),
          'x-tessera-signature': signature(this.secret, json),
        },
        body: json,
        redirect: 'error',
      },
      `POST ${body.event}`,
      this.url,
    );
    if (!res.ok) {
      if (res.status === 401 || res.status === 403)
        throw new EndpointError(
          'auth',
          `${this.url} refused the signature (HTTP ${res.status}): is its secret the one stored for this endpoint?`,
        );
      throw statusFailure(res.status, `POST ${body.event}`, this.url, text.trim().slice(0, 120));
    }
    let url: string | null = null;
    try {
      const v = JSON.parse(text) as { url?: unknown };
      if (typeof v?.url === 'string' && /^https?:\/\//.test(v.url)) url = v.url;
    } catch {
      // Any 2xx is delivered; a body is optional.
    }
    return { url };
  }

  private body(
    event: WebhookEvent,
    key: string,
    ctx: DeliveryContext,
    fields: Record<string, string>,
    file: WebhookBody['file'],
    reason?: string,
  ): WebhookBody {
    const id = crypto
      .createHash('sha256')
      .update(JSON.stringify([key, event, ctx.version, fieldsHash(fields), reason ?? '']))
      .digest('hex')
      .slice(0, 32);
    return {
      event,
      deliveryId: id,
      sentAt: Math.floor(Date.now() / 1000),
      key,
      asset: { id: ctx.assetId, catalogue: ctx.origin, version: ctx.version || null },
      fields,
      file,
      ...(reason ? { reason } : {}),
    };
  }

  async test(): Promise<string> {
    const ctx = { origin: '', assetId: 0, version: '', name: '' };
    await this.send(this.body('ping', 'ping', ctx, {}, null));
    return `${this.url} accepted a signed ping`;
  }

  key(ctx: DeliveryContext): string {
    return `dam-${originPart(ctx.origin)}-${ctx.assetId}`;
  }

  /** A receiver cannot be asked: the copy is taken to be where the last delivery put it. */
  async get(id: string): Promise<RemoteCopy | null> {
    return { id, url: null, version: null, fields: {} };
  }

  async find(): Promise<RemoteCopy | null> {
    return null;
  }

  async put(
    key: string,
    r: Rendition,
    fields: Record<string, string>,
    ctx: DeliveryContext,
    replacing: RemoteCopy | null,
  ): Promise<RemoteCopy> {
    if (r.bytes.length > this.limit)
      throw new EndpointError(
        'rejected',
        `the rendition is ${(r.bytes.length / 1048576).toFixed(1)} MB, over this webhook's inline limit of ` +
          `${(this.limit / 1048576).toFixed(1)} MB (choose a smaller --preset or raise --inline-limit)`,
      );
    const file = {
      name: `${key}.${r.ext}`,
      mime: r.mime,
      size: r.bytes.length,
      sha256: crypto.createHash('sha256').update(r.bytes).digest('hex'),
      base64: r.bytes.toString('base64'),
    };
    const sent = await this.send(this.body(replacing ? 'replaced' : 'published', key, ctx, fields, file));
    return { id: key, url: sent.url, version: ctx.version, fields };
  }

  async setFields(
    copy: RemoteCopy,
    fields: Record<string, string>,
    ctx: DeliveryContext,
  ): Promise<RemoteCopy> {
    const sent = await this.send(this.body('updated', copy.id, ctx, fields, null));
    return { ...copy, url: sent.url ?? copy.url, version: ctx.version, fields };
  }

  async remove(copy: RemoteCopy, ctx: DeliveryContext, reason: string): Promise<void> {
    await this.send(this.body('retracted', copy.id, ctx, {}, null, reason));
  }
}
