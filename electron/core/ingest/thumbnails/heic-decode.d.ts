// heic-decode ships no types. It wraps libheif (compiled to wasm) and returns RGBA pixels.
declare module 'heic-decode' {
  interface HeicPixels {
    width: number;
    height: number;
    data: Uint8ClampedArray;
  }
  interface HeicImage {
    width: number;
    height: number;
    decode(): Promise<HeicPixels>;
  }
  type HeicImages = HeicImage[] & { dispose(): void };
  interface HeicDecode {
    (input: { buffer: Uint8Array | ArrayBuffer }): Promise<HeicPixels>;
    /** Every top-level image, undecoded; call dispose() when done. */
    all(input: { buffer: Uint8Array | ArrayBuffer }): Promise<HeicImages>;
  }
  const decode: HeicDecode;
  export = decode;
}
