// Automatic grouping of a newly catalogued file with the versions already there: by name in its
// folder (photo_v2, photo copy, IMG_1.CR2 + IMG_1.JPG), and by pixels in its root (an export).
import type { StackReason } from '../../../shared/versions';
import { stmt } from '../catalog/statements';
import { stackIdOf, stackMembers } from '../catalog/stacks.repository';
import {
  copyPixelsByContent,
  getPixels,
  pixelNeighbours,
  putPixels,
  putVersionKey,
  sameBaseInFolder,
  type PixelRow,
  type VersionCandidate,
} from '../catalog/version-keys.repository';
import { hamming, popcount } from '../ingest/thumbnails/dhash';
import type { ProcessResult } from '../jobs/messages';
import { isJpeg, isRaw, parseVersionName } from '../../../shared/version-names';
import { autoCurrent, defaultCurrent, gather, type CurrentChange, type StackEdit } from './stack-edit';

/**
 * An export re-encodes and resizes, which moves a dHash by a few bits at most; different photos sit
 * around 32 bits apart, and two frames of one burst can come within 10. Four bits is also what
 * the five hash slices guarantee to find.
 */
export const MAX_PIXEL_DISTANCE = 4;
/** A hash this close to all-0s or all-1s is a flat picture (sky, a black frame): it matches too much. */
const MIN_BITS = 8;
/** Aspect ratios of the two thumbnails may differ by rounding only (1 px at small sizes). */
const ASPECT_TOLERANCE = 0.02;
/** Only stills have pixels worth comparing (pixelNeighbours asks SQLite for these types only). */
const STILL_TYPES = new Set(['image', 'raw', 'design']);

interface NewFile {
  id: number;
  asset_id: number;
  root_id: number;
  folder: string;
  name: string;
  ext: string;
  format: string;
  type: string;
  width: number | null;
  height: number | null;
  orientation: number | null;
}

function newFile(e: StackEdit, fileId: number): NewFile | undefined {
  return stmt(
    e.db,
    `SELECT f.id, f.asset_id, f.root_id, f.folder, f.name, f.ext, f.format, a.type, md.width, md.height, md.orientation
       FROM files f JOIN assets a ON a.id = f.asset_id LEFT JOIN file_metadata md ON md.file_id = f.id
      WHERE f.id = ?`,
  ).get(fileId) as NewFile | undefined;
}

/** Same base name in one folder: a marked name (_v2, copy, ...) or a RAW beside its JPEG. */
function nameReason(a: { name: string; ext: string }, b: { name: string; ext: string }): StackReason | null {
  const x = parseVersionName(a.name);
  const y = parseVersionName(b.name);
  if (x.base !== y.base || !x.base) return null;
  if (x.marked || y.marked) return 'name';
  if ((isRaw(x.ext) && isJpeg(y.ext)) || (isJpeg(x.ext) && isRaw(y.ext))) return 'raw-jpeg';
  // photo.psd beside photo.tif may be anything: only their pixels can say.
  return null;
}

/**
 * An export of the same picture, not a burst neighbour or a duplicate: close hashes, the same
 * shape, and a different format or a different size (two frames from one camera share both).
 */
function isExportOf(f: NewFile, mine: PixelRow, c: VersionCandidate & PixelRow): boolean {
  if (!STILL_TYPES.has(c.type)) return false;
  if (hamming(mine.dhash, c.dhash) > MAX_PIXEL_DISTANCE) return false;
  const ra = mine.thumbW / mine.thumbH;
  const rb = c.thumbW / c.thumbH;
  if (Math.abs(ra - rb) / Math.max(ra, rb) > ASPECT_TOLERANCE) return false;
  if (f.format !== c.format) return true;
  // Compared upright: the same frame saved with another EXIF orientation is not an export.
  const a = uprightSize(f);
  const b = uprightSize(c);
  return a != null && b != null && (a[0] !== b[0] || a[1] !== b[1]);
}

function uprightSize(x: { width: number | null; height: number | null; orientation: number | null }) {
  if (x.width == null || x.height == null) return null;
  return (x.orientation ?? 1) >= 5 ? [x.height, x.width] : [x.width, x.height];
}

/**
 * Record what grouping needs of a file just processed for the first time, then stack it with the
 * versions found. Inside the job runner's transaction. Returns the assets whose stack changed and
 * the change of current version, if any.
 */
export function autoGroup(
  e: StackEdit,
  res: ProcessResult,
): { affected: number[]; change: CurrentChange | null } | null {
  const f = newFile(e, res.fileId);
  if (!f) return null;
  putVersionKey(e.db, f.id, f.name);
  if (res.pixels) putPixels(e.db, f.id, res.pixels);
  else if (res.contentHash) copyPixelsByContent(e.db, f.id, res.contentHash);

  const found = new Map<number, StackReason>();
  const base = parseVersionName(f.name).base;
  if (base)
    for (const c of sameBaseInFolder(e.db, f.root_id, f.folder, base, f.id)) {
      const reason = nameReason(f, c);
      if (reason && c.asset_id !== f.asset_id) found.set(c.asset_id, reason);
    }
  const mine = STILL_TYPES.has(f.type) ? getPixels(e.db, f.id) : undefined;
  if (mine && popcount(mine.dhash) >= MIN_BITS && popcount(mine.dhash) <= 64 - MIN_BITS)
    for (const c of pixelNeighbours(e.db, f.root_id, mine.dhash, f.id, f))
      if (c.asset_id !== f.asset_id && !found.has(c.asset_id) && isExportOf(f, mine, c))
        found.set(c.asset_id, 'pixels');
  if (found.size === 0) return null;

  // The newcomer joins with the reason of its strongest tie (a name says more than pixels).
  const rank: StackReason[] = ['name', 'raw-jpeg', 'pixels'];
  const own = rank.find((r) => [...found.values()].includes(r))!;
  const entries = [...found].map(([assetId, reason]) => ({ assetId, reason }));
  const before = new Set<number>();
  for (const { assetId } of entries) {
    const s = stackIdOf(e.db, assetId);
    if (s != null) for (const m of stackMembers(e.db, s)) before.add(m.asset_id);
  }
  const { stackId } = gather(e, [...entries, { assetId: f.asset_id, reason: own }], (members) =>
    defaultCurrent(members.filter((m) => m.asset_id !== f.asset_id)),
  );
  const change = autoCurrent(e, stackId, f.asset_id);
  const affected = new Set([...before, ...stackMembers(e.db, stackId).map((m) => m.asset_id)]);
  return { affected: [...affected], change };
}
