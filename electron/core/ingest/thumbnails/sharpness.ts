// How sharp a picture looks: the variance of its Laplacian (edges respond strongly, blur flattens
// them), on a greyscale decode of one fixed size so pictures of different sizes compare.
import sharp from 'sharp';

/** Long edge every picture is scaled to before measuring. */
export const SHARPNESS_EDGE = 256;

/** Variance of the 4-neighbour Laplacian over the inner pixels of an 8-bit greyscale picture. */
export function laplacianVariance(gray: Uint8Array, width: number, height: number): number {
  if (width < 3 || height < 3 || gray.length < width * height) return 0;
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++)
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const v = gray[i - 1]! + gray[i + 1]! + gray[i - width]! + gray[i + width]! - 4 * gray[i]!;
      sum += v;
      sumSq += v * v;
      n++;
    }
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

/** The sharpness of a picture file (a grid thumbnail), or null when it cannot be read. */
export async function sharpnessOf(file: string): Promise<number | null> {
  try {
    const { data, info } = await sharp(file, { failOn: 'none' })
      .resize(SHARPNESS_EDGE, SHARPNESS_EDGE, { fit: 'inside' })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return Math.round(laplacianVariance(data, info.width, info.height) * 10) / 10;
  } catch {
    return null;
  }
}
