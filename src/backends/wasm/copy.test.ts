import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { TensorInfo } from '../backend.js';
import { CpuBackend } from '../cpu/index.js';
import { WasmBackend } from './index.js';
import { loadKernels } from './loader.js';
import { lcg } from '../../../test/helpers.js';

// The wasm backend's slice and concat (contiguous runs copied with TypedArray.set, copy.ts)
// against the cpu reference's element walk, on blocks that are contiguous, strided in the
// middle axis (an RNN's per-step slice) and strided everywhere, and on concat along each axis.

const kernels = loadKernels(true, true);
const skip = typeof kernels === 'string' ? kernels : false;
const made: WasmBackend[] = [];
after(() => {
  for (const be of made) be.close();
});

type AnyBackend = WasmBackend | CpuBackend;
const info = (be: AnyBackend, v: Float32Array, shape: number[]): TensorInfo => ({
  dataId: be.write(v, 'float32'),
  shape,
  dtype: 'float32',
});

test('slice and concat: wasm copies equal the cpu reference', { skip }, () => {
  const wasm = new WasmBackend(kernels as Exclude<typeof kernels, string>, { threads: 1 });
  made.push(wasm);
  const cpu = new CpuBackend();
  const shape = [3, 5, 4];
  const values = lcg(60, 3);
  const slices: [number[], number[]][] = [
    [
      [1, 0, 0],
      [2, 5, 4],
    ],
    [
      [0, 2, 0],
      [3, 1, 4],
    ],
    [
      [1, 1, 1],
      [2, 3, 2],
    ],
    [
      [2, 4, 3],
      [1, 1, 1],
    ],
  ];
  for (const [begin, size] of slices) {
    const got = wasm.readSync(wasm.slice(info(wasm, values, shape), begin, size));
    const want = cpu.readSync(cpu.slice(info(cpu, values, shape), begin, size));
    assert.deepEqual(Array.from(got), Array.from(want), `slice ${begin} ${size}`);
  }
  for (const axis of [0, 1, 2]) {
    const other = shape.map((d, i) => (i === axis ? 2 : d));
    const second = lcg(
      other.reduce((p, d) => p * d, 1),
      4,
    );
    const outShape = shape.map((d, i) => (i === axis ? d + 2 : d));
    const run = (be: AnyBackend): number[] =>
      Array.from(
        be.readSync(be.concat([info(be, values, shape), info(be, second, other)], axis, outShape)),
      );
    assert.deepEqual(run(wasm), run(cpu), `concat axis ${axis}`);
  }
});
