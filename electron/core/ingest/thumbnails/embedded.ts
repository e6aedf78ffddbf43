import { openSource, type ByteSource } from '../../formats/byte-source';
import { inddXmp } from '../../formats/indd';
import { LIMITS } from '../../formats/limits';
import { officePreview } from '../metadata/office';
import { DECODE_OPTIONS, decodeError, encodeWebp, sharp } from './encode';
import { NothingToDrawError, type RenderOutput } from './types';

// Previews that documents carry of themselves: the JPEG in an InDesign file's XMP
// (xmp:Thumbnails/xmpGImg:image, base64) and the picture in an Office, OpenDocument or iWork zip.

async function withSrc<T>(src: Buffer | string, use: (s: ByteSource) => Promise<T>): Promise<T> {
  const s = await openSource(src);
  try {
    return await use(s);
  } finally {
    await s.close();
  }
}

async function encodePicture(bytes: Buffer, maxEdge: number, label: string): Promise<RenderOutput> {
  try {
    const out = await encodeWebp(sharp(bytes, DECODE_OPTIONS).rotate(), maxEdge);
    // The size is the preview's, not the document's: leave the document's own size alone.
    return { ...out, sourceWidth: null, sourceHeight: null, durationS: null };
  } catch (err) {
    throw decodeError(label, err);
  }
}

/** The first xmpGImg:image of an XMP packet (element or attribute form), decoded. */
export function xmpThumbnail(xmp: string): Buffer | null {
  const m = /xmpGImg:image(?:>|\s*=\s*")([^<"]+)/.exec(xmp);
  if (!m) return null;
  // Line breaks come as "&#xA;" inside the base64.
  const b64 = m[1]!.replace(/&#x[aA];|&#1[03];|\s/g, '');
  if (b64.length > (LIMITS.previewBytes * 4) / 3) return null;
  const bytes = Buffer.from(b64, 'base64');
  return bytes.length > 2 ? bytes : null;
}

export async function renderIndd(src: Buffer | string, maxEdge: number): Promise<RenderOutput> {
  const xmp = await withSrc(src, inddXmp);
  const jpeg = xmp ? xmpThumbnail(xmp) : null;
  if (!jpeg) throw new NothingToDrawError('the InDesign file holds no preview');
  return encodePicture(jpeg, maxEdge, 'damaged InDesign preview');
}

export async function renderOffice(src: Buffer | string, maxEdge: number): Promise<RenderOutput> {
  const picture = await withSrc(src, officePreview);
  if (!picture) throw new NothingToDrawError('the document was saved without a preview');
  return encodePicture(picture, maxEdge, 'damaged document preview');
}
