import type { MeshGeometry, UpAxis } from '../../formats/mesh';

// A small software rasteriser for 3D previews: the sampled triangles seen from above and to the
// front-right (an isometric-ish orthographic view framed on the bounding box), a z-buffer, and
// flat Lambert shading from one fixed light. Output is raw RGB for sharp to encode.

const BACKGROUND = [236, 237, 240] as const;
const BASE = [150, 172, 204] as const;
const AMBIENT = 0.3;
/** A weaker second light from the right, so faces turned from the main one still read. */
const FILL = normalize3(0.8, 0.1, 0.6);
/** Towards the light, in view space (x right, y up, z towards the viewer): upper left, in front. */
const LIGHT = normalize3(-0.45, 0.7, 0.55);
const YAW = (-40 * Math.PI) / 180;
const PITCH = (28 * Math.PI) / 180;
const MARGIN = 0.06;

function normalize3(x: number, y: number, z: number): [number, number, number] {
  const l = Math.hypot(x, y, z) || 1;
  return [x / l, y / l, z / l];
}

export interface RasterImage {
  data: Buffer;
  width: number;
  height: number;
}

/** World → view rotation (rows), after turning a Z-up file Y-up. */
function viewMatrix(up: UpAxis): number[] {
  const cy = Math.cos(YAW);
  const sy = Math.sin(YAW);
  const cp = Math.cos(PITCH);
  const sp = Math.sin(PITCH);
  // Ry(yaw) then Rx(pitch), as rows acting on (x, y, z).
  const ry = [cy, 0, sy, 0, 1, 0, -sy, 0, cy];
  const rx = [1, 0, 0, 0, cp, -sp, 0, sp, cp];
  const m = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) m[r * 3 + c]! += rx[r * 3 + k]! * ry[k * 3 + c]!;
  if (up === 'y') return m;
  // Z-up: (x, y, z) is seen as (x, z, -y) in a Y-up world.
  return [m[0]!, -m[2]!, m[1]!, m[3]!, -m[5]!, m[4]!, m[6]!, -m[8]!, m[7]!];
}

/**
 * Renders the geometry into an image whose long edge is `size` px (its aspect that of the view),
 * or throws when there is nothing to draw.
 */
export function rasterizeMesh(g: MeshGeometry, up: UpAxis, size: number): RasterImage {
  const tris = g.sample;
  const pts = g.points;
  const source = tris.length > 0 ? tris : pts;
  if (source.length === 0 || !g.bounds) throw new Error('the file holds no geometry to draw');
  const m = viewMatrix(up);
  const [x0, y0, z0, x1, y1, z1] = g.bounds;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const cz = (z0 + z1) / 2;

  // View-space positions, and their extent on screen.
  const n = source.length / 3;
  const v = new Float32Array(source.length);
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const px = source[3 * i]! - cx;
    const py = source[3 * i + 1]! - cy;
    const pz = source[3 * i + 2]! - cz;
    const X = m[0]! * px + m[1]! * py + m[2]! * pz;
    const Y = m[3]! * px + m[4]! * py + m[5]! * pz;
    const Z = m[6]! * px + m[7]! * py + m[8]! * pz;
    v[3 * i] = X;
    v[3 * i + 1] = Y;
    v[3 * i + 2] = Z;
    if (!Number.isFinite(X + Y + Z)) continue;
    if (X < minX) minX = X;
    if (X > maxX) maxX = X;
    if (Y < minY) minY = Y;
    if (Y > maxY) maxY = Y;
  }
  const w = maxX - minX;
  const h = maxY - minY;
  const extent = Math.max(w, h);
  const span = extent > 0 && Number.isFinite(extent) ? extent : 1;
  const width = Math.max(Math.round(size / 4), Math.round((size * Math.max(w, span / 4)) / span));
  const height = Math.max(Math.round(size / 4), Math.round((size * Math.max(h, span / 4)) / span));
  const scale = (size * (1 - 2 * MARGIN)) / span;
  const ox = width / 2 - ((minX + maxX) / 2) * scale;
  const oy = height / 2 + ((minY + maxY) / 2) * scale;

  const rgb = Buffer.alloc(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    rgb[3 * p] = BACKGROUND[0];
    rgb[3 * p + 1] = BACKGROUND[1];
    rgb[3 * p + 2] = BACKGROUND[2];
  }
  const depth = new Float32Array(width * height).fill(-Infinity);
  // Screen coordinates: x right, y down; depth grows towards the viewer.
  const sx = (i: number): number => ox + v[3 * i]! * scale;
  const sy = (i: number): number => oy - v[3 * i + 1]! * scale;

  if (tris.length === 0) {
    drawPoints(n, sx, sy, v, rgb, depth, width, height, span);
    return { data: rgb, width, height };
  }
  // A random sample of 1 in k triangles leaves gaps; each is grown about its centre to cover
  // about 4k times its area (the triangles are sub-pixel by then), and the pinholes left are
  // filled from their neighbours afterwards.
  const k = g.triangles / (tris.length / 9);
  const grow = k > 1 ? Math.min(8, Math.sqrt(4 * k)) : 1;
  const X = [0, 0, 0];
  const Y = [0, 0, 0];
  const Z = [0, 0, 0];
  for (let t = 0; t < n; t += 3) {
    for (let k = 0; k < 3; k++) {
      X[k] = sx(t + k);
      Y[k] = sy(t + k);
      Z[k] = v[3 * (t + k) + 2]!;
    }
    if (!Number.isFinite(X[0]! + X[1]! + X[2]! + Y[0]! + Y[1]! + Y[2]! + Z[0]! + Z[1]! + Z[2]!)) continue;
    // Flat shading from the view-space face normal, both sides lit alike (windings vary by exporter).
    const ax = v[3 * (t + 1)]! - v[3 * t]!;
    const ay = v[3 * (t + 1) + 1]! - v[3 * t + 1]!;
    const az = v[3 * (t + 1) + 2]! - v[3 * t + 2]!;
    const bx = v[3 * (t + 2)]! - v[3 * t]!;
    const by = v[3 * (t + 2) + 1]! - v[3 * t + 1]!;
    const bz = v[3 * (t + 2) + 2]! - v[3 * t + 2]!;
    let nx = ay * bz - az * by;
    let ny = az * bx - ax * bz;
    let nz = ax * by - ay * bx;
    const len = Math.hypot(nx, ny, nz);
    if (len === 0) continue;
    nx /= len;
    ny /= len;
    nz /= len;
    if (nz < 0) {
      nx = -nx;
      ny = -ny;
      nz = -nz;
    }
    const shade = Math.min(
      1,
      AMBIENT +
        (1 - AMBIENT) * Math.max(0, nx * LIGHT[0] + ny * LIGHT[1] + nz * LIGHT[2]) +
        0.25 * Math.max(0, nx * FILL[0] + ny * FILL[1] + nz * FILL[2]),
    );
    const r = Math.min(255, Math.round(BASE[0] * shade + 30 * shade * shade));
    const gr = Math.min(255, Math.round(BASE[1] * shade + 30 * shade * shade));
    const b = Math.min(255, Math.round(BASE[2] * shade + 30 * shade * shade));
    if (grow > 1) {
      const mx = (X[0]! + X[1]! + X[2]!) / 3;
      const my = (Y[0]! + Y[1]! + Y[2]!) / 3;
      for (let k = 0; k < 3; k++) {
        X[k] = mx + (X[k]! - mx) * grow;
        Y[k] = my + (Y[k]! - my) * grow;
      }
    }
    fillTriangle(X, Y, Z, r, gr, b, rgb, depth, width, height);
  }
  if (k > 1) for (let pass = 0; pass < 2; pass++) fillPinholes(rgb, depth, width, height);
  return { data: rgb, width, height };
}

/** A background pixel with model on at least three of its four sides takes their average colour. */
function fillPinholes(rgb: Buffer, depth: Float32Array, width: number, height: number): void {
  const holes: number[] = [];
  for (let y = 1; y + 1 < height; y++)
    for (let x = 1; x + 1 < width; x++) {
      const p = y * width + x;
      if (depth[p] !== -Infinity) continue;
      let n = 0;
      for (const q of [p - 1, p + 1, p - width, p + width]) if (depth[q] !== -Infinity) n++;
      if (n >= 3) holes.push(p);
    }
  for (const p of holes) {
    let r = 0;
    let g = 0;
    let b = 0;
    let n = 0;
    let z = -Infinity;
    for (const q of [p - 1, p + 1, p - width, p + width]) {
      if (depth[q] === -Infinity) continue;
      r += rgb[3 * q]!;
      g += rgb[3 * q + 1]!;
      b += rgb[3 * q + 2]!;
      z = Math.max(z, depth[q]!);
      n++;
    }
    rgb[3 * p] = Math.round(r / n);
    rgb[3 * p + 1] = Math.round(g / n);
    rgb[3 * p + 2] = Math.round(b / n);
    depth[p] = z;
  }
}

function fillTriangle(
  X: number[],
  Y: number[],
  Z: number[],
  r: number,
  g: number,
  b: number,
  rgb: Buffer,
  depth: Float32Array,
  width: number,
  height: number,
): void {
  const [x0, x1, x2] = X as [number, number, number];
  const [y0, y1, y2] = Y as [number, number, number];
  const area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
  if (area === 0) return;
  const minX = Math.max(0, Math.floor(Math.min(x0, x1, x2)));
  const maxX = Math.min(width - 1, Math.ceil(Math.max(x0, x1, x2)));
  const minY = Math.max(0, Math.floor(Math.min(y0, y1, y2)));
  const maxY = Math.min(height - 1, Math.ceil(Math.max(y0, y1, y2)));
  if (minX > maxX || minY > maxY) return;
  const inv = 1 / area;
  for (let y = minY; y <= maxY; y++) {
    const py = y + 0.5;
    for (let x = minX; x <= maxX; x++) {
      const px = x + 0.5;
      const w0 = ((x1 - px) * (y2 - py) - (x2 - px) * (y1 - py)) * inv;
      const w1 = ((x2 - px) * (y0 - py) - (x0 - px) * (y2 - py)) * inv;
      const w2 = 1 - w0 - w1;
      if (w0 < 0 || w1 < 0 || w2 < 0) continue;
      const z = w0 * Z[0]! + w1 * Z[1]! + w2 * Z[2]!;
      const p = y * width + x;
      if (z <= depth[p]!) continue;
      depth[p] = z;
      rgb[3 * p] = r;
      rgb[3 * p + 1] = g;
      rgb[3 * p + 2] = b;
    }
  }
}

/** A point cloud (PLY scans without faces): small squares, darker with distance. */
function drawPoints(
  n: number,
  sx: (i: number) => number,
  sy: (i: number) => number,
  v: Float32Array,
  rgb: Buffer,
  depth: Float32Array,
  width: number,
  height: number,
  span: number,
): void {
  const radius = Math.max(1, Math.round(width / 256));
  for (let i = 0; i < n; i++) {
    const x = Math.round(sx(i));
    const y = Math.round(sy(i));
    const z = v[3 * i + 2]!;
    if (!Number.isFinite(x + y + z)) continue;
    const shade = 0.45 + 0.55 * Math.min(1, Math.max(0, z / span + 0.5));
    for (let dy = -radius; dy <= radius; dy++)
      for (let dx = -radius; dx <= radius; dx++) {
        const px = x + dx;
        const py = y + dy;
        if (px < 0 || py < 0 || px >= width || py >= height) continue;
        const p = py * width + px;
        if (z <= depth[p]!) continue;
        depth[p] = z;
        rgb[3 * p] = Math.round(BASE[0] * shade);
        rgb[3 * p + 1] = Math.round(BASE[1] * shade);
        rgb[3 * p + 2] = Math.round(BASE[2] * shade);
      }
  }
}
