import { bufferSource, withSource, type ByteSource } from '../../formats/byte-source';
import type { FormatId } from '../../formats/format-id';
import { sniffFormat } from '../../formats/sniff';
import { walkContainer } from './containers';
import { isDocumentFormat, readDocument } from './documents';
import { readModelMetadata } from './model3d';
import { decodeExif, type ExifTags } from './exif';
import { emptyMetadata, type FileMetadata } from './file-metadata';
import { parseIim } from './iptc';
import { mediaReader, readMedia } from './media';
import { normalize } from './normalize';
import { readTiff } from './tiff';
import { parseXmp } from './xmp';

export { emptyMetadata, type FileMetadata } from './file-metadata';

/**
 * A file whose metadata is there but cannot be read. What counts as what:
 *  - Not an error, emptyMetadata() (with the header's pixel size when known): a format we do not
 *    read (BigTIFF, text or random bytes under an image extension), an
 *    empty file, or a readable file that simply carries no metadata.
 *  - Not an error, partial result: metadata damaged or truncated after some of it was read. The
 *    image decoder reports damage to the picture itself; a half-readable header is not news.
 *  - MetadataError: a recognised image whose metadata structure is broken or cut short before
 *    anything at all could be read ("the file is cut short inside its metadata", "damaged TIFF
 *    structure: ..."). That explains to the user why a photo has no date, so it is worth a line.
 *    Likewise a document that cannot be opened (a damaged or password-protected PDF, a broken zip).
 *  - File-system errors (ENOENT, EACCES, EIO...) are rethrown untouched so the caller can retry
 *    the transient ones.
 */
export class MetadataError extends Error {
  override name = 'MetadataError';
}

/** The walkers' many small header reads near each other are served from one window of this size. */
const METADATA_READ_AHEAD = 64 * 1024;

function shorten(s: string): string {
  const line = s.split('\n')[0] ?? s;
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/** A document reader's complaint (not a file-system error) as a MetadataError. */
async function fromDocument(src: ByteSource, hint: FormatId | undefined): Promise<FileMetadata | null> {
  const head = await src.read(0, 64);
  const sniffed = sniffFormat(head);
  const format = sniffed ?? hint ?? null;
  if (!isDocumentFormat(format)) return null;
  try {
    return await readDocument(src, format, head);
  } catch (err) {
    if (err instanceof Error && !('code' in err && typeof err.code === 'string'))
      throw new MetadataError(shorten(err.message));
    throw err;
  }
}

async function fromSource(
  src: ByteSource,
  input: { path: string; buffer?: Buffer; format?: FormatId },
): Promise<FileMetadata> {
  const hint = input.format;
  if (src.size === 0) return emptyMetadata();
  const reader = mediaReader(await src.read(0, 256));
  if (reader) {
    try {
      return (await readMedia(reader, src, input)).metadata;
    } catch (err) {
      if (err instanceof Error && (err.name === 'MediaReadError' || err.name === 'AudioReadError'))
        throw new MetadataError(shorten(err.message));
      throw err;
    }
  }
  const blocks = await walkContainer(src);
  if (!blocks) return (await fromDocument(src, hint)) ?? emptyMetadata();

  const exif: ExifTags = { main: new Map(), gps: new Map(), errors: [] };
  const xmpPackets = [...blocks.xmp];
  const iptcStreams = [...blocks.iptc];
  const damage = blocks.damage ? [blocks.damage] : [];
  let { width, height } = blocks;
  for (const [i, tiffSource] of blocks.tiff.entries()) {
    const tiff = await readTiff(tiffSource);
    if (tiff.unsupported) continue;
    if (tiff.damage) damage.push(tiff.damage);
    xmpPackets.push(...tiff.xmp);
    iptcStreams.push(...tiff.iptc);
    // A TIFF file's IFD0 is its image; so is a CR3's CMT1 (a MRW's PRD block gave its size already).
    if ((blocks.format === 'tiff' || blocks.format === 'cr3') && i === 0) ({ width, height } = tiff);
    if (tiff.compact) await decodeExif(tiff.compact, exif);
  }
  for (const [tag, value] of blocks.tags) if (!exif.main.has(tag)) exif.main.set(tag, value);
  if (blocks.format === 'x3f' && width && height) {
    // An X3F's EXIF belongs to its JPEG preview: its pixel dimensions are the preview's, not the image's.
    exif.main.delete(0xa002);
    exif.main.delete(0xa003);
  }
  const xmp = parseXmp(xmpPackets);
  const iptc = parseIim(iptcStreams);

  const readSomething = exif.main.size > 0 || exif.gps.size > 0 || !xmp.empty || iptc.size > 0;
  if (!readSomething) {
    if (damage[0]) throw new MetadataError(shorten(damage[0]));
    if (exif.errors[0]) throw new MetadataError(shorten(`damaged EXIF: ${exif.errors[0]}`));
  }
  return normalize({ exif, xmp, iptc, width, height });
}

/**
 * Reads EXIF, IPTC and XMP from a JPEG, TIFF, TIFF-based RAW (CR2/NEF/ARW/DNG/ORF/RW2...), RAF,
 * CR3, MRW, CRW, X3F, HEIC/HEIF, AVIF, PNG, WebP, GIF, SVG, PSD or a raster we decode ourselves into one
 * normalised object; the properties, XMP and words
 * of documents (PDF/AI, EPS, InDesign, XCF, Office/OpenDocument/iWork, RTF: metadata/documents.ts);
 * the tags, size and facts of a video (MP4/MOV natively, other containers through ffmpeg's probe)
 * or an audio file (metadata/media.ts).
 * `buffer`, when given, is the whole file; otherwise only the headers and metadata blocks are
 * read from `path`, so a multi-GB file costs a few small reads.
 */
export async function readMetadata(input: {
  path: string;
  buffer?: Buffer;
  /**
   * The format the caller settled on: 3D files are read by their own reader (metadata/model3d.ts),
   * and an Office file is a zip, told apart by its extension.
   */
  format?: FormatId;
}): Promise<FileMetadata> {
  if (input.format === 'model3d') return readModelMetadata(input);
  try {
    return input.buffer
      ? await fromSource(bufferSource(input.buffer), input)
      : await withSource(input.path, (src) => fromSource(src, input), {
          readAhead: METADATA_READ_AHEAD,
        });
  } catch (err) {
    // A length or offset field that walked a reader off the end of its data.
    if (err instanceof RangeError)
      throw new MetadataError(`damaged metadata structure (${shorten(err.message)})`);
    throw err;
  }
}
