// The duplicates review: pictures catalogued more than once (the same bytes) or near-identical
// (a burst, a re-save, an export), grouped across the whole catalogue from what ingest already
// keeps: content hashes and the dHash of each still (file_pixels), compared through its five
// band slices as version grouping does. Each group gets a suggested keeper.
import path from 'node:path';
import type { DuplicateGroup, DuplicateMember } from '../../../shared/duplicates';
import {
  identicalSets,
  memberRows,
  stillPixels,
  type MemberRow,
  type StillPixels,
} from '../catalog/duplicates.repository';
import type { Db } from '../catalog/open';
import { dhashBands } from '../catalog/pixel-bands';
import { hamming, popcount } from '../ingest/thumbnails/dhash';
import { sharpnessOf } from '../ingest/thumbnails/sharpness';

/**
 * Two frames of a burst or a re-save sit within a few bits; different photos around 32. Pairs
 * within 4 bits always share a band slice and are always found; up to this many when they do.
 */
export const NEAR_DISTANCE = 6;
/** A hash this close to all-0s or all-1s is a flat picture (sky, a black frame): it matches too much. */
const MIN_BITS = 8;
/** A crop is not a duplicate: the shapes must agree but for rounding. */
const ASPECT_TOLERANCE = 0.02;
/** More sharpness than this factor over the next is a real difference, not noise of the measure. */
const SHARPER = 1.1;
/** More pixels than this factor is a larger picture, not a rounding of the same size. */
const LARGER = 1.05;

export interface DuplicateOptions {
  /** Near-identical pictures too (bursts, re-saves), not only the same bytes. */
  near?: boolean;
  /** At most this many groups, the largest first. */
  limit?: number;
}

class Groups {
  private parent = new Map<number, number>();
  find(x: number): number {
    let p = this.parent.get(x) ?? x;
    if (p !== x) {
      p = this.find(p);
      this.parent.set(x, p);
    }
    return p;
  }
  union(a: number, b: number): void {
    const x = this.find(a);
    const y = this.find(b);
    if (x !== y) this.parent.set(Math.max(x, y), Math.min(x, y));
  }
  sets(ids: Iterable<number>): number[][] {
    const by = new Map<number, number[]>();
    for (const id of ids) {
      const r = this.find(id);
      by.set(r, [...(by.get(r) ?? []), id]);
    }
    return [...by.values()].filter((s) => s.length > 1);
  }
}

function sameShape(a: StillPixels, b: StillPixels): boolean {
  const ra = a.width / a.height;
  const rb = b.width / b.height;
  return Math.abs(ra - rb) / Math.max(ra, rb) <= ASPECT_TOLERANCE;
}

/** Near pairs through the band index held in memory: only hashes sharing a slice are compared. */
function nearPairs(pixels: StillPixels[], groups: Groups): void {
  const usable = pixels.filter((p) => {
    const bits = popcount(p.dhash);
    return bits >= MIN_BITS && bits <= 64 - MIN_BITS && p.width > 0 && p.height > 0;
  });
  for (let band = 0; band < 5; band++) {
    const buckets = new Map<number, StillPixels[]>();
    for (const p of usable) {
      const key = dhashBands(p.dhash)[band]!;
      const list = buckets.get(key);
      if (list) list.push(p);
      else buckets.set(key, [p]);
    }
    for (const list of buckets.values())
      for (let i = 0; i < list.length; i++)
        for (let j = i + 1; j < list.length; j++) {
          const a = list[i]!;
          const b = list[j]!;
          if (groups.find(a.assetId) === groups.find(b.assetId)) continue;
          if (hamming(a.dhash, b.dhash) <= NEAR_DISTANCE && sameShape(a, b))
            groups.union(a.assetId, b.assetId);
        }
  }
}

function pixelsOf(r: MemberRow): number {
  return (r.width ?? 0) * (r.height ?? 0);
}

/** Keeper first: rating, then resolution, then sharpness, then file size, then the first catalogued. */
function rank(a: DuplicateMember & { px: number }, b: DuplicateMember & { px: number }): [number, string] {
  const ra = a.rating ?? 0;
  const rb = b.rating ?? 0;
  if (ra !== rb) return [rb - ra, 'highest rating'];
  if (Math.max(a.px, b.px) > LARGER * Math.min(a.px, b.px)) return [b.px - a.px, 'most pixels'];
  if (
    a.sharpness != null &&
    b.sharpness != null &&
    Math.max(a.sharpness, b.sharpness) > SHARPER * Math.min(a.sharpness, b.sharpness)
  )
    return [b.sharpness - a.sharpness, 'sharpest'];
  if (a.size !== b.size) return [b.size - a.size, 'largest file'];
  return [a.assetId - b.assetId, 'catalogued first'];
}

/**
 * Groups of duplicates across the catalogue, largest first. A member flagged reject is left out
 * (it was dealt with), and so is a group whose remaining members already share a version stack.
 */
export async function duplicateGroups(
  db: Db,
  thumbDir: string,
  opts: DuplicateOptions = {},
): Promise<DuplicateGroup[]> {
  const groups = new Groups();
  const hashSets = identicalSets(db);
  for (const set of hashSets) for (const id of set.slice(1)) groups.union(set[0]!, id);
  const pixels = opts.near ? stillPixels(db) : [];
  if (opts.near) nearPairs(pixels, groups);
  const members = new Set<number>([...hashSets.flat(), ...(opts.near ? pixels.map((p) => p.assetId) : [])]);
  const hashOf = new Map(pixels.map((p) => [p.assetId, p.dhash]));

  const candidates = groups.sets(members);
  const rows = new Map(memberRows(db, candidates.flat()).map((r) => [r.assetId, r]));
  const kept = candidates
    .map((set) =>
      set.map((id) => rows.get(id)).filter((r): r is MemberRow => r !== undefined && r.flag !== 'reject'),
    )
    .filter(
      (set) =>
        set.length > 1 && !(set[0]!.stackId != null && set.every((r) => r.stackId === set[0]!.stackId)),
    )
    .sort((a, b) => b.length - a.length || a[0]!.assetId - b[0]!.assetId)
    .slice(0, opts.limit ?? 500);

  // Copies share a thumbnail: each is measured once.
  const sharpness = new Map<string, Promise<number | null>>();
  const measure = (thumb: string | null) => {
    if (!thumb) return Promise.resolve(null);
    let p = sharpness.get(thumb);
    if (!p) sharpness.set(thumb, (p = sharpnessOf(path.join(thumbDir, thumb))));
    return p;
  };

  const out: DuplicateGroup[] = [];
  for (const set of kept) {
    const ms = await Promise.all(
      set.map(async (r) => {
        const upright = (r.orientation ?? 1) >= 5;
        return {
          assetId: r.assetId,
          path: path.join(r.path),
          name: r.name,
          width: upright ? r.height : r.width,
          height: upright ? r.width : r.height,
          size: r.size,
          rating: r.rating,
          flag: r.flag,
          sharpness: await measure(r.thumb),
          distance: null as number | null,
          stackId: r.stackId,
          px: pixelsOf(r),
        };
      }),
    );
    ms.sort((a, b) => rank(a, b)[0]);
    const keeper = ms[0]!;
    const reason = rank(keeper, ms[1]!)[1];
    const identical = set.every((r) => r.contentHash != null && r.contentHash === set[0]!.contentHash);
    const keeperHash = hashOf.get(keeper.assetId);
    out.push({
      kind: identical ? 'identical' : 'similar',
      keeperId: keeper.assetId,
      reason,
      members: ms.map(({ px: _px, ...m }) => {
        const h = hashOf.get(m.assetId);
        const same = set.find((r) => r.assetId === m.assetId)?.contentHash;
        const distance =
          same != null && same === set.find((r) => r.assetId === keeper.assetId)?.contentHash
            ? 0
            : h != null && keeperHash != null
              ? hamming(h, keeperHash)
              : null;
        return { ...m, distance };
      }),
    });
  }
  return out;
}
