// The in-memory index clustering matches new faces against: one centroid per cluster (the
// normalized sum of its faces' unit descriptors), in one contiguous array so that matching a face
// is a single pass of dot products over every cluster.
import { DESCRIPTOR_LENGTH } from '../catalog/faces.repository';

const D = DESCRIPTOR_LENGTH;

/**
 * Cosine similarity a face needs with a cluster's centroid to join it. Chosen from faceres
 * descriptors (human 3.3.6, wasm) of seven real people in Debian's sample photographs (skimage's
 * astronaut and cameraman, matplotlib's Grace Hopper, OpenCV's Messi, Lena, Mona Lisa and a man):
 * the same face cropped, flipped, rotated, halved or re-compressed scored 0.91 and up, two
 * different people 0.46 at most (faceres features are non-negative, so strangers are not near 0).
 * 0.6 sits between, leaving room for real photos of one person that differ more than an edit does.
 */
export const MATCH_THRESHOLD = 0.6;

/** The vector scaled to length 1 (a zero vector stays zero). */
export function unit(v: ArrayLike<number>): Float32Array {
  const out = new Float32Array(D);
  let n = 0;
  for (let i = 0; i < D; i++) n += (v[i] ?? 0) * (v[i] ?? 0);
  const k = n > 0 ? 1 / Math.sqrt(n) : 0;
  for (let i = 0; i < D; i++) out[i] = (v[i] ?? 0) * k;
  return out;
}

/**
 * Matching compares a face with every cluster. Past a few dozen clusters a cheap first pass picks
 * candidates: centroids and the face projected on P random ±1 directions keep their dot products
 * roughly (Johnson-Lindenstrauss), and only the best K candidates get the exact 1024-wide product.
 * Same-person similarities (0.9) sit far above strangers' (0.5), so the true match is always among them.
 */
const P = 64;
const K = 12;
const PROJECTION = (() => {
  let s = 0x9e3779b9;
  const m = new Float32Array(P * D);
  for (let i = 0; i < m.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    m[i] = s & 0x10000 ? 1 / Math.sqrt(P) : -1 / Math.sqrt(P);
  }
  return m;
})();

function project(v: Float32Array, vo: number, out: Float32Array, oo: number): void {
  for (let p = 0; p < P; p++) {
    let dot = 0;
    const ro = p * D;
    for (let i = 0; i < D; i++) dot += PROJECTION[ro + i]! * v[vo + i]!;
    out[oo + p] = dot;
  }
}

export class ClusterIndex {
  private ids: number[] = [];
  private slots = new Map<number, number>();
  private sums = new Float32Array(64 * D);
  private centroids = new Float32Array(64 * D);
  private projected = new Float32Array(64 * P);
  private counts: number[] = [];

  get size(): number {
    return this.ids.length;
  }

  private slotOf(personId: number): number {
    let s = this.slots.get(personId);
    if (s !== undefined) return s;
    s = this.ids.length;
    if ((s + 1) * D > this.sums.length) {
      const grow = (a: Float32Array) => {
        const b = new Float32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.sums = grow(this.sums);
      this.centroids = grow(this.centroids);
      this.projected = grow(this.projected);
    }
    this.ids.push(personId);
    this.counts.push(0);
    this.slots.set(personId, s);
    return s;
  }

  private recentre(s: number): void {
    const o = s * D;
    let n = 0;
    for (let i = 0; i < D; i++) n += this.sums[o + i]! * this.sums[o + i]!;
    const k = n > 0 ? 1 / Math.sqrt(n) : 0;
    for (let i = 0; i < D; i++) this.centroids[o + i] = this.sums[o + i]! * k;
    project(this.centroids, o, this.projected, s * P);
  }

  /** A face (unit descriptor) joins a cluster. */
  add(personId: number, u: Float32Array, recentre = true): void {
    const s = this.slotOf(personId);
    const o = s * D;
    for (let i = 0; i < D; i++) this.sums[o + i]! += u[i]!;
    this.counts[s]!++;
    if (recentre) this.recentre(s);
  }

  /** After a bulk load with recentre=false. */
  recentreAll(): void {
    for (let s = 0; s < this.ids.length; s++) this.recentre(s);
  }

  /** A face (unit descriptor) leaves its cluster. */
  remove(personId: number, u: Float32Array): void {
    const s = this.slots.get(personId);
    if (s === undefined) return;
    const o = s * D;
    for (let i = 0; i < D; i++) this.sums[o + i]! -= u[i]!;
    if (--this.counts[s]! <= 0) this.drop(personId);
    else this.recentre(s);
  }

  /** Every face of one cluster now belongs to another. */
  merge(from: number, into: number): void {
    const f = this.slots.get(from);
    if (f === undefined) return;
    const t = this.slotOf(into);
    const fo = f * D;
    const to = t * D;
    for (let i = 0; i < D; i++) this.sums[to + i]! += this.sums[fo + i]!;
    this.counts[t]! += this.counts[f]!;
    this.recentre(t);
    this.drop(from);
  }

  /** The cluster is gone: its slot is filled by the last one. */
  drop(personId: number): void {
    const s = this.slots.get(personId);
    if (s === undefined) return;
    const last = this.ids.length - 1;
    if (s !== last) {
      const lastId = this.ids[last]!;
      this.sums.copyWithin(s * D, last * D, last * D + D);
      this.centroids.copyWithin(s * D, last * D, last * D + D);
      this.projected.copyWithin(s * P, last * P, last * P + P);
      this.ids[s] = lastId;
      this.counts[s] = this.counts[last]!;
      this.slots.set(lastId, s);
    }
    this.ids.pop();
    this.counts.pop();
    this.slots.delete(personId);
  }

  /** The cluster whose centroid is closest to the face, with its cosine similarity. */
  nearest(u: Float32Array): { personId: number; similarity: number } | null {
    const n = this.ids.length;
    let best = -1;
    let bestSim = -Infinity;
    for (const s of n > 4 * K ? this.candidates(u) : Array.from({ length: n }, (_, i) => i)) {
      const sim = this.similarity(s, u);
      if (sim > bestSim) {
        bestSim = sim;
        best = s;
      }
    }
    return best < 0 ? null : { personId: this.ids[best]!, similarity: bestSim };
  }

  private similarity(s: number, u: Float32Array): number {
    const c = this.centroids;
    const o = s * D;
    let dot = 0;
    for (let i = 0; i < D; i++) dot += c[o + i]! * u[i]!;
    return dot;
  }

  /** The K clusters whose projected centroids are closest to the projected face. */
  private candidates(u: Float32Array): number[] {
    const q = new Float32Array(P);
    project(u, 0, q, 0);
    const topSlot = new Int32Array(K).fill(-1);
    const topDot = new Float32Array(K).fill(-Infinity);
    const pr = this.projected;
    for (let s = 0, o = 0; s < this.ids.length; s++, o += P) {
      let dot = 0;
      for (let p = 0; p < P; p++) dot += pr[o + p]! * q[p]!;
      if (dot <= topDot[K - 1]!) continue;
      let j = K - 1;
      while (j > 0 && topDot[j - 1]! < dot) {
        topDot[j] = topDot[j - 1]!;
        topSlot[j] = topSlot[j - 1]!;
        j--;
      }
      topDot[j] = dot;
      topSlot[j] = s;
    }
    return [...topSlot].filter((s) => s >= 0);
  }
}
