// The duplicates review: groups of pictures that are the same bytes (identical) or the same
// picture saved again or shot again (similar: bursts, re-saves, exports), with a suggested keeper.

/** One picture of a group, with what the keeper is chosen by. */
export interface DuplicateMember {
  assetId: number;
  path: string;
  name: string;
  width: number | null;
  height: number | null;
  size: number;
  rating: number | null;
  flag: 'pick' | 'reject' | null;
  /** Laplacian variance of the grid thumbnail (scaled to one size): higher is sharper; null without a thumbnail. */
  sharpness: number | null;
  /** dHash bits from the keeper's picture (0 for the same bytes); null when not compared by pixels. */
  distance: number | null;
  /** The version stack the asset is in, if any. */
  stackId: number | null;
}

export interface DuplicateGroup {
  /** 'identical': every member has the same content hash; 'similar': near-identical pixels. */
  kind: 'identical' | 'similar';
  /** The member suggested to keep (by rating, then resolution, then sharpness, then size). */
  keeperId: number;
  /** Why that one, in a few words ("highest rating", "sharpest", ...). */
  reason: string;
  /** The keeper first, then the others as they rank. */
  members: DuplicateMember[];
}
