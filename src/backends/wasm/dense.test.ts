import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { FUSED_ACTIVATIONS, type FusedActivation, type TensorInfo } from '../backend.js';
import { CpuBackend } from '../cpu/index.js';
import { WasmBackend } from './index.js';
import { loadKernels } from './loader.js';
import { MIN_FLOPS } from './pool.js';
import { lcg } from '../../../test/helpers.js';

// The fused dense kernels of the wasm backend: on 2 threads (each applying the bias and
// activation to its own band of rows) bit for bit the 1-thread result, which is bit for bit
// the unfused kernels (matmul, add, activation) run one after another; and close to the cpu
// reference. Run for every one of FUSED_ACTIVATIONS, they are also the check that the activation
// codes of assembly/dense.ts (which cannot import FUSED_CODES) pick the right functions.

const shared = loadKernels(true, true);
const skip = typeof shared === 'string' ? shared : false;
const made: WasmBackend[] = [];
after(() => {
  for (const be of made) be.close();
});

interface Case {
  x: Float32Array;
  w: Float32Array;
  b: Float32Array;
  m: number;
  k: number;
  n: number;
}

type AnyBackend = WasmBackend | CpuBackend;

function info(be: AnyBackend, values: Float32Array, shape: number[]): TensorInfo {
  return { dataId: be.write(values, 'float32'), shape, dtype: 'float32' };
}

function fused(be: AnyBackend, c: Case, act: FusedActivation, bias: boolean): Float32Array {
  const x = info(be, c.x, [c.m, c.k]);
  const w = info(be, c.w, [c.k, c.n]);
  const b = bias ? info(be, c.b, [c.n]) : undefined;
  return Float32Array.from(be.readSync(be.dense(x, w, b, act)));
}

function unfused(be: WasmBackend, c: Case, act: FusedActivation, bias: boolean): Float32Array {
  const x = info(be, c.x, [c.m, c.k]);
  const w = info(be, c.w, [c.k, c.n]);
  const shape = [c.m, c.n];
  let z: TensorInfo = { dataId: be.matmul(x, w, false, false, shape), shape, dtype: 'float32' };
  if (bias) {
    const b = info(be, c.b, [c.n]);
    z = { ...z, dataId: be.binary('add', z, b, shape, 'float32') };
  }
  const y = act === 'linear' ? z.dataId : be.unary(act, z, 'float32');
  return Float32Array.from(be.readSync(y));
}

test(
  'dense on 2 threads equals 1 thread and the unfused kernels, bit for bit',
  { skip },
  async () => {
    if (typeof shared === 'string') return;
    const two = new WasmBackend(shared, { threads: 2 });
    const one = new WasmBackend(shared, { threads: 1 });
    made.push(two, one);
    await two.ready();
    const cpu = new CpuBackend();
    // m not a multiple of the 16-row bands; n not a multiple of 4 (vector blocks cross rows).
    for (const [m, k, n] of [
      [128, 784, 256],
      [517, 100, 259],
      [130, 256, 783],
    ] as const) {
      assert.ok(2 * m * n * k >= MIN_FLOPS, 'large enough to go parallel');
      // Pre-activations spread over [-12, 12]: sigmoid's vector and scalar paths, relu6's clip.
      const c: Case = {
        x: lcg(m * k, 1, -1, 1),
        w: lcg(k * n, 2, -12 / Math.sqrt(k), 12 / Math.sqrt(k)),
        b: lcg(n, 3),
        m,
        k,
        n,
      };
      // Two units beyond |z| = 80, where sigmoid's vector blocks take the scalar path.
      c.b[5] = 90;
      c.b[n - 2] = -100;
      for (const act of FUSED_ACTIVATIONS) {
        for (const bias of [true, false]) {
          const what = `${m}×${k}·${k}×${n} ${act} ${bias ? 'bias' : 'no bias'}`;
          const jobs = two.threadStats().jobs;
          const y2 = fused(two, c, act, bias);
          assert.ok(two.threadStats().jobs > jobs, `a worker computed a band: ${what}`);
          assert.deepEqual(y2, fused(one, c, act, bias), `2 threads vs 1: ${what}`);
          assert.deepEqual(y2, unfused(one, c, act, bias), `fused vs unfused: ${what}`);
          const want = fused(cpu, c, act, bias);
          const scale = want.reduce((s, v) => Math.max(s, Math.abs(v)), 1);
          want.forEach((v, i) => {
            assert.ok(Math.abs(y2[i]! - v) <= 2e-5 * scale, `${what} [${i}]: ${y2[i]} vs cpu ${v}`);
          });
        }
      }
    }
  },
);

test('denseGrad: dz and the bias sums against a double-precision oracle', { skip }, () => {
  if (typeof shared === 'string') return;
  const be = new WasmBackend(shared, { threads: 1 });
  made.push(be);
  for (const [m, n] of [
    [1, 1],
    [7, 1],
    [5, 3],
    [128, 784],
    [33, 17],
  ] as const) {
    const yv = lcg(m * n, 5, -7, 7); // y in [-7, 7]: both sides of relu6's clip
    const dyv = lcg(m * n, 6, -1, 1);
    for (const act of FUSED_ACTIVATIONS) {
      const d: Record<FusedActivation, (y: number) => number> = {
        linear: () => 1,
        relu: (y) => (y > 0 ? 1 : 0),
        relu6: (y) => (y > 0 && y < 6 ? 1 : 0),
        sigmoid: (y) => y * (1 - y),
        tanh: (y) => 1 - y * y,
      };
      const r = be.denseGrad(info(be, yv, [m, n]), info(be, dyv, [m, n]), act, true);
      const dz = be.readSync(r.dz);
      const dbias = be.readSync(r.dbias!);
      assert.equal(dbias.length, n);
      for (let j = 0; j < n; j++) {
        let s = 0;
        let abs = 0;
        for (let i = 0; i < m; i++) {
          const g = dyv[i * n + j]! * d[act](yv[i * n + j]!);
          assert.ok(Math.abs(dz[i * n + j]! - g) <= 1e-6 * Math.max(1, Math.abs(g)), `dz ${act}`);
          s += g;
          abs += Math.abs(g);
        }
        // float32 sums: rounding grows with the count and the terms' magnitude.
        assert.ok(
          Math.abs(dbias[j]! - s) <= 1e-6 * m * Math.max(1, abs / m),
          `dbias ${act} ${m}×${n}`,
        );
      }
      const noBias = be.denseGrad(info(be, yv, [m, n]), info(be, dyv, [m, n]), act, false);
      assert.equal(noBias.dbias, undefined);
      assert.deepEqual(be.readSync(noBias.dz), dz);
    }
  }
});
