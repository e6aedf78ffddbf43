// A 64-bit difference hash (dHash) of a picture: 9×8 luminance cells, one bit per horizontal
// neighbour pair (is the right cell brighter?). Survives resizing, re-encoding and mild colour
// changes, so an export of a photo hashes within a few bits of it; different photos differ by ~32.

/** Signed, as SQLite stores 64-bit integers. */
export function dhashOf(px: Buffer, width: number, height: number, channels: number): bigint {
  const cols = 9;
  const rows = 8;
  const sums = new Float64Array(cols * rows);
  const counts = new Uint32Array(cols * rows);
  const colour = channels >= 3;
  // A few hundred samples per cell are plenty: large previews cost no more than grid thumbnails.
  const step = Math.max(1, Math.floor(Math.max(width, height) / 256));
  for (let y = 0; y < height; y += step) {
    const cy = Math.min(rows - 1, Math.floor((y * rows) / height));
    for (let x = 0; x < width; x += step) {
      const cx = Math.min(cols - 1, Math.floor((x * cols) / width));
      const i = (y * width + x) * channels;
      // Rec. 601 luma; alpha is ignored (a cut-out's transparent area is whatever colour it holds).
      const l = colour ? 0.299 * px[i]! + 0.587 * px[i + 1]! + 0.114 * px[i + 2]! : px[i]!;
      sums[cy * cols + cx]! += l;
      counts[cy * cols + cx]!++;
    }
  }
  let h = 0n;
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < cols - 1; x++) {
      const a = sums[y * cols + x]! / Math.max(1, counts[y * cols + x]!);
      const b = sums[y * cols + x + 1]! / Math.max(1, counts[y * cols + x + 1]!);
      h = (h << 1n) | (b > a ? 1n : 0n);
    }
  return BigInt.asIntN(64, h);
}

export function hamming(a: bigint, b: bigint): number {
  let x = BigInt.asUintN(64, a ^ b);
  let n = 0;
  while (x) {
    x &= x - 1n;
    n++;
  }
  return n;
}

/** How many bits are set: a flat picture (sky, a black frame) hashes to nearly all 0s or 1s. */
export function popcount(a: bigint): number {
  return hamming(a, 0n);
}
