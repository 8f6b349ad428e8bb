import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import type { FusedActivation } from '../backends/backend.js';
import { ConfigError, DTypeError, ShapeError } from '../errors.js';
import { assertClose, lcg as values } from '../../test/helpers.js';
import { FUSED_ACTIVATIONS, fusedDense } from './dense.js';

// fusedDense against its oracles: hand-computed values, the unfused ops (matmul, add, the
// activation) on the same backend, and finite differences in float64.

/** Deterministic float32 values in [lo, hi) (a fixed LCG). */

const ACT: Record<FusedActivation, (t: sn.Tensor) => sn.Tensor> = {
  linear: (t) => t,
  relu: sn.relu,
  relu6: sn.relu6,
  sigmoid: sn.sigmoid,
  tanh: sn.tanh,
};

function unfused(x: sn.Tensor, w: sn.Tensor, b: sn.Tensor | undefined, act: FusedActivation) {
  const z = sn.matmul(x, w);
  return ACT[act](b ? sn.add(z, b) : z);
}

test('fusedDense: hand-computed values for every activation', () => {
  // z = [1, 2]·[[1, -1], [2, 0.5]] + [0.5, -3] = [5.5, -3]; with a second row [-4, 1]:
  // z = [-4 + 2 + 0.5, 4 + 0.5 - 3] = [-1.5, 1.5].
  const x = sn.tensor([
    [1, 2],
    [-4, 1],
  ]);
  const w = sn.tensor([
    [1, -1],
    [2, 0.5],
  ]);
  const b = sn.tensor([0.5, -3]);
  const z = [5.5, -3, -1.5, 1.5];
  const sig = (v: number): number => 1 / (1 + Math.exp(-v));
  const want: Record<FusedActivation, number[]> = {
    linear: z,
    relu: [5.5, 0, 0, 1.5],
    relu6: [5.5, 0, 0, 1.5],
    sigmoid: z.map(sig),
    tanh: z.map(Math.tanh),
  };
  for (const activation of FUSED_ACTIVATIONS) {
    assertClose(fusedDense(x, w, { bias: b, activation }), want[activation], 1e-6, [2, 2]);
  }
  // Without a bias: [1·1 + 2·2, -1 + 1] = [5, 0]; relu6 clips 7 + ... at 6.
  assertClose(fusedDense(x, w), [5, 0, -2, 4.5], 0, [2, 2]);
  assertClose(fusedDense(sn.tensor([[3, 2]]), w, { activation: 'relu6' }), [6, 0], 0, [1, 2]);
});

test('fusedDense equals matmul + add + activation (forward bit for bit; gradients)', () => {
  const wasm = sn.getBackend() === 'wasm';
  // Edge sizes: not multiples of 4 or 16, m across thread bands, n = 1, k = 1.
  const shapes = [
    [1, 1, 1],
    [3, 5, 7],
    [17, 33, 13],
    [130, 50, 21],
    [9, 4, 1],
    [300, 120, 260],
  ] as const;
  for (const [m, k, n] of shapes) {
    const x = sn.tensor(values(m * k, m + 1, -1, 1), [m, k]);
    const w = sn.tensor(values(k * n, k + 2, -0.5, 0.5), [k, n]);
    const b = sn.tensor(values(n, n + 3, -1, 1), [n]);
    const dy = sn.tensor(values(m * n, 7, 0.5, 1.5), [m, n]);
    for (const activation of FUSED_ACTIVATIONS) {
      for (const bias of [b, undefined]) {
        const what = `${m}×${k}·${k}×${n} ${activation} ${bias ? 'bias' : 'no bias'}`;
        const f = (xx: sn.Tensor, ww: sn.Tensor, bb?: sn.Tensor): sn.Tensor =>
          fusedDense(xx, ww, { bias: bb, activation });
        const g = (xx: sn.Tensor, ww: sn.Tensor, bb?: sn.Tensor): sn.Tensor =>
          unfused(xx, ww, bb, activation);
        const inputs = bias ? [x, w, bias] : [x, w];
        // The same kernels in the same order on both backends: identical outputs.
        assert.deepEqual(f(x, w, bias).dataSync(), g(x, w, bias).dataSync(), `forward ${what}`);
        const got = sn.grads(f)(inputs, dy);
        const want = sn.grads(g)(inputs, dy);
        got.forEach((t, i) => {
          if (wasm) {
            // The same float32 operations in the same order: bit for bit.
            assert.deepEqual(t.dataSync(), want[i]!.dataSync(), `gradient ${i} ${what}`);
            return;
          }
          // cpu computes dz in double and rounds once (the unfused ops round each step).
          const w2 = Array.from(want[i]!.dataSync());
          const scale = w2.reduce((s, v) => Math.max(s, Math.abs(v)), 1);
          Array.from(t.dataSync()).forEach((v, j) => {
            assert.ok(Math.abs(v - w2[j]!) <= 2e-6 * scale, `gradient ${i} ${what} [${j}]`);
          });
        });
      }
    }
  }
});

test('fusedDense: gradients match finite differences in float64 (each activation, bias or not)', () => {
  // Away from the kinks of relu (0) and relu6 (0, 6): z = x·w + b stays clear of them.
  const x = sn.tensor([0.9, -0.4, 1.3, 0.2, 1.1, -0.7], [3, 2], 'float64');
  const w = sn.tensor([1.2, -0.8, 0.5, 0.6, 1.5, -0.3, 2.0, 0.4], [2, 4], 'float64');
  const b = sn.tensor([0.15, -0.25, 0.2, 0.05], [4], 'float64');
  for (const activation of FUSED_ACTIVATIONS) {
    const z = [...sn.add(sn.matmul(x, w), b).dataSync(), ...sn.matmul(x, w).dataSync()];
    const nearKink = z.some((v) => Math.abs(v) < 1e-2 || Math.abs(v - 6) < 1e-2);
    assert.ok(!nearKink, 'inputs away from kinks');
    sn.testing.gradCheck(
      (xx, ww, bb) => fusedDense(xx!, ww!, { bias: bb!, activation }),
      [x, w, b],
    );
    sn.testing.gradCheck((xx, ww) => fusedDense(xx!, ww!, { activation }), [x, w]);
    // Every output element checked: the float64 result keeps float64.
    assert.equal(fusedDense(x, w, { bias: b, activation }).dtype, 'float64');
  }
  // relu6 above 6 (gradient 0) and below 0.
  const big = sn.tensor([4, 3, -2, -1], [2, 2], 'float64');
  const r = sn.testing.gradCheck(
    (xx, ww) => fusedDense(xx!, ww!, { activation: 'relu6' }),
    [big, sn.tensor([1.1, -0.3, 0.9, 0.2], [2, 2], 'float64')],
  );
  assert.ok(
    r.analytic[0]!.some((v) => v === 0),
    'some units saturated',
  );
});

test('fusedDense: only the gradients asked for (input not watched, bias only)', () => {
  const x = sn.tensor(values(12, 1, -1, 1), [4, 3]);
  const w = sn.variable(sn.tensor(values(6, 2, -1, 1), [3, 2]));
  const b = sn.variable(sn.tensor([0.1, -0.2]));
  const dyWeights = sn.tensor(values(8, 3, 0.5, 1.5), [4, 2]);
  const loss = (y: sn.Tensor): sn.Tensor => sn.sum(sn.mul(y, dyWeights));
  const fused = sn.valueAndGrads(() => loss(fusedDense(x, w, { bias: b, activation: 'tanh' })));
  const plain = sn.valueAndGrads(() => loss(sn.tanh(sn.add(sn.matmul(x, w), b))));
  assert.deepEqual([...fused.grads.keys()], [w, b]);
  for (const v of [w, b])
    assertClose(fused.grads.get(v)!, Array.from(plain.grads.get(v)!.dataSync()), 1e-6);
  const onlyBias = sn.valueAndGrads(
    () => loss(fusedDense(x, sn.tensor(w.dataSync(), [3, 2]), { bias: b, activation: 'sigmoid' })),
    [b],
  );
  assert.deepEqual([...onlyBias.grads.keys()], [b]);
});

test('fusedDense: k = 0 gives act(bias); m = 0 gives an empty result', () => {
  const y = fusedDense(sn.zeros([2, 0]), sn.zeros([0, 3]), {
    bias: sn.tensor([-1, 0.5, 2]),
    activation: 'relu',
  });
  assertClose(y, [0, 0.5, 2, 0, 0.5, 2], 0, [2, 3]);
  assert.deepEqual(fusedDense(sn.zeros([0, 4]), sn.zeros([4, 3])).shape, [0, 3]);
});

test('fusedDense: bad shapes, activations and dtypes are errors that say what and how', () => {
  const x = sn.zeros([2, 3]);
  assert.throws(
    () => fusedDense(x, sn.zeros([4, 5])),
    (e: unknown) => {
      return e instanceof ShapeError && /\[2, 3\].*\[4, 5\].*\(3 vs 4\)/.test((e as Error).message);
    },
  );
  assert.throws(() => fusedDense(sn.zeros([2, 2, 3]), sn.zeros([3, 5])), ShapeError);
  assert.throws(
    () => fusedDense(x, sn.zeros([3, 5]), { bias: sn.zeros([4]) }),
    (e: unknown) => e instanceof ShapeError && /bias must have shape \[5\]/.test(String(e)),
  );
  assert.throws(
    () => fusedDense(x, sn.zeros([3, 5]), { activation: 'softplus' as FusedActivation }),
    (e: unknown) =>
      e instanceof ConfigError && /linear, relu, relu6, sigmoid, tanh/.test(String(e)),
  );
  assert.throws(() => fusedDense(sn.cast(x, 'bool'), sn.zeros([3, 5])), DTypeError);
  // Integer inputs compute in float32, as the activations do.
  assert.equal(fusedDense(sn.cast(x, 'int32'), sn.zeros([3, 5])).dtype, 'float32');
});
