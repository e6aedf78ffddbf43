import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Asset, Root, SearchResult, Stats } from '../../shared/model';
import { openCatalog, type Db, type OpenOptions } from './catalog/open';
import { catalogStats, findAssetIdByPath, getAsset, getAssetsByIds } from './catalog/assets.repository';
import type { StatInfo } from './catalog/files.repository';
import type { CoreContext } from './context';
import { CoreEventBus } from './events';
import { SearchService, type SearchOptions } from './search/executor';
import { RootsService, type AddRootOptions } from './roots/service';
import { Governance } from './governance/service';
import { ContentHistory } from './history/service';
import { TMP_DIR, thumbTempPid } from './ingest/thumb-cache';
import { removeDeadTemps } from './temp-files';
import { ProcessJobs } from './jobs/process-jobs';
import { JobRunner } from './jobs/runner';
import { RenderService } from './jobs/render-service';
import { WorkerPool } from './jobs/worker-pool';
import { Versions } from './versions/service';
import { RenditionsService } from './renditions/service';
import { CropsService } from './renditions/crops';
import { UsageService } from './usage/service';
import { CollectionsService } from './collections/service';
import { Tagging } from './tagging/service';
import { People } from './people/service';
import { editAssetsRecorded } from './governance/set-fields';
import { stmt } from './catalog/statements';
import { faceViews, namedFacesOfAsset, shownSize } from './catalog/faces.repository';
import type { FaceView } from '../../shared/people';
import { ScanService, type ScanReport } from './scanning/service';
import { Publishing } from './publishing/service';
import { FileCredentialStore, type CredentialStore } from './publishing/credentials';
import { Accounts } from './accounts/service';
import { SharesService } from './sharing/shares';
import { UploadPortal } from './sharing/uploads';

export type { AddRootOptions };

/**
 * The catalogue and everything that keeps it current, as one object: what the CLI, the HTTP
 * bridge and the Electron main process all drive. Plain Node; it never imports Electron.
 */
export type { SearchOptions };

/**
 * One ingest worker more than cores (up to 4 cores' worth): a file passes between a worker's JS
 * thread (read, hash, metadata) and libvips (decode, resize, encode), so a worker alone leaves
 * its core idle at each hand-off. Measured on 2 cores, 500 × 24 MP JPEGs: 2 workers kept 1.84
 * cores busy, 3 kept 1.96.
 */
function defaultIngestWorkers(): number {
  return Math.max(1, Math.min(4, os.cpus().length)) + 1;
}

export class Library implements CoreContext {
  readonly events = new CoreEventBus();
  readonly thumbDir: string;
  private pool: WorkerPool | null = null;
  /** The one runner of the job table: ingest, content-history copies and sidecar writes. */
  readonly jobs: JobRunner;
  /** On-demand renders (large previews), apart from the ingest pool. */
  readonly renderer = new RenderService();
  /** Typed queries over the catalogue (the grammar in shared/, compiled to SQL). */
  private readonly searcher: SearchService;
  /** Which folders are roots, and of what kind. */
  private readonly rootService: RootsService;
  /** Rights, approvals and the XMP sidecars that carry them between machines. */
  readonly governance: Governance;
  /** Version stacks: grouping at ingest and the user's operations. */
  readonly versions: Versions;
  /** Rendition presets, renditions and exports. */
  readonly renditions: RenditionsService;
  /** Per-aspect crops (1:1, 4:5, 16:9, free), applied by renditions whose preset names an aspect. */
  readonly crops: CropsService;
  /** Views, downloads, shares and publications of each asset, and the reports over them. */
  readonly usage: UsageService;
  /** Hand-made and smart collections. */
  readonly collections: CollectionsService;
  /** Faces clustered into people, named by the user or by other applications' XMP regions. */
  readonly people: People;
  /** Past contents of files, kept in history/ beside the catalogue. */
  readonly history: ContentHistory;
  /** Scans, the work they owe, and watching the roots. */
  private readonly scanning: ScanService;
  /** Endpoints, the publishing outbox and where each asset is used. */
  readonly publishing: Publishing;
  /** On-device tagging: objects (and the analysers of faces, text, colours) below all other work. */
  readonly tagging: Tagging;
  /** Who may log in to `dam serve` from the network, with which role and scope; their sessions. */
  readonly accounts: Accounts;
  /** Share links: gallery pages of a collection or a selection, served by the HTTP bridge. */
  readonly shares: SharesService;
  /** Upload portal links, and the files that arrive through them. */
  readonly uploads: UploadPortal;

  private constructor(
    readonly dir: string,
    readonly db: Db,
    private readonly workers: number,
    credentials?: CredentialStore,
  ) {
    this.thumbDir = path.join(dir, 'thumbs');
    this.searcher = new SearchService(db, this.thumbDir);
    this.rootService = new RootsService(db);
    this.usage = new UsageService(db, () => this.governance.actor.user);
    this.renditions = new RenditionsService(db, {
      exported: (assetIds, by) => this.usage.downloaded(assetIds, 'export', by),
    });
    this.collections = new CollectionsService(db, this.events, this.searcher);
    this.accounts = new Accounts(db);
    this.jobs = new JobRunner(db, this.events);
    this.governance = new Governance(db, this.events, this.jobs);
    this.crops = new CropsService({
      db,
      events: this.events,
      syncSidecar: (id) => void this.governance.sync(id),
    });
    this.people = new People(db);
    this.versions = new Versions(this);
    this.history = new ContentHistory(db, this.events, dir, () => this.governance.actor, this.jobs);
    // The models take a core each and ~300 MB: never more tagging threads than cores.
    const taggers = Math.max(1, Math.min(2, this.workers, os.cpus().length));
    this.tagging = new Tagging(this, this.jobs, taggers, this.thumbDir);
    const ingest = new ProcessJobs(
      db,
      () => (this.pool ??= new WorkerPool(this.workers)),
      this.workers,
      this.thumbDir,
      this.events,
      this.jobs,
      {
        fileCatalogued: (res) => this.versions.fileCatalogued(res),
        settle: () => this.versions.settle(),
        stored: (before, res) => {
          this.history.noteProcessed(before, res);
          this.tagging.noteProcessed(before.asset_id);
          // Named faces in the file's own XMP (Lightroom, digiKam, Picasa): read when its content is new.
          const regions = res.metadata?.faceRegions;
          if (regions?.length && before.content_hash !== res.contentHash)
            this.people.readRegions(before.asset_id, res.fileId, regions);
        },
      },
    );
    this.scanning = new ScanService({
      db,
      events: this.events,
      jobs: this.jobs,
      catalogDir: dir,
      governance: this.governance,
      history: this.history,
    });
    this.publishing = new Publishing({
      db,
      events: this.events,
      jobs: this.jobs,
      origin: this.governance.origin,
      actor: () => this.governance.actor,
      matches: (query, assetId) => this.searcher.matches(query, assetId),
      select: (query) => this.searcher.searchIds(`versions:all ${query}`),
      // The desktop app swaps in the OS keychain (electron/main); the CLI and dam serve use this file.
      credentials: credentials ?? FileCredentialStore.beside(dir),
      render: (assetId, preset) => this.renditions.render(assetId, preset),
      checkPreset: (name) => void this.renditions.preset(name),
    });
    this.shares = new SharesService({
      db,
      actor: () => this.governance.actor.user,
      select: (query) => this.searcher.searchIds(query),
      preset: (name) => this.renditions.preset(name),
      render: (assetId, preset) => this.renditions.renderWith(assetId, preset),
      originalFile: (assetId) => this.renditions.originalFile(assetId),
    });
    this.uploads = new UploadPortal({
      db,
      events: this.events,
      actor: () => this.governance.actor.user,
      catalogDir: dir,
      kick: () => this.jobs.kick(),
      whenProcessed: (fileId) => this.scanning.whenProcessed(fileId),
    });
    this.jobs.setHandlers({
      process: ingest,
      snapshot: this.history.handler,
      sidecar: this.governance.handler,
      publish: this.publishing.handler,
      tagging: this.tagging.handler,
    });
    this.governance.onGoverned = (id) => this.history.keepCurrent(id, 'governed');
    this.people.onNamesChanged = (ids) => {
      // Names go into each asset's sidecar (PersonInImage, MWG regions), as their own jobs.
      for (const id of ids) void this.governance.sync(id);
      this.events.emit('catalog-changed', { assetIds: ids });
    };
    this.people.onKeywords = (edits) => {
      // Through the one field writer: change log, undo, sidecar (dc:subject, People|Name).
      editAssetsRecorded(
        this,
        edits.map((e) => ({
          id: e.id,
          patch: {
            ...(e.add.length ? { keywordsAdd: e.add } : {}),
            ...(e.remove.length ? { keywordsRemove: e.remove } : {}),
          },
        })),
      );
    };
    this.governance.facesOf = (id) => {
      const regions = namedFacesOfAsset(db, id);
      return regions ? { regions, dims: shownSize(db, id) } : undefined;
    };
    this.governance.onRegions = (id, regions) => {
      const fileId = stmt(db, `SELECT file_id FROM asset_search WHERE asset_id = ?`).pluck().get(id) as
        number | undefined;
      if (fileId !== undefined) db.transaction(() => this.people.readRegions(id, fileId, regions))();
    };
    this.versions.onStacked = (ids) => ids.forEach((id) => this.history.keepCurrent(id, 'governed'));
  }

  /** `credentials`: where endpoint passwords live (the desktop shell's keychain; else a private file beside the catalogue). */
  static open(
    dir: string,
    opts: OpenOptions & { workers?: number; credentials?: CredentialStore } = {},
  ): Library {
    const db = openCatalog(dir, opts);
    const lib = new Library(path.resolve(dir), db, opts.workers ?? defaultIngestWorkers(), opts.credentials);
    if (!opts.readonly) {
      // Jobs a killed or crashed process had claimed are owed again; a live one's are left to it.
      lib.jobs.reclaim();
      removeDeadTemps(path.join(lib.thumbDir, TMP_DIR), thumbTempPid);
      lib.history.store.cleanTemp();
      lib.uploads.cleanAbandoned();
    }
    return lib;
  }

  /** The faces of one asset (the loupe's boxes) or of one person (the People view's crops). */
  faces(where: { assetId: number } | { personId: number }): FaceView[] {
    return faceViews(this.db, where);
  }

  // ---- roots -------------------------------------------------------------------------------

  roots(): Root[] {
    return this.rootService.list();
  }

  addRoot(rootPath: string, opts: AddRootOptions = {}): Root {
    const root = this.rootService.add(rootPath, opts);
    this.scanning.rootAdded(root);
    const { dev: _dev, ...pub } = root;
    return pub;
  }

  async removeRoot(id: number): Promise<void> {
    await this.scanning.rootRemoved(id);
    this.rootService.remove(id);
  }

  // ---- scanning and processing (ScanService) -------------------------------------------

  /**
   * One pass over every root (or those given); resolves when all the work it found is done.
   * `failed` names what `errors` counts: unreadable folders, files with a recorded error and
   * sidecars that cannot be parsed.
   */
  scan(rootIds?: number[]): Promise<ScanReport> {
    return this.scanning.scan(rootIds);
  }

  /** Finish work left owed by an earlier run (including one that was killed). */
  processPending(): Promise<void> {
    return this.scanning.processPending();
  }

  /** Owe the reading of a file again (its content changed under us), and start on it. */
  reprocess(fileId: number, s: StatInfo): void {
    this.scanning.reprocess(fileId, s);
  }

  /** Resolves once ingest owes this file nothing (or owes nothing it can do now, e.g. its root is offline). */
  whenProcessed(fileId: number): Promise<void> {
    return this.scanning.whenProcessed(fileId);
  }

  /** Watch every root until stopWatching(); catches up with changes made while not watching. */
  startWatching(): Promise<void> {
    return this.scanning.startWatching();
  }

  isWatchingWithPolling(rootId: number): boolean | undefined {
    return this.scanning.isWatchingWithPolling(rootId);
  }

  stopWatching(): Promise<void> {
    return this.scanning.stopWatching();
  }

  // ---- reading ---------------------------------------------------------------------------

  search(query: string, opts: SearchOptions = {}): SearchResult {
    return this.searcher.search(query, opts);
  }

  /** Matching ids in display order; all of them unless `limit` (from `offset`) bounds the answer. */
  /** Which of these assets an account limited to the collections `scope` may see. */
  inScope(assetIds: readonly number[], scope: readonly number[]): Set<number> {
    return this.searcher.inScope(assetIds, scope);
  }

  searchIds(query: string, opts: SearchOptions = {}): number[] {
    return this.searcher.searchIds(query, opts);
  }

  assets(ids: number[]): Asset[] {
    return getAssetsByIds(this.db, ids, this.thumbDir);
  }

  asset(id: number): Asset | undefined {
    return getAsset(this.db, id, this.thumbDir);
  }

  /** An asset by catalogue id or by the path of its file. */
  findAsset(idOrPath: string): Asset | undefined {
    if (/^\d+$/.test(idOrPath)) {
      const byId = this.asset(Number(idOrPath));
      if (byId) return byId;
    }
    let abs = path.resolve(idOrPath);
    try {
      abs = fs.realpathSync(abs);
    } catch {
      // A missing file can still be looked up by the path it had.
    }
    const id = findAssetIdByPath(this.db, abs);
    return id == null ? undefined : this.asset(id);
  }

  stats(): Stats {
    return catalogStats(this.db);
  }

  async close(): Promise<void> {
    this.publishing.stop();
    await this.stopWatching();
    // Results still batched are stored first, then the sidecar writes they (or earlier edits) owe are
    // done; anything else owed stays in the job table for the next run.
    await this.jobs.stop(['sidecar']);
    await this.governance.flush();
    await this.history.close();
    await this.pool?.close();
    await this.tagging.close();
    await this.renderer.close();
    this.db.close();
  }
}
