import fs from 'node:fs';
import path from 'node:path';
import type { Library } from './library';
import { stmt } from './catalog/statements';
import type { MediaKind } from '../../shared/contract';
import type { FormatId } from './ingest/formats/file-types';
import { hasRenderer } from './ingest/formats/file-types';
import { isHash } from './history/blob-store';
import { getBlob, getSnapshot, touchBlob } from './history/history.repository';
import { isInside } from './paths';

export { isInside };

export const PREVIEW_EDGE = 2048;

export class MediaError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 403 | 415 | 500,
  ) {
    super(message);
  }
}

interface MediaRow {
  thumb: string | null;
  content_hash: string | null;
  root_path: string;
  rel_path: string;
  format: FormatId;
}

function mediaRow(lib: Library, assetId: number): MediaRow {
  const row = stmt(
    lib.db,
    `SELECT f.thumb, f.content_hash, r.path AS root_path, f.rel_path, f.format
       FROM asset_search s JOIN files f ON f.id = s.file_id JOIN roots r ON r.id = f.root_id WHERE s.asset_id = ?`,
  ).get(assetId) as MediaRow | undefined;
  if (!row) throw new MediaError('no such asset', 404);
  return row;
}

/**
 * The file to send for an asset's thumbnail. Paths come from the catalogue, never from the
 * request, and must still resolve inside the thumbnail cache.
 */
export function thumbnailFile(lib: Library, assetId: number): string {
  const row = mediaRow(lib, assetId);
  if (!row.thumb) throw new MediaError('no thumbnail for this asset', 404);
  const file = path.join(lib.thumbDir, row.thumb);
  if (!isInside(lib.thumbDir, file)) throw new MediaError('outside the thumbnail cache', 403);
  return file;
}

/** Previews are keyed by content: the current file and a kept snapshot of the same bytes share one. */
function cachedPreview(lib: Library, hash: string): string {
  return path.join(lib.dir, 'previews', hash.slice(0, 2), `${hash}-${PREVIEW_EDGE}.webp`);
}

async function renderPreview(
  lib: Library,
  source: string,
  format: FormatId,
  cached: string,
): Promise<string> {
  fs.mkdirSync(path.dirname(cached), { recursive: true });
  try {
    await lib.renderer.render({ path: source, format, maxEdge: PREVIEW_EDGE, out: cached });
  } catch (err) {
    throw new MediaError(`no preview: ${err instanceof Error ? err.message : String(err)}`, 415);
  }
  return cached;
}

/** A large preview made on first request from the original (confined to its root), then cached. */
export async function previewFile(lib: Library, assetId: number): Promise<string> {
  const row = mediaRow(lib, assetId);
  if (!row.content_hash || !hasRenderer(row.format)) return thumbnailFile(lib, assetId);
  const cached = cachedPreview(lib, row.content_hash);
  if (fs.existsSync(cached)) return cached;
  const original = path.join(row.root_path, ...row.rel_path.split('/'));
  if (!isInside(row.root_path, original)) throw new MediaError('outside its root', 403);
  return renderPreview(lib, original, row.format, cached);
}

/**
 * A large preview of a kept content of an asset, rendered from its blob in the history store. Only
 * a hash recorded for this asset, with its bytes still stored, is served; the blob's place is
 * derived from the validated hash, never taken from the request.
 */
export async function snapshotPreviewFile(
  lib: Library,
  assetId: number,
  hash: string | null,
): Promise<string> {
  if (!hash || !isHash(hash)) throw new MediaError('expects ?v= the SHA-256 of a kept content', 400);
  const snap = getSnapshot(lib.db, assetId, hash);
  if (!snap) throw new MediaError('not a kept content of this asset', 404);
  const format = snap.format as FormatId;
  if (!hasRenderer(format)) throw new MediaError('no preview for this type', 415);
  const blob = getBlob(lib.db, hash);
  const store = lib.history.store;
  if (snap.state !== 'stored' || !blob || !store.has(hash, blob.size))
    throw new MediaError('this content is no longer kept', 404);
  const file = store.pathFor(hash);
  if (!isInside(store.dir, file)) throw new MediaError('outside the history store', 403);
  touchBlob(lib.db, hash);
  const cached = cachedPreview(lib, hash);
  if (fs.existsSync(cached)) return cached;
  return renderPreview(lib, file, format, cached);
}

/**
 * An asset's original file, for a download: its path comes from the catalogue and must still
 * resolve inside its root (a link swapped in since the scan is not followed out of it).
 */
export function originalFile(lib: Library, assetId: number): { file: string; name: string } {
  const row = mediaRow(lib, assetId);
  const file = path.join(row.root_path, ...row.rel_path.split('/'));
  if (!fs.existsSync(file))
    throw new MediaError('the file is missing (moved, deleted, or its root offline)', 404);
  if (!isInside(row.root_path, file)) throw new MediaError('outside its root', 403);
  return { file, name: path.basename(file) };
}

/** The file to send for a media URL (thumb, preview, or snapshot with `version` the kept hash). */
export async function mediaFile(
  lib: Library,
  kind: MediaKind,
  assetId: number,
  version: string | null,
): Promise<string> {
  if (kind === 'thumb') return thumbnailFile(lib, assetId);
  if (kind === 'preview') return previewFile(lib, assetId);
  return snapshotPreviewFile(lib, assetId, version);
}
