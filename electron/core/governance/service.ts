import fs from 'node:fs';
import type { Db } from '../catalog/open';
import { stmt } from '../catalog/statements';
import { refreshAssetSearch } from '../catalog/asset-search.repository';
import type { CoreEventBus } from '../events';
import { decodeXml } from '../xml/decode';
import { complete, defer, enqueue, hold, unholdOnRoot, type ClaimedJob } from '../catalog/jobs.repository';
import type { JobHandler, JobRunner } from '../jobs/runner';
import {
  adoptApproval,
  appendApprovalLog,
  listApprovalLog,
  readApproval,
  type ApprovalValue,
} from './approvals';
import { removeDebris } from './debris';
import { embedIntoOriginal } from './embed-xmp';
import { readFields, writeFields } from './field-store';
import { RIGHTS_FIELDS, sameValue, type FieldValues } from './fields';
import { appendChange, listConflicts, readStamps, recordConflict, writeStamp } from './change-log.repository';
import { approvalCanon, mergeSidecar, type LocalState, type MergeOutcome } from './merge';
import { catalogId, defaultActor, readSettings, type Actor } from './settings';
import {
  absPath,
  contentHash,
  knownSidecar,
  recordSidecar,
  sidecarOwners,
  sidecarPlace,
  writeAtomically,
} from './sidecars';
import { lstatOrNull, readSidecarFile, type SidecarFile, type SidecarStat } from './sidecar-file';
import { readSidecar, type SidecarData } from './xmp-read';
import { cropRows, putCrop, type CropRow } from '../catalog/crops.repository';
import { writeSidecar, type SidecarContent } from './xmp-write';
import type { FacesInXmp } from './xmp-regions';
import type { NamedRegion } from '../../../shared/people';
import { acceptedLabels } from '../catalog/auto-tags.repository';
import { AUTO_TAG_PARENTS } from '../../../shared/auto-tags';
import { hasWord } from '../../../shared/keywords';

/** Fields whose arrival makes an asset governed (as setting them here does). */
const GOVERNING: ReadonlySet<string> = new Set([
  ...RIGHTS_FIELDS,
  'altText',
  'extendedDescription',
  'approval',
]);

const NO_SIDECAR: SidecarData = {
  values: {},
  approval: undefined,
  stamps: new Map(),
  conflicts: [],
  approvalLog: [],
  foreign: [],
  regions: null,
  crops: [],
};

/** Another machine may write between our read and our rename: merge again, a few times at most. */
const MAX_ATTEMPTS = 4;
/** Sidecars read or written at once: a bulk edit of 100k assets must not open 100k files together. */
const PARALLEL = 8;

/** How a run of an asset's sidecar job ended: its job is settled accordingly. */
type SyncOutcome = 'done' | 'offline' | { held: string };

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The sidecar is not a regular file of sidecar size inside its root: it was not even opened. */
class Refused extends Error {}

function sameStat(a: SidecarStat | null, b: fs.Stats | null): boolean {
  if (!a || !b) return !a && !b;
  return b.isFile() && a.size === b.size && a.mtimeMs === Math.trunc(b.mtimeMs) && a.ino === b.ino;
}

/**
 * Keeps each asset's XMP sidecar and this catalogue in step: reads sidecars other machines and
 * applications wrote, merges them field by field, and writes back what this catalogue knows that the
 * sidecar lacks. All sidecar I/O runs as jobs of kind 'sidecar' (one per asset, so work on one asset
 * is serialised, across processes too), after the edit that owes it has been committed: a sidecar
 * that cannot be read or written never costs the edit. Originals are only written when embed-xmp is on.
 */
export class Governance {
  /** Who edits from this process (the OS user and host; tests and servers may set another). */
  actor: Actor = defaultActor();
  /**
   * Rights, alt text or an approval came in from a sidecar (another machine, another application):
   * the asset is governed here too (the content history keeps its contents from now on).
   */
  onGoverned: (assetId: number) => void = () => undefined;
  /** The named faces the catalogue has for an asset (undefined: it knows none; the sidecar's are kept). */
  facesOf: (assetId: number) => FacesInXmp | undefined = () => undefined;
  /** Named face regions another application wrote into a sidecar we had not seen: read in as faces. */
  onRegions: (assetId: number, regions: NamedRegion[]) => void = () => undefined;
  readonly origin: string;
  private inflight = new Set<Promise<unknown>>();
  /** Runs the 'sidecar' jobs. */
  readonly handler: JobHandler = {
    concurrency: () => PARALLEL,
    run: (job) => this.runJob(job),
  };

  constructor(
    private readonly db: Db,
    private readonly events: CoreEventBus,
    private readonly jobs: JobRunner,
  ) {
    this.origin = catalogId(db);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p)).catch(() => undefined);
    return p;
  }

  private warn(text: string): void {
    this.events.emit('warning', { rootId: null, message: text });
  }

  localState(assetId: number): LocalState {
    return {
      values: readFields(this.db, assetId),
      approval: approvalCanon(readApproval(this.db, assetId)),
      stamps: readStamps(this.db, assetId),
      conflictIds: new Set(listConflicts(this.db, assetId).map((c) => c.id)),
      approvalLogIds: new Set(listApprovalLog(this.db, assetId).map((e) => e.uid)),
    };
  }

  private content(assetId: number): SidecarContent {
    const faces = this.facesOf(assetId);
    const values = readFields(this.db, assetId);
    return {
      values,
      // Accepted auto-tags still among the keywords, as paths other applications file them under.
      hierarchy: [
        ...acceptedLabels(this.db, assetId)
          .filter((t) => t.kind !== 'face' && hasWord(values.keywords, t.label))
          .map((t) => `${AUTO_TAG_PARENTS[t.kind]}|${t.label}`),
        // The people named in the picture that are keywords of it (naming one adds the keyword).
        ...[...new Set((faces?.regions ?? []).map((r) => r.name))]
          .filter((n) => hasWord(values.keywords, n))
          .map((n) => `${AUTO_TAG_PARENTS.face}|${n}`),
      ],
      approval: approvalCanon(readApproval(this.db, assetId)),
      stamps: readStamps(this.db, assetId),
      conflicts: listConflicts(this.db, assetId),
      approvalLog: listApprovalLog(this.db, assetId),
      ...(faces ? { faces } : {}),
      crops: cropRows(this.db, assetId),
    };
  }

  /**
   * A sidecar's crops merged per aspect: the newer of the two wins (a clear too). Adopts the
   * sidecar's newer ones; true when the catalogue has some the sidecar lacks or holds older (then
   * the sidecar is rewritten).
   */
  private mergeCrops(assetId: number, theirs: CropRow[]): boolean {
    const ours = new Map(cropRows(this.db, assetId).map((r) => [r.aspect, r]));
    let ahead = false;
    let adopted = false;
    this.db.transaction(() => {
      for (const t of theirs) {
        const o = ours.get(t.aspect);
        if (!o || t.at > o.at) {
          putCrop(this.db, assetId, t.aspect, t.box, t.at);
          adopted = true;
        } else if (o.at > t.at) ahead = true;
      }
    })();
    for (const o of ours.values()) if (!theirs.some((t) => t.aspect === o.aspect)) ahead = true;
    if (adopted) this.events.emit('catalog-changed', { assetIds: [assetId] });
    return ahead;
  }

  /** Whether the sidecar's named faces differ from the catalogue's (then it is rewritten). */
  private facesDiffer(assetId: number, data: SidecarData): boolean {
    const ours = this.facesOf(assetId);
    if (!ours) return false;
    const key = (rs: NamedRegion[]) =>
      JSON.stringify(
        rs
          .map((r) => [r.name, ...[r.box.x, r.box.y, r.box.w, r.box.h].map((v) => Math.round(v * 1000))])
          .sort(),
      );
    return key(ours.regions) !== key(data.regions ?? []);
  }

  private apply(assetId: number, o: MergeOutcome): void {
    if (!o.adopt.length && !o.restamp.length && !o.conflicts.length && !o.approvalLog.length) return;
    const db = this.db;
    db.transaction(() => {
      const values: Partial<Record<keyof FieldValues, unknown>> = {};
      for (const a of o.adopt) {
        const changed = !sameValue(a.value, a.previous);
        if (a.field === 'approval') adoptApproval(db, assetId, a.value as ApprovalValue);
        else if (changed) values[a.field] = a.value;
        writeStamp(db, assetId, a.field, a.stamp);
        if (changed && a.field !== 'approval')
          appendChange(db, {
            assetId,
            field: a.field,
            oldValue: a.previous,
            newValue: a.value,
            actor: a.stamp.actor,
            machine: a.stamp.machine,
            at: a.stamp.at,
            source: 'sidecar',
          });
      }
      writeFields(db, assetId, values as Partial<FieldValues>);
      for (const r of o.restamp) writeStamp(db, assetId, r.field, r.stamp);
      for (const c of o.conflicts) recordConflict(db, assetId, c);
      for (const e of o.approvalLog) appendApprovalLog(db, assetId, e);
      refreshAssetSearch(db, assetId);
    })();
    if (o.adopt.some((a) => GOVERNING.has(a.field) && !sameValue(a.value, a.previous)))
      this.onGoverned(assetId);
    this.events.emit('catalog-changed', { assetIds: [assetId] });
  }

  /**
   * Read, merge and (when the sidecar lacks something) write the sidecar of one asset, as its job;
   * resolves when that job has run (or cannot run now: its root is offline, its sidecar unreadable).
   */
  sync(assetId: number): Promise<void> {
    enqueue(this.db, 'sidecar', assetId);
    this.jobs.kick();
    return this.track(this.jobs.whenDone('sidecar', assetId));
  }

  private async runJob(job: ClaimedJob): Promise<void> {
    let outcome: SyncOutcome;
    try {
      outcome = await this.syncNow(job.subject);
    } catch (err) {
      this.warn(`sidecar of asset ${job.subject}: ${message(err)}`);
      outcome = { held: message(err) };
    }
    // Held: owed until the next scan looks at the asset's sidecar again (or the next edit).
    if (outcome === 'done') complete(this.db, job);
    else if (outcome === 'offline') defer(this.db, job, 30_000);
    else hold(this.db, job, outcome.held);
  }

  private async syncNow(assetId: number, again = true): Promise<SyncOutcome> {
    const db = this.db;
    const { sidecarNaming: naming, embedXmp } = readSettings(db);
    let held = '';
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const place = sidecarPlace(db, assetId, naming);
      if (!place) return 'done';
      if (!place.online) return 'offline';
      let target: { data: SidecarData; stat: SidecarStat | null; rewrite: boolean } | null = null;
      let blocked = false;
      for (const rel of place.candidates) {
        const abs = absPath(place.rootPath, rel);
        let file: SidecarFile;
        try {
          file = await readSidecarFile(place.rootPath, abs);
        } catch (err) {
          // Unreadable now (permissions, share hiccup): leave it, and owe the write.
          this.warn(`sidecar ${abs}: ${message(err)}`);
          held = message(err);
          if (rel === place.writeRel) blocked = true;
          continue;
        }
        if (file.kind === 'absent') {
          if (rel === place.writeRel) target = { data: NO_SIDECAR, stat: null, rewrite: false };
          continue;
        }
        const st = file;
        const hash = file.kind === 'read' ? contentHash(file.bytes) : null;
        let data: SidecarData;
        try {
          if (file.kind === 'refused') throw new Refused(file.reason);
          data = readSidecar(decodeXml(file.bytes));
        } catch (err) {
          // A link, a pipe, a huge file or one that is not XMP: recorded, reported, never written over.
          const known = knownSidecar(db, place.rootId, rel);
          const text = err instanceof Refused ? `not read: it ${err.message}` : `cannot read ${message(err)}`;
          const same = known?.error === text && known.size === st.size && known.mtime_ms === st.mtimeMs;
          if (!(known && known.hash === hash && known.error) && !same)
            this.warn(`sidecar ${abs} is left as it is: ${message(err)}`);
          recordSidecar(db, place.rootId, rel, assetId, {
            hash,
            size: st.size,
            mtimeMs: st.mtimeMs,
            error: text,
          });
          held = text;
          if (rel === place.writeRel) blocked = true;
          continue;
        }
        const outcome = mergeSidecar(this.localState(assetId), data, Math.trunc(st.mtimeMs));
        this.apply(assetId, outcome);
        // Regions are read in only from a sidecar we have not seen as it is (another application
        // wrote it): our own earlier write must not undo a name given here since.
        if (data.regions?.length && knownSidecar(db, place.rootId, rel)?.hash !== hash)
          this.onRegions(assetId, data.regions);
        if (this.facesDiffer(assetId, data)) outcome.rewrite = true;
        if (this.mergeCrops(assetId, data.crops)) outcome.rewrite = true;
        recordSidecar(db, place.rootId, rel, assetId, {
          hash,
          size: st.size,
          mtimeMs: st.mtimeMs,
          error: null,
        });
        if (rel === place.writeRel) target = { data, stat: st, rewrite: outcome.rewrite };
      }
      if (blocked) return { held };
      if (!target) return 'done';
      if (target.stat === null)
        target.rewrite =
          mergeSidecar(this.localState(assetId), NO_SIDECAR, 0).rewrite ||
          this.facesDiffer(assetId, NO_SIDECAR) ||
          cropRows(this.db, assetId).length > 0;
      if (!target.rewrite) return 'done';
      const abs = absPath(place.rootPath, place.writeRel);
      if (!sameStat(target.stat, await lstatOrNull(abs))) continue;
      const text = writeSidecar(this.content(assetId), target.data.foreign);
      try {
        const st = await writeAtomically(abs, text);
        recordSidecar(db, place.rootId, place.writeRel, assetId, {
          hash: contentHash(text),
          size: st.size,
          mtimeMs: st.mtimeMs,
          error: null,
        });
      } catch (err) {
        this.warn(`could not write the sidecar ${abs}: ${message(err)}`);
        return { held: `could not write the sidecar: ${message(err)}` };
      }
      if (embedXmp) await this.embed(assetId, again);
      return 'done';
    }
    // Another writer kept changing it under us: try again at the next look.
    return { held: 'the sidecar kept changing while it was being written' };
  }

  /** The option to write into originals too: after the sidecar, which stays the record. */
  private async embed(assetId: number, again: boolean): Promise<void> {
    try {
      const outcome = await embedIntoOriginal(this.db, assetId, this.actor, this.origin);
      this.events.emit('catalog-changed', { assetIds: [assetId] });
      // An approval carried over to the new bytes: the sidecar says so, for the other catalogues.
      if (outcome === 'embedded' && again) await this.syncNow(assetId, false);
    } catch (err) {
      this.warn(`XMP not written into the original of asset ${assetId}: ${message(err)}`);
    }
  }

  /** The watcher saw a sidecar appear or change. */
  sidecarChanged(rootId: number, rel: string, rootPath: string): Promise<void> {
    return this.track(
      (async () => {
        const abs = absPath(rootPath, rel);
        const file = await readSidecarFile(rootPath, abs);
        if (file.kind === 'absent') return;
        const known = knownSidecar(this.db, rootId, rel);
        // Our own write coming back, or a touch without a change.
        if (file.kind === 'read' && known && known.hash === contentHash(file.bytes)) return;
        if (
          file.kind === 'refused' &&
          known?.error &&
          known.size === file.size &&
          known.mtime_ms === file.mtimeMs
        )
          return;
        const owners = sidecarOwners(this.db, rootId, rel);
        if (!owners.length) return;
        await Promise.all(owners.map((id) => this.sync(id)));
      })().catch((err: unknown) => this.warn(`sidecar ${rel}: ${message(err)}`)),
    );
  }

  /**
   * After a scan: read the sidecars that are new or changed since last seen, and write those still
   * owed. Returns the sidecars that cannot be read, for the scan's report.
   */
  async syncScanned(
    rootId: number,
    rootPath: string,
    seen: readonly [string, number, number][],
  ): Promise<string[]> {
    const assets = new Set<number>();
    // Forget sidecars that are gone, so that a deleted broken one is no longer reported.
    stmt(
      this.db,
      `DELETE FROM sidecar_files WHERE root_id = ? AND rel_path NOT IN (SELECT value FROM json_each(?))`,
    ).run(rootId, JSON.stringify(seen.map((s) => s[0])));
    for (const [rel, size, mtimeMs] of seen) {
      const known = knownSidecar(this.db, rootId, rel);
      if (known && known.size === size && known.mtime_ms === Math.trunc(mtimeMs)) continue;
      for (const id of sidecarOwners(this.db, rootId, rel)) assets.add(id);
    }
    // Writes still owed on this root, including those held for an unreadable sidecar: looked at again.
    unholdOnRoot(this.db, 'sidecar', rootId);
    const owed = stmt(
      this.db,
      `SELECT j.subject FROM jobs j JOIN asset_search s ON s.asset_id = j.subject
        WHERE j.kind = 'sidecar' AND s.root_id = ?`,
    )
      .pluck()
      .all(rootId) as number[];
    for (const id of owed) assets.add(id);
    this.db.transaction(() => {
      for (const id of assets) enqueue(this.db, 'sidecar', id);
    })();
    this.jobs.kick();
    await Promise.all([...assets].map((id) => this.jobs.whenDone('sidecar', id)));
    const broken = stmt(
      this.db,
      `SELECT rel_path, error FROM sidecar_files WHERE root_id = ? AND error IS NOT NULL`,
    ).all(rootId) as { rel_path: string; error: string }[];
    return broken.map((b) => `${absPath(rootPath, b.rel_path)}: ${b.error} (left as it is)`);
  }

  /** After a scan: remove the temporary files that killed writers left (see debris.ts). */
  async removeDebris(rootId: number, rootPath: string, found: readonly [string, number][]): Promise<void> {
    if (found.length) await removeDebris(this.db, this.actor, rootId, rootPath, found);
  }

  /** Resolves when no sidecar work is under way (close() waits for it). */
  async flush(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }
}
