import type { ByteSource } from '../../formats/byte-source';
import { dscComments, epsSections } from '../../formats/eps';
import { inddXmp } from '../../formats/indd';
import { scanXmpPackets } from '../../formats/xmp-packet';
import { documentMetadata, parsePdfDate } from './document-props';
import type { FileMetadata } from './file-metadata';
import { positiveInt } from './text';

// EPS (and PostScript-only Illustrator files), InDesign and GIMP XCF: each says what it is in a
// header or in an XMP packet; none holds words we index.

export async function readEps(src: ByteSource): Promise<FileMetadata> {
  const sections = await epsSections(src);
  const dsc = await dscComments(src, sections);
  const [xmp] = await scanXmpPackets(src, {
    start: sections.psAt,
    end: sections.psAt + sections.psLength,
    max: 1,
  });
  const bb = dsc.boundingBox;
  return documentMetadata(
    {
      title: dsc.title,
      created: parsePdfDate(dsc.creationDate),
      // The bounding box in points, as exiftool reports the size of an EPS.
      width: bb ? positiveInt(bb[2] - bb[0]) : null,
      height: bb ? positiveInt(bb[3] - bb[1]) : null,
      facts: dsc.creator ? { application: dsc.creator } : {},
    },
    xmp ? [xmp.text] : [],
  );
}

export async function readIndd(src: ByteSource): Promise<FileMetadata> {
  const xmp = await inddXmp(src);
  return documentMetadata({}, xmp ? [xmp] : []);
}

/** GIMP's XCF header: "gimp xcf " + version + NUL, then width, height and colour mode (big-endian). */
export async function readXcf(src: ByteSource): Promise<FileMetadata> {
  const h = await src.read(0, 26);
  const facts: Record<string, string> = {};
  if (h.length >= 26 && h[13] === 0) {
    facts.colorSpace = ['RGB', 'Grayscale', 'Indexed'][h.readUInt32BE(22)] ?? 'unknown';
    return documentMetadata({
      width: positiveInt(h.readUInt32BE(14)),
      height: positiveInt(h.readUInt32BE(18)),
      facts,
    });
  }
  return documentMetadata({});
}
