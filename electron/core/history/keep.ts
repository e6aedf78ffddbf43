import type { Actor } from '../governance/settings';
import type { CoreContext } from '../context';
import type { SnapshotReason } from './history.repository';

/**
 * Call when an asset becomes governed (rights or alt text set, an approval transition, joining a
 * version stack): its current content is kept in the history store, and so is every new content
 * ingest finds for it from then on (scope 'governed'). Cheap and idempotent: the copy itself is a
 * durable job done off the caller's path; bytes already kept are not copied again.
 */
export function keepCurrentContent(
  lib: CoreContext,
  assetId: number,
  reason: SnapshotReason = 'governed',
  who: Actor = lib.governance.actor,
): void {
  lib.history.keepCurrent(assetId, reason, who);
}
