import { LIMITS } from '../../formats/limits';
import { withPdf, type PDFDocumentProxy } from '../pdfjs';
import { documentMetadata, parsePdfDate, splitKeywords, tidyText } from './document-props';
import type { FileMetadata } from './file-metadata';
import { cleanText } from './text';

// PDF and Illustrator (.ai, a PDF inside): the Info dictionary (Title, Author, Subject, Keywords,
// CreationDate with its offset), the XMP metadata stream, the page count, and the words of the
// first pages for `text:` search.

interface TextItem {
  str?: string;
  hasEOL?: boolean;
}

/** The words of the first LIMITS.documentTextPages pages, at most LIMITS.documentTextChars of them. */
async function pdfText(doc: PDFDocumentProxy): Promise<string> {
  let text = '';
  const pages = Math.min(doc.numPages, LIMITS.documentTextPages);
  for (let n = 1; n <= pages && text.length < LIMITS.documentTextChars; n++) {
    const page = await doc.getPage(n);
    try {
      const content = await page.getTextContent();
      for (const item of content.items as TextItem[]) {
        if (item.str) text += item.str;
        text += item.hasEOL ? '\n' : item.str ? ' ' : '';
      }
      text += '\n';
    } finally {
      page.cleanup();
    }
  }
  return tidyText(text);
}

export async function readPdf(bytes: Uint8Array): Promise<FileMetadata> {
  return withPdf(bytes, async (doc) => {
    const { info, metadata } = (await doc.getMetadata()) as unknown as {
      info: Record<string, unknown>;
      metadata: { getRaw(): string } | null;
    };
    const xmp = metadata?.getRaw();
    const text = await pdfText(doc);
    return documentMetadata(
      {
        title: cleanText(info.Title),
        creator: cleanText(info.Author),
        description: cleanText(info.Subject),
        keywords: splitKeywords(info.Keywords),
        created: parsePdfDate(info.CreationDate),
        facts: {
          pages: doc.numPages,
          ...(cleanText(info.Producer) ? { producer: cleanText(info.Producer)! } : {}),
          ...(cleanText(info.Creator) ? { application: cleanText(info.Creator)! } : {}),
        },
        text,
      },
      xmp ? [xmp] : [],
    );
  });
}
