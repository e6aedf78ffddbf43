// The shapes the core returns to every client: the CLI's --json output, the HTTP bridge and the UI.
import type { PaletteColor } from './colors';
import type { Approval, Rights, Warning } from './governance';
import type { Facts } from './facts';
import type { Label } from './labels';
import type { StackRef } from './versions';

export const ASSET_TYPES = ['image', 'raw', 'video', 'audio', 'design', '3d', 'other'] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

/**
 * Where the words of a file's text (file_text, searched with `text:`) came from: `document` the
 * words inside a PDF, AI, Office or RTF file; `ocr` text recognised in a picture.
 */
export const TEXT_SOURCES = ['document', 'ocr'] as const;
export type TextSource = (typeof TEXT_SOURCES)[number];

export type RootKind = 'local' | 'network';
export type RootState = 'online' | 'offline';
export type FileState = 'present' | 'missing';

export interface Root {
  id: number;
  path: string;
  name: string;
  kind: RootKind;
  /** True when the user chose the kind instead of letting it be detected from the mount. */
  kindForced: boolean;
  fsType: string | null;
  pollIntervalMs: number;
  state: RootState;
  /** Why the root is offline, or a warning about it (e.g. watch limit reached); null when all is well. */
  stateReason: string | null;
  lastScanAt: string | null;
  assetCount: number;
}

export interface Gps {
  lat: number;
  lon: number;
  alt: number | null;
}

export interface Asset {
  id: number;
  fileId: number;
  rootId: number;
  path: string;
  relPath: string;
  name: string;
  folder: string;
  type: AssetType;
  format: string;
  state: FileState;
  size: number;
  mtime: string;
  width: number | null;
  height: number | null;
  orientation: number | null;
  /** ISO 8601; carries the offset only when the file recorded one. */
  captureDate: string | null;
  make: string | null;
  model: string | null;
  lens: string | null;
  exposureTime: number | null;
  fNumber: number | null;
  iso: number | null;
  focalLength: number | null;
  durationS: number | null;
  gps: Gps | null;
  /** What only some formats have (a video's codec, a song's album, a model's vertex count): keys in `shared/facts.ts`. */
  facts: Facts;
  title: string | null;
  description: string | null;
  keywords: string[];
  creator: string | null;
  copyright: string | null;
  credit: string | null;
  /** 0-5 stars: the user's, else the file's own rating. */
  rating: number | null;
  label: Label | null;
  flag: 'pick' | 'reject' | null;
  contentHash: string | null;
  /** Absolute path of the grid thumbnail, or null when none could be made (the UI shows a type icon). */
  thumbnail: string | null;
  error: string | null;
  /** Rights as the user set them, else as the file says (creator, credit, copyright notice). */
  rights: Rights;
  altText: string | null;
  extendedDescription: string | null;
  /** The approval of the current version. */
  approval: Approval;
  warnings: Warning[];
  /** The version stack this asset is in; null when it stands alone. */
  stack: StackRef | null;
  /** Other catalogued files with the same bytes (content hash), present on disk: a copy in another folder or root. */
  duplicates: Duplicate[];
  /** Dominant colours, most covering first; empty until the picture is analysed (or for non-pictures). */
  colors: PaletteColor[];
  /** Names of the people in the picture (named faces), and how many faces it has. */
  people: string[];
  faces: number;
}

/** Where else the same bytes are catalogued. */
export interface Duplicate {
  assetId: number;
  /** Absolute path. */
  path: string;
  rootId: number;
}

/** Something a scan could not read, and why (a folder, a file, a sidecar). */
export interface ScanFailure {
  path: string;
  reason: string;
}

export interface ScanSummary {
  files: number;
  new: number;
  changed: number;
  unchanged: number;
  missing: number;
  errors: number;
  seconds: number;
}

export interface Stats {
  /** Every catalogued asset, stacked versions included. */
  assets: number;
  /** Versions that are not their stack's current one: search leaves them out unless asked (versions:all). */
  hiddenVersions: number;
  files: number;
  byType: Record<AssetType, number>;
  byState: { present: number; missing: number; errors: number; pending: number };
  roots: { total: number; online: number; offline: number };
}

export interface SearchResult {
  total: number;
  /** True when `total` stopped counting at the cap (the UI shows "10,000+"). */
  totalCapped: boolean;
  items: Asset[];
}

export type SortKey = 'captureDate' | 'name' | 'size' | 'rating' | 'added';
