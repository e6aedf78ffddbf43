import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { formatFromExt } from '../../electron/core/ingest/formats/file-types';
import { reconcileFormat, sniffFormat } from '../../electron/core/formats/sniff';
import { cameraFilesDir } from '../fixtures/camera-files-dir';
import { cameraFile } from '../helpers/camera';
import { filesUnder, head } from '../helpers/files';

function ftyp(major: string, ...compatible: string[]): Buffer {
  const body = Buffer.concat([
    Buffer.from(major, 'latin1'),
    Buffer.alloc(4),
    ...compatible.map((c) => Buffer.from(c, 'latin1')),
  ]);
  const size = Buffer.alloc(4);
  size.writeUInt32BE(body.length + 8);
  return Buffer.concat([size, Buffer.from('ftyp'), body, Buffer.alloc(16)]);
}

const bytes = (...parts: Array<string | number[]>): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('sniffFormat on camera-like files', () => {
  it('recognises every generated JPEG, TIFF and HEIC by content', () => {
    const dir = cameraFilesDir();
    const jpegs = filesUnder(dir, 'jpg', /\.jpe?g$/i);
    expect(jpegs.length).toBeGreaterThan(20);
    for (const f of jpegs) expect([f, sniffFormat(head(f))]).toEqual([f, 'jpeg']);
    const tiffs = filesUnder(dir, 'tiff', /\.tiff?$/i);
    expect(tiffs.length).toBe(2); // one of each byte order
    for (const f of tiffs) expect([f, sniffFormat(head(f))]).toEqual([f, 'tiff']);
    const heics = filesUnder(dir, 'heic', /\.(heic|heif)$/i);
    expect(heics.length).toBe(2);
    for (const f of heics) expect([f, sniffFormat(head(f))]).toEqual([f, 'heic']);
  });

  it('needs only the first 64 bytes for binary formats', () => {
    expect(sniffFormat(head(cameraFile('jpg/Canon_40D.jpg'), 64))).toBe('jpeg');
    expect(sniffFormat(head(cameraFile('heic/mobile/iphone_13_pro_max.HEIC'), 64))).toBe('heic');
    expect(sniffFormat(head(cameraFile('tiff/Arbitro.tiff'), 64))).toBe('tiff');
    expect(sniffFormat(head(cameraFile('tiff/Picoawards.tiff'), 64))).toBe('tiff');
  });
});

describe('sniffFormat on generated and hand-made headers', () => {
  it('recognises raster formats written by sharp', async () => {
    const make = (f: 'png' | 'gif' | 'webp' | 'avif' | 'tiff' | 'jpeg') =>
      sharp({ create: { width: 16, height: 16, channels: 3, background: '#336699' } })
        .toFormat(f)
        .toBuffer();
    expect(sniffFormat(await make('png'))).toBe('png');
    expect(sniffFormat(await make('gif'))).toBe('gif');
    expect(sniffFormat(await make('webp'))).toBe('webp');
    expect(sniffFormat(await make('avif'))).toBe('avif');
    expect(sniffFormat(await make('tiff'))).toBe('tiff');
    expect(sniffFormat(await make('jpeg'))).toBe('jpeg');
  });

  it('reads ISO-BMFF brands', () => {
    expect(sniffFormat(ftyp('avif', 'mif1', 'miaf'))).toBe('avif');
    expect(sniffFormat(ftyp('mif1', 'avif', 'miaf'))).toBe('avif'); // major mif1, but AV1 inside
    expect(sniffFormat(ftyp('avis', 'msf1'))).toBe('avif');
    for (const b of ['heic', 'heix', 'hevc', 'hevx', 'mif1', 'msf1', 'heim', 'heis'])
      expect([b, sniffFormat(ftyp(b))]).toEqual([b, 'heic']);
    expect(sniffFormat(ftyp('crx ', 'crx ', 'isom'))).toBe('raw'); // Canon CR3
    for (const b of ['qt  ', 'isom', 'mp41', 'mp42', 'M4V ', '3gp4', '3gp5', '3g2a', 'avc1', 'XAVC'])
      expect([b, sniffFormat(ftyp(b))]).toEqual([b, 'video']);
    expect(sniffFormat(ftyp('M4A ', 'isom'))).toBe('audio'); // an M4A brand: audio, whatever its extension
    expect(sniffFormat(bytes([0, 0, 0, 8], 'wide', [0, 0, 0, 0], 'mdat'))).toBe('video'); // old QuickTime
  });

  it('tells TIFF-based RAW files apart where the header allows', () => {
    expect(sniffFormat(bytes('II*\0', [0x10, 0, 0, 0], 'CR', [2, 0], [0, 0, 0, 0]))).toBe('raw'); // CR2
    expect(sniffFormat(bytes('IIRO', [8, 0, 0, 0]))).toBe('raw'); // ORF
    expect(sniffFormat(bytes('IIRS', [8, 0, 0, 0]))).toBe('raw'); // ORF (some models)
    expect(sniffFormat(bytes('MMOR', [0, 0, 0, 8]))).toBe('raw'); // ORF big-endian
    expect(sniffFormat(bytes('IIU\0', [8, 0, 0, 0]))).toBe('raw'); // RW2
    expect(sniffFormat(bytes('II*\0', [8, 0, 0, 0], [0, 0]))).toBe('tiff'); // DNG/NEF/ARW look like this
    expect(sniffFormat(bytes('MM\0*', [0, 0, 0, 8]))).toBe('tiff');
    expect(sniffFormat(bytes('FUJIFILMCCD-RAW 0201FF129502'))).toBe('raw');
  });

  it('recognises the other containers', () => {
    expect(sniffFormat(bytes('8BPS', [0, 1, 0, 0, 0, 0, 0, 0]))).toBe('psd');
    expect(sniffFormat(bytes('8BPS', [0, 2, 0, 0, 0, 0, 0, 0]))).toBe('psd'); // PSB
    expect(sniffFormat(bytes('%PDF-1.7\n%\xe2\xe3'))).toBe('pdf');
    expect(sniffFormat(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81]))).toBe('video'); // Matroska/WebM
    expect(sniffFormat(bytes('RIFF', [0, 0, 0, 0], 'AVI LIST'))).toBe('video');
    expect(sniffFormat(bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '))).toBe('audio');
    expect(sniffFormat(bytes('RIFF', [0, 0, 0, 0], 'ACONanih'))).toBeNull(); // an animated cursor
    for (const head of ['ID3\x04\0', 'fLaC\0\0\0\x22', 'MAC \x96\x0f', 'FORM\0\0\0\0AIFFCOMM', '#!AMR\n'])
      expect([head, sniffFormat(bytes(head, [0, 0, 0, 0, 0, 0, 0, 0]))]).toEqual([head, 'audio']);
    expect(sniffFormat(bytes([0xff, 0xfb, 0x90, 0x64], [0, 0, 0, 0]))).toBe('audio'); // an MP3 frame without ID3
    expect(sniffFormat(bytes([0xff, 0xfb, 0xf0, 0x64], [0, 0, 0, 0]))).toBeNull(); // a bad bit-rate index
    const ogg = (codec: string) => bytes('OggS', Array<number>(24).fill(0), codec, [0, 0, 0, 0]);
    expect([
      sniffFormat(ogg('\x01vorbis')),
      sniffFormat(ogg('OpusHead')),
      sniffFormat(ogg('\x80theora')),
    ]).toEqual(['audio', 'audio', 'video']);
  });

  it('recognises SVG after a BOM, whitespace, an XML declaration, comments and a doctype', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>';
    expect(sniffFormat(Buffer.from(svg))).toBe('svg');
    expect(sniffFormat(Buffer.from(`\ufeff  \n${svg}`))).toBe('svg');
    expect(sniffFormat(Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n${svg}`))).toBe(
      'svg',
    );
    expect(
      sniffFormat(
        Buffer.from(
          `<?xml version="1.0"?>\n<!-- Generator: Adobe Illustrator -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [\n<!ENTITY ns "x">\n]>\n${svg}`,
        ),
      ),
    ).toBe('svg');
    expect(sniffFormat(Buffer.from('<svg:svg xmlns:svg="http://www.w3.org/2000/svg"/>'))).toBe('svg');
    // When the head ends inside the prolog, only a mention of <svg decides.
    expect(
      sniffFormat(Buffer.from(`<?xml version="1.0"?>\n<!-- ${'x'.repeat(5000)}`).subarray(0, 4096)),
    ).toBeNull();
    expect(sniffFormat(Buffer.from(`<!-- note -->\n<svg width="1"`))).toBe('svg');
  });

  it('does not mistake HTML, XML or text for SVG, and returns null for unknown bytes', () => {
    expect(
      sniffFormat(Buffer.from('<!DOCTYPE html><html><body><svg width="10"></svg></body></html>')),
    ).toBeNull();
    expect(sniffFormat(Buffer.from('<?xml version="1.0"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/>'))).toBeNull();
    expect(sniffFormat(Buffer.from('hello, world\n'))).toBeNull();
    expect(sniffFormat(Buffer.alloc(0))).toBeNull();
    expect(sniffFormat(Buffer.from([0xff, 0xd8]))).toBeNull();
    expect(sniffFormat(Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff)))).toBeNull();
    expect(sniffFormat(bytes('PK\x03\x04', [20, 0, 0, 0]))).toBeNull(); // zip (.sketch, .xd)
  });
});

describe('reconcileFormat', () => {
  it('lets recognised content win over the extension', () => {
    expect(reconcileFormat('jpeg', 'png')).toEqual({ format: 'png', mismatch: true });
    expect(reconcileFormat('jpeg', 'heic')).toEqual({ format: 'heic', mismatch: true }); // phone "JPEG" that is HEIC
    expect(reconcileFormat('tiff', 'raw')).toEqual({ format: 'raw', mismatch: true });
    expect(reconcileFormat('png', 'png')).toEqual({ format: 'png', mismatch: false });
  });

  it('keeps RAW for TIFF-container RAW files and the extension when content is unknown', () => {
    for (const ext of ['dng', 'nef', 'arw', 'pef', '3fr'])
      expect(reconcileFormat(formatFromExt(ext), 'tiff')).toEqual({ format: 'raw', mismatch: false });
    expect(reconcileFormat('raw', 'jpeg')).toEqual({ format: 'jpeg', mismatch: true });
    expect(reconcileFormat('svg', null)).toEqual({ format: 'svg', mismatch: false });
    expect(reconcileFormat('jpeg', null)).toEqual({ format: 'jpeg', mismatch: false });
    expect(reconcileFormat('video', null)).toEqual({ format: 'video', mismatch: false }); // e.g. .mts
  });

  it('adopts the content of files whose extension says nothing', () => {
    expect(reconcileFormat('other', 'pdf')).toEqual({ format: 'pdf', mismatch: false }); // .ai
    expect(reconcileFormat('other', 'jpeg')).toEqual({ format: 'jpeg', mismatch: false });
    expect(reconcileFormat('other', null)).toEqual({ format: 'other', mismatch: false });
  });
});
