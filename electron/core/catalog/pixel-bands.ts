// The pixel index's layout: a 64-bit dHash is stored as five slices (file_pixels.band0..band4,
// see migration 0004) so "within 4 bits" becomes "shares at least one band exactly", an
// indexed equality. It lives with the table it describes; the hash itself is ingest's.

/** The 13/13/13/13/12-bit slices stored as file_pixels.band0..band4. */
export function dhashBands(h: bigint): [number, number, number, number, number] {
  const u = BigInt.asUintN(64, h);
  const part = (shift: bigint, bits: bigint) => Number((u >> shift) & ((1n << bits) - 1n));
  return [part(0n, 13n), part(13n, 13n), part(26n, 13n), part(39n, 13n), part(52n, 12n)];
}
