import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { TensorInfo } from '../backend.js';
import type { DataId } from '../../tensor/store.js';
import { CpuBackend } from '../cpu/index.js';
import { MIN_GATE_CELLS } from './gates.js';
import { WasmBackend } from './index.js';
import { loadKernels } from './loader.js';
import { lcg } from '../../../test/helpers.js';

// The fused gate kernels (LSTM and GRU) split over 2 threads by batch rows (./gates.ts): the
// pool runs shares (its job count grows), the results are bit-for-bit those of one thread (each
// row takes the same instructions on any thread) and within float32 rounding of the cpu
// reference. The step is just above MIN_GATE_CELLS, with an odd batch (unequal shares) and a
// units count with a scalar tail.

const shared = loadKernels(true, true);
const skip = typeof shared === 'string' ? shared : false;
const made: WasmBackend[] = [];
after(() => {
  for (const be of made) be.close();
});

type AnyBackend = WasmBackend | CpuBackend;
const BATCH = 33;
const UNITS = Math.ceil(MIN_GATE_CELLS / BATCH / 4) * 4 + 3;

function info(be: AnyBackend, values: Float32Array, shape: number[]): TensorInfo {
  return { dataId: be.write(values, 'float32'), shape, dtype: 'float32' };
}

const read = (be: AnyBackend, id: DataId): Float32Array => Float32Array.from(be.readSync(id));

function lstm(be: AnyBackend): Float32Array[] {
  const z = info(be, lcg(BATCH * 4 * UNITS, 21, -3, 3), [BATCH, 4 * UNITS]);
  const c = info(be, lcg(BATCH * UNITS, 22, -2, 2), [BATCH, UNITS]);
  const out = be.lstmGates(z, c);
  const gates = { dataId: out.gates, shape: z.shape, dtype: 'float32' } as const;
  const cNext = { dataId: out.c, shape: c.shape, dtype: 'float32' } as const;
  const dh = info(be, lcg(BATCH * UNITS, 23), [BATCH, UNITS]);
  const dc = info(be, lcg(BATCH * UNITS, 24), [BATCH, UNITS]);
  const g = be.lstmGatesGrad(gates, c, cNext, dh, dc);
  return [out.gates, out.c, out.h, g.dz, g.dc].map((id) => read(be, id));
}

function gru(be: AnyBackend): Float32Array[] {
  const x = info(be, lcg(BATCH * 3 * UNITS, 31, -3, 3), [BATCH, 3 * UNITS]);
  const inner = info(be, lcg(BATCH * 3 * UNITS, 32, -2, 2), [BATCH, 3 * UNITS]);
  const h = info(be, lcg(BATCH * UNITS, 33, -1, 1), [BATCH, UNITS]);
  const out = be.gruGates(x, inner, h);
  const gates = { dataId: out.gates, shape: x.shape, dtype: 'float32' } as const;
  const dh = info(be, lcg(BATCH * UNITS, 34), [BATCH, UNITS]);
  const g = be.gruGatesGrad(gates, inner, h, dh);
  return [out.gates, out.h, g.dx, g.dInner, g.dh].map((id) => read(be, id));
}

for (const [name, run] of [
  ['lstmGates', lstm],
  ['gruGates', gru],
] as const) {
  test(
    `${name} and its gradient split over 2 threads match one thread and the reference`,
    {
      skip,
    },
    async () => {
      const kernels = shared as Exclude<typeof shared, string>;
      const one = new WasmBackend(kernels, { threads: 1 });
      const two = new WasmBackend(kernels, { threads: 2 });
      made.push(one, two);
      await two.ready();
      // Back to back until a worker has done a share (a sleeping worker's share may be taken
      // back by the calling thread).
      const start = two.threadStats().jobs;
      let got = run(two);
      for (let i = 0; i < 50 && two.threadStats().jobs === start; i++) got = run(two);
      assert.ok(two.threadStats().jobs > start, `a worker did a share of ${name}`);
      const single = run(one);
      const want = run(new CpuBackend());
      got.forEach((g, k) => {
        assert.deepEqual(g, single[k], `output ${k}: 2 threads vs 1 thread`);
        g.forEach((v, i) => {
          const w = want[k]![i]!;
          assert.ok(
            Math.abs(v - w) <= 2e-6 + 2e-6 * Math.abs(w),
            `output ${k}[${i}]: ${v} vs ${w}`,
          );
        });
      });
    },
  );
}
