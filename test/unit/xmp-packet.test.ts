// The one XMP packet reader (formats/xmp-packet.ts): packets in UTF-8/16/32 of either byte order,
// found by scanning or handed over by a container, and the containers that now read through it
// (JPEG APP1 in UTF-16/32, GIF's XMP Data extension, SVG <metadata>), compared with exiftool.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferSource } from '../../electron/core/formats/byte-source';
import { decodeXmpPacket, scanXmpPackets } from '../../electron/core/formats/xmp-packet';
import { readMetadata } from '../../electron/core/ingest/metadata/read-metadata';
import { tempDir } from '../helpers/corpus';
import { exiftool, expectedFrom } from '../helpers/metadata-oracle';

const TITLE = 'Été à Kyōto 夏';
const PACKET =
  `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>` +
  `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
  `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
  `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${TITLE}</rdf:li></rdf:Alt></dc:title>` +
  `<dc:subject><rdf:Bag><rdf:li>harbour</rdf:li><rdf:li>夜</rdf:li></rdf:Bag></dc:subject>` +
  `</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;

function utf32(s: string, le: boolean): Buffer {
  const cps = [...s].map((c) => c.codePointAt(0)!);
  const b = Buffer.alloc(cps.length * 4);
  cps.forEach((c, i) => (le ? b.writeUInt32LE(c, i * 4) : b.writeUInt32BE(c, i * 4)));
  return b;
}

const ENCODED: Record<string, Buffer> = {
  'utf-8': Buffer.from(PACKET, 'utf8'),
  'utf-16le': Buffer.from(PACKET, 'utf16le'),
  'utf-16be': Buffer.from(PACKET, 'utf16le').swap16(),
  'utf-32le': utf32(PACKET, true),
  'utf-32be': utf32(PACKET, false),
};

describe('decodeXmpPacket', () => {
  it.each(Object.keys(ENCODED))('decodes a %s packet by the shape of its first "<"', (enc) => {
    expect(decodeXmpPacket(ENCODED[enc]!)).toBe(PACKET);
  });

  it('honours a byte-order mark in front of the packet', () => {
    const withBom = Buffer.concat([Buffer.from([0xfe, 0xff]), ENCODED['utf-16be']!]);
    expect(decodeXmpPacket(withBom)).toBe(PACKET);
    const utf32Bom = Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), ENCODED['utf-32le']!]);
    expect(decodeXmpPacket(utf32Bom)).toBe(PACKET);
  });
});

describe('scanXmpPackets', () => {
  const junk = (n: number, seed: number) =>
    Buffer.from(Array.from({ length: n }, (_, i) => (i * seed) & 0xff));

  it.each(Object.keys(ENCODED))('finds a %s packet among other bytes', async (enc) => {
    const file = Buffer.concat([junk(3000, 7), ENCODED[enc]!, junk(500, 13)]);
    const found = await scanXmpPackets(bufferSource(file));
    expect(found.map((p) => p.text)).toEqual([PACKET]);
    expect(found[0]!.offset).toBe(3000);
  });

  it('tells UTF-16LE after a NUL byte from the UTF-16BE its bytes also spell', async () => {
    for (const enc of ['utf-16le', 'utf-16be', 'utf-32le', 'utf-32be']) {
      const file = Buffer.concat([Buffer.alloc(5), ENCODED[enc]!, Buffer.alloc(5)]);
      expect([enc, (await scanXmpPackets(bufferSource(file))).map((p) => p.text)]).toEqual([enc, [PACKET]]);
    }
  });

  it('finds a packet that straddles the scanner’s 1 MB chunks', async () => {
    const file = Buffer.concat([junk(1024 * 1024 - 20, 3), ENCODED['utf-16le']!]);
    expect((await scanXmpPackets(bufferSource(file))).map((p) => p.text)).toEqual([PACKET]);
  });

  it('scans only the head and the tail of a range longer than its budget', async () => {
    const mid = Buffer.concat([junk(4000, 5), ENCODED['utf-8']!, junk(4000, 5)]);
    const tail = Buffer.concat([junk(9000, 5), ENCODED['utf-8']!]);
    expect(await scanXmpPackets(bufferSource(mid), { scanBytes: 2000 })).toEqual([]);
    expect(await scanXmpPackets(bufferSource(tail), { scanBytes: 2000 })).toHaveLength(1);
  });

  it('gives up on a packet that never ends, and on one larger than the block limit', async () => {
    const open = Buffer.from(PACKET.slice(0, 300));
    expect(await scanXmpPackets(bufferSource(Buffer.concat([open, junk(5000, 3)])))).toEqual([]);
  });

  it('reads a bare x:xmpmeta element when there is no wrapper', async () => {
    const bare = PACKET.replace(/<\?xpacket[^>]*>/g, '');
    const found = await scanXmpPackets(bufferSource(Buffer.from(`<svg><metadata>${bare}</metadata></svg>`)));
    expect(found.map((p) => p.text)).toEqual([bare]);
  });
});

// ---------------------------------------------------------------------------------------------
// Containers that read through it, against exiftool.

describe('XMP in every container', () => {
  let dir: string;
  const files: Record<string, string> = {};

  beforeAll(async () => {
    dir = tempDir('dam-xmp-');
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'red' } })
      .jpeg()
      .toBuffer();
    for (const [enc, bytes] of Object.entries(ENCODED)) {
      const payload = Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), bytes]);
      const seg = Buffer.from([0xff, 0xe1, 0, 0]);
      seg.writeUInt16BE(payload.length + 2, 2);
      const name = path.join(dir, `${enc}.jpg`);
      fs.writeFileSync(name, Buffer.concat([jpeg.subarray(0, 2), seg, payload, jpeg.subarray(2)]));
      files[enc] = name;
    }
    // GIF: exiftool writes its XMP Data application extension.
    const gif = path.join(dir, 'xmp.gif');
    await sharp({ create: { width: 12, height: 7, channels: 3, background: 'blue' } })
      .gif()
      .toFile(gif);
    const r = spawnSync('exiftool', [
      '-q',
      '-overwrite_original',
      `-XMP-dc:Title=${TITLE}`,
      '-XMP-dc:Subject=harbour',
      '-XMP-dc:Subject=夜',
      gif,
    ]);
    expect(r.status, r.stderr.toString()).toBe(0);
    files.gif = gif;
    // SVG: exiftool cannot write SVG, so as Illustrator (a packet) and Inkscape (RDF in <metadata>) do.
    files['svg-packet'] = path.join(dir, 'packet.svg');
    fs.writeFileSync(
      files['svg-packet'],
      `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">` +
        `<metadata>${PACKET}</metadata><rect width="10" height="10"/></svg>`,
    );
    files['svg-rdf'] = path.join(dir, 'inkscape.svg');
    fs.writeFileSync(
      files['svg-rdf'],
      `<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" ` +
        `xmlns:cc="http://creativecommons.org/ns#" xmlns:dc="http://purl.org/dc/elements/1.1/" width="10" height="10">` +
        `<metadata><rdf:RDF><cc:Work rdf:about=""><dc:title>${TITLE}</dc:title>` +
        `<dc:subject><rdf:Bag><rdf:li>harbour</rdf:li><rdf:li>夜</rdf:li></rdf:Bag></dc:subject></cc:Work></rdf:RDF>` +
        `</metadata><rect width="10" height="10"/></svg>`,
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads title and keywords from every one, as exiftool does', async () => {
    const et = exiftool(Object.values(files));
    for (const [kind, file] of Object.entries(files)) {
      const ours = await readMetadata({ path: file });
      expect([kind, ours.title, ours.keywords]).toEqual([kind, TITLE, ['harbour', '夜']]);
      const theirs = expectedFrom(et.get(path.resolve(file))!);
      // exiftool decodes UTF-8 and UTF-16 packets; where it reads one, it agrees with us.
      if (theirs.title !== null)
        expect([kind, theirs.title, theirs.keywords]).toEqual([kind, TITLE, ['harbour', '夜']]);
    }
    expect(expectedFrom(et.get(path.resolve(files['utf-16le']!))!).title).toBe(TITLE);
    expect(expectedFrom(et.get(path.resolve(files.gif!))!).title).toBe(TITLE);
  });

  it('reads the GIF’s size from its logical screen, as exiftool does', async () => {
    const ours = await readMetadata({ path: files.gif! });
    expect([ours.width, ours.height]).toEqual([12, 7]);
    const theirs = exiftool([files.gif!]).get(path.resolve(files.gif!))!;
    expect([theirs['GIF:ImageWidth'], theirs['GIF:ImageHeight']]).toEqual([12, 7]);
  });
});
