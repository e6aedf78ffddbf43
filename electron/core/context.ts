import type { Db } from './catalog/open';
import type { StatInfo } from './catalog/files.repository';
import type { CoreEventBus } from './events';
import type { Governance } from './governance/service';
import type { ContentHistory } from './history/service';

/**
 * What a domain operation (an edit, a transition, a restore, a stack change) may use: the
 * catalogue, the event bus, the services of the other domains, and ingest's two entry points.
 * Library (the composition root) provides it; domain modules depend on this, never on Library, so
 * nothing below the root imports it back.
 */
export interface CoreContext {
  readonly db: Db;
  readonly events: CoreEventBus;
  /** Rights, approvals, sidecars; also who acts (actor) and this catalogue's origin. */
  readonly governance: Governance;
  /** Content history: the kept contents of files. */
  readonly history: ContentHistory;
  /** Owe the reading of a file again, and start on it. */
  reprocess(fileId: number, s: StatInfo): void;
  /** Resolves once ingest owes this file nothing. */
  whenProcessed(fileId: number): Promise<void>;
}
