import type { EndpointRow } from '../catalog/endpoints.repository';
import type { RemoteAdapter } from './adapter';
import { EndpointError } from './endpoint-error';
import { S3Adapter } from './s3';
import { WebDavAdapter } from './webdav';
import { WebhookAdapter } from './webhook';

function missing(ep: EndpointRow, what: string): EndpointError {
  return new EndpointError(
    'auth',
    `no ${what} is stored for endpoint ${ep.name} (dam endpoint add ${ep.name} ... --password-stdin)`,
  );
}

/**
 * The adapter that talks to an endpoint of its type, with its secret from the credential store.
 * WordPress (its companion plugin, posts relinked on a new version) keeps its own path in
 * service.ts for now.
 */
export function adapterFor(ep: EndpointRow, secret: string | null): RemoteAdapter {
  switch (ep.type) {
    case 'wordpress':
      throw new Error('WordPress endpoints are delivered by service.ts, not an adapter');
    case 's3':
      if (!secret || !ep.user) throw missing(ep, 'access key (--user) and secret');
      return new S3Adapter(ep.url, ep.options, ep.user, secret);
    case 'webdav':
      if (!secret || !ep.user) throw missing(ep, 'password');
      return new WebDavAdapter(ep.url, ep.options, ep.user, secret);
    case 'webhook':
      if (!secret) throw missing(ep, 'signing secret');
      return new WebhookAdapter(ep.url, ep.options, secret);
  }
}
