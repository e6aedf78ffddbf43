import type { XmlElement } from './reader';

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

/** The element as written (own declarations included), for properties kept verbatim. */
export function serializeElement(el: XmlElement, indent = ''): string {
  const attrs = el.attrs.map((a) => ` ${a.qname}="${escapeAttr(a.value)}"`).join('');
  if (el.children.length === 0) return `${indent}<${el.qname}${attrs}/>`;
  const body = el.children.map((c) => (typeof c === 'string' ? escapeText(c) : serializeElement(c))).join('');
  return `${indent}<${el.qname}${attrs}>${body}</${el.qname}>`;
}
