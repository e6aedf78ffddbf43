/**
 * Bytes of an XML document to text, as XML says (Appendix F): a byte-order mark first, else the
 * UTF-16 shape of "<?", else the encoding the declaration names, else UTF-8. Decoding is exact or
 * it fails: a replacement character in place of another application's byte would be written back
 * the next time the sidecar is saved, destroying it.
 */

export class XmlDecodeError extends Error {
  override name = 'XmlDecodeError';
}

// ISO-8859-1 is decoded as itself: the web's TextDecoder maps that label to windows-1252, whose
// 0x80-0x9F differ.
const LATIN1 = new Set(['iso-8859-1', 'iso8859-1', 'iso_8859-1', 'latin1', 'l1', 'cp819', 'ibm819']);
const ASCII = new Set(['us-ascii', 'ascii']);
// And windows-1252 by this table: Node's TextDecoder decodes it as ISO-8859-1 (0x80 is not "€").
const CP1252 = new Set(['windows-1252', 'cp1252', 'x-cp1252']);
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeAs(label: string, bytes: Uint8Array): string {
  if (LATIN1.has(label))
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (ASCII.has(label)) {
    const bad = bytes.findIndex((b) => b > 0x7f);
    if (bad !== -1)
      throw new XmlDecodeError(
        `text that is not ASCII as declared (byte 0x${bytes[bad]!.toString(16)} at ${bad})`,
      );
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  }
  if (CP1252.has(label)) {
    const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    return latin1.replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true, ignoreBOM: true });
  } catch {
    throw new XmlDecodeError(`text in an unsupported encoding ("${label}")`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new XmlDecodeError(`text that is not valid ${decoder.encoding.toUpperCase()}`);
  }
}

/** The encoding named by an ASCII-compatible document's declaration, lower-cased; null when none. */
function declaredEncoding(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 256)).toString(
    'latin1',
  );
  const decl = /^<\?xml\s[^?>]*?\bencoding\s*=\s*(["'])([A-Za-z][A-Za-z0-9._-]*)\1/.exec(head);
  return decl ? decl[2]!.toLowerCase() : null;
}

/** Decode a whole XML document; throws XmlDecodeError ("cannot read …" completes it) when not exact. */
export function decodeXml(bytes: Uint8Array): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if (b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf) return decodeAs('utf-8', bytes.subarray(3));
  if (b0 === 0xfe && b1 === 0xff) return decodeAs('utf-16be', bytes.subarray(2));
  if (b0 === 0xff && b1 === 0xfe) {
    if (bytes[2] === 0 && bytes[3] === 0) throw new XmlDecodeError('UTF-32 text (not supported)');
    return decodeAs('utf-16le', bytes.subarray(2));
  }
  if (b0 === 0x3c && b1 === 0x00) return decodeAs('utf-16le', bytes);
  if (b0 === 0x00 && b1 === 0x3c) return decodeAs('utf-16be', bytes);
  const label = declaredEncoding(bytes) ?? 'utf-8';
  // A document of 8-bit text declaring UTF-16 has no such shape: it lies about itself.
  if (label.startsWith('utf-16') || label === 'unicode')
    throw new XmlDecodeError(`text declared as ${label.toUpperCase()} but not written in it`);
  return decodeAs(label, bytes);
}
