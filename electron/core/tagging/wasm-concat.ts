/**
 * Concat for TensorFlow.js' WebAssembly backend, without garbage. The backend's own copies each
 * row through a fresh typed-array view (`subarray`): the models concatenate along the channels of
 * feature maps, tens of thousands of rows per picture, about 4.5 MB of short-lived objects that
 * made V8 collect its old generation every few pictures. This one copies in plain loops.
 * Registered through tfjs' kernel registry (the documented way to supply a kernel); strings and
 * the trivial cases still go to the original.
 */

interface TensorInfo {
  shape: number[];
  dtype: string;
  dataId: object;
}
type Numbers = Float32Array | Int32Array | Uint8Array;
interface WasmBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Numbers;
}
interface KernelArgs {
  inputs: TensorInfo[];
  backend: WasmBackend;
  attrs: { axis: number | number[] };
}
type KernelFunc = (args: KernelArgs) => TensorInfo;
/** The parts of tfjs-core this needs (human re-exports them as `human.tf`). */
export interface KernelRegistry {
  getKernel(name: string, backend: string): { kernelFunc: KernelFunc } | undefined;
  unregisterKernel(name: string, backend: string): void;
  registerKernel(config: { kernelName: string; backendName: string; kernelFunc: KernelFunc }): void;
}

function sizeOf(shape: readonly number[], from = 0, to = shape.length): number {
  let n = 1;
  for (let i = from; i < to; i++) n *= shape[i]!;
  return n;
}

/** Replaces the wasm backend's Concat (once per thread; a second call finds its own and stops). */
export function installWasmConcat(tf: KernelRegistry): void {
  const original = tf.getKernel('Concat', 'wasm');
  if (!original || (original.kernelFunc as { allocationFree?: boolean }).allocationFree) return;
  const concat: KernelFunc = (args) => {
    const { inputs, backend } = args;
    const first = inputs[0];
    if (!first || first.dtype === 'string') return original.kernelFunc(args);
    const rank = first.shape.length;
    const raw = Array.isArray(args.attrs.axis) ? args.attrs.axis[0]! : args.attrs.axis;
    const axis = raw < 0 ? raw + rank : raw;
    const parts = inputs.filter((t) => sizeOf(t.shape) > 0);
    // One input (or none) is the original's identity; odd shapes get its checks and messages.
    const fits = (t: TensorInfo) =>
      t.shape.length === rank &&
      t.dtype === first.dtype &&
      t.shape.every((d, i) => i === axis || d === first.shape[i]);
    if (parts.length < 2 || axis < 0 || axis >= rank || !parts.every(fits)) return original.kernelFunc(args);
    const outShape = [...first.shape];
    outShape[axis] = inputs.reduce((n, t) => n + (t.shape[axis] ?? 0), 0);
    const out = backend.makeOutput(outShape, first.dtype);
    const rows = sizeOf(parts[0]!.shape, 0, axis);
    const widths = parts.map((t) => sizeOf(t.shape, axis));
    const rowWidth = widths.reduce((a, b) => a + b, 0);
    const target = backend.typedArrayFromHeap(out);
    let column = 0;
    for (let p = 0; p < parts.length; p++) {
      const source = backend.typedArrayFromHeap(parts[p]!);
      const w = widths[p]!;
      for (let r = 0; r < rows; r++) {
        const from = r * w;
        const to = r * rowWidth + column;
        for (let j = 0; j < w; j++) target[to + j] = source[from + j]!;
      }
      column += w;
    }
    return out;
  };
  (concat as { allocationFree?: boolean }).allocationFree = true;
  tf.unregisterKernel('Concat', 'wasm');
  tf.registerKernel({ kernelName: 'Concat', backendName: 'wasm', kernelFunc: concat });
}
