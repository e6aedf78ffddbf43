import fs from 'node:fs';
import { checkPixelBudget, DecodeError, type Pixels } from './pixels';

// The formats too involved for a reader of our own, through decoders from npm, each loaded on
// first use (compiling a wasm module costs ~100 ms that most workers never need):
//  - JPEG 2000: OpenJPEG compiled to wasm (@cornerstonejs/codec-openjpeg, MIT), decoded at the
//    coarsest resolution level that still covers the thumbnail, so a huge scan costs little;
//  - JPEG XL: libjxl compiled to wasm (@jsquash/jxl, Apache-2.0);
//  - OpenEXR: parse-exr (MIT, three.js's EXR loader), every compression three.js reads.

interface FrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
}

interface J2KDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  readHeader(): void;
  getFrameInfo(): FrameInfo;
  getNumDecompositions(): number;
  decodeSubResolution(level: number, layer: number): void;
  delete(): void;
}

interface OpenJpeg {
  J2KDecoder: new () => J2KDecoder;
}

let openjpeg: Promise<OpenJpeg> | null = null;

function loadOpenJpeg(): Promise<OpenJpeg> {
  // Its own console output ("[INFO] Main header has been correctly decoded") is silenced.
  const factory = require('@cornerstonejs/codec-openjpeg/decodewasmjs') as (
    options: Record<string, unknown>,
  ) => Promise<OpenJpeg>;
  openjpeg ??= factory({ print: () => {}, printErr: () => {} });
  return openjpeg;
}

/** JPEG 2000 (.jp2 box file or bare .j2k codestream), reduced to the level nearest `maxEdge`. */
export async function decodeJp2(
  buf: Buffer,
  full: { width: number; height: number },
  maxEdge: number,
): Promise<Pixels> {
  const oj = await loadOpenJpeg();
  const d = new oj.J2KDecoder();
  try {
    d.getEncodedBuffer(buf.length).set(buf);
    try {
      d.readHeader();
    } catch (err) {
      throw new DecodeError(`not a valid JPEG 2000: ${wasmMessage(err)}`);
    }
    let level = 0;
    const levels = d.getNumDecompositions();
    while (level < levels && Math.max(full.width, full.height) / 2 ** (level + 1) >= maxEdge) level++;
    const width = Math.ceil(full.width / 2 ** level);
    const height = Math.ceil(full.height / 2 ** level);
    checkPixelBudget(width, height, 'JPEG 2000');
    try {
      d.decodeSubResolution(level, 0);
    } catch (err) {
      throw new DecodeError(`damaged JPEG 2000: ${wasmMessage(err)}`);
    }
    const decoded = d.getDecodedBuffer();
    const info = d.getFrameInfo();
    const comps = info.componentCount;
    const bytes = info.bitsPerSample > 8 ? 2 : 1;
    if (comps < 1 || decoded.length < width * height * comps * bytes)
      throw new DecodeError('unsupported JPEG 2000: its components differ in size');
    const channels = Math.min(comps, 4) as 1 | 2 | 3 | 4;
    const out = new Uint8Array(width * height * channels);
    const view = new DataView(decoded.buffer, decoded.byteOffset, decoded.byteLength);
    const shift = Math.max(0, info.bitsPerSample - 8);
    for (let i = 0; i < width * height; i++)
      for (let c = 0; c < channels; c++) {
        const at = i * comps + c;
        let v = bytes === 2 ? view.getUint16(at * 2, true) : decoded[at]!;
        if (info.isSigned)
          v = bytes === 2 ? ((v << 16) >> 16) + (1 << (info.bitsPerSample - 1)) : ((v << 24) >> 24) + 128;
        out[i * channels + c] = Math.max(0, Math.min(255, v >> shift));
      }
    return { width, height, channels, data: out };
  } finally {
    d.delete();
  }
}

function wasmMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : 'the decoder stopped';
}

interface JxlModule {
  init(module: WebAssembly.Module): Promise<unknown>;
  default(data: ArrayBuffer): Promise<{ width: number; height: number; data: Uint8ClampedArray }>;
}

let jxl: Promise<JxlModule> | null = null;

function loadJxl(): Promise<JxlModule> {
  jxl ??= (async () => {
    const mod = require('@jsquash/jxl/decode.js') as JxlModule;
    // Given the compiled module, it never tries to fetch() its wasm as a browser would.
    const wasmPath = require.resolve('@jsquash/jxl/codec/dec/jxl_dec.wasm');
    await mod.init(new WebAssembly.Module(await fs.promises.readFile(wasmPath)));
    return mod;
  })();
  return jxl;
}

export async function decodeJxl(buf: Buffer, size: { width: number; height: number }): Promise<Pixels> {
  checkPixelBudget(size.width, size.height, 'JPEG XL');
  const mod = await loadJxl();
  let img;
  try {
    img = await mod.default(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) as ArrayBuffer);
  } catch (err) {
    throw new DecodeError(
      `not a valid JPEG XL: ${wasmMessage(err).replace(/^Decoding error$/, 'the decoder refused it')}`,
    );
  }
  return {
    width: img.width,
    height: img.height,
    channels: 4,
    data: new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength),
  };
}

type ParseExr = (
  buffer: ArrayBuffer,
  type?: 1015 | 1016,
) => {
  width: number;
  height: number;
  data: Float32Array | Uint16Array;
  format: 1023 | 1028;
};

export function decodeExr(buf: Buffer, size: { width: number; height: number }): Pixels {
  checkPixelBudget(size.width, size.height, 'OpenEXR');
  const mod = require('parse-exr') as { default: ParseExr } | ParseExr;
  const parseExr = typeof mod === 'function' ? mod : mod.default;
  let exr;
  try {
    exr = parseExr(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) as ArrayBuffer, 1015);
  } catch (err) {
    throw new DecodeError(`cannot decode OpenEXR: ${wasmMessage(err)}`);
  }
  const channels = exr.format === 1028 ? 1 : 4;
  const data = exr.data instanceof Float32Array ? exr.data : Float32Array.from(exr.data);
  // three.js's loader stores rows bottom-up (WebGL texture order): put the top row first again.
  const flipped = new Float32Array(data.length);
  const row = exr.width * channels;
  for (let y = 0; y < exr.height; y++)
    flipped.set(data.subarray((exr.height - 1 - y) * row, (exr.height - y) * row), y * row);
  return { width: exr.width, height: exr.height, channels, data: flipped };
}
