// What every 3D reader hands its geometry to: it counts, measures and keeps a bounded sample.
// A mesh of any size costs at most VERTEX_CAP stored vertices and TRIANGLE_CAP sampled
// triangles; the counts and the bounding box always cover the whole file.

/** Triangles kept for the preview: a render of more shows nothing more at 512 px. */
export const TRIANGLE_CAP = 200_000;
/** Vertices held in memory by an indexed reader (48 MB as float32); past it a second pass fetches the needed ones. */
export const VERTEX_CAP = 4_000_000;

export type UpAxis = 'y' | 'z';

/** One mesh file's geometry as the renderer wants it, and the facts the catalogue shows. */
export interface MeshGeometry {
  vertices: number;
  /** Polygons as the file stores them (OBJ/PLY/FBX faces, STL facets, glTF triangles). */
  faces: number;
  triangles: number;
  /** [minX, minY, minZ, maxX, maxY, maxZ], or null when the file holds no vertex. */
  bounds: [number, number, number, number, number, number] | null;
  /** A uniform sample of the triangles, 9 floats each (three corners), at most TRIANGLE_CAP. */
  sample: Float32Array;
  /** Vertices when the file has no faces (a point cloud), sampled the same way; 3 floats each. */
  points: Float32Array;
}

/** Receives a reader's geometry as it streams. Indices are 0-based and absolute. */
export interface MeshSink {
  vertex(x: number, y: number, z: number): void;
  /** A polygon of n corners (fanned into n - 2 triangles). */
  polygon(indices: ArrayLike<number>, n: number): void;
  /** A triangle given by its corners' positions (STL: no shared vertices). */
  triangle(c: ArrayLike<number>): void;
}

/** A well-mixed 32-bit hash of an item's ordinal (murmur3's finaliser). */
function mix(i: number): number {
  let h = i ^ 0x9e3779b9;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Trailing zero bits: item i reaches level L with probability 2^-L. */
function levelOf(i: number): number {
  const h = mix(i);
  return h === 0 ? 32 : 31 - Math.clz32(h & -h);
}

/**
 * Keeps a uniform random sample of a stream of unknown length: items whose level reaches the
 * current one, raising it (halving what is kept) whenever the buffer fills. Random rather than
 * every k-th, so a regular mesh (a grid) is not sampled in stripes.
 */
class Sampler<T extends Float32Array | Int32Array> {
  private level = 0;
  private seen = 0;
  private readonly levels: Uint8Array;
  length = 0;
  constructor(
    readonly buf: T,
    private readonly width: number,
  ) {
    this.levels = new Uint8Array(buf.length / width);
  }
  /** The slot to write the next item at, or -1 when this one is skipped. */
  next(): number {
    const lv = levelOf(this.seen++);
    if (lv < this.level) return -1;
    while (this.length === this.levels.length) {
      // Full: keep only what reaches the next level (about half), and so on from now on.
      this.level++;
      const w = this.width;
      let j = 0;
      for (let i = 0; i < this.length; i++) {
        if (this.levels[i]! < this.level) continue;
        this.buf.copyWithin(j * w, i * w, i * w + w);
        this.levels[j++] = this.levels[i]!;
      }
      this.length = j;
      if (lv < this.level) return -1;
    }
    this.levels[this.length] = lv;
    return this.length++ * this.width;
  }
  view(): T {
    return this.buf.subarray(0, this.length * this.width) as T;
  }
}

export class MeshBuilder implements MeshSink {
  vertices = 0;
  faces = 0;
  triangles = 0;
  private min = [Infinity, Infinity, Infinity];
  private max = [-Infinity, -Infinity, -Infinity];
  private stored = new Float32Array(3 * 1024);
  private storedCount = 0;
  private indexed: Sampler<Int32Array> | null = null;
  private direct: Sampler<Float32Array> | null = null;
  private readonly pointSampler = new Sampler(new Float32Array(TRIANGLE_CAP * 3), 3);
  private readonly corner = new Float32Array(9);

  constructor(private readonly caps = { triangles: TRIANGLE_CAP, vertices: VERTEX_CAP }) {}

  private measure(x: number, y: number, z: number): boolean {
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) return false;
    const { min, max } = this;
    if (x < min[0]!) min[0] = x;
    if (y < min[1]!) min[1] = y;
    if (z < min[2]!) min[2] = z;
    if (x > max[0]!) max[0] = x;
    if (y > max[1]!) max[1] = y;
    if (z > max[2]!) max[2] = z;
    return true;
  }

  vertex(x: number, y: number, z: number): void {
    const i = this.vertices++;
    this.measure(x, y, z);
    const slot = this.pointSampler.next();
    if (slot >= 0) {
      this.pointSampler.buf[slot] = x;
      this.pointSampler.buf[slot + 1] = y;
      this.pointSampler.buf[slot + 2] = z;
    }
    if (i >= this.caps.vertices) return; // beyond the cap: the second pass fetches what the sample needs
    if (3 * i + 3 > this.stored.length) {
      const grown = new Float32Array(Math.min(this.stored.length * 2, this.caps.vertices * 3));
      grown.set(this.stored);
      this.stored = grown;
    }
    this.stored[3 * i] = x;
    this.stored[3 * i + 1] = y;
    this.stored[3 * i + 2] = z;
    this.storedCount = i + 1;
  }

  polygon(indices: ArrayLike<number>, n: number): void {
    this.faces++;
    if (n < 3) return;
    this.indexed ??= new Sampler(new Int32Array(this.caps.triangles * 3), 3);
    const s = this.indexed;
    const a = indices[0]!;
    for (let k = 1; k + 1 < n; k++) {
      this.triangles++;
      const slot = s.next();
      if (slot < 0) continue;
      s.buf[slot] = a;
      s.buf[slot + 1] = indices[k]!;
      s.buf[slot + 2] = indices[k + 1]!;
    }
  }

  triangle(c: ArrayLike<number>): void {
    this.faces++;
    this.triangles++;
    this.vertices += 3;
    for (let k = 0; k < 9; k += 3) this.measure(c[k]!, c[k + 1]!, c[k + 2]!);
    this.direct ??= new Sampler(new Float32Array(this.caps.triangles * 9), 9);
    const slot = this.direct.next();
    if (slot < 0) return;
    for (let k = 0; k < 9; k++) this.direct.buf[slot + k] = c[k]!;
  }

  /** The vertex indices the sample needs that were not held (past VERTEX_CAP), sorted; empty when none. */
  missingVertices(): Int32Array {
    if (!this.indexed || this.vertices <= this.storedCount) return new Int32Array(0);
    const need = new Set<number>();
    for (const i of this.indexed.view()) if (i >= this.storedCount && i < this.vertices) need.add(i);
    return Int32Array.from(need).sort();
  }

  /**
   * The result. `extra` maps the indices from missingVertices() to their positions, fetched by a
   * second pass of the reader (see collectVertices).
   */
  finish(extra?: Map<number, [number, number, number]>): MeshGeometry {
    const bounds: MeshGeometry['bounds'] =
      this.min[0]! <= this.max[0]!
        ? [this.min[0]!, this.min[1]!, this.min[2]!, this.max[0]!, this.max[1]!, this.max[2]!]
        : null;
    const parts: Float32Array[] = [];
    if (this.direct) parts.push(this.direct.view());
    if (this.indexed) {
      const idx = this.indexed.view();
      const out = new Float32Array((idx.length / 3) * 9);
      let o = 0;
      const c = this.corner;
      outer: for (let t = 0; t < idx.length; t += 3) {
        for (let k = 0; k < 3; k++) {
          const i = idx[t + k]!;
          if (i < 0 || i >= this.vertices) continue outer; // an index past the file's vertices
          if (i < this.storedCount) {
            c[3 * k] = this.stored[3 * i]!;
            c[3 * k + 1] = this.stored[3 * i + 1]!;
            c[3 * k + 2] = this.stored[3 * i + 2]!;
          } else {
            const p = extra?.get(i);
            if (!p) continue outer;
            [c[3 * k], c[3 * k + 1], c[3 * k + 2]] = p;
          }
        }
        out.set(c, o);
        o += 9;
      }
      parts.push(out.subarray(0, o));
    }
    const sample = parts.length === 1 ? parts[0]! : concat(parts);
    return {
      vertices: this.vertices,
      faces: this.faces,
      triangles: this.triangles,
      bounds,
      sample,
      points: this.triangles === 0 ? this.pointSampler.view() : new Float32Array(0),
    };
  }
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A sink for a reader's second pass: records the positions of the wanted vertex indices only. */
export function collectVertices(wanted: Int32Array): {
  sink: MeshSink;
  found: Map<number, [number, number, number]>;
} {
  const found = new Map<number, [number, number, number]>();
  let i = 0;
  let w = 0;
  const sink: MeshSink = {
    vertex(x, y, z) {
      // Both run in file order: one pointer into the sorted wanted list.
      if (w < wanted.length && wanted[w] === i) {
        found.set(i, [x, y, z]);
        w++;
      }
      i++;
    },
    polygon() {},
    triangle() {},
  };
  return { sink, found };
}
