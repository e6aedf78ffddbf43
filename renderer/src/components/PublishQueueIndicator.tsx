import { useEffect } from 'react';
import { formatCount, plural } from '../lib/format';
import { usePublishing } from '../stores/publishing';

/**
 * The publishing outbox in the status bar: a bulk publish or export under way with its progress,
 * deliveries pending and failing, and an endpoint that cannot be reached. Nothing without endpoints.
 */
export function PublishQueueIndicator() {
  const queue = usePublishing((s) => s.queue);
  const bulk = usePublishing((s) => s.bulk);
  useEffect(() => {
    void usePublishing
      .getState()
      .loadQueue()
      .catch(() => undefined);
  }, []);
  const eps = queue?.endpoints ?? [];
  if (!bulk && eps.length === 0) return null;
  const pending = eps.reduce((n, e) => n + e.pending, 0);
  const failed = eps.reduce((n, e) => n + e.failed, 0);
  const offline = eps.filter((e) => !e.online);
  const title = eps
    .map(
      (e) =>
        `${e.endpoint}: ${e.online ? 'online' : 'offline'}, ${e.pending} pending, ${e.failed} failed${e.lastError ? ` (${e.lastError})` : ''}`,
    )
    .join('\n');
  return (
    <span className="publish-queue" role="status" aria-label="Publishing queue" title={title}>
      {bulk && (
        <span className="progress-part">
          <span className="spinner" aria-hidden="true" />{' '}
          {bulk.kind === 'publish'
            ? `Publishing ${formatCount(Math.min(bulk.done, bulk.total))} / ${formatCount(bulk.total)}`
            : `Exporting ${plural(bulk.total, 'item')}…`}
        </span>
      )}
      {eps.length > 0 && (
        <span className="progress-part">
          <span
            className={`status-dot ${offline.length || failed ? 'offline' : 'online'}`}
            aria-hidden="true"
          />
          {pending === 0 && failed === 0 && offline.length === 0
            ? 'Published: up to date'
            : [
                pending ? `${formatCount(pending)} pending` : '',
                failed ? `${formatCount(failed)} failing` : '',
                ...offline.map((e) => `${e.endpoint} offline`),
              ]
                .filter(Boolean)
                .join(' · ')}
        </span>
      )}
    </span>
  );
}
