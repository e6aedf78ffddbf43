// People in pictures: face boxes, the clusters faces are grouped into, and the names users give them.

/** A box in the picture as shown (orientation applied), normalized to 0..1, from its top-left corner. */
export interface FaceBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A face with a person's name, as XMP carries it (MWG regions of Type=Face). */
export interface NamedRegion {
  name: string;
  box: FaceBox;
}

/** Where a face came from: found by the detector, or read from XMP another application wrote. */
export const FACE_SOURCES = ['detected', 'xmp'] as const;
export type FaceSource = (typeof FACE_SOURCES)[number];

/** The part two boxes share, over the area they cover together (0: apart, 1: the same box). */
export function boxOverlap(a: FaceBox, b: FaceBox): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.w * a.h + b.w * b.h - inter);
}

/** Longest name a person may be given. */
export const PERSON_NAME_MAX = 200;

/** A cluster of faces (a person once named), as `dam people` and the People view list them. */
export interface Person {
  id: number;
  name: string | null;
  faces: number;
  assets: number;
  /** The most confident face of the cluster, and its asset: the crop the People view shows. */
  sampleFaceId: number | null;
  sampleAssetId: number | null;
}

/** One face of an asset: for the loupe's boxes and the People view's crops. */
export interface FaceView {
  id: number;
  assetId: number;
  box: FaceBox;
  personId: number | null;
  name: string | null;
  source: FaceSource;
  confidence: number | null;
}
