// Rights, approvals and their history: the vocabularies every side agrees on (no Node, no Electron).

export const APPROVAL_STATES = [
  'draft',
  'in-review',
  'approved',
  'changes-requested',
  'rejected',
  'retired',
] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

/** What a person does to an asset's approval; each leads to one state. */
export const APPROVAL_ACTIONS = ['submit', 'approve', 'request-changes', 'reject', 'retire'] as const;
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];

/** Which action leads where, and from which states it may be taken (the core enforces it; the UI offers it). */
export const APPROVAL_TRANSITIONS: Record<
  ApprovalAction,
  { to: ApprovalState; from: readonly ApprovalState[] }
> = {
  submit: { to: 'in-review', from: ['draft', 'changes-requested', 'rejected', 'retired'] },
  approve: { to: 'approved', from: ['in-review'] },
  'request-changes': { to: 'changes-requested', from: ['in-review'] },
  reject: { to: 'rejected', from: ['in-review', 'changes-requested'] },
  retire: { to: 'retired', from: ['draft', 'in-review', 'approved', 'changes-requested', 'rejected'] },
};

export const LICENSE_TYPES = [
  'all-rights-reserved',
  'rights-managed',
  'royalty-free',
  'cc0',
  'cc-by',
  'cc-by-sa',
  'cc-by-nd',
  'cc-by-nc',
  'cc-by-nc-sa',
  'cc-by-nc-nd',
  'public-domain',
] as const;
export type LicenseType = (typeof LICENSE_TYPES)[number];

export const CHANNELS = ['web', 'social', 'email', 'print', 'partners'] as const;
export type Channel = (typeof CHANNELS)[number];

/** PLUS release status (MR-NON/MR-NAP/MR-UMR/MR-LMR and the PR- twins). */
export const RELEASE_STATUSES = ['none', 'not-applicable', 'unlimited', 'limited'] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

/** Where a recorded field change came from (see HistoryEntry). */
export const CHANGE_SOURCES = ['local', 'sidecar', 'merge-conflict'] as const;
export type ChangeSource = (typeof CHANGE_SOURCES)[number];

export const WARNINGS = [
  'expired',
  'expires-soon',
  'no-credit',
  'no-license',
  'sidecar-unreadable',
  /** People are in the picture (it has faces) and no model release is recorded (none, or `none`). */
  'no-model-release',
] as const;
export type Warning = (typeof WARNINGS)[number];

/** Which sidecar name is written: Lightroom's photo.xmp or darktable/digiKam's photo.jpg.xmp. */
export const SIDECAR_NAMINGS = ['photo.xmp', 'photo.jpg.xmp'] as const;
export type SidecarNaming = (typeof SIDECAR_NAMINGS)[number];

export interface Rights {
  creator: string | null;
  credit: string | null;
  copyrightNotice: string | null;
  copyrightOwner: string | null;
  licensor: string | null;
  licenseType: LicenseType | null;
  usageTerms: string | null;
  channels: Channel[];
  territories: string[];
  /** YYYY-MM-DD */
  licenseStart: string | null;
  licenseEnd: string | null;
  modelRelease: ReleaseStatus | null;
  propertyRelease: ReleaseStatus | null;
  restrictions: string | null;
}

export interface Approval {
  state: ApprovalState;
  /** Who made the last decision on this version; null while nobody has. */
  by: string | null;
  machine: string | null;
  at: string | null;
  comment: string | null;
}

export type HistoryEntry =
  | {
      kind: 'approval';
      at: string;
      actor: string;
      machine: string;
      from: ApprovalState;
      to: ApprovalState;
      comment: string | null;
    }
  | {
      kind: 'change';
      at: string;
      actor: string;
      machine: string;
      field: string;
      oldValue: unknown;
      newValue: unknown;
      /** local: edited here; sidecar: taken from the sidecar; merge-conflict: a value that lost to a newer edit elsewhere. */
      source: ChangeSource;
    }
  | {
      /**
       * The file's content changed on disk, was restored from the history store, the asset's version
       * stack changed, or the file arrived through an upload portal (actor: the uploader; detail:
       * "uploaded by NAME: note").
       */
      kind: 'content';
      at: string;
      actor: string;
      machine: string;
      event: 'changed' | 'restored' | 'stacked' | 'unstacked' | 'current' | 'uploaded';
      hash: string | null;
      size: number | null;
      /** A sentence for the timeline, e.g. "restored the content of 2026-11-30 14:02". */
      detail: string | null;
    };

export interface GovernanceSettings {
  sidecarNaming: SidecarNaming;
  requireRightsForApproval: boolean;
  expiryWarningDays: number;
  /** Also write the fields into JPEG, TIFF and DNG originals' own XMP (off: originals are never rewritten). */
  embedXmp: boolean;
  /**
   * Channels a picture with people in it may only be approved for, and delivered to, with a model
   * release recorded (empty: no such rule).
   */
  modelReleaseChannels: Channel[];
}

export interface RightsTemplate {
  name: string;
  fields: Record<string, unknown>;
  updatedAt: string;
}
