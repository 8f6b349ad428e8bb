import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { TensorInfo } from '../backend.js';
import type { DataId } from '../../tensor/store.js';
import { CpuBackend } from '../cpu/index.js';
import { WasmBackend } from './index.js';
import { loadKernels } from './loader.js';
import { lcg } from '../../../test/helpers.js';

// The fused GRU gate kernels of the wasm backend (float32, SIMD, scalar beyond ±40) against
// the cpu reference (float64 arithmetic, src/backends/cpu/gru.ts) on the same inputs: the
// forward (gates, h') and the gradient (dx, dInner, dh), with a units count that leaves a
// scalar tail (4·k + 3) and inputs that reach the scalar path (|x| > 40).

const kernels = loadKernels(true, true);
const skip = typeof kernels === 'string' ? kernels : false;
const made: WasmBackend[] = [];
after(() => {
  for (const be of made) be.close();
});

type AnyBackend = WasmBackend | CpuBackend;

function info(be: AnyBackend, values: Float32Array, shape: number[]): TensorInfo {
  return { dataId: be.write(values, 'float32'), shape, dtype: 'float32' };
}

const read = (be: AnyBackend, id: DataId): Float32Array => Float32Array.from(be.readSync(id));

function run(be: AnyBackend, batch: number, units: number, big: boolean): Float32Array[] {
  const xv = lcg(batch * 3 * units, 7, -3, 3);
  if (big) for (let i = 0; i < xv.length; i += 7) xv[i] = i % 2 === 0 ? 60 : -55;
  const x = info(be, xv, [batch, 3 * units]);
  const inner = info(be, lcg(batch * 3 * units, 11, -2, 2), [batch, 3 * units]);
  const h = info(be, lcg(batch * units, 8, -1, 1), [batch, units]);
  const out = be.gruGates(x, inner, h);
  const gates = { dataId: out.gates, shape: x.shape, dtype: 'float32' } as const;
  const dh = info(be, lcg(batch * units, 9), [batch, units]);
  const g = be.gruGatesGrad(gates, inner, h, dh);
  return [out.gates, out.h, g.dx, g.dInner, g.dh].map((id) => read(be, id));
}

for (const [batch, units, big] of [
  [3, 8, false],
  [5, 11, false],
  [4, 12, true],
] as const) {
  test(
    `gruGates wasm vs cpu: batch ${batch}, ${units} units${big ? ', |x| > 40' : ''}`,
    { skip },
    () => {
      const wasm = new WasmBackend(kernels as Exclude<typeof kernels, string>, { threads: 1 });
      made.push(wasm);
      const got = run(wasm, batch, units, big);
      const want = run(new CpuBackend(), batch, units, big);
      const names = ['gates', 'h', 'dx', 'dInner', 'dh'];
      got.forEach((g, k) => {
        assert.equal(g.length, want[k]!.length);
        g.forEach((v, i) => {
          const w = want[k]![i]!;
          assert.ok(
            Math.abs(v - w) <= 2e-6 + 2e-6 * Math.abs(w),
            `${names[k]}[${i}]: wasm ${v}, cpu ${w}`,
          );
        });
      });
    },
  );
}
