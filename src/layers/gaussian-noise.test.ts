import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../index.js';
import { assertClose, smooth } from '../../test/helpers.js';

await tf.setBackend('cpu');

/** Sample mean and (population) standard deviation. */
function moments(values: ArrayLike<number>): { mean: number; std: number } {
  const v = Array.from(values);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean, std: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) };
}

test('gaussianNoise: identity at inference', () => {
  const x = sn.tensor([[1, 2, 3]]);
  assertClose(sn.layers.gaussianNoise({ stddev: 5 }).apply(x), [1, 2, 3], 0);
  assertClose(sn.layers.gaussianNoise({ stddev: 5 }).apply(x, { training: false }), [1, 2, 3], 0);
});

test('gaussianNoise: in training the noise has mean 0 and standard deviation stddev, as tfjs', () => {
  const stddev = 0.5;
  // 10000 draws: the sample mean has standard error 0.5/100 = 0.005; the sample std about 0.5/sqrt(2·10000) ≈ 0.0035.
  const ours = sn.layers
    .gaussianNoise({ stddev, seed: 2 })
    .apply(sn.fill([100, 100], 3), { training: true });
  const theirs = tf.layers
    .gaussianNoise({ stddev })
    .apply(tf.fill([100, 100], 3), { training: true }) as tf.Tensor;
  for (const values of [ours.dataSync(), theirs.dataSync()]) {
    const m = moments(values);
    assert.ok(Math.abs(m.mean - 3) < 0.025, `mean ${m.mean}`);
    assert.ok(Math.abs(m.std - stddev) < 0.02, `std ${m.std}`);
  }
});

test('gaussianNoise: a seed makes the noise sequence reproducible; calls draw new noise', () => {
  const run = () => {
    const layer = sn.layers.gaussianNoise({ stddev: 1, seed: 13 });
    return [0, 1].map(() =>
      Array.from(layer.apply(sn.zeros([3, 4]), { training: true }).dataSync()),
    );
  };
  const a = run();
  assert.deepEqual(a, run());
  assert.notDeepEqual(a[0], a[1]);
});

test('gaussianNoise: the gradient is the identity (finite differences, fixed seed)', () => {
  const f = (t: sn.Tensor) =>
    sn.layers.gaussianNoise({ stddev: 0.3, seed: 1 }).apply(t, { training: true });
  sn.testing.gradCheck(f, [smooth([2, 3])]);
});

test('gaussianNoise: a bad stddev or seed is a ConfigError', () => {
  for (const stddev of [-1, Number.NaN, Infinity, '0.1', undefined]) {
    assert.throws(
      () => sn.layers.gaussianNoise({ stddev } as unknown as sn.layers.GaussianNoiseOptions),
      (e: Error) =>
        e instanceof sn.ConfigError &&
        /GaussianNoise '.*': stddev must be a finite number >= 0/.test(e.message),
    );
  }
  assert.throws(() => sn.layers.gaussianNoise({ stddev: 1, seed: Number.NaN }), sn.ConfigError);
});

test('gaussianNoise: getConfig → JSON → fromConfig round trip', () => {
  const layer = sn.layers.gaussianNoise({ stddev: 0.2, seed: 6, name: 'noise_rt' });
  const config = JSON.parse(JSON.stringify(layer.getConfig()));
  assert.deepEqual([config.stddev, config.seed], [0.2, 6]);
  const copy = sn.layers.GaussianNoise.fromConfig(config);
  assert.deepEqual(copy.getConfig(), layer.getConfig());
  const z = sn.zeros([2, 2]);
  assert.deepEqual(
    copy.apply(z, { training: true }).arraySync(),
    layer.apply(z, { training: true }).arraySync(),
  );
});

test('gaussianNoise: getRandomState/setRandomState save and restore the seeded generator', () => {
  // 3 draws per call: the spare normal of Box–Muller is part of the state.
  const input = sn.zeros([1, 3]);
  const layer = sn.layers.gaussianNoise({ stddev: 1, seed: 4 });
  layer.apply(input, { training: true });
  const oracle = new sn.Random(4);
  for (let i = 0; i < 3; i++) oracle.nextNormal();
  const saved = layer.getRandomState()!;
  assert.deepEqual(saved, oracle.getState());
  assert.ok(!Number.isNaN(saved[4]), 'a spare normal is pending');
  const next = [oracle.nextNormal(), oracle.nextNormal(), oracle.nextNormal()];
  const other = sn.layers.gaussianNoise({ stddev: 1, seed: 4 });
  other.setRandomState(saved);
  const values = Array.from(other.apply(input, { training: true }).dataSync());
  values.forEach((v, i) => assert.ok(Math.abs(v - next[i]!) < 1e-6, `${v} vs ${next[i]}`));
  assert.equal(sn.layers.gaussianNoise({ stddev: 1 }).getRandomState(), undefined);
});
