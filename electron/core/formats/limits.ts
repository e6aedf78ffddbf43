// The one set of caps every container walker obeys (JPEG segments, TIFF IFDs, BMFF boxes, PNG and
// RIFF chunks). A hostile or broken file can claim any count, length or offset; these bound what
// we allocate, how many reads we issue and how long a walk can run, whoever is walking.

export const LIMITS = {
  /** Largest block ever read whole: one metadata payload (XMP with a long Photoshop history), a HEIF meta box. */
  blockBytes: 16 * 1024 * 1024,
  /** Largest embedded preview (a RAW's JPEG) read whole. */
  previewBytes: 64 * 1024 * 1024,
  /** Most markers (segments and fill bytes) walked in one JPEG before giving up. */
  jpegSegments: 20_000,
  /** Most chunks walked in one PNG or RIFF (WebP) file, or Photoshop resource blocks in one section. */
  chunks: 200_000,
  /** Most entries one TIFF directory may declare; more is a damaged or hostile file. */
  ifdEntries: 2000,
  /** Largest single TIFF value copied (not the embedded XMP/IPTC blocks, which get blockBytes). */
  tiffValueBytes: 1024 * 1024,
  /** Most directories visited in one TIFF (chain, SubIFDs, EXIF), each offset once. */
  ifds: 64,
  /** Most SubIFD pointers followed from one directory. */
  subIfds: 16,
  /** Deepest chain of SubIFD/EXIF pointers followed from IFD0. */
  ifdDepth: 4,
  /** Most boxes listed inside one BMFF parent (or at the top level). */
  boxes: 20_000,
  /** Deepest BMFF nesting descended into (moov/trak/mdia/minf/stbl is 5; meta/iprp/ipco is 3). */
  boxDepth: 16,
  /**
   * Most pixels our own decoders (BMP, ICO, PCX, Netpbm, JPEG 2000, JPEG XL, OpenEXR, Radiance)
   * allocate for one picture; a header claiming more is refused before anything is allocated.
   * 50 MP of float RGBA is 800 MB: beyond that a preview is not worth the memory.
   */
  decodePixels: 50_000_000,
  /** Largest file our own decoders read whole (they decode from memory). */
  decodeFileBytes: 512 * 1024 * 1024,
  /** Most bytes searched for an embedded XMP packet in a file that only embeds one somewhere (head and tail). */
  xmpScanBytes: 64 * 1024 * 1024,
  /** Largest document (PDF, AI) parsed whole for its metadata, words and first page. */
  documentBytes: 256 * 1024 * 1024,
  /** Most uncompressed bytes taken from one zip entry (Office XML part, thumbnail): a zip bomb stops here. */
  zipEntryBytes: 16 * 1024 * 1024,
  /** Most entries listed from one zip's central directory. */
  zipEntries: 100_000,
  /** Most words kept from one document (characters), and the pages they are taken from. */
  documentTextChars: 1024 * 1024,
  documentTextPages: 50,
  /**
   * Wall-clock budget for reading one document (parse, words), and again for drawing its first page:
   * both fit inside the ingest pool's 30 s per file, so a slow file gets this clearer message.
   */
  documentMs: 12_000,
} as const;
