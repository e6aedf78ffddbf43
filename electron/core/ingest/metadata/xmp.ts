// XMP inside files is read with the one XML reader (xml/reader.ts), leniently: a packet from a
// camera or another application is only read, never written back, so what can be read is used.
// Not exifr's regex parser: exifr keys properties by whatever prefix the file happens to use (xap:
// vs xmp:), leaves entities such as &amp; undecoded, and merges XMP's exif:/tiff: properties over
// the real EXIF values.
import { NS } from '../../xml/namespaces';
import {
  elementsOf,
  parseXml,
  textOf as elementText,
  XML_NS as XML,
  type XmlAttr,
  type XmlElement as XmlEl,
} from '../../xml/reader';

export { NS };

const RDF = NS.rdf;
/** Nesting of property values followed (structs in arrays in structs...). */
const MAX_DEPTH = 64;

export type XmpNode = string | XmpItem[] | XmpStruct;
export interface XmpItem {
  value: XmpNode;
  lang: string | null;
}
export type XmpStruct = Map<string, XmpNode>;

function attr(el: XmlEl, ns: string, local: string): string | null {
  for (const a of el.attrs) if (a.ns === ns && a.local === local) return a.value;
  return null;
}

/** rdf:about, xml:lang, namespace declarations and old-style unqualified attributes describe the node, they are not properties. */
function isPropertyAttr(a: XmlAttr): boolean {
  return a.ns !== RDF && a.ns !== XML && a.ns !== '' && a.ns !== 'xmlns';
}

function setOnce(into: Map<string, XmpNode>, key: string, value: XmpNode): void {
  if (!into.has(key)) into.set(key, value);
}

function nodeProperties(node: XmlEl, into: Map<string, XmpNode>, depth: number): void {
  for (const a of node.attrs) if (isPropertyAttr(a)) setOnce(into, a.ns + a.local, a.value);
  for (const child of elementsOf(node))
    setOnce(into, child.ns + child.local, propertyValue(child, depth + 1));
}

function propertyValue(el: XmlEl, depth: number): XmpNode {
  if (depth > MAX_DEPTH) return '';
  const resource = attr(el, RDF, 'resource');
  if (resource !== null) return resource;
  const struct: XmpStruct = new Map();
  if (attr(el, RDF, 'parseType') === 'Resource') {
    nodeProperties(el, struct, depth);
    return struct;
  }
  const first = elementsOf(el)[0];
  if (!first) {
    // Struct fields may be written as attributes on the property element itself.
    if (el.attrs.some(isPropertyAttr)) {
      nodeProperties(el, struct, depth);
      return struct;
    }
    return elementText(el);
  }
  if (first.ns === RDF && (first.local === 'Bag' || first.local === 'Seq' || first.local === 'Alt')) {
    return elementsOf(first)
      .filter((li) => li.ns === RDF && li.local === 'li')
      .map((li) => ({ value: propertyValue(li, depth + 1), lang: attr(li, XML, 'lang') }));
  }
  nodeProperties(first.ns === RDF && first.local === 'Description' ? first : el, struct, depth);
  return struct;
}

function collectDescriptions(els: XmlEl[], into: Map<string, XmpNode>, depth: number): void {
  for (const el of els) {
    if (el.ns === RDF && el.local === 'RDF') {
      // Every child of rdf:RDF is a node element (normally rdf:Description).
      for (const node of elementsOf(el)) nodeProperties(node, into, 0);
    } else if (depth < 8) {
      collectDescriptions(elementsOf(el), into, depth + 1);
    }
  }
}

function textOf(node: XmpNode | undefined): string | null {
  if (node === undefined) return null;
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) {
    const item = node.find((it) => it.lang?.toLowerCase() === 'x-default') ?? node[0];
    return item ? textOf(item.value) : null;
  }
  return textOf(node.get(RDF + 'value'));
}

function listOf(node: XmpNode | undefined): string[] {
  if (node === undefined) return [];
  if (Array.isArray(node)) return node.map((it) => textOf(it.value)).filter((v): v is string => v !== null);
  const t = textOf(node);
  return t === null ? [] : [t];
}

export class XmpData {
  constructor(private readonly props: Map<string, XmpNode> = new Map()) {}

  get empty(): boolean {
    return this.props.size === 0;
  }

  has(ns: string, local: string): boolean {
    return this.props.has(ns + local);
  }

  /** The property's value as read (text, array or struct). */
  node(ns: string, local: string): XmpNode | undefined {
    return this.props.get(ns + local);
  }

  /** A simple value, or the x-default (else first) entry of a language alternative. */
  text(ns: string, local: string): string | null {
    return textOf(this.props.get(ns + local));
  }

  /** The first property with this local name in any namespace (vendors mint their own). */
  textInAnyNamespace(local: string): string | null {
    for (const [key, node] of this.props) {
      if (!key.endsWith(local)) continue;
      const sep = key.charAt(key.length - local.length - 1);
      if (sep === '/' || sep === '#' || sep === ':') return textOf(node);
    }
    return null;
  }

  /** The items of a Bag/Seq/Alt; a lone simple value counts as a list of one. */
  list(ns: string, local: string): string[] {
    return listOf(this.props.get(ns + local));
  }
}

/** Merges every packet found (main and extended XMP); the first packet wins a conflict. */
export function parseXmp(packets: string[]): XmpData {
  const props = new Map<string, XmpNode>();
  for (const p of packets) collectDescriptions(parseXml(p, { lenient: true }), props, 0);
  return new XmpData(props);
}
