import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../index.js';
import { assertClose, lcg, smooth } from '../../test/helpers.js';

await tf.setBackend('cpu');

/** Positive values, so output / input reads the mask. */
const values = (n: number) => Array.from(lcg(n, 11, 0.5, 1.5));

/**
 * Checks that output / input is, for every entry of `maskShape`, one constant (0 or
 * 1/(1 − rate)) over the broadcast axes; returns the fraction of mask entries dropped.
 */
function maskOf(
  x: number[],
  y: ArrayLike<number>,
  shape: number[],
  maskShape: number[],
  rate: number,
): number {
  const masks = new Map<number, number>();
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const mStrides = maskShape.map((_, i) => maskShape.slice(i + 1).reduce((a, b) => a * b, 1));
  for (let i = 0; i < x.length; i++) {
    const index = strides.map((s, d) => Math.floor(i / s) % shape[d]!);
    const m = index.reduce((o, k, d) => o + (maskShape[d] === 1 ? 0 : k) * mStrides[d]!, 0);
    const ratio = y[i]! / x[i]!;
    assert.ok(
      Math.abs(ratio) < 1e-6 || Math.abs(ratio - 1 / (1 - rate)) < 1e-5,
      `element ${i}: ratio ${ratio} is neither 0 nor 1/(1 − rate)`,
    );
    const kept = ratio > 0.5 ? 1 : 0;
    if (masks.has(m)) assert.equal(masks.get(m), kept, `element ${i} breaks its channel's mask`);
    masks.set(m, kept);
  }
  const dropped = [...masks.values()].filter((k) => k === 0).length;
  return dropped / masks.size;
}

test('spatialDropout1d: identity at inference, as tfjs', () => {
  const x = values(2 * 3 * 4);
  const layer = sn.layers.spatialDropout1d({ rate: 0.5 });
  assertClose(layer.apply(sn.tensor(x, [2, 3, 4])), x, 0);
  const theirs = tf.layers.spatialDropout1d({ rate: 0.5 }).apply(tf.tensor(x, [2, 3, 4]));
  assertClose(
    layer.apply(sn.tensor(x, [2, 3, 4]), { training: false }),
    Array.from((theirs as tf.Tensor).dataSync()),
    0,
  );
});

test('spatialDropout1d: in training whole channels are zeroed and the rest scaled by 1/(1 − rate), as tfjs', () => {
  const shape = [8, 5, 16];
  const x = values(8 * 5 * 16);
  const rate = 0.5;
  const ours = sn.layers
    .spatialDropout1d({ rate, seed: 3 })
    .apply(sn.tensor(x, shape), { training: true });
  const theirs = tf.layers
    .spatialDropout1d({ rate })
    .apply(tf.tensor(x, shape), { training: true }) as tf.Tensor;
  // 128 (sample, channel) pairs: the dropped fraction has standard error 0.044.
  for (const y of [ours.dataSync(), theirs.dataSync()]) {
    const dropped = maskOf(x, y, shape, [8, 1, 16], rate);
    assert.ok(dropped > 0.3 && dropped < 0.7, `dropped ${dropped}`);
  }
});

test('spatialDropout2d: one mask entry per (sample, channel), channels last or first', () => {
  const rate = 0.4;
  const cases: [sn.layers.SpatialDropout2DOptions['dataFormat'], number[], number[]][] = [
    [undefined, [6, 3, 4, 10], [6, 1, 1, 10]],
    ['channelsLast', [6, 3, 4, 10], [6, 1, 1, 10]],
    ['channelsFirst', [6, 10, 3, 4], [6, 10, 1, 1]],
    ['channels_first', [6, 10, 3, 4], [6, 10, 1, 1]],
  ];
  for (const [dataFormat, shape, maskShape] of cases) {
    const x = values(720);
    const layer = sn.layers.spatialDropout2d({ rate, seed: 5, ...(dataFormat && { dataFormat }) });
    assertClose(layer.apply(sn.tensor(x, shape)), x, 0);
    const y = layer.apply(sn.tensor(x, shape), { training: true }).dataSync();
    const dropped = maskOf(x, y, shape, maskShape, rate);
    // 60 pairs: standard error 0.063.
    assert.ok(dropped > 0.15 && dropped < 0.65, `${dataFormat}: dropped ${dropped}`);
  }
  assert.equal(
    sn.layers.spatialDropout2d({ rate, dataFormat: 'channelsFirst' }).getConfig().dataFormat,
    'channels_first',
  );
});

test('spatial dropout: a seed repeats the masks; the random state replays them; calls draw anew', () => {
  const x = sn.tensor(values(4 * 3 * 8), [4, 3, 8]);
  const run = () => {
    const layer = sn.layers.spatialDropout1d({ rate: 0.5, seed: 9 });
    return [0, 1].map(() => Array.from(layer.apply(x, { training: true }).dataSync()));
  };
  const a = run();
  assert.deepEqual(run(), a);
  assert.notDeepEqual(a[0], a[1]);
  const layer = sn.layers.spatialDropout2d({ rate: 0.5, seed: 9 });
  const img = sn.reshape(x, [4, 3, 2, 4]);
  const state = layer.getRandomState()!;
  const first = Array.from(layer.apply(img, { training: true }).dataSync());
  layer.setRandomState(state);
  assert.deepEqual(Array.from(layer.apply(img, { training: true }).dataSync()), first);
  assert.equal(sn.layers.spatialDropout1d({ rate: 0.5 }).getRandomState(), undefined);
  assert.throws(
    () => sn.layers.spatialDropout1d({ rate: 0.5 }).setRandomState(state),
    sn.ConfigError,
  );
});

test('spatial dropout: the gradient is the mask (finite differences, fixed seed)', () => {
  const f = (t: sn.Tensor) =>
    sn.layers.spatialDropout1d({ rate: 0.5, seed: 1 }).apply(t, { training: true });
  sn.testing.gradCheck(f, [smooth([3, 2, 4])]);
  const g = (t: sn.Tensor) =>
    sn.layers.spatialDropout2d({ rate: 0.3, seed: 2 }).apply(t, { training: true });
  sn.testing.gradCheck(g, [smooth([2, 2, 2, 3])]);
});

test('spatial dropout: bad options and input ranks are typed errors naming the layer', () => {
  for (const rate of [1, -0.1, '0.5', undefined, Number.NaN]) {
    assert.throws(
      () => sn.layers.spatialDropout1d({ rate } as unknown as sn.layers.SpatialDropout1DOptions),
      (e: Error) =>
        e instanceof sn.ConfigError &&
        /SpatialDropout1D '.*': rate must be a finite number in \[0, 1\)/.test(e.message),
    );
  }
  assert.throws(
    () => sn.layers.spatialDropout2d({ rate: 0.5, seed: 1.5 }),
    (e: Error) =>
      e instanceof sn.ConfigError &&
      /SpatialDropout2D '.*': seed must be an integer/.test(e.message),
  );
  assert.throws(
    () => sn.layers.spatialDropout2d({ rate: 0.5, dataFormat: 'NHWC' as 'channelsLast' }),
    (e: Error) =>
      e instanceof sn.ConfigError &&
      /dataFormat must be 'channelsLast' or 'channelsFirst'.*"NHWC"/.test(e.message),
  );
  assert.throws(
    () => sn.layers.spatialDropout1d({ rate: 0.5 }).apply(sn.ones([2, 3])),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      /SpatialDropout1D '.*' expected input of rank 3, received shape \[(null|2), 3\]/.test(
        e.message,
      ),
  );
  assert.throws(
    () => sn.layers.spatialDropout2d({ rate: 0.5 }).apply(sn.ones([2, 3, 4])),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      /SpatialDropout2D '.*' expected input of rank 4/.test(e.message),
  );
});
