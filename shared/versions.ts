// Version stacks and content history: the shapes every side agrees on (no Node, no Electron).
import type { ApprovalState } from './governance';

/**
 * Why an asset sits in a stack. name: a naming pattern (_v2, -final, " copy", (1), ...);
 * raw-jpeg: a RAW and a JPEG of the same base name; pixels: its pixels match another version
 * (perceptual hash); manual: the user grouped it.
 */
export const STACK_REASONS = ['name', 'raw-jpeg', 'pixels', 'manual'] as const;
export type StackReason = (typeof STACK_REASONS)[number];

/** What an asset in the grid says of its stack. Non-current members are hidden from search by default. */
export interface StackRef {
  id: number;
  /** How many versions the stack holds. */
  size: number;
  /** This asset is the stack's current version. */
  current: boolean;
  /** 1-based place of this asset in the stack's order (1 = first, usually the oldest). */
  position: number;
}

/** One version of a stack: each version is an asset, with its own file, approval and history. */
export interface VersionInfo {
  assetId: number;
  position: number;
  current: boolean;
  reason: StackReason;
  name: string;
  path: string;
  size: number;
  mtime: string;
  captureDate: string | null;
  approval: ApprovalState;
  contentHash: string | null;
}

export interface VersionStack {
  /** null while the asset stands alone (its only version is itself). */
  stackId: number | null;
  currentAssetId: number;
  versions: VersionInfo[];
}

/**
 * A past (or the present) content of an asset's file, kept in the content-addressed history store.
 * reason: why it was kept (ingest, a change on disk, an approval, before a restore).
 */
export interface ContentSnapshot {
  hash: string;
  size: number;
  /** ISO 8601: when this content was first seen. */
  at: string;
  actor: string;
  machine: string;
  reason: 'ingest' | 'changed' | 'approved' | 'governed' | 'restore';
  /** This is the file's content now. */
  current: boolean;
  /**
   * The bytes are in the store, so this content can be previewed and restored. False while its copy
   * is still owed, once evicted for space, or when it could not be copied (the file changed first,
   * or the store was full): the entry stays as a record.
   */
  stored: boolean;
}

/** all: keep every catalogued file's content; governed: only assets with rights, an approval or a stack. */
export const HISTORY_SCOPES = ['governed', 'all', 'off'] as const;
export type HistoryScope = (typeof HISTORY_SCOPES)[number];

export interface HistoryStoreStatus {
  usedBytes: number;
  limitBytes: number;
  /** Distinct contents in the store (identical bytes are kept once, whatever files had them). */
  entries: number;
  scope: HistoryScope;
  /** Set when the store is near or at its limit: what the user should do. */
  warning: string | null;
}
