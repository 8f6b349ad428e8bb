import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../index.js';
import { assertClose, smooth } from '../../test/helpers.js';

await tf.setBackend('cpu');

const x = sn.tensor([
  [1, -2, 3],
  [4, 5, -6],
]);

test('dropout: identity at inference (training false or omitted), as tf.layers.dropout', () => {
  const layer = sn.layers.dropout({ rate: 0.5 });
  const theirs = tf.layers
    .dropout({ rate: 0.5 })
    .apply(tf.tensor(x.arraySync() as number[][])) as tf.Tensor;
  for (const y of [layer.apply(x), layer.apply(x, { training: false })]) {
    assertClose(y, Array.from(theirs.dataSync()), 0, [2, 3]);
  }
});

/** Fraction of zeros and the set of non-zero values of a dropout output on ones. */
function stats(values: ArrayLike<number>): { zeros: number; kept: Set<number> } {
  const kept = new Set<number>();
  let zeros = 0;
  for (const v of Array.from(values)) {
    if (v === 0) zeros++;
    else kept.add(Math.round(v * 1e5) / 1e5);
  }
  return { zeros: zeros / values.length, kept };
}

test('dropout: in training, zeros with probability rate and scales the rest by 1/(1 − rate), as tfjs', () => {
  const rate = 0.3;
  // Fraction dropped ~ Binomial(n, 0.3)/n: standard deviation sqrt(0.3·0.7/10000) ≈ 0.0046; allow 5σ.
  const ours = stats(
    sn.layers
      .dropout({ rate, seed: 1 })
      .apply(sn.ones([100, 100]), { training: true })
      .dataSync(),
  );
  const theirs = stats(
    (
      tf.layers
        .dropout({ rate, seed: 1 })
        .apply(tf.ones([100, 100]), { training: true }) as tf.Tensor
    ).dataSync(),
  );
  for (const s of [ours, theirs]) {
    assert.ok(Math.abs(s.zeros - rate) < 0.023, `dropped fraction ${s.zeros}`);
    assert.deepEqual([...s.kept], [Math.round((1 / (1 - rate)) * 1e5) / 1e5]); // 1/0.7 = 1.42857
  }
});

test('dropout: each output is 0 or x/(1 − rate) at the same position', () => {
  const y = sn.layers.dropout({ rate: 0.5, seed: 3 }).apply(x, { training: true }).dataSync();
  const xs = x.dataSync();
  y.forEach((v, i) => assert.ok(v === 0 || Math.abs(v - xs[i]! * 2) < 1e-6, `element ${i}: ${v}`));
});

test('dropout: a seed makes the sequence of masks reproducible; successive calls draw new masks', () => {
  const ones = sn.ones([4, 50]);
  const run = (seed: number) => {
    const layer = sn.layers.dropout({ rate: 0.5, seed });
    return [0, 1].map(() => Array.from(layer.apply(ones, { training: true }).dataSync()));
  };
  const [a1, a2] = run(7);
  const [b1, b2] = run(7);
  assert.deepEqual(a1, b1);
  assert.deepEqual(a2, b2);
  assert.notDeepEqual(a1, a2);
  assert.notDeepEqual(run(8)[0], a1);
});

test('dropout: without a seed, sn.setSeed makes it reproducible', () => {
  const draw = () => {
    sn.setSeed(11);
    return Array.from(
      sn.layers
        .dropout({ rate: 0.5 })
        .apply(sn.ones([2, 40]), { training: true })
        .dataSync(),
    );
  };
  assert.deepEqual(draw(), draw());
});

test('dropout: noiseShape [null, 1] drops whole rows', () => {
  const y = sn.layers
    .dropout({ rate: 0.5, seed: 5, noiseShape: [null, 1] })
    .apply(sn.ones([20, 6]), { training: true });
  const rows = y.arraySync() as number[][];
  for (const row of rows)
    assert.ok(row.every((v) => v === row[0]) && (row[0] === 0 || row[0] === 2), `${row}`);
  assert.ok(rows.some((r) => r[0] === 0) && rows.some((r) => r[0] === 2));
});

test('dropout: rate 0 is the identity in training too', () => {
  assertClose(
    sn.layers.dropout({ rate: 0 }).apply(x, { training: true }),
    x.arraySync() as number[][],
    0,
  );
});

test('dropout: gradient (fixed seed) matches finite differences, and equals the scaled mask', () => {
  const f = (t: sn.Tensor) =>
    sn.layers.dropout({ rate: 0.4, seed: 9 }).apply(t, { training: true });
  const input = smooth([3, 4]);
  sn.testing.gradCheck(f, [input]);
  const [g] = sn.grads((t: sn.Tensor) => sn.sum(f(t)))([input]);
  const mask = Array.from(f(sn.onesLike(input)).dataSync()); // 0 or 1/0.6 per position
  assertClose(g!, mask, 1e-12);
});

test('dropout: bad rate, seed or noiseShape is a ConfigError', () => {
  for (const rate of [-0.1, 1, 1.5, Number.NaN, '0.5', undefined]) {
    assert.throws(
      () => sn.layers.dropout({ rate } as unknown as sn.layers.DropoutOptions),
      (e: Error) =>
        e instanceof sn.ConfigError &&
        /Dropout '.*': rate must be a number in \[0, 1\)/.test(e.message),
    );
  }
  assert.throws(
    () => sn.layers.dropout({ rate: 0.5, seed: 1.5 }),
    (e: Error) => e instanceof sn.ConfigError && /seed/.test(e.message),
  );
  assert.throws(
    () => sn.layers.dropout({ rate: 0.5, noiseShape: [null, 0] }),
    (e: Error) => e instanceof sn.ConfigError && /noiseShape/.test(e.message),
  );
  assert.throws(
    () =>
      sn.layers.dropout({ rate: 0.5, noiseShape: [1], name: 'dr' }).apply(x, { training: true }),
    (e: Error) =>
      e instanceof sn.ConfigError && /Dropout 'dr'/.test(e.message) && /rank 2/.test(e.message),
  );
  assert.throws(
    () => sn.layers.dropout({ rate: 0.5, noiseShape: [null, 2] }).apply(x, { training: true }),
    (e: Error) =>
      e instanceof sn.ConfigError &&
      /does not broadcast/.test(e.message) &&
      /\[2, 3\]/.test(e.message),
  );
});

test('dropout: getConfig → JSON → fromConfig round trip (same seed, same masks)', () => {
  const layer = sn.layers.dropout({ rate: 0.25, seed: 4, noiseShape: [null, 3], name: 'drop_rt' });
  const config = JSON.parse(JSON.stringify(layer.getConfig()));
  assert.deepEqual(
    { rate: config.rate, seed: config.seed, noiseShape: config.noiseShape },
    { rate: 0.25, seed: 4, noiseShape: [null, 3] },
  );
  const copy = sn.layers.Dropout.fromConfig(config);
  assert.deepEqual(copy.getConfig(), layer.getConfig());
  const ones = sn.ones([8, 3]);
  assert.deepEqual(
    copy.apply(ones, { training: true }).arraySync(),
    layer.apply(ones, { training: true }).arraySync(),
  );
  const plain = sn.layers.dropout({ rate: 0.1 }).getConfig();
  const unseeded = sn.layers.Dropout.fromConfig(JSON.parse(JSON.stringify(plain)));
  assert.ok(unseeded instanceof sn.layers.Dropout);
  assert.equal(unseeded.seed, undefined);
});

test('dropout: getRandomState/setRandomState save and restore the seeded generator', () => {
  const layer = sn.layers.dropout({ rate: 0.5, seed: 9 });
  // Oracle: the layer draws one float per unit from Random(9); after 6 draws its state is
  // that of a Random(9) that drew 6 floats.
  const oracle = new sn.Random(9);
  assert.deepEqual(layer.getRandomState(), oracle.getState());
  layer.apply(x, { training: true });
  for (let i = 0; i < 6; i++) oracle.nextFloat();
  assert.deepEqual(layer.getRandomState(), oracle.getState());
  // A fresh layer given that state draws the next mask, not the first one again.
  const saved = layer.getRandomState()!;
  const next = layer.apply(x, { training: true }).dataSync();
  const other = sn.layers.dropout({ rate: 0.5, seed: 9 });
  other.setRandomState(saved);
  assert.deepEqual(other.apply(x, { training: true }).dataSync(), next);
  // Without a seed there is no own generator (the global one is checkpointed instead).
  const unseeded = sn.layers.dropout({ rate: 0.5 });
  assert.equal(unseeded.getRandomState(), undefined);
  assert.throws(() => unseeded.setRandomState(saved), /setRandomState needs a layer with a seed/);
});
