import type { ByteSource } from '../../formats/byte-source';
import type { FormatId } from '../../formats/format-id';
import { LIMITS } from '../../formats/limits';
import { isZip } from '../../formats/zip';
import { readEps, readIndd, readXcf } from './design-files';
import type { FileMetadata } from './file-metadata';
import { readOffice } from './office';
import { readPdf } from './pdf';
import { readRtf } from './rtf';

// The document formats: PDF and AI, EPS, InDesign, XCF, Office/OpenDocument/iWork, RTF. Chosen
// by content where the bytes say it (sniff), by the file's format otherwise (a zip is only an
// Office file by its extension).

export type DocumentFormat = 'pdf' | 'eps' | 'indd' | 'xcf' | 'office' | 'rtf';

export function isDocumentFormat(f: FormatId | null): f is DocumentFormat {
  return f === 'pdf' || f === 'eps' || f === 'indd' || f === 'xcf' || f === 'office' || f === 'rtf';
}

/** Reads the whole file (bounded) for the formats whose parsers want it all. */
async function wholeFile(src: ByteSource, cap: number, what: string): Promise<Buffer> {
  if (src.size > cap) throw new Error(`${what} too large to read (over ${Math.round(cap / 1024 / 1024)} MB)`);
  return src.read(0, src.size);
}

export async function readDocument(
  src: ByteSource,
  format: DocumentFormat,
  head: Buffer,
): Promise<FileMetadata> {
  switch (format) {
    case 'pdf':
      return readPdf(await wholeFile(src, LIMITS.documentBytes, 'PDF'));
    case 'eps':
      return readEps(src);
    case 'indd':
      return readIndd(src);
    case 'xcf':
      return readXcf(src);
    case 'rtf':
      return readRtf(await src.read(0, Math.min(src.size, LIMITS.zipEntryBytes)));
    case 'office':
      if (!isZip(head)) throw new Error('not an Office document (no zip container)');
      return readOffice(src);
  }
}
