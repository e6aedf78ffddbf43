// XMP is read with a small namespace-aware XML reader instead of exifr's regex parser: exifr keys
// properties by whatever prefix the file happens to use (xap: vs xmp:), leaves entities such as
// &amp; undecoded, and merges XMP's exif:/tiff: properties over the real EXIF values.

const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const XML = 'http://www.w3.org/XML/1998/namespace';

export const NS = {
  dc: 'http://purl.org/dc/elements/1.1/',
  xmp: 'http://ns.adobe.com/xap/1.0/',
  photoshop: 'http://ns.adobe.com/photoshop/1.0/',
  aux: 'http://ns.adobe.com/exif/1.0/aux/',
  exif: 'http://ns.adobe.com/exif/1.0/',
  exifEX: 'http://cipa.jp/exif/1.0/',
  tiff: 'http://ns.adobe.com/tiff/1.0/',
  lr: 'http://ns.adobe.com/lightroom/1.0/',
} as const;

// For packets that use a well-known prefix without declaring it (hand-edited or truncated XMP).
const CONVENTIONAL: Record<string, string> = {
  rdf: RDF,
  xml: XML,
  x: 'adobe:ns:meta/',
  xap: NS.xmp,
  ...NS,
};

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const MAX_DEPTH = 64;
const MAX_ELEMENTS = 500_000;

interface XmlAttr {
  ns: string;
  local: string;
  value: string;
}

interface XmlEl {
  ns: string;
  local: string;
  attrs: XmlAttr[];
  children: XmlEl[];
  text: string;
}

export type XmpNode = string | XmpItem[] | XmpStruct;
export interface XmpItem {
  value: XmpNode;
  lang: string | null;
}
export type XmpStruct = Map<string, XmpNode>;

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(
    /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/g,
    (_m, hex?: string, dec?: string, name?: string) => {
      if (name) return NAMED_ENTITIES[name] ?? '';
      const cp = hex ? parseInt(hex, 16) : parseInt(dec ?? '', 10);
      return cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '';
    },
  );
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

interface StartTag {
  qname: string;
  attrs: [string, string][];
  selfClosing: boolean;
  end: number;
}

/** Reads `<name attr="v" ...>` starting just after the '<'; null when it is not a tag at all. */
function readStartTag(s: string, start: number): StartTag | null {
  const n = s.length;
  let j = start;
  while (j < n && !isSpace(s.charCodeAt(j)) && s[j] !== '>' && s[j] !== '/') j++;
  const qname = s.slice(start, j);
  if (!qname) return null;
  const attrs: [string, string][] = [];
  for (;;) {
    while (j < n && isSpace(s.charCodeAt(j))) j++;
    if (j >= n) return { qname, attrs, selfClosing: false, end: n };
    if (s[j] === '>') return { qname, attrs, selfClosing: false, end: j + 1 };
    if (s[j] === '/') {
      if (s[j + 1] === '>') return { qname, attrs, selfClosing: true, end: j + 2 };
      j++;
      continue;
    }
    const nameStart = j;
    while (j < n && !isSpace(s.charCodeAt(j)) && s[j] !== '=' && s[j] !== '>' && s[j] !== '/') j++;
    const name = s.slice(nameStart, j);
    while (j < n && isSpace(s.charCodeAt(j))) j++;
    if (s[j] !== '=') {
      if (j === nameStart) j++; // never stall on a stray character
      continue;
    }
    j++;
    while (j < n && isSpace(s.charCodeAt(j))) j++;
    const quote = s[j];
    if (quote === '"' || quote === "'") {
      const close = s.indexOf(quote, j + 1);
      if (close === -1) return { qname, attrs, selfClosing: false, end: n };
      attrs.push([name, decodeEntities(s.slice(j + 1, close))]);
      j = close + 1;
    } else {
      const valStart = j;
      while (j < n && !isSpace(s.charCodeAt(j)) && s[j] !== '>') j++;
      attrs.push([name, decodeEntities(s.slice(valStart, j))]);
    }
  }
}

function resolve(qname: string, scope: Map<string, string>, isAttr: boolean): { ns: string; local: string } {
  const colon = qname.indexOf(':');
  if (colon === -1) return { ns: isAttr ? '' : (scope.get('') ?? ''), local: qname };
  const prefix = qname.slice(0, colon);
  const ns = scope.get(prefix) ?? CONVENTIONAL[prefix] ?? `urn:undeclared-prefix:${prefix}/`;
  return { ns, local: qname.slice(colon + 1) };
}

/** A forgiving XML reader: it never throws, closes what is left open and skips what it cannot read. */
function parseXml(s: string): XmlEl[] {
  const roots: XmlEl[] = [];
  const stack: { el: XmlEl; qname: string; scope: Map<string, string> }[] = [];
  let scope = new Map<string, string>();
  let elements = 0;
  let i = 0;
  const n = s.length;
  while (i < n) {
    const lt = s.indexOf('<', i);
    const textEnd = lt === -1 ? n : lt;
    const top = stack[stack.length - 1];
    if (textEnd > i && top) top.el.text += decodeEntities(s.slice(i, textEnd));
    if (lt === -1) break;
    i = lt;
    if (s.startsWith('<!--', i)) {
      const e = s.indexOf('-->', i + 4);
      i = e === -1 ? n : e + 3;
    } else if (s.startsWith('<![CDATA[', i)) {
      const e = s.indexOf(']]>', i + 9);
      if (top) top.el.text += s.slice(i + 9, e === -1 ? n : e);
      i = e === -1 ? n : e + 3;
    } else if (s.startsWith('<?', i)) {
      const e = s.indexOf('?>', i + 2);
      i = e === -1 ? n : e + 2;
    } else if (s.startsWith('<!', i)) {
      const e = s.indexOf('>', i + 2);
      i = e === -1 ? n : e + 1;
    } else if (s.startsWith('</', i)) {
      const e = s.indexOf('>', i + 2);
      const qname = s.slice(i + 2, e === -1 ? n : e).trim();
      i = e === -1 ? n : e + 1;
      // Close up to the matching element; a stray end tag closes nothing.
      for (let k = stack.length - 1; k >= 0; k--) {
        if (stack[k]!.qname === qname) {
          stack.length = k;
          break;
        }
      }
      scope = stack[stack.length - 1]?.scope ?? new Map();
    } else {
      const tag = readStartTag(s, i + 1);
      if (!tag) {
        i++;
        continue;
      }
      i = tag.end;
      if (++elements > MAX_ELEMENTS) break;
      let elScope = scope;
      for (const [name, value] of tag.attrs) {
        if (name === 'xmlns' || name.startsWith('xmlns:')) {
          if (elScope === scope) elScope = new Map(scope);
          elScope.set(name === 'xmlns' ? '' : name.slice(6), value);
        }
      }
      const { ns, local } = resolve(tag.qname, elScope, false);
      const attrs: XmlAttr[] = [];
      for (const [name, value] of tag.attrs) {
        if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
        attrs.push({ ...resolve(name, elScope, true), value });
      }
      const el: XmlEl = { ns, local, attrs, children: [], text: '' };
      const parent = stack[stack.length - 1];
      if (parent) parent.el.children.push(el);
      else roots.push(el);
      if (!tag.selfClosing && stack.length < MAX_DEPTH * 4) {
        stack.push({ el, qname: tag.qname, scope: elScope });
        scope = elScope;
      }
    }
  }
  return roots;
}

function attr(el: XmlEl, ns: string, local: string): string | null {
  for (const a of el.attrs) if (a.ns === ns && a.local === local) return a.value;
  return null;
}

/** rdf:about, xml:lang and old-style unqualified attributes describe the node, they are not properties. */
function isPropertyAttr(a: XmlAttr): boolean {
  return a.ns !== RDF && a.ns !== XML && a.ns !== '';
}

function setOnce(into: Map<string, XmpNode>, key: string, value: XmpNode): void {
  if (!into.has(key)) into.set(key, value);
}

function nodeProperties(node: XmlEl, into: Map<string, XmpNode>, depth: number): void {
  for (const a of node.attrs) if (isPropertyAttr(a)) setOnce(into, a.ns + a.local, a.value);
  for (const child of node.children) setOnce(into, child.ns + child.local, propertyValue(child, depth + 1));
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
  const first = el.children[0];
  if (!first) {
    // Struct fields may be written as attributes on the property element itself.
    if (el.attrs.some(isPropertyAttr)) {
      nodeProperties(el, struct, depth);
      return struct;
    }
    return el.text;
  }
  if (first.ns === RDF && (first.local === 'Bag' || first.local === 'Seq' || first.local === 'Alt')) {
    return first.children
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
      for (const node of el.children) nodeProperties(node, into, 0);
    } else if (depth < 8) {
      collectDescriptions(el.children, into, depth + 1);
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
  for (const p of packets) collectDescriptions(parseXml(p.replace(/^\uFEFF/, '')), props, 0);
  return new XmpData(props);
}
