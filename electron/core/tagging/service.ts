import type { Actor } from '../governance/settings';
import path from 'node:path';
import {
  DEFAULT_OCR_MODE,
  DEFAULT_TAGGING_THRESHOLD,
  OCR_MODES,
  type AutoTag,
  type OcrMode,
  type AutoTagKind,
  type TagDecision,
  type TaggingStatus,
} from '../../../shared/auto-tags';
import { wordKey } from '../../../shared/keywords';
import {
  autoTagsOf,
  decide,
  labelsOf,
  putTaggingSetting,
  recordRun,
  replaceAutoTags,
  setRootTagging,
  taggingCounts,
  taggingError,
  taggingRuns,
  taggingSetting,
  taggingTarget,
  TAGGED_TYPES,
  undecide,
  untaggedAssetIds,
  type TaggingTarget,
} from '../catalog/auto-tags.repository';
import {
  complete,
  defer,
  dropQueued,
  enqueue,
  kindBusy,
  owedCount,
  retry,
  type ClaimedJob,
} from '../catalog/jobs.repository';
import { fileText } from '../catalog/file-text.repository';
import type { Db } from '../catalog/open';
import { getRoot } from '../catalog/roots.repository';
import type { CoreContext } from '../context';
import { invalidInput, notFound } from '../errors';
import { editAssetsRecorded } from '../governance/set-fields';
import { peopleOfAsset } from '../catalog/faces.repository';
import type { JobHandler, JobRunner } from '../jobs/runner';
import { workerFile } from '../jobs/worker-files';
import { WorkerPool } from '../jobs/worker-pool';
import type { Analyser } from './analyser';
import { ANALYSER_STORES, ANALYSERS } from './analysers';
import type { TagRequest, TagResult } from './messages';
import { textVersionsDone, type TextExtra } from './text';

/**
 * The tagging workers' old generation starts at this size: the models' framework promotes ~5 MB
 * of short-lived objects per picture, and V8's default collected every two or three pictures
 * (200 photos on 2 cores: 33.7 s -> 32.1 s; peak RSS 743 -> 760 MB; 128 MB went past 800 MB).
 */
const TAGGER_OLD_SPACE_MB = 64;

/** A picture gets this long per try (a first run includes loading the models). */
const TIME_LIMIT_MS = 120_000;

/** A worker's reply, or the pool's `{ transientError }` for a worker that crashed or hung, as a full result. */
function tagResult(req: TagRequest, r: Partial<TagResult>): TagResult {
  return {
    backend: r.backend ?? null,
    outputs: r.outputs ?? [],
    error: r.error ?? null,
    transientError: r.transientError ?? null,
    ms: r.ms ?? 0,
    jobId: req.jobId,
    assetId: req.assetId,
  };
}

/**
 * On-device tagging: owes a 'tagging' job for each picture catalogued (when tagging is on, for
 * its root too), runs them on a pool of worker threads below every other kind of work (and not at
 * all while ingest has work due: a cold import is never slowed down), stores each picture's
 * results from every analyser in one transaction, and applies the user's accept and reject.
 * The models run only in processes that ask for it (`runInBackground`: the app, `dam serve`,
 * `dam watch`, `dam tag`); one-shot commands leave the work owed.
 */
export class Tagging {
  readonly handler: JobHandler;
  private pool: WorkerPool<TagRequest, TagResult> | null = null;
  private active = false;
  private paused = false;
  private stopped = false;
  private onStop: (() => void)[] = [];
  /** The backend the workers of this process reported. */
  backend: string | null = null;
  private done = 0;
  private busyMs = 0;
  private firstAt = 0;
  private lastAt = 0;
  /** Text recognition in this process: pictures read, by the rule that made OCR run, and those it skipped. */
  private ocrRuns: { read: number; skipped: number; failed: number; rules: Record<string, number> } = {
    read: 0,
    skipped: 0,
    failed: 0,
    rules: {},
  };

  constructor(
    private readonly ctx: CoreContext,
    private readonly jobs: JobRunner,
    private readonly workers: number,
    private readonly thumbDir: string,
  ) {
    this.handler = {
      concurrency: () => this.concurrency(),
      run: (job) => this.run(job),
      stop: () => this.stop(),
      gaveUp: (job, error) => this.gaveUp(job, error),
    };
  }

  private get db(): Db {
    return this.ctx.db;
  }

  /**
   * Run tagging in this process from now on: what is untagged is owed now, and each picture ingest
   * stores from now on. What tagging owes is known from tagging_runs, so the job table holds
   * tagging jobs only while some process runs them (see close()).
   */
  runInBackground(): void {
    this.start();
    if (this.enabled) this.owe();
  }

  /** Run tagging jobs in this process (those owed, and each picture ingest stores from now on). */
  start(): void {
    this.active = true;
    this.jobs.kick();
  }

  get enabled(): boolean {
    return taggingSetting(this.db, 'tagging') !== 'off';
  }

  get threshold(): number {
    const v = Number(taggingSetting(this.db, 'tagging-threshold'));
    return Number.isFinite(v) && v > 0 && v < 1 ? v : DEFAULT_TAGGING_THRESHOLD;
  }

  /** `dam config ocr off|auto|all`. */
  get ocrMode(): OcrMode {
    const v = taggingSetting(this.db, 'ocr');
    return OCR_MODES.find((m) => m === v) ?? DEFAULT_OCR_MODE;
  }

  /** The analysers the settings put in play (text recognition is out while `ocr off`). */
  private inPlay(): readonly Analyser[] {
    const mode = this.ocrMode;
    return mode === 'off' ? ANALYSERS.filter((a) => a.name !== 'text') : ANALYSERS;
  }

  /** The recorded versions of an analyser's run that count as done under the current settings. */
  private versionsDone(a: Analyser): string[] {
    return a.name === 'text' ? textVersionsDone(this.ocrMode) : [a.modelVersion];
  }

  private concurrency(): number {
    if (!this.active || this.paused || this.stopped || !this.enabled) return 0;
    // Ingest first: while it has work due anywhere, tagging waits (its pumps come back when ingest ends).
    if (kindBusy(this.db, 'process')) return 0;
    return this.workers;
  }

  // ---- owing ------------------------------------------------------------------------------

  /** In ingest's transaction: the picture was read (for the first time, or again after it changed). */
  noteProcessed(assetId: number): void {
    if (!this.active || !this.enabled) return;
    const t = taggingTarget(this.db, assetId);
    if (!t || !t.rootTagging || !this.taggable(t) || !this.analysersOwed(t).length) return;
    enqueue(this.db, 'tagging', assetId);
  }

  private taggable(t: TaggingTarget): boolean {
    return TAGGED_TYPES.includes(`'${t.type}'`) && t.contentHash != null;
  }

  /** The analysers in play that have not looked at this content in their current version. */
  private analysersOwed(t: TaggingTarget): string[] {
    const runs = new Map(taggingRuns(this.db, t.assetId).map((r) => [r.analyser, r]));
    return this.inPlay()
      .filter((a) => {
        const r = runs.get(a.name);
        return !r || !this.versionsDone(a).includes(r.modelVersion) || r.contentHash !== t.contentHash;
      })
      .map((a) => a.name);
  }

  /**
   * Owe tagging for these assets (all untagged pictures when none are named); returns how many
   * jobs are owed now. Named assets must exist; ones that are not pictures are skipped.
   */
  owe(assetIds?: readonly number[]): number {
    if (!this.enabled) throw invalidInput('tagging is off (turn it on with: dam config tagging on)');
    const ids =
      assetIds ??
      untaggedAssetIds(
        this.db,
        this.inPlay().map((a) => ({ name: a.name, modelVersions: this.versionsDone(a) })),
      );
    this.db.transaction(() => {
      for (const id of ids) {
        const t = taggingTarget(this.db, id);
        if (!t) throw notFound(`no asset ${id} in the catalogue`);
        if (this.taggable(t) && this.analysersOwed(t).length) enqueue(this.db, 'tagging', id);
      }
    })();
    this.jobs.kick();
    return owedCount(this.db, ['tagging']);
  }

  whenIdle(): Promise<void> {
    return this.jobs.whenIdle(['tagging']);
  }

  // ---- running ------------------------------------------------------------------------------

  private ensurePool(): WorkerPool<TagRequest, TagResult> {
    this.pool ??= new WorkerPool<TagRequest, TagResult>(
      this.workers,
      workerFile('tagging-worker.js'),
      tagResult,
      TAGGER_OLD_SPACE_MB,
    );
    return this.pool;
  }

  private async run(job: ClaimedJob): Promise<void> {
    const t = taggingTarget(this.db, job.subject);
    if (!t || !this.taggable(t) || !t.rootTagging) return complete(this.db, job);
    if (!t.rootOnline) return defer(this.db, job, 30_000);
    const owed = this.analysersOwed(t);
    if (!owed.length) return complete(this.db, job);
    const req: TagRequest = {
      jobId: job.id,
      assetId: t.assetId,
      path: path.normalize(t.abs),
      format: t.format,
      thumb: t.thumb ? path.join(this.thumbDir, t.thumb) : null,
      analysers: owed,
      threshold: this.threshold,
      ocr: this.ocrMode,
    };
    const res = await Promise.race([
      this.ensurePool().run(req, TIME_LIMIT_MS),
      new Promise<null>((r) => this.onStop.push(() => r(null))),
    ]);
    // Stopping: the job goes back to the queue for the next run.
    if (!res || this.stopped) return;
    if (res.backend) this.backend = res.backend;
    if (res.transientError) {
      if (retry(this.db, job, res.transientError)) return;
      this.store(job, t, { ...res, error: res.transientError, transientError: null }, owed);
      return;
    }
    this.store(job, t, res, owed);
  }

  /** Every analyser's results, its run record and the job's settlement: one transaction. */
  private store(job: ClaimedJob, t: TaggingTarget, res: TagResult, owed: string[]): void {
    const changed = this.db.transaction(() => {
      // The picture changed while it was looked at: the results are of the old content.
      const now = taggingTarget(this.db, t.assetId);
      if (!now || now.contentHash !== t.contentHash || now.fileId !== t.fileId) {
        complete(this.db, job);
        if (now) enqueue(this.db, 'tagging', t.assetId);
        return false;
      }
      for (const name of owed) {
        const out = res.outputs.find((o) => o.name === name);
        // An analyser may record another version for this picture (text recognition skipped by ocr auto).
        const version = out?.output.version ?? ANALYSERS.find((a) => a.name === name)!.modelVersion;
        replaceAutoTags(
          this.db,
          t.assetId,
          t.fileId,
          name,
          (out?.output.tags ?? []).map((tag) => ({
            kind: tag.kind,
            label: tag.label,
            confidence: Math.min(1, Math.max(0, tag.confidence)),
            box: tag.box,
            model: tag.model,
            modelVersion: version,
            extra: tag.extra === undefined ? null : JSON.stringify(tag.extra),
          })),
        );
        ANALYSER_STORES.find((s) => s.name === name)?.store(this.db, t.assetId, t.fileId, out?.output.extra);
        recordRun(this.db, t.assetId, {
          analyser: name,
          modelVersion: version,
          contentHash: t.contentHash,
          error: res.error ?? out?.output.error ?? null,
        });
      }
      complete(this.db, job);
      return true;
    })();
    if (!changed) return;
    this.noteText(res);
    this.noteDone(res.ms);
    this.jobs.note(res.error ? 'failed' : 'done');
    this.ctx.events.emit('catalog-changed', { assetIds: [t.assetId] });
  }

  private noteDone(ms: number): void {
    const now = Date.now();
    if (!this.firstAt) this.firstAt = now - ms;
    this.lastAt = now;
    this.done++;
    this.busyMs += ms;
  }

  private noteText(res: TagResult): void {
    const out = res.outputs.find((o) => o.name === 'text')?.output;
    if (!out) return;
    const rule = (out.extra as TextExtra | undefined)?.rule;
    if (out.error) this.ocrRuns.failed++;
    else if (!rule) this.ocrRuns.skipped++;
    else {
      this.ocrRuns.read++;
      this.ocrRuns.rules[rule] = (this.ocrRuns.rules[rule] ?? 0) + 1;
    }
  }

  /** Text recognition in this process so far (`dam tag --json`): pictures read by rule, skipped, failed. */
  ocrReport(): {
    mode: OcrMode;
    read: number;
    skipped: number;
    failed: number;
    rules: Record<string, number>;
  } {
    return { mode: this.ocrMode, ...this.ocrRuns, rules: { ...this.ocrRuns.rules } };
  }

  private gaveUp(job: ClaimedJob, error: string): void {
    this.ctx.events.emit('warning', {
      rootId: null,
      message: `tagging asset ${job.subject} gave up: ${error}`,
    });
  }

  private stop(): void {
    this.stopped = true;
    for (const r of this.onStop.splice(0)) r();
  }

  /**
   * After the runner stopped: the queued tagging jobs go (the next process that runs tagging owes
   * them again from tagging_runs), so that a catalogue at rest owes no work it cannot do itself.
   */
  async close(): Promise<void> {
    this.stop();
    await this.pool?.close();
    this.pool = null;
    if (this.active) dropQueued(this.db, 'tagging');
  }

  // ---- control and status --------------------------------------------------------------------

  pause(): TaggingStatus {
    this.paused = true;
    return this.status();
  }

  resume(): TaggingStatus {
    this.paused = false;
    this.jobs.kick();
    return this.status();
  }

  status(): TaggingStatus {
    const { tagged, failed } = taggingCounts(this.db);
    const seconds = (this.lastAt - this.firstAt) / 1000;
    return {
      enabled: this.enabled,
      paused: this.paused,
      threshold: this.threshold,
      ocr: this.ocrMode,
      backend: this.backend,
      pending: owedCount(this.db, ['tagging']),
      tagged,
      failed,
      perSecond: this.done && seconds > 0 ? Math.round((this.done / seconds) * 100) / 100 : 0,
    };
  }

  /**
   * `dam config tagging on|off`, `tagging-threshold` and `ocr off|auto|all`; turning tagging on
   * owes what is untagged, and so does a new OCR mode in a process that runs tagging.
   */
  configure(patch: { enabled?: boolean; threshold?: number; ocr?: OcrMode }): TaggingStatus {
    if (patch.ocr !== undefined) {
      if (!OCR_MODES.includes(patch.ocr))
        throw invalidInput(`ocr is off, auto or all (got "${String(patch.ocr)}")`);
      putTaggingSetting(this.db, 'ocr', patch.ocr);
      if (this.active && this.enabled && patch.enabled === undefined) this.owe();
    }
    if (patch.threshold !== undefined) {
      if (!Number.isFinite(patch.threshold) || patch.threshold <= 0 || patch.threshold >= 1)
        throw invalidInput(`the tagging threshold is a number between 0 and 1 (got ${patch.threshold})`);
      putTaggingSetting(this.db, 'tagging-threshold', String(patch.threshold));
    }
    if (patch.enabled !== undefined) putTaggingSetting(this.db, 'tagging', patch.enabled ? 'on' : 'off');
    if (patch.enabled) this.owe();
    return this.status();
  }

  /** Tagging on or off for one root (on by default). */
  setRoot(rootId: number, on: boolean): void {
    if (!getRoot(this.db, rootId)) throw notFound(`no root ${rootId}`);
    setRootTagging(this.db, rootId, on);
    if (on && this.enabled) this.owe();
  }

  // ---- the user's word --------------------------------------------------------------------

  tagsOf(assetId: number): AutoTag[] {
    return autoTagsOf(this.db, assetId);
  }

  /** The text recognised in the asset's picture (its current file's), or null. */
  textOf(assetId: number): string | null {
    const t = taggingTarget(this.db, assetId);
    return (t && fileText(this.db, t.fileId).ocr) || null;
  }

  /** Why the asset's picture could not be tagged, if it could not. */
  errorOf(assetId: number): string | null {
    return taggingError(this.db, assetId);
  }

  /** The asset's labels that match these (any case), or an error naming the first that matches none. */
  private matching(
    assetId: number,
    labels: readonly string[],
    strict: boolean,
  ): { kind: AutoTagKind; label: string }[] {
    const have = labelsOf(this.db, assetId);
    const out: { kind: AutoTagKind; label: string }[] = [];
    for (const l of labels) {
      const hits = have.filter((h) => wordKey(h.label) === wordKey(l));
      if (!hits.length && strict) throw notFound(`asset ${assetId} has no auto-tag "${l}"`);
      for (const h of hits) if (!out.some((o) => o.kind === h.kind && o.label === h.label)) out.push(h);
    }
    return out;
  }

  /**
   * Accepted auto-tags become keywords through the one writer of fields (change log, sidecar:
   * dc:subject, and lr:hierarchicalSubject as `Objects|bus`). With several assets (a bulk accept on
   * a selection) each takes the labels it has; with one, a label it lacks is an error.
   */
  accept(assetIds: readonly number[], labels: readonly string[], who?: Actor): { updated: number } {
    const strict = assetIds.length === 1;
    const plan = assetIds.map((id) => {
      if (!taggingTarget(this.db, id)) throw notFound(`no asset ${id} in the catalogue`);
      return { id, tags: this.matching(id, labels, strict) };
    });
    // An accepted face is who it is: the names of the people in the picture become its keywords
    // (People|Name in the sidecar); with nobody named yet, the label itself, as any tag.
    const keywordsOf = (id: number, t: { kind: AutoTagKind; label: string }) => {
      const names = t.kind === 'face' ? peopleOfAsset(this.db, id).names : [];
      return names.length ? names : [t.label];
    };
    const edits = plan
      .map((p) => ({
        id: p.id,
        patch: { keywordsAdd: [...new Set(p.tags.flatMap((t) => keywordsOf(p.id, t)))] },
      }))
      .filter((e) => e.patch.keywordsAdd.length);
    if (edits.length) editAssetsRecorded(this.ctx, edits, who);
    this.db.transaction(() => {
      for (const p of plan) for (const t of p.tags) decide(this.db, p.id, t.kind, t.label, 'accepted');
    })();
    const touched = plan.filter((p) => p.tags.length).map((p) => p.id);
    if (touched.length) this.ctx.events.emit('catalog-changed', { assetIds: touched });
    return { updated: touched.length };
  }

  /** Rejected labels are hidden and never proposed again for that asset, whatever later runs find. */
  reject(assetIds: readonly number[], labels: readonly string[]): { updated: number } {
    const strict = assetIds.length === 1;
    const plan = assetIds.map((id) => {
      if (!taggingTarget(this.db, id)) throw notFound(`no asset ${id} in the catalogue`);
      return { id, tags: this.matching(id, labels, strict) };
    });
    this.db.transaction(() => {
      for (const p of plan) for (const t of p.tags) decide(this.db, p.id, t.kind, t.label, 'rejected');
    })();
    const touched = plan.filter((p) => p.tags.length).map((p) => p.id);
    if (touched.length) this.ctx.events.emit('catalog-changed', { assetIds: touched });
    return { updated: touched.length };
  }

  /**
   * Labels put back in the state they had before an accept or reject (the UI's undo): `proposed`
   * takes the decision back, so a later run proposes the label again. Keywords are not touched.
   */
  restore(decisions: readonly TagDecision[]): { updated: number } {
    for (const d of decisions)
      if (!taggingTarget(this.db, d.id)) throw notFound(`no asset ${d.id} in the catalogue`);
    this.db.transaction(() => {
      for (const d of decisions)
        if (d.state === 'proposed') undecide(this.db, d.id, d.kind, d.label);
        else decide(this.db, d.id, d.kind, d.label, d.state);
    })();
    const touched = [...new Set(decisions.map((d) => d.id))];
    this.ctx.events.emit('catalog-changed', { assetIds: touched });
    return { updated: touched.length };
  }
}
