import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../index.js';
import { assertClose, lcg, smooth } from '../../test/helpers.js';

await tf.setBackend('cpu');

/** Sample mean and (population) variance. */
function moments(values: ArrayLike<number>): { mean: number; variance: number } {
  const v = Array.from(values);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean, variance: v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length };
}

test('gaussianDropout: identity at inference, as tfjs', () => {
  const x = Array.from(lcg(12, 1, -1, 1));
  const ours = sn.layers.gaussianDropout({ rate: 0.4 }).apply(sn.tensor(x, [3, 4]));
  const theirs = tf.layers.gaussianDropout({ rate: 0.4 }).apply(tf.tensor(x, [3, 4])) as tf.Tensor;
  assertClose(ours, Array.from(theirs.dataSync()), 0);
  assertClose(ours, x, 0);
});

test('gaussianDropout: in training the factor has mean 1 and variance rate/(1 − rate), as tfjs', () => {
  const rate = 0.3;
  // 20000 draws: the mean's standard error is sqrt(0.43/20000) ≈ 0.0046, the variance's ≈ 0.0043.
  const ours = sn.layers
    .gaussianDropout({ rate, seed: 4 })
    .apply(sn.fill([200, 100], 2), { training: true });
  const theirs = tf.layers
    .gaussianDropout({ rate })
    .apply(tf.fill([200, 100], 2), { training: true }) as tf.Tensor;
  for (const y of [ours.dataSync(), theirs.dataSync()]) {
    const m = moments(Array.from(y, (v) => v / 2));
    assert.ok(Math.abs(m.mean - 1) < 0.02, `mean ${m.mean}`);
    assert.ok(Math.abs(m.variance - rate / (1 - rate)) < 0.02, `variance ${m.variance}`);
  }
});

test('gaussianDropout: seeded and replayable; the gradient is the noise (finite differences)', () => {
  const layer = sn.layers.gaussianDropout({ rate: 0.5, seed: 8 });
  const state = layer.getRandomState()!;
  const a = Array.from(layer.apply(sn.ones([2, 3]), { training: true }).dataSync());
  layer.setRandomState(state);
  assert.deepEqual(Array.from(layer.apply(sn.ones([2, 3]), { training: true }).dataSync()), a);
  const f = (t: sn.Tensor) =>
    sn.layers.gaussianDropout({ rate: 0.2, seed: 1 }).apply(t, { training: true });
  sn.testing.gradCheck(f, [smooth([2, 3])]);
});

// SELU's negative saturation α' = −λα, and (a, b) for rate 0.2 (computed in float64 from
// a = ((1 − r)(1 + r·α'²))^(−1/2), b = −a·α'·r).
const ALPHA_P = -1.7580993408473766;
const A = 0.8789035834435328;
const B = 0.30903996214409446;

test('alphaDropout: identity at inference; the affine correction is (a, b) of the formula', () => {
  const x = Array.from(lcg(12, 1, -1, 1));
  const layer = sn.layers.alphaDropout({ rate: 0.2 });
  assertClose(layer.apply(sn.tensor(x, [3, 4])), x, 0);
  const theirs = tf.layers.alphaDropout({ rate: 0.2 }).apply(tf.tensor(x, [3, 4])) as tf.Tensor;
  assertClose(layer.apply(sn.tensor(x, [3, 4])), Array.from(theirs.dataSync()), 0);
  assert.ok(Math.abs(layer.affine.a - A) < 1e-15 && Math.abs(layer.affine.b - B) < 1e-15);
});

test('alphaDropout: in training each unit is a·x + b (kept) or a·α′ + b (dropped), about rate of them dropped', () => {
  const x = Array.from(lcg(2000, 2, -2, 2));
  const y = sn.layers
    .alphaDropout({ rate: 0.2, seed: 6 })
    .apply(sn.tensor(x, [50, 40]), { training: true })
    .dataSync();
  let dropped = 0;
  x.forEach((v, i) => {
    const kept = Math.abs(y[i]! - (A * v + B)) < 1e-5;
    const gone = Math.abs(y[i]! - (A * ALPHA_P + B)) < 1e-5;
    assert.ok(kept || gone, `element ${i}: ${y[i]} is neither a·x + b nor a·α′ + b`);
    if (!kept) dropped++;
  });
  // 2000 units: standard error of the fraction 0.009.
  assert.ok(Math.abs(dropped / 2000 - 0.2) < 0.04, `dropped ${dropped / 2000}`);
});

test('alphaDropout: keeps mean 0 and variance 1 of a standard normal input, as its formula promises', () => {
  for (const rate of [0.1, 0.2, 0.5]) {
    const x = sn.randomNormal([200, 200], { seed: 3 });
    const y = sn.layers.alphaDropout({ rate, seed: 7 }).apply(x, { training: true });
    const m = moments(y.dataSync());
    // 40000 draws: standard errors about 0.005 (mean) and 0.01 (variance).
    assert.ok(Math.abs(m.mean) < 0.03, `rate ${rate}: mean ${m.mean}`);
    assert.ok(Math.abs(m.variance - 1) < 0.04, `rate ${rate}: variance ${m.variance}`);
  }
});

test('alphaDropout: tfjs sets dropped units to a·(−α′) + b, a sign slip; sinew follows Keras (a·α′ + b)', () => {
  const theirs = tf.layers
    .alphaDropout({ rate: 0.5 })
    .apply(tf.zeros([40, 40]), { training: true }) as tf.Tensor;
  const a = 0.886404894665932;
  const b = 0.7791939305180317;
  const values = Array.from(theirs.dataSync());
  assert.ok(values.some((v) => Math.abs(v - (-a * ALPHA_P + b)) < 1e-5));
  assert.ok(!values.some((v) => Math.abs(v - (a * ALPHA_P + b)) < 1e-5));
  const ours = sn.layers
    .alphaDropout({ rate: 0.5, seed: 1 })
    .apply(sn.zeros([40, 40]), { training: true });
  const set = new Set(Array.from(ours.dataSync(), (v) => v.toFixed(5)));
  assert.deepEqual([...set].sort(), [(a * ALPHA_P + b).toFixed(5), b.toFixed(5)].sort());
});

test('alphaDropout: noiseShape shares the mask; gradient a·keep by finite differences', () => {
  const y = sn.layers
    .alphaDropout({ rate: 0.5, noiseShape: [null, 1], seed: 2 })
    .apply(sn.zeros([30, 5]), { training: true });
  const rows = y.arraySync() as number[][];
  for (const row of rows)
    assert.ok(
      row.every((v) => v === row[0]),
      `row ${row.join(', ')} not shared`,
    );
  const f = (t: sn.Tensor) =>
    sn.layers.alphaDropout({ rate: 0.3, seed: 1 }).apply(t, { training: true });
  sn.testing.gradCheck(f, [smooth([3, 4])]);
});

test('gaussianDropout and alphaDropout: bad options are ConfigErrors naming the layer', () => {
  for (const rate of [1, -0.5, '0.1', undefined]) {
    assert.throws(
      () => sn.layers.gaussianDropout({ rate } as unknown as sn.layers.GaussianDropoutOptions),
      (e: Error) =>
        e instanceof sn.ConfigError &&
        /GaussianDropout '.*': rate must be a finite number in \[0, 1\)/.test(e.message),
    );
    assert.throws(
      () => sn.layers.alphaDropout({ rate } as unknown as sn.layers.AlphaDropoutOptions),
      (e: Error) =>
        e instanceof sn.ConfigError && /AlphaDropout '.*': rate must be/.test(e.message),
    );
  }
  assert.throws(
    () => sn.layers.alphaDropout({ rate: 0.1, noiseShape: [0, 1] }),
    (e: Error) =>
      e instanceof sn.ConfigError &&
      /AlphaDropout '.*': noiseShape must be an array of positive integers/.test(e.message),
  );
  assert.throws(
    () =>
      sn.layers
        .alphaDropout({ rate: 0.1, noiseShape: [null, 3] })
        .apply(sn.ones([2, 4]), { training: true }),
    (e: Error) =>
      e instanceof sn.SinewError &&
      /noiseShape \[null, 3\] does not fit input shape \[2, 4\]: entry 1 must be 1, null or 4/.test(
        e.message,
      ),
  );
  assert.throws(
    () => sn.layers.gaussianDropout({ rate: 0.1, seed: 'x' as unknown as number }),
    (e: Error) =>
      e instanceof sn.ConfigError &&
      /GaussianDropout '.*': seed must be an integer/.test(e.message),
  );
});
