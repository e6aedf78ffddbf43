import { z } from 'zod';
import { AUTO_TAG_KINDS, AUTO_TAG_STATES, OCR_MODES, type AutoTag, type TaggingStatus } from './auto-tags';
import type { ColorFamily } from './colors';
import type { DuplicateGroup } from './duplicates';
import type { ApiError } from './errors';
import { PASSWORD_MAX, ROLES, USER_NAME_MAX, type Role, type SessionInfo, type UserInfo } from './accounts';
import { COLLECTION_NAME_MAX, type CollectionNode } from './collections';
import type { CoreEvents } from './events';
import { RENDITION_FORMATS, type RenditionPreset } from './renditions';
import { CROP_ASPECTS, type AssetCrop } from './crops';
import {
  DELIVERIES,
  ENDPOINT_TYPES,
  REQUIRABLE_FIELDS,
  type DeliveryResult,
  type Endpoint,
  type Publication,
  type PublishQueue,
  type SyncReport,
} from './publishing';
import { LABELS } from './labels';
import type { Asset, Root, ScanSummary, SearchResult, Stats } from './model';
import { PERSON_NAME_MAX, type FaceView, type Person } from './people';
import {
  APPROVAL_ACTIONS,
  CHANNELS,
  LICENSE_TYPES,
  RELEASE_STATUSES,
  SIDECAR_NAMINGS,
  type ApprovalState,
  type GovernanceSettings,
  type HistoryEntry,
  type RightsTemplate,
  type Warning,
} from './governance';
import {
  DOWNLOAD_LEVELS,
  type CreatedShare,
  type CreatedUploadLink,
  type ShareInfo,
  type UploadLinkInfo,
} from './sharing';
import { USAGE_REPORTS, type AssetUsage, type UsageReport } from './usage';
import { HISTORY_SCOPES, type ContentSnapshot, type HistoryStoreStatus, type VersionStack } from './versions';

/**
 * The one API between the UI and the core: every operation's name, its input schema (validated at
 * every boundary: Electron IPC and HTTP alike) and its result type. Adapters are generic over
 * this table; nothing else defines an endpoint.
 */

const id = z.number().int().positive();
const ids = z.array(id).min(1).max(100_000);

export { LABELS, type Label } from './labels';
export const FLAGS = ['pick', 'reject'] as const;
export type Flag = (typeof FLAGS)[number];

export const editPatch = z
  .object({
    title: z.string().max(2000).nullable(),
    description: z.string().max(20_000).nullable(),
    rating: z.number().int().min(0).max(5).nullable(),
    label: z.enum(LABELS).nullable(),
    flag: z.enum(FLAGS).nullable(),
    keywords: z.array(z.string().trim().min(1).max(200)).max(500).nullable(),
    keywordsAdd: z.array(z.string().trim().min(1).max(200)).max(500),
    keywordsRemove: z.array(z.string().trim().min(1).max(200)).max(500),
  })
  .partial()
  .strict();
export type EditPatch = z.infer<typeof editPatch>;

const text = (max: number) => z.string().max(max).nullable();
const words = z.array(z.string().trim().min(1).max(200)).max(500);
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expects a date like 2027-01-31')
  .nullable();

/** Rights (IPTC/PLUS) and accessibility text; with editPatch, every field a person governs. */
export const rightsPatch = z
  .object({
    altText: text(2000),
    extendedDescription: text(20_000),
    creator: text(2000),
    credit: text(2000),
    copyrightNotice: text(2000),
    copyrightOwner: text(2000),
    licensor: text(2000),
    licenseType: z.enum(LICENSE_TYPES).nullable(),
    usageTerms: text(20_000),
    channels: z.array(z.enum(CHANNELS)).max(CHANNELS.length).nullable(),
    channelsAdd: z.array(z.enum(CHANNELS)).max(CHANNELS.length),
    channelsRemove: z.array(z.enum(CHANNELS)).max(CHANNELS.length),
    territories: words.nullable(),
    territoriesAdd: words,
    territoriesRemove: words,
    licenseStart: day,
    licenseEnd: day,
    modelRelease: z.enum(RELEASE_STATUSES).nullable(),
    propertyRelease: z.enum(RELEASE_STATUSES).nullable(),
    restrictions: text(20_000),
  })
  .partial()
  .strict();

/** Any governed field; null or an empty list clears it. Written to the asset's XMP sidecar too. */
export const fieldPatch = editPatch.extend(rightsPatch.shape).strict();
export type FieldPatch = z.infer<typeof fieldPatch>;

export interface TransitionResult {
  id: number;
  ok: boolean;
  state: ApprovalState;
  /** Why it was refused: a code and reason to word it by, and the core's own sentence. */
  error?: ApiError;
}

/** What a setFields changed; `previous`, sent back through setFieldsEach, undoes it. */
export interface FieldsResult {
  updated: number;
  previous: { id: number; patch: FieldPatch }[];
}

/** What an edit replaced, per asset: sending these back as patches undoes it. */
export interface EditResult {
  updated: number;
  previous: { id: number; patch: EditPatch }[];
}

/** What the filter bar offers, with how many assets each finds. */
export interface Facets {
  cameras: { name: string; count: number }[];
  years: { year: number; count: number }[];
  approvals: { state: ApprovalState; count: number }[];
  warnings: { warning: Warning; count: number }[];
  /** Dominant colour families, with how many assets `color:FAMILY` finds. */
  colors: { family: ColorFamily; count: number }[];
  /** Named people, with how many assets `person:NAME` finds. */
  people: { name: string; count: number }[];
}

/** A folder of a root, one level of the tree at a time (roots.folders). */
export interface FolderNode {
  rootId: number;
  /** Relative to the root, '/'-separated. */
  path: string;
  name: string;
  /** Assets at or below this folder. */
  count: number;
  /** It holds folders of its own: the tree shows it as expandable and asks for them when opened. */
  hasChildren: boolean;
}

/** The machine the catalogue lives on, as the UI needs it (`dam serve` may run elsewhere). */
export interface HostInfo {
  /** Node's platform name: 'linux', 'darwin', 'win32', ... */
  platform: string;
  home: string;
  /** A folder path as this platform writes it, for placeholders and hints. */
  examplePath: string;
  separator: '/' | '\\';
}

/** A folder the folder browser starts from: the home folder, or a mounted drive or share. */
export interface Place {
  name: string;
  path: string;
}

/** One folder's sub-folders (names only, never files) for the folder browser. */
export interface FolderListing {
  /** Absolute and resolved; null for the list of places. */
  path: string | null;
  /** One level up, or null at a place (its parent is outside what may be browsed). */
  parent: string | null;
  folders: Place[];
  places: Place[];
}

/** The most ids one assets.ids call answers: a whole 100,000-asset grid in one page. */
export const ID_PAGE_MAX = 100_000;

/** A page of assets.ids: `more` when ids after these match too (ask again from offset + ids.length). */
export interface IdPage {
  ids: number[];
  more: boolean;
}

/** Curried so the input schema's type is inferred while the result type is named. */
function op<R>() {
  return <I extends z.ZodType>(input: I): { input: I; result: R } => ({
    input,
    result: undefined as unknown as R,
  });
}

/** A patch per asset, for edits that differ by asset (an undo puts back what each one had). */
const eachOf = <P extends z.ZodType>(patch: P) =>
  z.object({ edits: z.array(z.object({ id, patch }).strict()).min(1).max(100_000) }).strict();

const sortKey = z.enum(['captureDate', 'name', 'size', 'rating', 'added']);
const sortDir = z.enum(['asc', 'desc']);
const nothing = z.object({}).strict();
const presetInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    longEdge: z.number().int().min(16).max(65_000).nullable(),
    format: z.enum(RENDITION_FORMATS),
    quality: z.number().int().min(1).max(100),
    keepGps: z.boolean(),
    keepSerials: z.boolean(),
    watermark: z.string().max(200).nullable(),
    fileName: z.string().min(1).max(200),
    aspect: z.enum(CROP_ASPECTS).nullable().optional(),
  })
  .strict();

/** What an export wrote, and what it could not (each with its reason). */
export interface ExportResult {
  /** The folder or zip file written. */
  to: string;
  files: { assetId: number; name: string; bytes: number }[];
  failed: { assetId: number; reason: string }[];
}
const collectionName = z.string().max(COLLECTION_NAME_MAX);

const endpointName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'use letters, digits, . _ - (up to 64), starting with a letter or digit',
  );
/**
 * An endpoint's settings as the UI edits them. `password` is write-only: it goes to the credential
 * store (never the catalogue) and no result or event carries it back (an Endpoint says only
 * `hasPassword`).
 */
const endpointFields = {
  url: z.string().trim().min(1).max(2048),
  user: z.string().max(200).nullable(),
  password: z.string().min(1).max(1000),
  channel: z.enum(CHANNELS),
  select: z.string().max(2000),
  preset: z.string().min(1).max(100).nullable(),
  fieldMap: z
    .record(z.string().min(1).max(100), z.string().max(2000))
    .refine((m) => Object.keys(m).length <= 50, {
      message: 'at most 50 mapped fields',
    }),
  required: z.array(z.enum(REQUIRABLE_FIELDS)).max(REQUIRABLE_FIELDS.length),
  delivery: z.enum(DELIVERIES),
  /** Settings of one type only (shared/publishing.ts EndpointOptions); the core checks which apply. */
  options: z
    .object({
      region: z.string().min(1).max(40).optional(),
      keyTemplate: z.string().min(1).max(300).optional(),
      inlineLimit: z.number().int().positive().optional(),
      folder: z.string().min(1).max(200).optional(),
    })
    .strict(),
};

export const operations = {
  'roots.list': op<Root[]>()(nothing),
  'roots.add': op<Root>()(
    z
      .object({
        path: z.string().min(1).max(4096),
        network: z.boolean().optional(),
        name: z.string().max(200).optional(),
      })
      .strict(),
  ),
  'host.info': op<HostInfo>()(nothing),
  /**
   * Sub-folders of a folder under the home folder or a mounted drive (absent: those places), for
   * adding a root where no native folder dialog exists. Hidden folders and files are never listed.
   */
  'folders.browse': op<FolderListing>()(z.object({ path: z.string().max(4096).optional() }).strict()),
  'roots.remove': op<{ removed: number }>()(z.object({ id }).strict()),
  /** The folders directly inside parent ('' or absent: the root's top level). */
  'roots.folders': op<FolderNode[]>()(
    z.object({ rootId: id, parent: z.string().max(4096).optional() }).strict(),
  ),
  scan: op<ScanSummary>()(z.object({ rootIds: z.array(id).optional() }).strict()),
  'assets.search': op<SearchResult>()(
    z
      .object({
        query: z.string().max(2000),
        limit: z.number().int().min(1).max(10_000).optional(),
        offset: z.number().int().min(0).optional(),
        sort: sortKey.optional(),
        dir: sortDir.optional(),
      })
      .strict(),
  ),
  /**
   * Matching ids in display order, a bounded page at a time (at most ID_PAGE_MAX, the default):
   * the grid holds the list, asks for the next page while `more`, and fetches details for visible rows.
   */
  'assets.ids': op<IdPage>()(
    z
      .object({
        query: z.string().max(2000),
        sort: sortKey.optional(),
        dir: sortDir.optional(),
        offset: z.number().int().min(0).optional(),
        limit: z.number().int().min(1).max(ID_PAGE_MAX).optional(),
      })
      .strict(),
  ),
  'assets.get': op<Asset[]>()(z.object({ ids: ids.max(2000) }).strict()),
  'assets.edit': op<EditResult>()(z.object({ ids, patch: editPatch }).strict()),
  'assets.editEach': op<EditResult>()(eachOf(editPatch)),
  'keywords.suggest': op<string[]>()(
    z.object({ prefix: z.string().max(200), limit: z.number().int().min(1).max(100).optional() }).strict(),
  ),
  stats: op<Stats>()(nothing),
  /** Values to filter by, with counts: cameras, capture years, approval states and warnings. */
  facets: op<Facets>()(nothing),
  'problems.list': op<{ assetId: number; path: string; error: string }[]>()(
    z.object({ limit: z.number().int().min(1).max(10_000).optional() }).strict(),
  ),
  /** Set governed fields (rights, alt text, title, keywords, ...) on each asset; recorded in history and sidecars. */
  'assets.setFields': op<FieldsResult>()(z.object({ ids, patch: fieldPatch }).strict()),
  /** A patch per asset: how the UI undoes a setFields (with its `previous`). */
  'assets.setFieldsEach': op<FieldsResult>()(eachOf(fieldPatch)),
  'assets.transition': op<TransitionResult[]>()(
    z.object({ ids, action: z.enum(APPROVAL_ACTIONS), comment: z.string().max(2000).optional() }).strict(),
  ),
  'assets.history': op<HistoryEntry[]>()(z.object({ id }).strict()),
  'rights.templates.list': op<RightsTemplate[]>()(nothing),
  'rights.templates.save': op<RightsTemplate>()(
    z.object({ name: z.string().trim().min(1).max(200), fields: rightsPatch }).strict(),
  ),
  'rights.templates.delete': op<{ removed: boolean }>()(z.object({ name: z.string().max(200) }).strict()),
  'rights.templates.apply': op<{ updated: number }>()(z.object({ name: z.string().max(200), ids }).strict()),
  'governance.settings': op<GovernanceSettings>()(
    z
      .object({
        sidecarNaming: z.enum(SIDECAR_NAMINGS),
        requireRightsForApproval: z.boolean(),
        expiryWarningDays: z.number().int().min(0).max(3650),
        embedXmp: z.boolean(),
        modelReleaseChannels: z.array(z.enum(CHANNELS)).max(CHANNELS.length),
      })
      .partial()
      .strict(),
  ),
  /** The stack an asset belongs to, in order; a stack of one (stackId null) for an asset alone. */
  'versions.list': op<VersionStack>()(z.object({ id }).strict()),
  /**
   * Group assets (and the stacks they are in) into one stack; current defaults to the most final
   * version (_final, then the highest _vN, a JPEG over its RAW, then the newest added).
   */
  'versions.group': op<VersionStack>()(z.object({ ids: ids.min(2), currentId: id.optional() }).strict()),
  /** Take assets out of their stacks (each stands alone again). */
  'versions.ungroup': op<{ updated: number }>()(z.object({ ids }).strict()),
  /** Put a stack's versions in this order (every member, once). */
  'versions.reorder': op<VersionStack>()(z.object({ stackId: id, order: ids }).strict()),
  'versions.setCurrent': op<VersionStack>()(z.object({ id }).strict()),
  /**
   * Pictures catalogued more than once (the same bytes) and, with `near`, near-identical ones
   * (bursts, re-saves), each group with a suggested keeper; rejected members and groups already
   * stacked are left out. Keep, reject (assets.setFields flag) or stack (versions.group) act on them.
   */
  'duplicates.list': op<DuplicateGroup[]>()(
    z.object({ near: z.boolean().optional(), limit: z.number().int().min(1).max(5000).optional() }).strict(),
  ),
  /** Past and present contents of an asset's file, newest first. */
  'history.snapshots': op<ContentSnapshot[]>()(z.object({ id }).strict()),
  /** Write a kept content back to the file (the present content is kept first, so it can be undone). */
  'history.restore': op<{ restored: boolean; hash: string }>()(
    z.object({ id, hash: z.string().regex(/^[0-9a-f]{64}$/, 'expects a SHA-256 in hex') }).strict(),
  ),
  'history.status': op<HistoryStoreStatus>()(nothing),
  'history.settings': op<HistoryStoreStatus>()(
    z
      .object({
        limitMb: z.number().int().min(100).max(100_000_000),
        scope: z.enum(HISTORY_SCOPES),
      })
      .partial()
      .strict(),
  ),
  /** Clusters of faces across the catalogue, named people first. */
  'people.list': op<Person[]>()(nothing),
  /** The faces of one asset (the loupe's boxes) or of one person (the People view). */
  'people.faces': op<FaceView[]>()(
    z.union([z.object({ assetId: id }).strict(), z.object({ personId: id }).strict()]),
  ),
  /** Names a cluster (every face in it); a name another person has merges the two. null clears the name. */
  'people.name': op<{ personId: number }>()(
    z.object({ id, name: z.string().max(PERSON_NAME_MAX).nullable() }).strict(),
  ),
  /** Every face of `from` joins `into`. */
  'people.merge': op<{ personId: number }>()(z.object({ into: id, from: id }).strict()),
  /** Takes a face out of its cluster into one of its own. */
  'people.split': op<{ personId: number }>()(z.object({ faceId: id }).strict()),
  /** Not a face (or not to be counted): out of its cluster, never detected again. */
  'people.removeFace': op<{ removed: number }>()(z.object({ faceId: id }).strict()),
  'tags.list': op<AutoTag[]>()(z.object({ id }).strict()),
  /** Accepted auto-tags become keywords; with several ids (a selection) each takes the labels it has. */
  'tags.accept': op<{ updated: number }>()(
    z
      .object({ ids: ids.max(10_000), labels: z.array(z.string().trim().min(1).max(200)).min(1).max(100) })
      .strict(),
  ),
  /** Rejected auto-tags are never proposed again for those assets. */
  'tags.reject': op<{ updated: number }>()(
    z
      .object({ ids: ids.max(10_000), labels: z.array(z.string().trim().min(1).max(200)).min(1).max(100) })
      .strict(),
  ),
  /**
   * Puts labels back in the state they had (the undo of an accept or reject): `proposed` takes
   * the decision back. Keywords an accept added are the caller's to remove (assets.editEach).
   */
  'tags.restore': op<{ updated: number }>()(
    z
      .object({
        decisions: z
          .array(
            z
              .object({
                id,
                kind: z.enum(AUTO_TAG_KINDS),
                label: z.string().trim().min(1).max(200),
                state: z.enum(AUTO_TAG_STATES),
              })
              .strict(),
          )
          .min(1)
          .max(10_000),
      })
      .strict(),
  ),
  /** Object labels with how many assets carry them (rejected ones left out), most frequent first. */
  'tags.facet': op<{ label: string; count: number }[]>()(
    z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
  ),
  'tagging.status': op<TaggingStatus>()(nothing),
  'tagging.pause': op<TaggingStatus>()(nothing),
  'tagging.resume': op<TaggingStatus>()(nothing),
  'tagging.settings': op<TaggingStatus>()(
    z
      .object({ enabled: z.boolean(), threshold: z.number().gt(0).lt(1), ocr: z.enum(OCR_MODES) })
      .partial()
      .strict(),
  ),
  'collections.list': op<CollectionNode[]>()(nothing),
  'collections.create': op<CollectionNode>()(
    z
      .object({
        name: collectionName,
        parentId: id.nullable().optional(),
        query: z.string().max(4000).nullable().optional(),
      })
      .strict(),
  ),
  'collections.update': op<CollectionNode>()(
    z
      .object({
        id,
        name: collectionName.optional(),
        parentId: id.nullable().optional(),
        query: z.string().max(4000).nullable().optional(),
      })
      .strict(),
  ),
  'collections.remove': op<{ removed: number }>()(z.object({ id }).strict()),
  'collections.addAssets': op<{ added: number; ids: number[] }>()(z.object({ id, ids }).strict()),
  'collections.removeAssets': op<{ removed: number; ids: number[] }>()(z.object({ id, ids }).strict()),
  'renditions.presets': op<RenditionPreset[]>()(nothing),
  'renditions.savePreset': op<RenditionPreset>()(presetInput),
  'renditions.removePreset': op<{ removed: boolean }>()(z.object({ name: z.string().max(100) }).strict()),
  'assets.export': op<ExportResult>()(
    z
      .object({
        ids: ids.max(10_000),
        preset: z.string().min(1).max(100),
        to: z.string().min(1).max(4096),
        /** Frame to this aspect instead of the preset's. */
        aspect: z.enum(CROP_ASPECTS).optional(),
      })
      .strict(),
  ),
  /** An asset's per-aspect crops (boxes normalised 0..1 in the upright picture). */
  'assets.crops': op<AssetCrop[]>()(z.object({ id }).strict()),
  /** Set one aspect's crop; a fixed aspect's box must have its shape in pixels. Answers the crops. */
  'assets.setCrop': op<AssetCrop[]>()(
    z
      .object({
        id,
        aspect: z.enum(CROP_ASPECTS),
        box: z
          .object({
            x: z.number().min(0).max(1),
            y: z.number().min(0).max(1),
            w: z.number().gt(0).max(1),
            h: z.number().gt(0).max(1),
          })
          .strict(),
      })
      .strict(),
  ),
  'assets.clearCrop': op<AssetCrop[]>()(z.object({ id, aspect: z.enum(CROP_ASPECTS) }).strict()),
  'endpoints.list': op<Endpoint[]>()(nothing),
  'endpoints.add': op<Endpoint>()(
    z
      .object({ name: endpointName, type: z.enum(ENDPOINT_TYPES), ...endpointFields })
      .partial({
        user: true,
        password: true,
        channel: true,
        select: true,
        preset: true,
        fieldMap: true,
        required: true,
        delivery: true,
        options: true,
      })
      .strict(),
  ),
  /** Change an endpoint's settings; `password` replaces the stored one, `password: null` forgets it. */
  'endpoints.update': op<Endpoint>()(
    z
      .object({ name: endpointName, ...endpointFields, password: endpointFields.password.nullable() })
      .partial()
      .required({ name: true })
      .strict(),
  ),
  'endpoints.remove': op<{ removed: string }>()(z.object({ name: endpointName }).strict()),
  /** Log in and check the right to upload: `ok`, and what happened in words. */
  'endpoints.test': op<{ ok: boolean; message: string }>()(z.object({ name: endpointName }).strict()),
  /**
   * Publish now (to one endpoint, or every one): per asset and endpoint what happened, refusals with
   * their reason; a dry run says what would happen and changes nothing.
   */
  'publish.assets': op<DeliveryResult[]>()(
    z
      .object({ ids: ids.max(10_000), endpoint: endpointName.optional(), dryRun: z.boolean().optional() })
      .strict(),
  ),
  /** Deliver everything owed now; answers when done. */
  'publish.sync': op<SyncReport & { results: DeliveryResult[] }>()(nothing),
  /** Where an asset is used: every publication, newest first. */
  'publications.list': op<Publication[]>()(z.object({ id }).strict()),
  /** Deliver again what failed (or waits) for an asset: on one endpoint, or every one where it failed. */
  'publications.retry': op<DeliveryResult[]>()(z.object({ id, endpoint: endpointName.optional() }).strict()),
  /** What the outbox owes, per endpoint: pending and failed deliveries, and whether it is reachable. */
  'publish.queue': op<PublishQueue>()(nothing),
  /**
   * A share link (a gallery page at /s/TOKEN) for a collection (what it holds at each visit) or a
   * selection (these assets). The token is in the answer once and never kept.
   */
  'shares.create': op<CreatedShare>()(
    z
      .object({
        collectionId: id.optional(),
        assetIds: ids.max(10_000).optional(),
        expires: day.optional(),
        password: z.string().min(4).max(1000).nullable().optional(),
        download: z.enum(DOWNLOAD_LEVELS).optional(),
        preset: z.string().min(1).max(100).optional(),
        watermark: z.string().max(200).nullable().optional(),
        channel: z.enum(CHANNELS).optional(),
      })
      .strict()
      .refine((v) => (v.collectionId === undefined) !== (v.assetIds === undefined), {
        message: 'give a collectionId or assetIds, not both',
      }),
  ),
  /** Every share link, with its state and how often it was visited and downloaded from. */
  'shares.list': op<ShareInfo[]>()(nothing),
  'shares.revoke': op<ShareInfo>()(z.object({ id }).strict()),
  /** An upload portal link (a page at /u/TOKEN): files land in ROOT/FOLDER/UPLOADER/ as drafts. */
  'uploadLinks.create': op<CreatedUploadLink>()(
    z
      .object({
        rootId: id,
        folder: z.string().max(500).optional(),
        expires: day.optional(),
        maxSize: z
          .number()
          .int()
          .min(1)
          .max(2 ** 50)
          .optional(),
      })
      .strict(),
  ),
  'uploadLinks.list': op<UploadLinkInfo[]>()(nothing),
  'uploadLinks.revoke': op<UploadLinkInfo>()(z.object({ id }).strict()),
  /** Who is asking: name, role and the collections the account is limited to (the UI hides by it). */
  'session.me': op<SessionInfo>()(nothing),
  /** Ends every session of the logged-in account, this one included (every browser, every machine). */
  'session.logoutEverywhere': op<{ ended: number }>()(nothing),
  /** Accounts for `dam serve` (Settings → Users); never a password or its hash. */
  'users.list': op<UserInfo[]>()(nothing),
  'users.add': op<UserInfo>()(
    z
      .object({
        name: z.string().max(USER_NAME_MAX),
        role: z.enum(ROLES),
        password: z.string().max(PASSWORD_MAX).optional(),
        collections: z.array(id).max(1000).optional(),
      })
      .strict(),
  ),
  /** Role, the collections a viewer or contributor is limited to, disabled; unlock lifts a lockout. */
  'users.update': op<UserInfo>()(
    z
      .object({
        id,
        role: z.enum(ROLES).optional(),
        collections: z.array(id).max(1000).optional(),
        disabled: z.boolean().optional(),
        unlock: z.literal(true).optional(),
      })
      .strict(),
  ),
  /** A new password (reset): lifts a lockout and ends the account's sessions. */
  'users.setPassword': op<UserInfo>()(z.object({ id, password: z.string().max(PASSWORD_MAX) }).strict()),
  'users.remove': op<UserInfo>()(z.object({ id }).strict()),
  /** The loupe showed this asset: one view (a repeat by the same person within 30 minutes is not counted). */
  'usage.viewed': op<{ recorded: boolean }>()(z.object({ id }).strict()),
  /** An asset's views, downloads, shares and publications, with who and when, newest first. */
  'usage.asset': op<AssetUsage>()(
    z.object({ id, limit: z.number().int().min(0).max(10_000).optional() }).strict(),
  ),
  /** Most used, never used in N months, or published with a licence ending within N days. */
  'usage.report': op<UsageReport>()(
    z
      .object({
        kind: z.enum(USAGE_REPORTS),
        months: z.number().int().min(1).max(600).optional(),
        days: z.number().int().min(1).max(3650).optional(),
        limit: z.number().int().min(1).max(10_000).optional(),
      })
      .strict(),
  ),
  // Desktop-only: answered by the Electron shell; the HTTP bridge refuses them with a reason.
  'desktop.pickFolder': op<string | null>()(nothing),
  'desktop.reveal': op<{ ok: true }>()(z.object({ id }).strict()),
  'desktop.open': op<{ ok: true }>()(z.object({ id }).strict()),
} as const;

export type Operations = typeof operations;
export type OpName = keyof Operations;
export type OpInput<K extends OpName> = z.input<Operations[K]['input']>;
export type OpResult<K extends OpName> = Operations[K]['result'];

export type OpParsed<K extends OpName> = z.output<Operations[K]['input']>;

/**
 * Which assets an operation touches, for an account limited to collections:
 * - 'none': no asset (settings, presets, who am I);
 * - 'catalogue': the catalogue as a whole (roots, counts, facets, people): refused to such an account;
 * - 'filtered': the handler answers only what the account's collections hold (search, lists);
 * - a function: the asset ids the input names; one outside the scope is answered as a missing asset.
 */
export type AssetScope<K extends OpName> =
  'none' | 'catalogue' | 'filtered' | ((input: OpParsed<K>) => readonly number[]);

export interface OpAccess<K extends OpName> {
  /** The least role that may call it (a function when it depends on the input: reading vs writing settings). */
  role: Role | ((input: OpParsed<K>) => Role);
  assets: AssetScope<K>;
}

const anyone = 'viewer' as const;
const writes = (input: object): Role => (Object.keys(input).length ? 'admin' : 'viewer');
const theId = (i: { id: number }) => [i.id];
const theIds = (i: { ids: readonly number[] }) => i.ids;
const eachId = (i: { edits: readonly { id: number }[] }) => i.edits.map((e) => e.id);

/**
 * Who may call each operation, in one place: the HTTP bridge enforces it for logged-in accounts
 * (403 for a role, 404 for an asset outside the scope); the UI reads it to hide what the role
 * cannot do. A new operation does not compile until it is declared here.
 */
export const ACCESS: { [K in OpName]: OpAccess<K> } = {
  'roots.list': { role: anyone, assets: 'catalogue' },
  'roots.add': { role: 'admin', assets: 'none' },
  'host.info': { role: 'admin', assets: 'none' },
  'folders.browse': { role: 'admin', assets: 'none' },
  'roots.remove': { role: 'admin', assets: 'none' },
  'roots.folders': { role: anyone, assets: 'catalogue' },
  scan: { role: 'admin', assets: 'none' },
  'assets.search': { role: anyone, assets: 'filtered' },
  'assets.ids': { role: anyone, assets: 'filtered' },
  'assets.get': { role: anyone, assets: 'filtered' },
  'assets.edit': { role: 'contributor', assets: theIds },
  'assets.editEach': { role: 'contributor', assets: eachId },
  'keywords.suggest': { role: 'contributor', assets: 'catalogue' },
  stats: { role: anyone, assets: 'catalogue' },
  facets: { role: anyone, assets: 'catalogue' },
  'problems.list': { role: 'admin', assets: 'catalogue' },
  'assets.setFields': { role: 'contributor', assets: theIds },
  'assets.setFieldsEach': { role: 'contributor', assets: eachId },
  // Submitting for review is a contributor's; deciding is an approver's.
  'assets.transition': { role: (i) => (i.action === 'submit' ? 'contributor' : 'approver'), assets: theIds },
  'assets.history': { role: anyone, assets: theId },
  'rights.templates.list': { role: 'contributor', assets: 'none' },
  'rights.templates.save': { role: 'contributor', assets: 'none' },
  'rights.templates.delete': { role: 'contributor', assets: 'none' },
  'rights.templates.apply': { role: 'contributor', assets: theIds },
  'governance.settings': { role: writes, assets: 'none' },
  'versions.list': { role: anyone, assets: theId },
  'versions.group': { role: 'contributor', assets: (i) => [...i.ids, ...(i.currentId ? [i.currentId] : [])] },
  'versions.ungroup': { role: 'contributor', assets: theIds },
  'versions.reorder': { role: 'contributor', assets: (i) => i.order },
  'versions.setCurrent': { role: 'contributor', assets: theId },
  'duplicates.list': { role: 'contributor', assets: 'catalogue' },
  'history.snapshots': { role: anyone, assets: theId },
  'history.restore': { role: 'contributor', assets: theId },
  'history.status': { role: anyone, assets: 'none' },
  'history.settings': { role: writes, assets: 'none' },
  'people.list': { role: anyone, assets: 'catalogue' },
  'people.faces': { role: anyone, assets: (i) => ('assetId' in i ? [i.assetId] : []) },
  'people.name': { role: 'contributor', assets: 'catalogue' },
  'people.merge': { role: 'contributor', assets: 'catalogue' },
  'people.split': { role: 'contributor', assets: 'catalogue' },
  'people.removeFace': { role: 'contributor', assets: 'catalogue' },
  'tags.list': { role: anyone, assets: theId },
  'tags.accept': { role: 'contributor', assets: theIds },
  'tags.reject': { role: 'contributor', assets: theIds },
  'tags.restore': { role: 'contributor', assets: (i) => i.decisions.map((d) => d.id) },
  'tags.facet': { role: anyone, assets: 'catalogue' },
  'tagging.status': { role: anyone, assets: 'none' },
  'tagging.pause': { role: 'admin', assets: 'none' },
  'tagging.resume': { role: 'admin', assets: 'none' },
  'tagging.settings': { role: writes, assets: 'none' },
  'collections.list': { role: anyone, assets: 'filtered' },
  'collections.create': { role: 'contributor', assets: 'catalogue' },
  'collections.update': { role: 'contributor', assets: 'catalogue' },
  'collections.remove': { role: 'contributor', assets: 'catalogue' },
  'collections.addAssets': { role: 'contributor', assets: theIds },
  'collections.removeAssets': { role: 'contributor', assets: theIds },
  'renditions.presets': { role: anyone, assets: 'none' },
  'renditions.savePreset': { role: 'admin', assets: 'none' },
  'renditions.removePreset': { role: 'admin', assets: 'none' },
  // It writes files on the server's disk, wherever `to` says.
  'assets.export': { role: 'admin', assets: theIds },
  'assets.crops': { role: anyone, assets: theId },
  'assets.setCrop': { role: 'contributor', assets: theId },
  'assets.clearCrop': { role: 'contributor', assets: theId },
  'endpoints.list': { role: 'admin', assets: 'none' },
  'endpoints.add': { role: 'admin', assets: 'none' },
  'endpoints.update': { role: 'admin', assets: 'none' },
  'endpoints.remove': { role: 'admin', assets: 'none' },
  'endpoints.test': { role: 'admin', assets: 'none' },
  // Sending assets out of the studio is a decision: an approver's (never limited to collections).
  'publish.assets': { role: 'approver', assets: theIds },
  'publish.sync': { role: 'approver', assets: 'catalogue' },
  'publications.list': { role: anyone, assets: theId },
  'usage.viewed': { role: anyone, assets: theId },
  'usage.asset': { role: anyone, assets: theId },
  // Figures across the whole catalogue: not for an account limited to collections.
  'usage.report': { role: 'contributor', assets: 'catalogue' },
  'publications.retry': { role: 'approver', assets: theId },
  'publish.queue': { role: 'approver', assets: 'catalogue' },
  'shares.create': { role: 'approver', assets: 'catalogue' },
  'shares.list': { role: 'approver', assets: 'catalogue' },
  'shares.revoke': { role: 'approver', assets: 'catalogue' },
  // Opens a folder of a root to outsiders: an admin's.
  'uploadLinks.create': { role: 'admin', assets: 'none' },
  'uploadLinks.list': { role: 'admin', assets: 'none' },
  'uploadLinks.revoke': { role: 'admin', assets: 'none' },
  'session.me': { role: anyone, assets: 'none' },
  'session.logoutEverywhere': { role: anyone, assets: 'none' },
  'users.list': { role: 'admin', assets: 'none' },
  'users.add': { role: 'admin', assets: 'none' },
  'users.update': { role: 'admin', assets: 'none' },
  'users.setPassword': { role: 'admin', assets: 'none' },
  'users.remove': { role: 'admin', assets: 'none' },
  'desktop.pickFolder': { role: 'admin', assets: 'none' },
  'desktop.reveal': { role: anyone, assets: theId },
  'desktop.open': { role: anyone, assets: theId },
};

/** The least role an operation needs for this input. */
export function requiredRole<K extends OpName>(name: K, input: OpParsed<K>): Role {
  const r = ACCESS[name].role;
  return typeof r === 'function' ? r(input) : r;
}

/** A logged-in account, as the adapter passes it to the handlers. */
export interface RequestUser {
  id: number;
  name: string;
  role: Role;
  /** The collections it is limited to; null: the whole catalogue. */
  scope: number[] | null;
}

/**
 * Per request, from the adapter to the handler: who is asking. No user: the catalogue's owner
 * (the desktop app, the CLI, `dam serve`'s local token), acting as the OS user.
 */
export interface RequestContext {
  user?: RequestUser;
}

/** The implementation of every operation (the core's api/ answers each over one Library). */
export type Handlers = {
  // ctx is absent where a caller has no request (tests, the CLI): the catalogue's owner.
  [K in OpName]: (input: OpParsed<K>, ctx?: RequestContext) => OpResult<K> | Promise<OpResult<K>>;
};

/** Errors cross the boundary as values, never as thrown strings (codes and reasons: errors.ts). */
export type { ApiError, ErrorCode as ApiErrorCode, ErrorReason, ErrorDetail } from './errors';
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export type { CoreEvents };
export type EventName = keyof CoreEvents;

export type MediaKind = 'thumb' | 'preview' | 'snapshot';

/** What the desktop app's menu asks the UI to do (File → Add Folder…). */
export const MENU_COMMANDS = ['add-folder'] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** What the preload exposes and what the HTTP client implements: the renderer sees only this. */
export interface DamApi {
  call<K extends OpName>(name: K, input: OpInput<K>): Promise<ApiResult<OpResult<K>>>;
  on<E extends EventName>(name: E, listener: (payload: CoreEvents[E]) => void): () => void;
  /** URL of an asset's grid thumbnail or large preview; for 'snapshot', version is the hash of a kept content (history.snapshots). */
  mediaUrl(kind: MediaKind, assetId: number, version?: string): string;
  /** Desktop only: drag these assets' files out of the window into other apps. */
  startDrag?(assetIds: number[]): void;
  /** Desktop only: the application menu's commands for the UI; returns the unsubscribe. */
  onMenu?(listener: (command: MenuCommand) => void): () => void;
}
