// A strict little XML reader for sidecars. The metadata reader's XMP parser forgives everything,
// which is right for packets inside camera files; a sidecar we may rewrite must instead be either
// understood completely or left alone, so this one refuses anything malformed. It keeps prefixes and
// namespace declarations, so properties we do not manage can be written back as they were.

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export class XmlError extends Error {
  override name = 'XmlError';
}

export interface XmlAttr {
  qname: string;
  ns: string;
  local: string;
  value: string;
}

export interface XmlElement {
  qname: string;
  ns: string;
  local: string;
  /** Every attribute as written, namespace declarations included (they are kept when writing back). */
  attrs: XmlAttr[];
  children: XmlNode[];
  /** Prefix → namespace in effect at this element. */
  scope: ReadonlyMap<string, string>;
}
export type XmlNode = XmlElement | string;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const MAX_DEPTH = 256;
const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?$/;

function decode(s: string, at: () => string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&([^;&\s]*);?/g, (m, body: string) => {
    if (!m.endsWith(';')) throw new XmlError(`unterminated entity reference ${at()}`);
    if (body in ENTITIES) return ENTITIES[body]!;
    const num = /^#x([0-9a-fA-F]{1,6})$/.exec(body) ?? /^#([0-9]{1,7})$/.exec(body);
    if (num) {
      const cp = parseInt(num[1]!, body.startsWith('#x') ? 16 : 10);
      if (cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff)) return String.fromCodePoint(cp);
    }
    throw new XmlError(`unknown entity &${body}; ${at()}`);
  });
}

export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttr(s: string): string {
  return escapeText(s)
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#xD;')
    .replace(/\n/g, '&#xA;')
    .replace(/\t/g, '&#x9;');
}

/** Parse a whole document; throws XmlError (with line and column) on anything malformed. */
export function parseXml(input: string): XmlElement {
  const s = input.replace(/^\uFEFF/, '');
  let i = 0;
  const where = (pos = i) => {
    const before = s.slice(0, pos);
    const line = before.split('\n').length;
    return `at line ${line}, column ${pos - before.lastIndexOf('\n')}`;
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const rootScope = new Map([['xml', XML_NS]]);

  const resolve = (qname: string, scope: ReadonlyMap<string, string>, isAttr: boolean, pos: number) => {
    const colon = qname.indexOf(':');
    if (colon === -1) return { ns: isAttr ? '' : (scope.get('') ?? ''), local: qname };
    const prefix = qname.slice(0, colon);
    const ns = scope.get(prefix);
    if (ns === undefined) throw new XmlError(`undeclared namespace prefix "${prefix}" ${where(pos)}`);
    return { ns, local: qname.slice(colon + 1) };
  };

  while (i < s.length) {
    const lt = s.indexOf('<', i);
    const text = s.slice(i, lt === -1 ? s.length : lt);
    const top = stack[stack.length - 1];
    if (text) {
      if (top) top.children.push(decode(text, () => where(i)));
      else if (text.trim()) throw new XmlError(`text outside the document element ${where(i)}`);
    }
    if (lt === -1) break;
    i = lt;
    if (s.startsWith('<!--', i)) {
      const e = s.indexOf('-->', i + 4);
      if (e === -1) throw new XmlError(`unterminated comment ${where()}`);
      i = e + 3;
    } else if (s.startsWith('<![CDATA[', i)) {
      const e = s.indexOf(']]>', i + 9);
      if (e === -1 || !top) throw new XmlError(`misplaced or unterminated CDATA ${where()}`);
      top.children.push(s.slice(i + 9, e));
      i = e + 3;
    } else if (s.startsWith('<?', i)) {
      const e = s.indexOf('?>', i + 2);
      if (e === -1) throw new XmlError(`unterminated processing instruction ${where()}`);
      i = e + 2;
    } else if (s.startsWith('<!', i)) {
      // DOCTYPE and entity declarations have no place in XMP (and entity expansion is an attack).
      throw new XmlError(`document type declarations are not allowed in XMP ${where()}`);
    } else if (s.startsWith('</', i)) {
      const e = s.indexOf('>', i);
      if (e === -1) throw new XmlError(`unterminated end tag ${where()}`);
      const qname = s.slice(i + 2, e).trim();
      const open = stack.pop();
      if (!open || open.qname !== qname)
        throw new XmlError(`</${qname}> does not close ${open ? `<${open.qname}>` : 'anything'} ${where()}`);
      i = e + 1;
    } else {
      const start = i;
      const m = /^<([^\s/>]+)/.exec(s.slice(i, i + 512));
      if (!m || !NAME.test(m[1]!)) throw new XmlError(`malformed tag ${where()}`);
      const qname = m[1]!;
      i += m[0].length;
      const raw: [string, string, number][] = [];
      let selfClosing = false;
      for (;;) {
        while (i < s.length && /\s/.test(s[i]!)) i++;
        if (i >= s.length) throw new XmlError(`unterminated tag <${qname}> ${where(start)}`);
        if (s[i] === '>') {
          i++;
          break;
        }
        if (s.startsWith('/>', i)) {
          i += 2;
          selfClosing = true;
          break;
        }
        const am = /^([^\s=/>]+)\s*=\s*(["'])/.exec(s.slice(i, i + 512));
        if (!am || !NAME.test(am[1]!)) throw new XmlError(`malformed attribute in <${qname}> ${where()}`);
        const close = s.indexOf(am[2]!, i + am[0].length);
        if (close === -1) throw new XmlError(`unterminated attribute value in <${qname}> ${where()}`);
        const value = s.slice(i + am[0].length, close);
        if (value.includes('<')) throw new XmlError(`"<" in an attribute value ${where()}`);
        raw.push([am[1]!, decode(value, () => where(i)), i]);
        i = close + 1;
      }
      const parentScope = top?.scope ?? rootScope;
      let scope: Map<string, string> | ReadonlyMap<string, string> = parentScope;
      for (const [name, value] of raw) {
        if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
        if (scope === parentScope) scope = new Map(parentScope);
        (scope as Map<string, string>).set(name === 'xmlns' ? '' : name.slice(6), value);
      }
      const seen = new Set<string>();
      const attrs: XmlAttr[] = raw.map(([name, value, pos]) => {
        if (seen.has(name)) throw new XmlError(`attribute ${name} repeated ${where(pos)}`);
        seen.add(name);
        const isDecl = name === 'xmlns' || name.startsWith('xmlns:');
        return {
          qname: name,
          value,
          ...(isDecl ? { ns: 'xmlns', local: name } : resolve(name, scope, true, pos)),
        };
      });
      const el: XmlElement = { qname, ...resolve(qname, scope, false, start), attrs, children: [], scope };
      if (top) top.children.push(el);
      else if (root) throw new XmlError(`more than one document element ${where(start)}`);
      else root = el;
      if (!selfClosing) {
        if (stack.length >= MAX_DEPTH) throw new XmlError(`nested too deeply ${where(start)}`);
        stack.push(el);
      }
    }
  }
  if (stack.length) throw new XmlError(`<${stack[stack.length - 1]!.qname}> is never closed`);
  if (!root) throw new XmlError('no XML document element');
  return root;
}

export function elementsOf(el: XmlElement): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string');
}

export function textOf(el: XmlElement): string {
  return el.children.filter((c): c is string => typeof c === 'string').join('');
}

export function attrOf(el: XmlElement, ns: string, local: string): string | null {
  return el.attrs.find((a) => a.ns === ns && a.local === local)?.value ?? null;
}

/** The element as written (own declarations included), for properties kept verbatim. */
export function serializeElement(el: XmlElement, indent = ''): string {
  const attrs = el.attrs.map((a) => ` ${a.qname}="${escapeAttr(a.value)}"`).join('');
  if (el.children.length === 0) return `${indent}<${el.qname}${attrs}/>`;
  const body = el.children.map((c) => (typeof c === 'string' ? escapeText(c) : serializeElement(c))).join('');
  return `${indent}<${el.qname}${attrs}>${body}</${el.qname}>`;
}
