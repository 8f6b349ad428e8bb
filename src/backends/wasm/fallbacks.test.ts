import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DataArray, DType } from '../../tensor/dtype.js';
import type { TensorInfo } from '../backend.js';
import { CpuBackend } from '../cpu/index.js';
import { FALLBACKS } from './fallbacks.js';
import { WasmBackend } from './index.js';
import { loadKernels } from './loader.js';

// The wasm backend's fallback to the cpu reference (./fallbacks.ts): every kernel of the
// contract is on the backend, and a kernel handed to cpu gives its outputs (one handle, or a
// record of them with optional ones absent) back in the arena, with the values worked out by
// hand.

const kernels = loadKernels();
const skip = typeof kernels === 'string' ? kernels : false;

function make(): WasmBackend {
  if (typeof kernels === 'string') throw new Error(kernels);
  return new WasmBackend(kernels, { threads: 1 });
}

function tensor(be: WasmBackend, values: DataArray, shape: number[], dtype: DType): TensorInfo {
  return { dataId: be.write(values, dtype), shape, dtype };
}

test('every kernel of the cpu backend is a kernel of the wasm backend', { skip }, () => {
  const be = make() as unknown as Record<string, unknown>;
  const names = Object.getOwnPropertyNames(CpuBackend.prototype).filter((n) => n !== 'constructor');
  for (const name of names) assert.equal(typeof be[name], 'function', name);
});

test('every fallback names a kernel the cpu backend has, and says why', () => {
  const kernels = Object.getOwnPropertyNames(CpuBackend.prototype);
  for (const [name, fallback] of Object.entries(FALLBACKS)) {
    assert.ok(kernels.includes(name), `FALLBACKS.${name} is not a cpu kernel`);
    assert.ok(fallback.why.trim() !== '', name);
  }
});

test(
  'topK on cpu: its record of outputs (values, indices) comes back in the arena',
  { skip },
  () => {
    const be = make();
    const x = tensor(be, new Float32Array([3, 1, 4, 1, 5, 9]), [2, 3], 'float32');
    const { values, indices } = be.topK(x, 2);
    assert.deepEqual(Array.from(be.readSync(values)), [4, 3, 9, 5]);
    assert.ok(be.readSync(indices) instanceof Int32Array);
    assert.deepEqual(Array.from(be.readSync(indices)), [2, 0, 2, 1]);
  },
);

test('float64 denseGrad on cpu: dbias present only when asked for', { skip }, () => {
  const be = make();
  // relu: dz = dy where y > 0, else 0; dbias = the column sums of dz.
  const y = tensor(be, new Float64Array([1, 0, 2, 3]), [2, 2], 'float64');
  const dy = tensor(be, new Float64Array([0.5, 7, -1, 2]), [2, 2], 'float64');
  const withBias = be.denseGrad(y, dy, 'relu', true);
  assert.deepEqual(Array.from(be.readSync(withBias.dz)), [0.5, 0, -1, 2]);
  assert.ok(be.readSync(withBias.dbias!) instanceof Float64Array);
  assert.deepEqual(Array.from(be.readSync(withBias.dbias!)), [-0.5, 2]);
  const without = be.denseGrad(y, dy, 'relu', false);
  assert.deepEqual(Object.keys(without), ['dz']);
});

test('float64 concat on cpu: a list of tensors is handed over', { skip }, () => {
  const be = make();
  const a = tensor(be, new Float64Array([1, 2]), [1, 2], 'float64');
  const b = tensor(be, new Float64Array([3, 4, 5, 6]), [2, 2], 'float64');
  const out = be.readSync(be.concat([a, b], 0, [3, 2]));
  assert.ok(out instanceof Float64Array);
  assert.deepEqual(Array.from(out), [1, 2, 3, 4, 5, 6]);
});

test(
  'a float32 unary op without a wasm code (floor has one, erf has not) runs on cpu',
  { skip },
  () => {
    const be = make();
    const x = tensor(be, new Float32Array([0, 10]), [2], 'float32');
    // erf(0) = 0; erf(10) = 1 in float32.
    assert.deepEqual(Array.from(be.readSync(be.unary('erf', x, 'float32'))), [0, 1]);
  },
);
