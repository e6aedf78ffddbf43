// Documents (issue 14, docs part): PDF and Illustrator, EPS, InDesign, XCF, Office/OpenDocument/
// iWork and RTF. Their title, description, creator, keywords, date and size are compared field
// by field with exiftool on the same files; previews are rendered for real (pdf.js on a napi
// canvas, the EPS TIFF preview, Ghostscript, embedded JPEG/PNG); hostile files end in a one-line
// error; and a scan makes a PDF findable by a sentence inside it (`text:`).
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMetadata, type FileMetadata } from '../../electron/core/ingest/metadata/read-metadata';
import { renderThumbnail, NothingToDrawError } from '../../electron/core/ingest/thumbnails';
import { resetGhostscript } from '../../electron/core/ingest/thumbnails/eps';
import { formatFromExt } from '../../electron/core/ingest/formats/file-types';
import { reconcileFormat, sniffFormat } from '../../electron/core/formats/sniff';
import { LIMITS } from '../../electron/core/formats/limits';
import { withPdf } from '../../electron/core/ingest/pdfjs';
import {
  PHRASE,
  makeDosEps,
  makeEps,
  makeIndd,
  makeIwork,
  makeManyPagePdf,
  makeOdf,
  makeOoxml,
  makePdf,
  makeRtf,
  makeXcf,
  smallJpeg,
  tagWithExiftool,
} from '../fixtures/documents';
import { tempDir } from '../helpers/corpus';
import { freshLibrary } from '../helpers/library';
import {
  dedupeCi,
  etDate,
  etList,
  etNum,
  etText,
  exiftool,
  firstOf,
  within,
  type Rec,
} from '../helpers/metadata-oracle';

let dir: string;
const files: Record<string, string> = {};

/** The format processFile would settle on: the extension's claim reconciled with the bytes. */
function formatOf(file: string) {
  const ext = path.extname(file).slice(1);
  const head = fs.readFileSync(file).subarray(0, 64);
  return reconcileFormat(formatFromExt(ext), sniffFormat(head)).format;
}

async function read(file: string): Promise<FileMetadata> {
  return within(readMetadata({ path: file, format: formatOf(file) }), file, 30_000);
}

beforeAll(async () => {
  dir = fs.realpathSync(tempDir('dam-docs-'));
  const jpeg = await smallJpeg();
  const png = await sharp(jpeg).png().toBuffer();
  files.pdf = makePdf(dir, 'brochure.pdf', {
    title: 'Spring catalogue',
    author: 'Ada Lovelace',
    subject: 'Brochure for the spring',
    keywords: 'sale, spring, Café',
    created: "D:20240501120304+02'00'",
    pages: [PHRASE, 'Second page about gardens'],
  });
  // exiftool's XMP on top of the Info dictionary: XMP wins where both speak.
  files.pdfXmp = makePdf(dir, 'tagged.pdf', { title: 'Info title', keywords: 'old' });
  tagWithExiftool(files.pdfXmp, {
    'XMP-dc:Title': 'XMP title',
    'XMP-dc:Subject': ['poster', 'summer'],
    'XMP-dc:Creator': 'Grace Hopper',
    'XMP-xmp:CreateDate': '2023:07:14 09:30:00-05:00',
  });
  files.pdfBare = makePdf(dir, 'bare.pdf');
  files.ai = makePdf(dir, 'logo.ai', { title: 'Logo', author: 'Studio' });
  // Illustrator before version 9 saved PostScript: the bytes make it an EPS, whatever .ai says.
  files.aiPs = makeEps(dir, 'old-logo.ai', { title: 'Old logo', creator: 'Adobe Illustrator(R) 8.0' });
  files.pdfLocked = makePdf(dir, 'locked.pdf', { title: 'Secret' }, [
    '-sOwnerPassword=owner',
    '-sUserPassword=user',
  ]);
  files.eps = makeEps(dir, 'mark.eps', {
    title: 'Brand mark',
    created: "D:20220310081500Z00'00'",
    bbox: [10, 20, 310, 170],
  });
  tagWithExiftool(files.eps, { 'XMP-dc:Subject': ['logo', 'brand'], 'XMP-dc:Creator': 'Studio North' });
  files.epsTiff = await makeDosEps(dir, 'preview.eps', { title: 'With preview', tiff: true, wmf: true });
  files.epsWmf = await makeDosEps(dir, 'wmf-only.eps', { title: 'WMF only', wmf: true });
  files.indd = makeIndd(dir, 'layout.indd', {
    title: 'Autumn layout',
    created: '2021-09-01T10:00:00+01:00',
    thumbnail: jpeg,
  });
  files.xcf = makeXcf(dir, 'painting.xcf', 640, 480);
  files.docx = makeOoxml(dir, 'memo.docx', 'docx', {
    props: {
      title: 'Quarterly memo',
      subject: 'Finance',
      creator: 'Ada Lovelace',
      keywords: 'report; Q2',
      created: '2024-04-02T08:15:00Z',
    },
    paragraphs: [PHRASE, 'Revenue grew.'],
    thumbnail: jpeg,
  });
  files.pptx = makeOoxml(dir, 'deck.pptx', 'pptx', {
    props: { title: 'Launch deck', description: 'For the board', creator: 'Bo' },
    paragraphs: ['Welcome', 'Launch plan'],
    app: 'Microsoft Office PowerPoint',
  });
  files.xlsx = makeOoxml(dir, 'sheet.xlsx', 'xlsx', {
    props: { title: 'Budget' },
    paragraphs: ['Total', 'Rent'],
  });
  files.odt = makeOdf(dir, 'letter.odt', {
    title: 'Cover letter',
    description: 'For the agency',
    creator: 'Ada',
    keywords: ['letter', 'agency'],
    created: '2024-02-03T04:05:06',
    paragraphs: [PHRASE, 'Kind regards'],
    thumbnail: png,
  });
  files.key = makeIwork(dir, 'pitch.key', jpeg);
  files.rtf = makeRtf(dir, 'note.rtf', {
    title: 'Spring memo',
    subject: 'Plans',
    author: 'Ada',
    keywords: 'sale, spring',
    created: [2024, 5, 1, 12, 3],
  });
}, 120_000);

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** exiftool leaves a PostScript date as written ("D:20220310081500Z00'00'"): the same date in its usual form. */
function etPdfDate(v: unknown) {
  const m =
    typeof v === 'string'
      ? /^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}'\d{2})?/.exec(v)
      : null;
  if (!m) return etDate(v);
  const off = !m[7] ? '' : m[7] === 'Z' ? 'Z' : m[7].replace("'", ':');
  return etDate(`${m[1]}:${m[2]}:${m[3]} ${m[4]}:${m[5]}:${m[6]}${off}`);
}

function splitList(v: unknown): string[] {
  return etList(v)
    .flatMap((s) => s.split(/[,;]/))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** What exiftool's groups for each kind of document say our fields should be (XMP first, as for every other container). */
function expectedDoc(r: Rec) {
  const type = String(r['File:FileType']);
  const dcCreator = etList(r['XMP-dc:Creator']).join('; ') || null;
  const dcKeywords = etList(r['XMP-dc:Subject']);
  const xmpDate = etDate(r['XMP-xmp:CreateDate']);
  const size = {
    width: firstOf(etNum(r['GIMP:ImageWidth']), etNum(r['Composite:ImageWidth'])),
    height: firstOf(etNum(r['GIMP:ImageHeight']), etNum(r['Composite:ImageHeight'])),
  };
  const office = /^(DOCX|PPTX|XLSX)$/.test(type);
  const odf = /^OD[TSPG]$/.test(type);
  if (office || odf)
    // exiftool files Office's dc:subject (the "Subject" box, not keywords) under XMP-dc:Subject.
    return {
      title: etText(r['XMP-dc:Title']),
      description: firstOf(etText(r['XMP-dc:Description']), etText(r['XMP-dc:Subject'])),
      creator: odf ? firstOf(etText(r['XMP-meta:Initial-creator']), dcCreator) : dcCreator,
      keywords: dedupeCi(odf ? etList(r['XMP-meta:Keyword']) : splitList(r['XML:Keywords'])),
      date: odf ? etDate(r['XMP-meta:Creation-date']) : etDate(r['XML:CreateDate']),
      ...size,
    };
  if (type === 'RTF')
    return {
      title: etText(r['RTF:Title']),
      description: etText(r['RTF:Subject']),
      creator: etText(r['RTF:Author']),
      keywords: dedupeCi(splitList(r['RTF:Keywords'])),
      date: etDate(r['RTF:CreateDate']),
      ...size,
    };
  return {
    title: firstOf(etText(r['XMP-dc:Title']), etText(r['PDF:Title']), etText(r['PostScript:Title'])),
    description: firstOf(etText(r['XMP-dc:Description']), etText(r['PDF:Subject'])),
    creator: firstOf(dcCreator, etText(r['PDF:Author'])),
    keywords: dedupeCi(dcKeywords.length ? dcKeywords : splitList(r['PDF:Keywords'])),
    date: firstOf(xmpDate, etDate(r['PDF:CreateDate']), etPdfDate(r['PostScript:CreateDate'])),
    ...size,
  };
}

describe('document metadata against exiftool, field by field', () => {
  const compared = [
    'pdf',
    'pdfXmp',
    'ai',
    'aiPs',
    'eps',
    'epsTiff',
    'indd',
    'xcf',
    'docx',
    'pptx',
    'xlsx',
    'odt',
    'rtf',
  ];
  let et: Map<string, Rec>;
  const ours = new Map<string, FileMetadata>();

  beforeAll(async () => {
    et = exiftool(compared.map((k) => files[k]!));
    for (const k of compared) ours.set(k, await read(files[k]!));
  }, 120_000);

  it('agrees on title, description, creator, keywords, capture date and size', () => {
    const diffs: string[] = [];
    for (const k of compared) {
      const rec = et.get(files[k]!);
      expect(rec, k).toBeDefined();
      const e = expectedDoc(rec!);
      const m = ours.get(k)!;
      for (const f of ['title', 'description', 'creator'] as const)
        if (m[f] !== e[f]) diffs.push(`${k} ${f}: ours=${m[f]} exiftool=${e[f]}`);
      // exiftool reads only the first of ODF's meta:keyword elements; each one is a keyword.
      const ourKeywords = k === 'odt' ? m.keywords.slice(0, e.keywords.length) : m.keywords;
      if (JSON.stringify(ourKeywords) !== JSON.stringify(e.keywords))
        diffs.push(
          `${k} keywords: ours=${JSON.stringify(m.keywords)} exiftool=${JSON.stringify(e.keywords)}`,
        );
      const want = e.date ? `${e.date.wall}${e.date.offset ?? ''}` : null;
      const got = m.captureDate?.replace(/\.\d+/, '') ?? null;
      if (got !== want) diffs.push(`${k} captureDate: ours=${got} exiftool=${want}`);
      if (e.width !== null && (m.width !== e.width || m.height !== e.height))
        diffs.push(`${k} size: ours=${m.width}x${m.height} exiftool=${e.width}x${e.height}`);
    }
    expect(diffs).toEqual([]);
  });

  it('reads what exiftool reads, not nothing: the fields of the generated files are there', () => {
    expect(ours.get('pdf')).toMatchObject({
      title: 'Spring catalogue',
      creator: 'Ada Lovelace',
      description: 'Brochure for the spring',
      keywords: ['sale', 'spring', 'Café'],
      captureDate: '2024-05-01T12:03:04+02:00',
      tzOffsetMin: 120,
    });
    expect(ours.get('pdf')!.facts).toMatchObject({
      pages: 2,
      producer: expect.stringMatching(/Ghostscript/),
    });
    expect(ours.get('pdfXmp')).toMatchObject({
      title: 'XMP title',
      keywords: ['poster', 'summer'],
      creator: 'Grace Hopper',
      captureDate: '2023-07-14T09:30:00-05:00',
    });
    expect(formatOf(files.aiPs!)).toBe('eps');
    expect(ours.get('aiPs')).toMatchObject({
      title: 'Old logo',
      facts: { application: 'Adobe Illustrator(R) 8.0' },
    });
    expect(ours.get('eps')).toMatchObject({
      title: 'Brand mark',
      width: 300,
      height: 150,
      keywords: ['logo', 'brand'],
    });
    expect(ours.get('indd')).toMatchObject({
      title: 'Autumn layout',
      captureDate: '2021-09-01T10:00:00+01:00',
    });
    expect(ours.get('xcf')).toMatchObject({ width: 640, height: 480 });
    expect(ours.get('docx')).toMatchObject({
      title: 'Quarterly memo',
      keywords: ['report', 'Q2'],
      creator: 'Ada Lovelace',
    });
    expect(ours.get('odt')).toMatchObject({ title: 'Cover letter', keywords: ['letter', 'agency'] });
    expect(ours.get('rtf')).toMatchObject({ title: 'Spring memo', captureDate: '2024-05-01T12:03:00' });
  });

  it('extracts the words of PDF, AI, Office, OpenDocument and RTF files, and none of the others', () => {
    expect(ours.get('pdf')!.text).toContain(PHRASE);
    expect(ours.get('pdf')!.text).toContain('Second page about gardens');
    expect(ours.get('docx')!.text).toContain(PHRASE); // joined across Word's runs
    expect(ours.get('pptx')!.text).toMatch(/Welcome\s+Launch plan/);
    expect(ours.get('xlsx')!.text).toMatch(/Total\s+Rent/);
    expect(ours.get('odt')!.text).toContain(PHRASE);
    expect(ours.get('rtf')!.text).toContain(PHRASE);
    expect(ours.get('rtf')!.text).toContain('Second line café €');
    expect(ours.get('rtf')!.text).not.toMatch(/Times New Roman|Tessera tests|Spring memo/);
    for (const k of ['eps', 'indd', 'xcf']) expect(ours.get(k)!.text, k).toBeUndefined();
  });
});

describe('document previews', () => {
  const render = (file: string, maxEdge = 256) =>
    within(renderThumbnail({ path: file, format: formatOf(file), maxEdge }), file, 30_000);

  it('draws the first page of a PDF and of an Illustrator file, page size as the source size', async () => {
    for (const f of [files.pdf!, files.ai!]) {
      const out = await render(f);
      expect(Math.max(out.width, out.height)).toBe(256);
      expect([out.sourceWidth, out.sourceHeight]).toEqual([595, 842]); // A4 in points
      // The blue square of the page is there: the page was drawn, not left blank.
      const { data } = await sharp(out.data).raw().toBuffer({ resolveWithObject: true });
      let blue = 0;
      for (let i = 0; i < data.length; i += 3) if (data[i + 2]! > 150 && data[i]! < 60) blue++;
      expect(blue).toBeGreaterThan(500);
    }
  });

  it('uses the TIFF preview of an EPS, else Ghostscript, else says there is none', async () => {
    const withTiff = await render(files.epsTiff!);
    const { dominant } = await sharp(withTiff.data).stats();
    expect(dominant.r).toBeGreaterThan(150);
    expect((await render(files.eps!)).width).toBeGreaterThan(0); // by Ghostscript
    process.env.DAM_GHOSTSCRIPT = '';
    resetGhostscript();
    try {
      await expect(render(files.epsWmf!)).rejects.toThrow(NothingToDrawError);
      await expect(render(files.epsWmf!)).rejects.toThrow(
        /only a WMF preview, and Ghostscript is not installed/,
      );
      expect((await render(files.epsTiff!)).width).toBeGreaterThan(0);
    } finally {
      delete process.env.DAM_GHOSTSCRIPT;
      resetGhostscript();
    }
  });

  it('shows the picture InDesign, Office, OpenDocument and iWork files embed', async () => {
    for (const k of ['indd', 'docx', 'odt', 'key']) {
      const out = await render(files[k]!, 128);
      expect(Math.max(out.width, out.height), k).toBe(128);
      const { dominant } = await sharp(out.data).stats();
      expect(dominant.g, k).toBeGreaterThan(dominant.r);
    }
  });

  it('says NothingToDrawError, not a fault, for an Office file saved without a preview', async () => {
    await expect(render(files.pptx!)).rejects.toBeInstanceOf(NothingToDrawError);
  });
});

describe('hostile and broken documents', () => {
  let bad: Record<string, string>;
  beforeAll(async () => {
    const b = (name: string, data: Buffer | string) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, data);
      return f;
    };
    const pdf = fs.readFileSync(files.pdf!);
    const zipBomb = (await import('fflate')).zipSync({
      '[Content_Types].xml': new Uint8Array(10),
      'docProps/core.xml': new Uint8Array(LIMITS.zipEntryBytes + 1024),
    });
    bad = {
      empty: b('empty.pdf', ''),
      truncated: b('cut.pdf', pdf.subarray(0, 400)),
      garbage: b('noise.pdf', Buffer.from('%PDF-1.7\n' + 'x'.repeat(5000))),
      brokenXref: b(
        'xref.pdf',
        Buffer.from(pdf.toString('latin1').replace(/startxref\s+\d+/, 'startxref\n999999'), 'latin1'),
      ),
      manyPages: makeManyPagePdf(dir, 'huge.pdf', 10_000),
      zipBomb: b('bomb.docx', Buffer.from(zipBomb)),
      notZip: b('fake.docx', 'this is not a zip'),
      cutZip: b('cut.docx', fs.readFileSync(files.docx!).subarray(0, 300)),
      cutIndd: b('cut.indd', fs.readFileSync(files.indd!).subarray(0, 5000)),
      cutEps: b('cut.eps', fs.readFileSync(files.epsTiff!).subarray(0, 20)),
      hugeXcf: makeXcf(dir, 'huge.xcf', 0xffffffff, 0xffffffff),
    };
  });

  it('reads each, or fails with a one-line error; never a crash or a hang', async () => {
    const outcomes: Record<string, string> = {};
    for (const [k, f] of Object.entries(bad)) {
      try {
        const m = await read(f);
        outcomes[k] = `ok${m.text ? ' with text' : ''}`;
      } catch (err) {
        expect(err, k).toBeInstanceOf(Error);
        const msg = (err as Error).message;
        expect(msg, k).not.toContain('\n');
        expect(msg.length, k).toBeLessThanOrEqual(200);
        outcomes[k] = `error: ${msg}`;
      }
    }
    await expect(read(files.pdfLocked!)).rejects.toThrow(/^the PDF is password-protected$/);
    await expect(renderThumbnail({ path: files.pdfLocked!, format: 'pdf', maxEdge: 64 })).rejects.toThrow(
      /^the PDF is password-protected$/,
    );
    expect(outcomes).toMatchObject({
      empty: 'ok',
      truncated: expect.stringMatching(/^error: (not a valid PDF|damaged PDF)/),
      garbage: expect.stringMatching(/^error: (not a valid PDF|damaged PDF)/),
      zipBomb: expect.stringMatching(/^error: docProps\/core\.xml (is too large|inflates past)/),
      notZip: 'error: not an Office document (no zip container)',
      cutZip: expect.stringMatching(/^error: damaged zip/),
      cutIndd: expect.stringMatching(/^error: .*InDesign/),
      cutEps: expect.stringMatching(/^error: .*EPS/),
    });
    // A broken cross-reference table is repaired by pdf.js; a 10,000-page document reads its page count.
    expect(outcomes.brokenXref).toBe('ok with text');
    const huge = await read(bad.manyPages!);
    expect(huge.facts.pages).toBe(10_000);
    expect(outcomes.hugeXcf).toBe('ok');
  }, 120_000);

  it('gives up on a document past its time budget with a clear line, and closes it', async () => {
    const bytes = fs.readFileSync(files.pdf!);
    await expect(withPdf(bytes, () => new Promise<never>(() => undefined), 1000)).rejects.toThrow(
      /^gave up reading the PDF after 1 s$/,
    );
    // The next document opens as usual afterwards.
    expect(await withPdf(bytes, (doc) => Promise.resolve(doc.numPages))).toBe(2);
  });

  it('renders the first page of a 10,000-page PDF, and refuses a broken one in a line', async () => {
    const out = await within(
      renderThumbnail({ path: bad.manyPages!, format: 'pdf', maxEdge: 64 }),
      'huge.pdf',
      30_000,
    );
    expect(out.width).toBe(64);
    await expect(renderThumbnail({ path: bad.garbage!, format: 'pdf', maxEdge: 64 })).rejects.toThrow(
      /^(not a valid PDF|damaged PDF)/,
    );
  });
});

describe('a scan makes documents findable by their words (text:)', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let root: string;
  const names = (q: string) =>
    ctx.lib
      .search(q)
      .items.map((i) => path.basename(i.path))
      .sort();

  beforeAll(async () => {
    ctx = freshLibrary();
    root = fs.realpathSync(tempDir('dam-docs-root-'));
    for (const k of ['pdf', 'pdfBare', 'docx', 'pptx', 'odt', 'rtf', 'eps', 'key'])
      fs.copyFileSync(files[k]!, path.join(root, path.basename(files[k]!)));
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
  }, 120_000);

  afterAll(async () => {
    await ctx?.dispose();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('finds a phrase inside a PDF and the documents that hold it, and nothing else', () => {
    expect(names('text:"spring sale"')).toEqual([
      'bare.pdf',
      'brochure.pdf',
      'letter.odt',
      'memo.docx',
      'note.rtf',
    ]);
    expect(names('text:gardens')).toEqual(['brochure.pdf']);
    expect(names('text:garden')).toEqual(['brochure.pdf']); // a bare word is a prefix
    expect(names('text:"sale spring"')).toEqual([]); // a phrase keeps its order
    expect(names('text:"spring sale" ext:pdf -text:gardens')).toEqual(['bare.pdf']);
    // Plain words search the catalogue fields, not the pages.
    expect(names('gardens')).toEqual([]);
  });

  it('catalogues documents with their types, metadata and previews, and no error for a missing preview', () => {
    const byName = new Map(ctx.lib.search('').items.map((i) => [path.basename(i.path), i]));
    expect(byName.get('brochure.pdf')).toMatchObject({
      type: 'design',
      title: 'Spring catalogue',
      error: null,
    });
    expect(byName.get('brochure.pdf')!.thumbnail).toBeTruthy();
    expect(byName.get('mark.eps')).toMatchObject({ type: 'design', title: 'Brand mark' });
    expect(byName.get('memo.docx')).toMatchObject({ type: 'other', title: 'Quarterly memo', error: null });
    expect(byName.get('memo.docx')!.thumbnail).toBeTruthy();
    expect(byName.get('deck.pptx')).toMatchObject({ type: 'other', error: null, thumbnail: null });
    expect(byName.get('pitch.key')!.thumbnail).toBeTruthy();
  });
});
