/**
 * Every kind of deferred work the catalogue owes, in one place: what its subject is, its priority
 * and how many attempts it gets. Adding a kind (tagging, publishing) is an entry here plus its
 * handler, which the runner's typed handler map then requires.
 */

/** Higher runs first: interactive > ingest > sidecar and snapshot > tagging > publishing. */
export const PRIORITY = {
  interactive: 40,
  ingest: 30,
  sidecar: 20,
  snapshot: 20,
  tagging: 10,
  publishing: 0,
} as const;

export interface JobKindSpec {
  /** What the job's subject id names; a job goes when its subject is deleted. */
  subject: 'file' | 'asset';
  priority: number;
  /** Runs before the job is given up (backing off 2 s, 8 s, 32 s... in between). */
  attempts: number;
}

export const JOB_KINDS = {
  /** Read a file: metadata, hash, thumbnail (ingest). */
  process: { subject: 'file', priority: PRIORITY.ingest, attempts: 4 },
  /** Copy a file's current content into the content history store. */
  snapshot: { subject: 'file', priority: PRIORITY.snapshot, attempts: 4 },
  /** Read, merge and write an asset's XMP sidecar (and embed into the original when asked). */
  sidecar: { subject: 'asset', priority: PRIORITY.sidecar, attempts: 4 },
  /** Run the on-device analysers (objects, faces, text, colours) over an asset's picture. */
  tagging: { subject: 'asset', priority: PRIORITY.tagging, attempts: 3 },
  /** Bring every endpoint's copy of an asset in line with the catalogue: publish, update, replace, pull. */
  publish: { subject: 'asset', priority: PRIORITY.publishing, attempts: 6 },
} as const satisfies Record<string, JobKindSpec>;

export type JobKind = keyof typeof JOB_KINDS;

export const ALL_KINDS = Object.keys(JOB_KINDS) as JobKind[];

export function isJobKind(v: string): v is JobKind {
  return Object.prototype.hasOwnProperty.call(JOB_KINDS, v);
}
