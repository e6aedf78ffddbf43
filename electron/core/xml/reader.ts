import { SaxesParser, type SaxesTagNS } from 'saxes';
import { CONVENTIONAL_PREFIXES, XML_NS } from './namespaces';

/**
 * The one XML reader, on saxes (a maintained, conformant parser: well-formedness checked, valid
 * non-ASCII names accepted, no DTD processed, so no entity but the five predefined ones is ever
 * expanded: no XXE, no billion laughs). Two modes share it:
 * - strict, for sidecars, which may be rewritten: anything malformed throws, and the sidecar is
 *   left alone, and a document type declaration is refused outright;
 * - lenient, for XMP packets inside camera files, which are only read: errors are passed over, an
 *   undeclared well-known prefix is understood, and whatever could be read is returned.
 * The tree keeps prefixes and namespace declarations, so properties we do not manage can be
 * written back as they were.
 */

export { XML_NS };

/** The same limits for every document, sidecar or packet. */
export const XML_LIMITS = { maxDepth: 256, maxElements: 500_000 } as const;

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
  /** Every attribute as written, namespace declarations included (ns 'xmlns', kept when writing back). */
  attrs: XmlAttr[];
  children: XmlNode[];
  /** Prefix → namespace in effect at this element. */
  scope: ReadonlyMap<string, string>;
}
export type XmlNode = XmlElement | string;

const XMLNS_URI = 'http://www.w3.org/2000/xmlns/';
/** Thrown inside the handlers to stop a lenient parse at a limit; never escapes. */
class Stop extends Error {}

// saxes says "3:14: message."; ours say "message at line 3, column 14".
function translate(err: Error, input: string, open: readonly XmlElement[]): XmlError {
  const m = /^(\d+):(\d+): (.*?)\.?$/s.exec(err.message);
  const at = m ? ` at line ${m[1]}, column ${m[2]}` : '';
  let text = m ? m[3]! : err.message;
  // saxes reads a bare "&" as the start of a name up to the next ";" and then fails elsewhere: name it.
  const amp = /&(?!(?:[^\s&;<>"']+|#[0-9]+|#x[0-9a-fA-F]+);)/.exec(input);
  if (amp) {
    const before = input.slice(0, amp.index);
    const line = before.split('\n').length;
    return new XmlError(
      `unknown or unterminated entity reference at line ${line}, column ${amp.index - before.lastIndexOf('\n')}`,
    );
  }
  const unbound = /^unbound namespace prefix: "(.*)"$/.exec(text);
  if (unbound) text = `undeclared namespace prefix "${unbound[1]}"`;
  else if (text === 'unexpected close tag' && open.length)
    text = `an end tag does not close <${open[open.length - 1]!.qname}>`;
  return new XmlError(text + at);
}

/**
 * Parse a whole document. Strict: returns the document element or throws XmlError (with line and
 * column). Lenient: never throws, returns the top-level elements read (none for junk).
 */
export function parseXml(input: string): XmlElement;
export function parseXml(input: string, opts: { lenient: true }): XmlElement[];
export function parseXml(input: string, opts: { lenient?: boolean } = {}): XmlElement | XmlElement[] {
  const lenient = opts.lenient === true;
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const parser = new SaxesParser({
    xmlns: true,
    position: true,
    ...(lenient
      ? { resolvePrefix: (p: string) => CONVENTIONAL_PREFIXES[p] ?? `urn:undeclared-prefix:${p}/` }
      : {}),
  });
  const roots: XmlElement[] = [];
  const stack: XmlElement[] = [];
  const rootScope: ReadonlyMap<string, string> = new Map([['xml', XML_NS]]);
  let elements = 0;
  let failure: XmlError | null = null;

  parser.on('error', (err) => {
    if (lenient) return;
    failure ??= translate(err, text, stack);
    throw failure;
  });
  parser.on('doctype', () => {
    if (lenient) return; // not processed: its entities stay undefined
    failure = new XmlError('document type declarations are not allowed in XMP');
    throw failure;
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (++elements > XML_LIMITS.maxElements || stack.length >= XML_LIMITS.maxDepth) {
      if (lenient) throw new Stop();
      failure = new XmlError(
        elements > XML_LIMITS.maxElements
          ? `more than ${XML_LIMITS.maxElements} elements`
          : `nested too deeply (over ${XML_LIMITS.maxDepth} levels) at line ${parser.line}`,
      );
      throw failure;
    }
    const parent = stack[stack.length - 1];
    const parentScope = parent?.scope ?? rootScope;
    let scope = parentScope;
    const attrs: XmlAttr[] = [];
    for (const a of Object.values(tag.attributes)) {
      if (a.uri === XMLNS_URI) {
        if (scope === parentScope) scope = new Map(parentScope);
        (scope as Map<string, string>).set(a.prefix === 'xmlns' ? a.local : '', a.value);
        attrs.push({ qname: a.name, ns: 'xmlns', local: a.name, value: a.value });
      } else attrs.push({ qname: a.name, ns: a.uri ?? '', local: a.local, value: a.value });
    }
    const el: XmlElement = {
      qname: tag.name,
      ns: tag.uri ?? '',
      local: tag.local,
      attrs,
      children: [],
      scope,
    };
    if (parent) parent.children.push(el);
    else roots.push(el);
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const onText = (t: string) => {
    const top = stack[stack.length - 1];
    if (top && t) top.children.push(t);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);

  try {
    parser.write(text).close();
  } catch (err) {
    if (!lenient) throw failure ?? translate(err as Error, text, stack);
    if (!(err instanceof Stop)) return roots; // a handler's own error: keep what was read
  }
  if (lenient) return roots;
  if (!roots[0]) throw new XmlError('no XML document element');
  return roots[0];
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
