import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import * as sn from '../../index.js';
import { ConfigError } from '../../errors.js';
import type { TensorInfo } from '../backend.js';
import { WasmBackend } from './index.js';
import { loadKernels } from './loader.js';
import { MIN_FLOPS } from './pool.js';
import { lcg } from '../../../test/helpers.js';

const shared = loadKernels(true, true);
const plain = loadKernels(true, false);
const skip =
  typeof shared === 'string' ? shared : typeof plain === 'string' ? plain : (false as const);
const made: WasmBackend[] = [];
after(() => {
  for (const be of made) be.close();
  sn.setBackend('cpu');
});

/** op(A)·op(B) on `be` for operands with the given values and shapes; a copy of C. */
function product(
  be: WasmBackend,
  av: Float32Array,
  bv: Float32Array,
  aShape: number[],
  bShape: number[],
  ta: boolean,
  tb: boolean,
  outShape: number[],
): Float32Array {
  const a: TensorInfo = { dataId: be.write(av, 'float32'), shape: aShape, dtype: 'float32' };
  const b: TensorInfo = { dataId: be.write(bv, 'float32'), shape: bShape, dtype: 'float32' };
  return Float32Array.from(be.readSync(be.matmul(a, b, ta, tb, outShape)));
}

test('a large matmul on 2 threads equals 1 thread bit for bit', { skip }, async () => {
  if (typeof shared === 'string' || typeof plain === 'string') return;
  const two = new WasmBackend(shared, { threads: 2 });
  const one = new WasmBackend(shared, { threads: 1 });
  made.push(two, one);
  await two.ready();
  assert.equal(two.threads, 2);
  assert.equal(one.threads, 1);
  // Rows of C are split between threads; each element is summed in the same order, so the
  // results must be identical, not just close. m is not a multiple of the 16-row bands.
  for (const [m, k, n, ta, tb] of [
    [517, 300, 260, false, false],
    [784, 128, 256, true, false],
    [128, 256, 784, false, true],
  ] as const) {
    assert.ok(2 * m * n * k >= MIN_FLOPS, 'large enough to go parallel');
    const av = lcg(m * k, 1);
    const bv = lcg(k * n, 2);
    const aShape = ta ? [k, m] : [m, k];
    const bShape = tb ? [n, k] : [k, n];
    const c2 = product(two, av, bv, aShape, bShape, ta, tb, [m, n]);
    const c1 = product(one, av, bv, aShape, bShape, ta, tb, [m, n]);
    assert.deepEqual(c2, c1, `${m}×${k}·${k}×${n}`);
    // And against a double-precision reference, within float32 rounding.
    const at = (i: number, p: number): number => av[ta ? p * m + i : i * k + p]!;
    const bt = (p: number, j: number): number => bv[tb ? j * k + p : p * n + j]!;
    for (const [i, j] of [
      [0, 0],
      [m - 1, n - 1],
      [m >> 1, 7],
      [Math.min(200, m - 1), n - 3],
    ] as const) {
      let s = 0;
      for (let p = 0; p < k; p++) s += at(i, p) * bt(p, j);
      assert.ok(Math.abs(c2[i * n + j]! - s) < 1e-4, `C[${i}][${j}] = ${c2[i * n + j]}, want ${s}`);
    }
  }
});

test('thread counts of 0, -1, 1000, 1.5 are ConfigErrors that say the range', { skip }, () => {
  if (typeof shared === 'string') return;
  for (const threads of [0, -1, 1000, 1.5, Number.NaN]) {
    assert.throws(
      () => new WasmBackend(shared, { threads }),
      (e: unknown) => e instanceof ConfigError && /from 1 to 64/.test((e as Error).message),
      String(threads),
    );
    assert.throws(() => sn.setBackend('wasm', { threads }), ConfigError);
  }
});

test("setBackend('gpu') is a ConfigError listing the available backends", () => {
  assert.throws(
    () => sn.setBackend('gpu'),
    (e: unknown) => e instanceof ConfigError && /available backends: cpu, wasm/.test(String(e)),
  );
});

test(
  'setBackend with options makes a new instance; ready() resolves; results agree',
  { skip },
  async () => {
    sn.setBackend('wasm', { threads: 2 });
    await sn.ready();
    assert.equal(sn.getBackend(), 'wasm');
    const a = sn.tensor(lcg(300 * 200, 3), [300, 200]);
    const b = sn.tensor(lcg(200 * 150, 4), [200, 150]);
    const c2 = sn.matmul(a, b).dataSync();
    sn.setBackend('wasm', { threads: 1 });
    const c1 = sn.matmul(a, b).dataSync(); // a and b come from the previous instance: copied in
    assert.deepEqual(c2, c1);
    sn.setBackend('cpu');
  },
);
