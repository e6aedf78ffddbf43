import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { installWasmConcat } from '../../electron/core/tagging/wasm-concat';

/** Inputs of every shape the kernel handles differently: axes first, inner and last, ranks 1–4, three dtypes. */
const CASES: { shapes: number[][]; axis: number; dtype: 'float32' | 'int32' | 'bool' }[] = [
  { shapes: [[5], [3]], axis: 0, dtype: 'float32' },
  {
    shapes: [
      [2, 3],
      [2, 4],
      [2, 1],
    ],
    axis: 1,
    dtype: 'float32',
  },
  {
    shapes: [
      [2, 3],
      [4, 3],
    ],
    axis: 0,
    dtype: 'int32',
  },
  {
    shapes: [
      [1, 6, 5, 3],
      [1, 6, 5, 8],
    ],
    axis: 3,
    dtype: 'float32',
  },
  {
    shapes: [
      [1, 6, 5, 3],
      [1, 6, 5, 8],
    ],
    axis: -1,
    dtype: 'float32',
  },
  {
    shapes: [
      [2, 3, 4],
      [2, 5, 4],
      [2, 0, 4],
    ],
    axis: 1,
    dtype: 'float32',
  },
  {
    shapes: [
      [3, 2],
      [3, 7],
    ],
    axis: 1,
    dtype: 'bool',
  },
  { shapes: [[4, 4]], axis: 0, dtype: 'float32' },
];

function inputsOf(c: (typeof CASES)[number], seed: number): tf.Tensor[] {
  return c.shapes.map((shape, k) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: n }, (_, i) => ((i * 7 + k * 13 + seed) % 11) - 5 + i / 100);
    if (c.dtype === 'bool')
      return tf.tensor(
        values.map((v) => (v > 0 ? 1 : 0)),
        shape,
        'bool',
      );
    return tf.tensor(c.dtype === 'int32' ? values.map(Math.round) : values, shape, c.dtype);
  });
}

describe('the allocation-free Concat of the wasm backend', () => {
  const expected: { values: unknown; shape: number[] }[] = [];

  beforeAll(async () => {
    setWasmPaths(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), path.sep));
    expect(await tf.setBackend('wasm')).toBe(true);
    // What tfjs' own kernel makes of every case, before ours replaces it.
    for (const [i, c] of CASES.entries()) {
      const out = tf.concat(inputsOf(c, i), c.axis);
      expected.push({ values: await out.array(), shape: out.shape });
    }
    installWasmConcat(tf as never);
  });

  it('gives what tfjs’ own kernel gives, for every shape, axis and dtype', async () => {
    expect(tf.getKernel('Concat', 'wasm')?.kernelFunc).toHaveProperty('allocationFree', true);
    for (const [i, c] of CASES.entries()) {
      const out = tf.concat(inputsOf(c, i), c.axis);
      expect({ values: await out.array(), shape: out.shape }).toEqual(expected[i]);
      expect(out.dtype).toBe(c.dtype);
    }
  });

  it('is installed once, and still refuses inputs that do not fit', () => {
    const mine = tf.getKernel('Concat', 'wasm')?.kernelFunc;
    installWasmConcat(tf as never);
    expect(tf.getKernel('Concat', 'wasm')?.kernelFunc).toBe(mine);
    expect(() => tf.concat([tf.zeros([2, 3]), tf.zeros([3, 3])], 1)).toThrow();
  });
});
