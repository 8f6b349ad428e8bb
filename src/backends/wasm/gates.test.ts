import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { TensorInfo } from '../backend.js';
import type { DataId } from '../../tensor/store.js';
import { CpuBackend } from '../cpu/index.js';
import { MIN_ELEMENTS } from './pool.js';
import { WasmBackend } from './index.js';
import { loadKernels } from './loader.js';
import { lcg, runUntilShared } from '../../../test/helpers.js';

// The fused gate kernels (LSTM and GRU) of the wasm backend (float32, SIMD, scalar beyond ±40)
// against the cpu reference (float64 arithmetic, src/backends/cpu/lstm.ts and gru.ts) on the
// same inputs: the forward and the gradient, with a units count that leaves a scalar tail
// (4·k + 3) and inputs that reach the scalar path (|z| > 40). Then split over 2 threads by
// batch rows (./gates.ts): the pool runs shares (its job count grows), the results are
// bit-for-bit those of one thread (each row takes the same instructions on any thread) and
// within float32 rounding of the cpu reference. That step is just above MIN_ELEMENTS, with an
// odd batch (unequal shares) and a units count with a scalar tail.

const shared = loadKernels(true, true);
const skip = typeof shared === 'string' ? shared : false;
const made: WasmBackend[] = [];
after(() => {
  for (const be of made) be.close();
});

type AnyBackend = WasmBackend | CpuBackend;
const BATCH = 33;
const UNITS = Math.ceil(MIN_ELEMENTS / BATCH / 4) * 4 + 3;

function info(be: AnyBackend, values: Float32Array, shape: number[]): TensorInfo {
  return { dataId: be.write(values, 'float32'), shape, dtype: 'float32' };
}

const read = (be: AnyBackend, id: DataId): Float32Array => Float32Array.from(be.readSync(id));

// The outputs of one LSTM step and its gradient: gates, c', h, dz, dc. Seeds seed..seed+3;
// with big, every 9th pre-activation is ±60 / −55 (the scalar path).
function lstm(
  be: AnyBackend,
  batch: number,
  units: number,
  seed: number,
  big = false,
): Float32Array[] {
  const zv = lcg(batch * 4 * units, seed, -3, 3);
  if (big) for (let i = 0; i < zv.length; i += 9) zv[i] = i % 2 === 0 ? 60 : -55;
  const z = info(be, zv, [batch, 4 * units]);
  const c = info(be, lcg(batch * units, seed + 1, -2, 2), [batch, units]);
  const out = be.lstmGates(z, c);
  const gates = { dataId: out.gates, shape: z.shape, dtype: 'float32' } as const;
  const cNext = { dataId: out.c, shape: c.shape, dtype: 'float32' } as const;
  const dh = info(be, lcg(batch * units, seed + 2), [batch, units]);
  const dc = info(be, lcg(batch * units, seed + 3), [batch, units]);
  const g = be.lstmGatesGrad(gates, c, cNext, dh, dc);
  return [out.gates, out.c, out.h, g.dz, g.dc].map((id) => read(be, id));
}

// The outputs of one GRU step and its gradient: gates, h', dx, dInner, dh. Seeds
// seed..seed+3; with big, every 7th input is 60 / −55 (the scalar path).
function gru(
  be: AnyBackend,
  batch: number,
  units: number,
  seed: number,
  big = false,
): Float32Array[] {
  const xv = lcg(batch * 3 * units, seed, -3, 3);
  if (big) for (let i = 0; i < xv.length; i += 7) xv[i] = i % 2 === 0 ? 60 : -55;
  const x = info(be, xv, [batch, 3 * units]);
  const inner = info(be, lcg(batch * 3 * units, seed + 1, -2, 2), [batch, 3 * units]);
  const h = info(be, lcg(batch * units, seed + 2, -1, 1), [batch, units]);
  const out = be.gruGates(x, inner, h);
  const gates = { dataId: out.gates, shape: x.shape, dtype: 'float32' } as const;
  const dh = info(be, lcg(batch * units, seed + 3), [batch, units]);
  const g = be.gruGatesGrad(gates, inner, h, dh);
  return [out.gates, out.h, g.dx, g.dInner, g.dh].map((id) => read(be, id));
}

const NAMES = {
  lstmGates: ['gates', 'c', 'h', 'dz', 'dc'],
  gruGates: ['gates', 'h', 'dx', 'dInner', 'dh'],
};

// Each output of got within float32 rounding of the float64 reference want.
function assertNearReference(
  name: keyof typeof NAMES,
  got: Float32Array[],
  want: Float32Array[],
): void {
  assert.equal(got.length, want.length);
  got.forEach((g, k) => {
    assert.equal(g.length, want[k]!.length, `${name} ${NAMES[name][k]}: length`);
    g.forEach((v, i) => {
      const w = want[k]![i]!;
      assert.ok(
        Math.abs(v - w) <= 2e-6 + 2e-6 * Math.abs(w),
        `${name} ${NAMES[name][k]}[${i}]: wasm ${v}, cpu ${w}`,
      );
    });
  });
}

for (const [name, step] of [
  ['lstmGates', lstm],
  ['gruGates', gru],
] as const) {
  for (const [batch, units, big] of [
    [3, 8, false],
    [5, 11, false],
    [4, 12, true],
  ] as const) {
    test(
      `${name} wasm vs cpu: batch ${batch}, ${units} units${big ? ', |z| > 40' : ''}`,
      { skip },
      () => {
        const wasm = new WasmBackend(shared as Exclude<typeof shared, string>, { threads: 1 });
        made.push(wasm);
        assertNearReference(
          name,
          step(wasm, batch, units, 7, big),
          step(new CpuBackend(), batch, units, 7, big),
        );
      },
    );
  }
}

for (const [name, step, seed] of [
  ['lstmGates', lstm, 21],
  ['gruGates', gru, 31],
] as const) {
  const run = (be: AnyBackend): Float32Array[] => step(be, BATCH, UNITS, seed);
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
      const got = runUntilShared(two, () => run(two), name);
      const single = run(one);
      const want = run(new CpuBackend());
      got.forEach((g, k) => assert.deepEqual(g, single[k], `output ${k}: 2 threads vs 1 thread`));
      assertNearReference(name, got, want);
    },
  );
}
