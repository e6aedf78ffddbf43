// Share links (a gallery page for a collection or a selection) and upload links (a portal an
// agency or photographer uploads into): what the core, the CLI and the UI agree on.
import type { Channel } from './governance';

/** What a share link lets its visitor download: nothing, the link's rendition, or the original file too. */
export const DOWNLOAD_LEVELS = ['none', 'preview', 'original'] as const;
export type DownloadLevel = (typeof DOWNLOAD_LEVELS)[number];

export const SHARE_EVENT_KINDS = ['visit', 'download'] as const;
export type ShareEventKind = (typeof SHARE_EVENT_KINDS)[number];

/** The channel a share link is checked against when nothing else is said. */
export const DEFAULT_SHARE_CHANNEL: Channel = 'partners';
export const DEFAULT_SHARE_PRESET = 'web';

export type LinkState = 'active' | 'expired' | 'revoked';

/** A share link as listed (its token is shown once, at creation, and never kept). */
export interface ShareInfo {
  id: number;
  /** The collection's path, or "N selected assets". */
  label: string;
  collectionId: number | null;
  /** A frozen selection: how many assets it names. Null for a collection share. */
  selected: number | null;
  createdBy: string;
  createdAt: string;
  /** ISO date-time the link stops working, or null. */
  expiresAt: string | null;
  passwordProtected: boolean;
  download: DownloadLevel;
  preset: string;
  watermark: string | null;
  channel: Channel;
  revokedAt: string | null;
  state: LinkState;
  visits: number;
  downloads: number;
}

/** What creating a link answers: the token, once; the path is served by `dam serve` (or the app's sharing). */
export interface CreatedShare {
  share: ShareInfo;
  token: string;
  path: string;
}

/** An upload portal link as listed. */
export interface UploadLinkInfo {
  id: number;
  rootId: number;
  /** Where uploads land, relative to the root: FOLDER/UPLOADER/NAME. */
  folder: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  /** The most one file may weigh, in bytes. */
  maxSize: number;
  revokedAt: string | null;
  state: LinkState;
  /** Files received complete. */
  uploads: number;
}

export interface CreatedUploadLink {
  link: UploadLinkInfo;
  token: string;
  path: string;
}

export const DEFAULT_UPLOAD_FOLDER = 'Inbox';
export const DEFAULT_UPLOAD_MAX_SIZE = 2 * 1024 ** 3;

/** "2GB", "500 MB", "1.5g", "1024" (bytes) → bytes; null when it does not read as a size. */
export function parseSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|m|mb|g|gb|t|tb)?\s*$/i.exec(text);
  if (!m) return null;
  const unit = (m[2] ?? 'b').toLowerCase()[0]!;
  const mult = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[unit] ?? 1;
  const n = Math.floor(Number(m[1]) * mult);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}
