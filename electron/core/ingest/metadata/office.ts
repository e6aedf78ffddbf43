import type { ByteSource } from '../../formats/byte-source';
import { LIMITS } from '../../formats/limits';
import { readZipDirectory, readZipEntry, type ZipEntry } from '../../formats/zip';
import { elementsOf, parseXml, textOf, type XmlElement } from '../../xml/reader';
import { parseXmpDate } from './dates';
import { documentMetadata, splitKeywords, tidyText, type DocumentProps } from './document-props';
import type { FileMetadata } from './file-metadata';
import { cleanText } from './text';

// Office Open XML (DOCX, XLSX, PPTX), OpenDocument (ODT, ODS, ODP) and iWork (Pages, Numbers,
// Keynote) files are zips. Their document properties are small XML parts (docProps/core.xml and
// app.xml; meta.xml), their words are in the content parts, and most carry a preview picture
// (docProps/thumbnail.jpeg, Thumbnails/thumbnail.png, preview.jpg or QuickLook/Thumbnail.jpg).
// iWork 2013+ keeps its content in Snappy-compressed protobuf (.iwa): only the preview is read.

type Kind = 'ooxml' | 'odf' | 'iwork' | 'zip';

function kindOf(entries: Map<string, ZipEntry>): Kind {
  if (entries.has('[Content_Types].xml')) return 'ooxml';
  if (entries.has('mimetype') && (entries.has('meta.xml') || entries.has('content.xml'))) return 'odf';
  if ([...entries.keys()].some((n) => n.startsWith('Index/') || n === 'index.xml' || n === 'index.apxl'))
    return 'iwork';
  return 'zip';
}

async function part(src: ByteSource, entries: Map<string, ZipEntry>, name: string): Promise<Buffer | null> {
  const e = entries.get(name);
  return e ? readZipEntry(src, e) : null;
}

function xml(bytes: Buffer | null): XmlElement | null {
  if (!bytes) return null;
  return parseXml(bytes.toString('utf8'), { lenient: true })[0] ?? null;
}

/** Child elements by local name (the namespaces vary between writers and versions). */
function children(el: XmlElement | null, local: string): XmlElement[] {
  return el ? elementsOf(el).filter((c) => c.local === local) : [];
}

function childText(el: XmlElement | null, local: string): string | null {
  return cleanText(children(el, local).map(textOf)[0]);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (all, e: string) => {
    if (e[0] === '#') {
      const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
      return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : ' ';
    }
    return ENTITIES[e] ?? all;
  });
}

/**
 * The words of a content part, without building a tree (a long document's XML has millions of
 * elements): paragraph ends become line breaks, every other tag a word break where `spaced`.
 */
function xmlWords(body: string, paragraphEnd: RegExp, textElement?: RegExp): string {
  const marked = body.replace(paragraphEnd, '\n');
  if (textElement) {
    let out = '';
    for (const m of marked.matchAll(textElement))
      out += m[0].startsWith('\n') ? '\n' : decodeEntities(m[1] ?? '');
    return out;
  }
  return decodeEntities(marked.replace(/<[^>]*>/g, ''));
}

async function ooxmlText(src: ByteSource, entries: Map<string, ZipEntry>): Promise<string> {
  const byNumber = (prefix: string) =>
    [...entries.keys()]
      .filter((n) => n.startsWith(prefix) && /\d+\.xml$/.test(n))
      .sort((a, b) => Number(/(\d+)\.xml$/.exec(a)![1]) - Number(/(\d+)\.xml$/.exec(b)![1]));
  const parts = ['word/document.xml', ...byNumber('ppt/slides/slide'), 'xl/sharedStrings.xml'].filter((n) =>
    entries.has(n),
  );
  let text = '';
  for (const name of parts) {
    if (text.length >= LIMITS.documentTextChars) break;
    const body = (await part(src, entries, name))!.toString('utf8');
    // w:t (Word), a:t (DrawingML), t (SpreadsheetML) hold the words; their paragraphs end the lines.
    text +=
      xmlWords(body, /<\/(?:w:p|a:p|si)>/g, /\n|<(?:w:|a:)?t(?:\s[^>]*)?>([^<]*)<\/(?:w:|a:)?t>/g) + '\n';
  }
  return text;
}

async function ooxmlProps(src: ByteSource, entries: Map<string, ZipEntry>): Promise<DocumentProps> {
  const core = xml(await part(src, entries, 'docProps/core.xml'));
  const app = xml(await part(src, entries, 'docProps/app.xml'));
  const pages = Number(childText(app, 'Pages') ?? childText(app, 'Slides') ?? NaN);
  const application = childText(app, 'Application');
  return {
    title: childText(core, 'title'),
    // Word's "Comments" is dc:description; its "Subject" is the closer thing when there are none.
    description: childText(core, 'description') ?? childText(core, 'subject'),
    creator: childText(core, 'creator'),
    keywords: splitKeywords(childText(core, 'keywords')),
    created: parseXmpDate(childText(core, 'created')),
    facts: {
      ...(Number.isFinite(pages) && pages > 0 ? { pages } : {}),
      ...(application ? { application } : {}),
    },
    text: tidyText(await ooxmlText(src, entries)),
  };
}

async function odfProps(src: ByteSource, entries: Map<string, ZipEntry>): Promise<DocumentProps> {
  const root = xml(await part(src, entries, 'meta.xml'));
  const meta = children(root, 'meta')[0] ?? null;
  const stats = children(meta, 'document-statistic')[0];
  const pageCount = Number(stats?.attrs.find((a) => a.local === 'page-count')?.value ?? NaN);
  const generator = childText(meta, 'generator');
  const content = await part(src, entries, 'content.xml');
  const body = content ? content.toString('utf8') : '';
  // Only the document body: styles and fonts come before it and hold no words.
  const at = body.search(/<office:body[\s>]/);
  return {
    title: childText(meta, 'title'),
    description: childText(meta, 'description') ?? childText(meta, 'subject'),
    creator: childText(meta, 'initial-creator') ?? childText(meta, 'creator'),
    keywords: children(meta, 'keyword').flatMap((k) => splitKeywords(textOf(k))),
    created: parseXmpDate(childText(meta, 'creation-date')),
    facts: {
      ...(Number.isFinite(pageCount) && pageCount > 0 ? { pages: pageCount } : {}),
      ...(generator ? { application: generator } : {}),
    },
    text: tidyText(
      xmlWords(
        (at >= 0 ? body.slice(at) : body).replace(/<text:(?:s|tab|line-break)\b[^>]*\/>/g, ' '),
        /<\/text:(?:p|h)>/g,
      ),
    ),
  };
}

/** Document properties and words of an Office, OpenDocument or iWork file. */
export async function readOffice(src: ByteSource): Promise<FileMetadata> {
  const entries = await readZipDirectory(src);
  const kind = kindOf(entries);
  if (kind === 'ooxml') return documentMetadata(await ooxmlProps(src, entries));
  if (kind === 'odf') return documentMetadata(await odfProps(src, entries));
  return documentMetadata({});
}

const PREVIEWS = [
  'docProps/thumbnail.jpeg',
  'docProps/thumbnail.jpg',
  'docProps/thumbnail.png',
  'Thumbnails/thumbnail.png',
  'preview.jpg',
  'QuickLook/Thumbnail.jpg',
  'QuickLook/Preview.jpg',
  'preview-web.jpg',
];

/** The preview picture an Office, OpenDocument or iWork file embeds, or null. */
export async function officePreview(src: ByteSource): Promise<Buffer | null> {
  const entries = await readZipDirectory(src);
  for (const name of PREVIEWS) {
    const e = entries.get(name);
    if (e) return readZipEntry(src, e, LIMITS.previewBytes);
  }
  return null;
}
