import { describe, expect, it } from 'vitest';
import { canonical, FIELDS, type FieldValues } from '../../electron/core/governance/fields';
import { NS as SIDECAR_NS } from '../../electron/core/governance/xmp-ns';
import { readSidecar, SidecarParseError } from '../../electron/core/governance/xmp-read';
import { writeSidecar } from '../../electron/core/governance/xmp-write';
import { NS as PACKET_NS, parseXmp } from '../../electron/core/ingest/metadata/xmp';
import { decodeXml } from '../../electron/core/xml/decode';
import { parseXml, XML_LIMITS, XmlError } from '../../electron/core/xml/reader';

function values(): FieldValues {
  const v = Object.fromEntries(FIELDS.map((f) => [f, canonical(f, null)])) as unknown as FieldValues;
  return { ...v, keywords: [], channels: [], territories: [] };
}

const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const packet = (description: string, decls = '') =>
  `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="${RDF}"><rdf:Description rdf:about=""${decls}>${description}</rdf:Description></rdf:RDF></x:xmpmeta>`;

const LAUGHS = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>${packet(
  '<dc:title>&lol3;</dc:title>',
  ' xmlns:dc="http://purl.org/dc/elements/1.1/"',
)}`;
const XXE = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${packet(
  '<dc:title>&xxe;</dc:title>',
  ' xmlns:dc="http://purl.org/dc/elements/1.1/"',
)}`;

describe('the one XML reader', () => {
  it('has one namespace table for sidecars and packets in files', () => {
    expect(PACKET_NS).toBe(SIDECAR_NS);
  });

  it('accepts valid non-ASCII XML names in a sidecar, and keeps them when rewriting', () => {
    const xml = packet(
      '<photoshop:Credit>North</photoshop:Credit><ñ:Título>Año nuevo</ñ:Título><данные:Поле данные:атрибут="да"/>',
      ' xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:ñ="urn:example:ñ/" xmlns:данные="urn:example:d/"',
    );
    const data = readSidecar(xml);
    expect(data.values.credit).toBe('North');
    const again = readSidecar(
      writeSidecar(
        {
          values: { ...values(), ...(data.values as Partial<FieldValues>), title: 'T' },
          approval: null,
          stamps: new Map(),
          conflicts: [],
          approvalLog: [],
        },
        data.foreign,
      ),
    );
    const kept = again.foreign.flatMap((f) => f.children.map((c) => `${c.ns}${c.local}`));
    expect(kept).toEqual(['urn:example:ñ/Título', 'urn:example:d/Поле']);
  });

  it('refuses DTDs in sidecars (XXE, billion laughs), and never expands them in packets', () => {
    expect(() => readSidecar(XXE)).toThrow(/document type/);
    expect(() => readSidecar(LAUGHS)).toThrow(/document type/);
    for (const doc of [XXE, LAUGHS]) {
      const x = parseXmp([doc]);
      expect(x.text(PACKET_NS.dc, 'title') ?? '').not.toMatch(/lollol|root:/);
    }
  });

  it('holds one set of limits: strict refuses past them, lenient stops there', () => {
    const deep = '<a>'.repeat(XML_LIMITS.maxDepth + 5) + '</a>'.repeat(XML_LIMITS.maxDepth + 5);
    expect(() => parseXml(deep)).toThrow(XmlError);
    expect(() => parseXml(deep, { lenient: true })).not.toThrow();
    expect(() => readSidecar(packet('<a>'.repeat(300) + '</a>'.repeat(300)))).toThrow(SidecarParseError);
  });

  it('reads packets leniently: undeclared conventional prefixes, junk, truncation', () => {
    const x = parseXmp([
      `<x:xmpmeta><rdf:RDF><rdf:Description xap:Rating="4"><dc:creator><rdf:Seq><rdf:li>Ann</rdf:li></rdf:Seq></dc:creator><aux:Lens>50mm`,
    ]);
    expect(x.text(PACKET_NS.xmp, 'Rating')).toBe('4');
    expect(x.list(PACKET_NS.dc, 'creator')).toEqual(['Ann']);
    expect(x.text(PACKET_NS.aux, 'Lens')).toBe('50mm');
  });

  it('decodes as the document declares, and only exactly', () => {
    expect(
      decodeXml(Buffer.from('<?xml version="1.0" encoding="windows-1252"?><a>\x80</a>', 'latin1')),
    ).toContain('€');
    expect(
      decodeXml(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>\xe9</a>', 'latin1')),
    ).toContain('é');
    expect(() => decodeXml(Buffer.from([0x3c, 0x61, 0x3e, 0xe9, 0x3c, 0x2f, 0x61, 0x3e]))).toThrow(/UTF-8/);
    expect(() => decodeXml(Buffer.from('<?xml version="1.0" encoding="x-klingon"?><a/>'))).toThrow(
      /unsupported/,
    );
    expect(() => decodeXml(Buffer.from('<?xml version="1.0" encoding="UTF-16"?><a/>'))).toThrow(/UTF-16/);
  });
});
