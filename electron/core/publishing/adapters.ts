import type { EndpointRow } from '../catalog/endpoints.repository';
import type { RemoteAdapter } from './adapter';
import { DirectusAdapter } from './directus';
import { EndpointError } from './endpoint-error';
import { S3Adapter } from './s3';
import { WebDavAdapter } from './webdav';
import { WebhookAdapter } from './webhook';
import { WordPressAdapter } from './wordpress-adapter';

function missing(ep: EndpointRow, what: string): EndpointError {
  return new EndpointError(
    'auth',
    `no ${what} is stored for endpoint ${ep.name} (dam endpoint add ${ep.name} ... --password-stdin)`,
  );
}

/**
 * The adapter that talks to an endpoint of its type, with its secret from the credential store.
 */
export function adapterFor(ep: EndpointRow, secret: string | null): RemoteAdapter {
  switch (ep.type) {
    case 'wordpress':
      if (!secret || !ep.user) throw missing(ep, 'password');
      return new WordPressAdapter(ep.url, ep.user, secret);
    case 's3':
      if (!secret || !ep.user) throw missing(ep, 'access key (--user) and secret');
      return new S3Adapter(ep.url, ep.options, ep.user, secret);
    case 'webdav':
      if (!secret || !ep.user) throw missing(ep, 'password');
      return new WebDavAdapter(ep.url, ep.options, ep.user, secret);
    case 'webhook':
      if (!secret) throw missing(ep, 'signing secret');
      return new WebhookAdapter(ep.url, ep.options, secret);
    case 'directus':
      if (!secret) throw missing(ep, 'static token');
      return new DirectusAdapter(ep.url, ep.options, secret, Object.keys(ep.fieldMap));
  }
}
