import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../index.js';
import { assertClose } from '../../test/helpers.js';
import * as losses from './index.js';

// TensorFlow.js parity on the same random inputs. tfjs reduces its tf.losses.* differently
// from Keras, so the comparison is on per-sample values (tf.metrics.* return them, and
// tf.losses.* with Reduction.NONE return per-element values averaged here over the last axis).

const B = 6;
const C = 4;
const rng = new sn.Random(7);
const uniform = (n: number, lo = 0, hi = 1) =>
  Array.from({ length: n }, () => lo + (hi - lo) * rng.nextFloat());

function rows(values: number[]): number[][] {
  return Array.from({ length: B }, (_, i) => values.slice(i * C, (i + 1) * C));
}

const probs = rows(uniform(B * C, 0.02, 0.98));
const logits = rows(uniform(B * C, -4, 4));
const binary = rows(uniform(B * C).map((u) => (u < 0.5 ? 0 : 1)));
const labels = Array.from({ length: B }, (_, i) => (i * 3) % C);
const oneHot = labels.map((l) => Array.from({ length: C }, (_, j) => (j === l ? 1 : 0)));
const softmaxRows = probs.map((r) => {
  const s = r.reduce((a, b) => a + b, 0);
  return r.map((v) => v / s);
});
const real = rows(uniform(B * C, -2, 2));

/** A tfjs tensor's values as a flat array. */
function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

/** tfjs per-element values → mean over the last axis. */
function meanRows(t: tf.Tensor): number[] {
  return values(tf.mean(t, -1));
}

test('tfjs parity setup', async () => {
  await tf.setBackend('cpu');
  assert.equal(tf.getBackend(), 'cpu');
});

test('mse, mae, binary and categorical crossentropy, cosine = tf.metrics per-sample values', () => {
  const cases: [losses.Loss, number[][], number[][], (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] =
    [
      [losses.meanSquaredError(), real, probs, tf.metrics.meanSquaredError],
      [losses.meanAbsoluteError(), real, probs, tf.metrics.meanAbsoluteError],
      [losses.binaryCrossentropy(), binary, probs, tf.metrics.binaryCrossentropy],
      [losses.categoricalCrossentropy(), oneHot, softmaxRows, tf.metrics.categoricalCrossentropy],
      [losses.categoricalCrossentropy(), oneHot, probs, tf.metrics.categoricalCrossentropy],
      [losses.cosineSimilarity(), real, logits, tf.metrics.cosineProximity],
    ];
  for (const [loss, t, p, oracle] of cases) {
    const want = values(oracle(tf.tensor(t), tf.tensor(p)));
    assertClose(loss.call(sn.tensor(t), sn.tensor(p)), want, 1e-5, [B]);
  }
});

test('sparse categorical crossentropy = tfjs categorical crossentropy of one-hot labels', () => {
  const want = values(
    tf.metrics.categoricalCrossentropy(tf.tensor(oneHot), tf.tensor(softmaxRows)),
  );
  assertClose(
    losses.sparseCategoricalCrossentropy().call(sn.tensor(labels), sn.tensor(softmaxRows)),
    want,
    1e-5,
  );
  assertClose(
    losses
      .sparseCategoricalCrossentropy()
      .call(sn.tensor(labels, undefined, 'int32'), sn.tensor(softmaxRows)),
    want,
    1e-5,
  );
});

test('fromLogits and label smoothing = tf.losses.sigmoidCrossEntropy / softmaxCrossEntropy', () => {
  const none = tf.Reduction.NONE;
  for (const s of [0, 0.1]) {
    // sigmoidCrossEntropy: per element, smoothing y(1−s) + s/2 as Keras
    const sig = tf.losses.sigmoidCrossEntropy(
      tf.tensor(binary),
      tf.tensor(logits),
      undefined,
      s,
      none,
    );
    assertClose(
      losses
        .binaryCrossentropy({ fromLogits: true, labelSmoothing: s })
        .call(sn.tensor(binary), sn.tensor(logits)),
      meanRows(sig),
      1e-5,
    );
    // softmaxCrossEntropy: per sample, smoothing y(1−s) + s/numClasses as Keras
    const soft = tf.losses.softmaxCrossEntropy(
      tf.tensor(oneHot),
      tf.tensor(logits),
      undefined,
      s,
      none,
    );
    assertClose(
      losses
        .categoricalCrossentropy({ fromLogits: true, labelSmoothing: s })
        .call(sn.tensor(oneHot), sn.tensor(logits)),
      values(soft),
      1e-5,
    );
  }
});

test('huber = tf.losses.huberLoss per element, averaged over the last axis', () => {
  for (const delta of [1, 0.5]) {
    const want = meanRows(
      tf.losses.huberLoss(tf.tensor(real), tf.tensor(logits), undefined, delta, tf.Reduction.NONE),
    );
    assertClose(losses.huber({ delta }).call(sn.tensor(real), sn.tensor(logits)), want, 1e-5);
  }
});

test('hinge = tf.losses.hingeLoss (which maps {0,1} labels to {−1,1}) averaged over the last axis', () => {
  const want = meanRows(
    tf.losses.hingeLoss(tf.tensor(binary), tf.tensor(logits), undefined, tf.Reduction.NONE),
  );
  assertClose(losses.hinge().call(sn.tensor(binary), sn.tensor(logits)), want, 1e-5);
});

test('kld: tfjs has no public KL loss; Keras 3 formula computed here on distributions', () => {
  // Σ y·log(y/p) per row, with y, p > 1e-7 so the clipping does not matter.
  const want = softmaxRows.map((y, i) => {
    const p = probs[i]!;
    const sp = p.reduce((a, b) => a + b, 0);
    return y.reduce((s, yj, j) => s + yj * Math.log(yj / (p[j]! / sp)), 0);
  });
  const p = probs.map((r) => {
    const sp = r.reduce((a, b) => a + b, 0);
    return r.map((v) => v / sp);
  });
  assertClose(losses.kld().call(sn.tensor(softmaxRows), sn.tensor(p)), want, 1e-5);
});

/**
 * Per-sample values of a tfjs loss that tfjs exposes only by name (tfjs-layers' losses map,
 * used by compile): a one-layer identity tfjs model compiled with it, evaluated one sample
 * at a time.
 */
function tfjsLossByName(name: string, t: number[][], p: number[][]): number[] {
  const model = tf.sequential({
    layers: [tf.layers.activation({ activation: 'linear', inputShape: [C] })],
  });
  model.compile({ optimizer: 'sgd', loss: name });
  return t.map((row, i) => {
    const value = model.evaluate(tf.tensor([p[i]!]), tf.tensor([row])) as tf.Scalar;
    return value.dataSync()[0]!;
  });
}

const counts = rows(uniform(B * C).map((u) => Math.floor(u * 4)));
const rates = rows(uniform(B * C, 0, 3));

test('mape = tf.metrics.meanAbsolutePercentageError per sample, also by the name tfjs compiles', () => {
  for (const [t, p] of [
    [real, logits],
    [probs, real],
  ] as const) {
    const want = values(tf.metrics.meanAbsolutePercentageError(tf.tensor(t), tf.tensor(p)));
    assertClose(losses.meanAbsolutePercentageError().call(sn.tensor(t), sn.tensor(p)), want, 1e-5);
  }
  assertClose(
    losses.getLoss('mape').call(sn.tensor(probs), sn.tensor(real)),
    tfjsLossByName('meanAbsolutePercentageError', probs, real),
    1e-5,
  );
});

test('msle, logcosh, poisson = tfjs losses of the same names, per sample', () => {
  // msle on real values of both signs (negatives are floored at 1e-7 in both libraries)
  const cases: [string, string, number[][], number[][]][] = [
    ['mean_squared_logarithmic_error', 'meanSquaredLogarithmicError', real, logits],
    ['msle', 'meanSquaredLogarithmicError', probs, rates],
    ['log_cosh', 'logcosh', real, logits],
    ['poisson', 'poisson', counts, rates],
    ['poisson', 'poisson', binary, probs],
  ];
  for (const [ours, theirs, t, p] of cases) {
    const want = tfjsLossByName(theirs, t, p);
    assertClose(losses.getLoss(ours).call(sn.tensor(t), sn.tensor(p)), want, 1e-5, [B]);
  }
});
