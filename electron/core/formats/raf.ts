// Fujifilm RAF: a fixed big-endian header ('FUJIFILMCCD-RAW ...') whose words at 84 and 88 give
// the offset and length of the embedded JPEG preview, which also carries the file's EXIF.

export const RAF_HEADER_BYTES = 92;

export interface RafPreview {
  offset: number;
  length: number;
}

/** Where the header says the JPEG preview is; null when the header is cut short. */
export function rafPreview(head: Buffer): RafPreview | null {
  if (head.length < RAF_HEADER_BYTES) return null;
  return { offset: head.readUInt32BE(84), length: head.readUInt32BE(88) };
}

/** True when the preview lies after the header and inside a file of `size` bytes. */
export function rafPreviewInside(p: RafPreview, size: number): boolean {
  return p.offset >= RAF_HEADER_BYTES && p.offset + p.length <= size;
}
