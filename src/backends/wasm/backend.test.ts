import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ConfigError, SinewError } from '../../errors.js';
import { CpuBackend } from '../cpu/index.js';
import type { TensorInfo } from '../backend.js';
import { WasmBackend } from './index.js';
import { loadKernels } from './loader.js';

const kernels = loadKernels();
const skip = typeof kernels === 'string' ? kernels : false;

function make(options = {}): WasmBackend {
  if (typeof kernels === 'string') throw new Error(kernels);
  return new WasmBackend(kernels, options);
}

test('values of every dtype round-trip through the arena', { skip }, () => {
  const be = make();
  const cases = [
    [new Float32Array([1.5, -2, 3]), 'float32'],
    [new Float64Array([1e-300, 2, Math.PI]), 'float64'],
    [new Int32Array([-7, 0, 2 ** 31 - 1]), 'int32'],
    [new Uint8Array([0, 1, 1]), 'bool'],
  ] as const;
  for (const [values, dtype] of cases) {
    const id = be.write(values, dtype);
    const back = be.readSync(id);
    assert.equal(back.constructor, values.constructor);
    assert.deepEqual(Array.from(back), Array.from(values));
  }
});

test('release frees the values; retain makes a shared handle survive one release', { skip }, () => {
  const be = make();
  const base = be.memoryStats().bytesInUse;
  const id = be.write(new Float32Array(1000), 'float32');
  assert.equal(be.memoryStats().bytesInUse, base + 4032); // 4000 bytes, whole cache lines
  be.retain(id);
  be.release(id);
  assert.equal(be.memoryStats().bytesInUse, base + 4032, 'one holder is left');
  assert.equal(be.readSync(id).length, 1000);
  be.release(id);
  assert.equal(be.memoryStats().bytesInUse, base);
  assert.throws(() => be.readSync(id), /used after its values were released/);
  be.release(id); // a second release is harmless
  assert.equal(be.memoryStats().bytesInUse, base);
});

test(
  'the garbage collector frees values no tensor refers to (the backstop)',
  { skip },
  async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const be = make();
    const base = be.memoryStats().bytesInUse;
    (() => {
      for (let i = 0; i < 10; i++) be.write(new Float32Array(1 << 16), 'float32');
    })();
    assert.equal(be.memoryStats().bytesInUse, base + 10 * 4 * (1 << 16));
    for (let i = 0; i < 50 && be.memoryStats().bytesInUse > base; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(be.memoryStats().bytesInUse, base);
  },
);

test('a tensor larger than maxMemoryMiB is a SinewError, not a crash', { skip }, () => {
  const be = make({ maxMemoryMiB: 8 });
  assert.throws(() => be.write(new Float32Array(4 << 20), 'float32'), SinewError);
  const small = be.write(new Float32Array([1, 2]), 'float32');
  assert.deepEqual(Array.from(be.readSync(small)), [1, 2], 'the backend still works after');
});

test('options are checked', { skip }, () => {
  assert.throws(() => make({ maxMemoryMiB: 0 }), ConfigError);
  assert.throws(() => make({ maxMemoryMiB: 5000 }), ConfigError);
  assert.throws(() => make({ initialMemoryMiB: '16' }), ConfigError);
});

test(
  'kernels accept values of the cpu backend (copied in) and fall back for float64',
  { skip },
  () => {
    const be = make();
    const cpu = new CpuBackend();
    const a: TensorInfo = {
      dataId: cpu.write(new Float32Array([1, 2, 3, 4]), 'float32'),
      shape: [2, 2],
      dtype: 'float32',
    };
    const b: TensorInfo = {
      dataId: be.write(new Float32Array([1, 0, 0, 1]), 'float32'),
      shape: [2, 2],
      dtype: 'float32',
    };
    assert.deepEqual(Array.from(be.readSync(be.matmul(a, b, false, false, [2, 2]))), [1, 2, 3, 4]);
    const c: TensorInfo = {
      dataId: be.write(new Float64Array([1, 2, 3, 4]), 'float64'),
      shape: [2, 2],
      dtype: 'float64',
    };
    const d: TensorInfo = {
      dataId: be.write(new Float64Array([0, 1, 1, 0]), 'float64'),
      shape: [2, 2],
      dtype: 'float64',
    };
    const out = be.readSync(be.matmul(c, d, false, false, [2, 2]));
    assert.ok(out instanceof Float64Array);
    assert.deepEqual(Array.from(out), [2, 1, 4, 3]); // columns swapped, by hand
  },
);

test('relaxed SIMD is chosen when the engine accepts it, plain SIMD when asked', { skip }, () => {
  const plain = loadKernels(false);
  assert.ok(typeof plain !== 'string' && plain.variant === 'simd');
  assert.ok(typeof kernels !== 'string' && ['relaxed-simd', 'simd'].includes(kernels.variant));
});
