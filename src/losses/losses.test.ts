import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { assertClose } from '../../test/helpers.js';
import * as losses from './index.js';

// The worked 2×3 example used throughout (one-hot labels for classes 1 and 2):
//   yTrue = [[0, 1, 0], [0, 0, 1]]     yPred = [[0.1, 0.8, 0.1], [0.2, 0.3, 0.5]]
const T = [
  [0, 1, 0],
  [0, 0, 1],
];
const P = [
  [0.1, 0.8, 0.1],
  [0.2, 0.3, 0.5],
];
const yTrue = sn.tensor(T);
const yPred = sn.tensor(P);

/** Per-sample values of `loss` on the worked example. */
function perSample(loss: losses.Loss, t = yTrue, p = yPred): sn.Tensor {
  return loss.call(t, p);
}

test('meanSquaredError: mean of squared errors over the last axis (hand values)', () => {
  // row 0: (0.1² + 0.2² + 0.1²)/3 = 0.06/3 = 0.02; row 1: (0.2² + 0.3² + 0.5²)/3 = 0.38/3
  assertClose(perSample(losses.meanSquaredError()), [0.02, 0.38 / 3], 1e-6, [2]);
  // batch loss: (0.02 + 0.126667)/2 = 0.073333
  assertClose(losses.computeLoss(losses.meanSquaredError(), yTrue, yPred), (0.02 + 0.38 / 3) / 2);
});

test('meanAbsoluteError: mean of |errors| over the last axis (hand values)', () => {
  // row 0: (0.1 + 0.2 + 0.1)/3 = 0.4/3; row 1: (0.2 + 0.3 + 0.5)/3 = 1/3
  assertClose(perSample(losses.meanAbsoluteError()), [0.4 / 3, 1 / 3], 1e-6, [2]);
});

test('categoricalCrossentropy and sparse: −log p of the true class (hand values)', () => {
  // row 0: −log 0.8 = 0.2231436; row 1: −log 0.5 = 0.6931472
  const want = [0.2231436, 0.6931472];
  assertClose(perSample(losses.categoricalCrossentropy()), want, 1e-6, [2]);
  assertClose(
    perSample(losses.sparseCategoricalCrossentropy(), sn.tensor([1, 2])),
    want,
    1e-6,
    [2],
  );
  // labels as int32 and as a [batch, 1] column give the same
  assertClose(
    perSample(losses.sparseCategoricalCrossentropy(), sn.tensor([[1], [2]], undefined, 'int32')),
    want,
    1e-6,
    [2],
  );
});

test('categoricalCrossentropy rescales probabilities that do not sum to 1 (as Keras)', () => {
  // [0.2, 1.6, 0.2] sums to 2: rescaled to [0.1, 0.8, 0.1], so the loss is −log 0.8
  const p = sn.tensor([[0.2, 1.6, 0.2]]);
  assertClose(losses.categoricalCrossentropy().call(sn.tensor([[0, 1, 0]]), p), [-Math.log(0.8)]);
});

test('binaryCrossentropy: −[y log p + (1−y) log(1−p)], mean over the last axis (hand values)', () => {
  // row 0: −[log 0.9 + log 0.8 + log 0.9]/3 = (0.1053605 + 0.2231436 + 0.1053605)/3 = 0.1446215
  // row 1: −[log 0.8 + log 0.7 + log 0.5]/3 = (0.2231436 + 0.3566749 + 0.6931472)/3 = 0.4243219
  assertClose(perSample(losses.binaryCrossentropy()), [0.1446215, 0.4243219], 1e-6, [2]);
});

test('huber: ½e² inside delta, delta·|e| − ½delta² outside (hand values)', () => {
  // delta 1: every |e| <= 1, so ½·mse: row 0 0.01, row 1 0.38/6
  assertClose(perSample(losses.huber()), [0.01, 0.38 / 6], 1e-6, [2]);
  // delta 0.25: row 0 |e| = 0.1, 0.2, 0.1 all inside: (0.005 + 0.02 + 0.005)/3 = 0.01
  // row 1: |e| 0.2 inside → 0.02; 0.3 → 0.25·0.3 − 0.03125 = 0.04375; 0.5 → 0.125 − 0.03125
  // = 0.09375; mean (0.02 + 0.04375 + 0.09375)/3 = 0.0525
  assertClose(perSample(losses.huber({ delta: 0.25 })), [0.01, 0.0525], 1e-6, [2]);
});

test('kld: Σ y·log(y/p) with y and p clipped to [1e-7, 1] (formula)', () => {
  // row 0 ≈ log(1/0.8) = 0.22314 plus two tiny terms 1e-7·log(1e-7/p) from the zero labels
  const eps = 1e-7;
  const want = T.map((row, i) =>
    row.reduce((s, y, j) => {
      const yc = Math.max(y, eps);
      return s + yc * Math.log(yc / Math.max(P[i]![j]!, eps));
    }, 0),
  );
  assertClose(perSample(losses.kld()), want, 1e-6, [2]);
  assert.ok(Math.abs(want[0]! - 0.2231436) < 1e-5);
});

test('cosineSimilarity: −cos(yTrue, yPred) along the axis (hand values)', () => {
  // row 0: 0.8 / (1·√0.66) = 0.984732; row 1: 0.5 / √0.38 = 0.811107
  assertClose(
    perSample(losses.cosineSimilarity()),
    [-0.8 / Math.sqrt(0.66), -0.5 / Math.sqrt(0.38)],
    1e-6,
    [2],
  );
  // a zero vector gives 0, not NaN
  assertClose(losses.cosineSimilarity().call(sn.tensor([[0, 0]]), sn.tensor([[1, 2]])), [0]);
  // axis 0: columns [0, 0] · [0.1, 0.2] = 0 (zero label vector), [1, 0]·[0.8, 0.3] → 0.8/√0.73, [0, 1]·[0.1, 0.5] → 0.5/√0.26
  assertClose(losses.cosineSimilarity({ axis: 0 }).call(yTrue, yPred), [
    0,
    -0.8 / Math.sqrt(0.73),
    -0.5 / Math.sqrt(0.26),
  ]);
});

test('hinge: {0,1} labels become {−1,1}; mean(max(1 − y·p, 0)) (hand values)', () => {
  // row 0: y = [−1, 1, −1]: 1 − y·p = [1.1, 0.2, 1.1] → 2.4/3 = 0.8
  // row 1: y = [−1, −1, 1]: [1.2, 1.3, 0.5] → 3/3 = 1
  assertClose(perSample(losses.hinge()), [0.8, 1], 1e-6, [2]);
  // labels already in {−1, 1} are used as they are: same values
  const pm = sn.tensor(T.map((r) => r.map((v) => 2 * v - 1)));
  assertClose(perSample(losses.hinge(), pm), [0.8, 1], 1e-6, [2]);
});

test('meanAbsolutePercentageError: 100·mean(|t − p| / max(|t|, 1e-7)) (hand values)', () => {
  const mape = losses.meanAbsolutePercentageError();
  // |2 − 1|/2 = 0.5, |−4 + 3|/4 = 0.25, |0.5 − 1|/0.5 = 1: 100·1.75/3
  assertClose(mape.call(sn.tensor([[2, -4, 0.5]]), sn.tensor([[1, -3, 1]])), [175 / 3], 1e-6, [1]);
  // a zero target divides by 1e-7: |0 − 0.5| / 1e-7 · 100 = 5e8, huge but finite
  assertClose(mape.call(sn.tensor([[0]]), sn.tensor([[0.5]])), [5e8], 1e-6);
});

test('meanSquaredLogarithmicError: mean((log1p(p) − log1p(t))²), values floored at 1e-7', () => {
  const msle = losses.meanSquaredLogarithmicError();
  // p = [1, 1, 7], t = [0, 1, 3]: differences ln 2 − log1p(1e-7), 0, ln 8 − ln 4 = ln 2
  const d0 = Math.LN2 - Math.log1p(1e-7);
  assertClose(
    msle.call(sn.tensor([[0, 1, 3]]), sn.tensor([[1, 1, 7]])),
    [(d0 * d0 + Math.LN2 ** 2) / 3],
    1e-6,
    [1],
  );
  // negative values count as 1e-7 on both sides: no loss, and no gradient for yPred
  assertClose(msle.call(sn.tensor([[0]]), sn.tensor([[-5]])), [0], 0);
  const g = sn.grad((p: sn.Tensor) => losses.computeLoss(msle, sn.tensor([[1]]), p))(
    sn.tensor([[-5]]),
  );
  assertClose(g, [0], 0);
});

test('logcosh: mean(log cosh(p − t)), finite for large errors (hand values)', () => {
  // Keras's docstring example: rows [0, 1]/[1, 1] and [0, 0]/[0, 0]: log cosh(1)/2 and 0,
  // batch loss 0.108
  const t = sn.tensor([
    [0, 1],
    [0, 0],
  ]);
  const p = sn.tensor([
    [1, 1],
    [0, 0],
  ]);
  const half = Math.log(Math.cosh(1)) / 2;
  assertClose(losses.logcosh().call(t, p), [half, 0], 1e-6, [2]);
  assertClose(losses.computeLoss(losses.logcosh(), t, p), half / 2, 1e-6);
  // cosh(100) overflows float32; log cosh(±100) = 100 − log 2
  assertClose(
    losses.logcosh().call(sn.tensor([[0, 0]]), sn.tensor([[100, -100]])),
    [100 - Math.LN2],
    1e-6,
  );
});

test('poisson: mean(p − t·log(p + 1e-7)) (hand values)', () => {
  // t = [1, 0, 2], p = [1, 0.5, e]: 1 − log(1 + 1e-7), 0.5, e − 2·log(e + 1e-7) ≈ e − 2
  const want = (1 - Math.log(1 + 1e-7) + 0.5 + Math.E - 2 * Math.log(Math.E + 1e-7)) / 3;
  assertClose(
    losses.poisson().call(sn.tensor([[1, 0, 2]]), sn.tensor([[1, 0.5, Math.E]])),
    [want],
    1e-6,
    [1],
  );
  // a zero rate for a count of 1: −log(1e-7) = 16.118, finite
  assertClose(losses.poisson().call(sn.tensor([[1]]), sn.tensor([[0]])), [-Math.log(1e-7)], 1e-5);
});

test('computeLoss: Σ(loss·weight) / batch size, not / Σ weights (Keras 3)', () => {
  const mse = losses.meanSquaredError();
  // per-sample 0.02 and 0.126667; weights [1, 0.5]: (0.02 + 0.0633333)/2 = 0.0416667
  const w = sn.tensor([1, 0.5]);
  assertClose(losses.computeLoss(mse, yTrue, yPred, w), (0.02 + 0.5 * (0.38 / 3)) / 2);
  // weights as a [batch, 1] column and a scalar
  assertClose(
    losses.computeLoss(mse, yTrue, yPred, sn.tensor([[1], [0.5]])),
    (0.02 + 0.5 * (0.38 / 3)) / 2,
  );
  assertClose(losses.computeLoss(mse, yTrue, yPred, sn.scalar(2)), 0.02 + 0.38 / 3);
  // weight 0 on one sample halves the loss rather than dropping the sample from the mean
  assertClose(losses.computeLoss(mse, yTrue, yPred, sn.tensor([1, 0])), 0.02 / 2);
  assert.deepEqual(losses.computeLoss(mse, yTrue, yPred).shape, []);
});

test('computeLoss: rank-3 outputs reduce over the last axis, then over batch and time', () => {
  // [batch 2, time 2, 1]: per-sample losses have shape [2, 2]; one weight per sample
  // broadcasts over time: squared errors 1, 4 | 9, 16, weights 1 and 0.5:
  // (1 + 4 + 0.5·9 + 0.5·16) / 4 = 17.5 / 4
  const t = sn.zeros([2, 2, 1]);
  const p = sn.tensor([
    [[1], [2]],
    [[3], [4]],
  ]);
  const values = losses.meanSquaredError().call(t, p);
  assert.deepEqual(values.shape, [2, 2]);
  assertClose(losses.computeLoss(losses.meanSquaredError(), t, p, sn.tensor([1, 0.5])), 17.5 / 4);
});

test('a trailing axis of length 1 may be missing on one side (labels [batch] vs output [batch, 1])', () => {
  const p = sn.tensor([[0.5], [2]]);
  // squared errors (1 − 0.5)² = 0.25 and (0 − 2)² = 4, one per sample
  assertClose(losses.meanSquaredError().call(sn.tensor([1, 0]), p), [0.25, 4], 1e-6, [2]);
  assertClose(
    losses.meanSquaredError().call(sn.tensor([[1], [0]]), sn.tensor([0.5, 2])),
    [0.25, 4],
  );
});

test('fromLogits agrees with probabilities: binary (sigmoid) and categorical (softmax)', () => {
  const logits = sn.tensor([
    [2, -1, 0.5],
    [-3, 0.2, 1.5],
  ]);
  const bin = sn.tensor([
    [1, 0, 1],
    [0, 0, 1],
  ]);
  for (const s of [0, 0.2]) {
    assertClose(
      losses.binaryCrossentropy({ fromLogits: true, labelSmoothing: s }).call(bin, logits),
      Array.from(
        losses.binaryCrossentropy({ labelSmoothing: s }).call(bin, sn.sigmoid(logits)).dataSync(),
      ),
      1e-5,
    );
    assertClose(
      losses.categoricalCrossentropy({ fromLogits: true, labelSmoothing: s }).call(yTrue, logits),
      Array.from(
        losses
          .categoricalCrossentropy({ labelSmoothing: s })
          .call(yTrue, sn.softmax(logits))
          .dataSync(),
      ),
      1e-5,
    );
  }
  assertClose(
    losses.sparseCategoricalCrossentropy({ fromLogits: true }).call(sn.tensor([1, 2]), logits),
    Array.from(losses.categoricalCrossentropy({ fromLogits: true }).call(yTrue, logits).dataSync()),
    1e-6,
  );
});

test('label smoothing: binary y(1−s) + s/2, categorical y(1−s) + s/numClasses (formula)', () => {
  const s = 0.1;
  // binary, row 0: labels [0, 1, 0] → [0.05, 0.95, 0.05]
  const bce = (y: number, p: number) => -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
  const wantB = T.map(
    (row, i) => row.reduce((acc, y, j) => acc + bce(y * (1 - s) + s / 2, P[i]![j]!), 0) / 3,
  );
  assertClose(losses.binaryCrossentropy({ labelSmoothing: s }).call(yTrue, yPred), wantB);
  // categorical, row 0: labels → [1/30, 0.9 + 1/30, 1/30]
  const wantC = T.map((row, i) =>
    row.reduce((acc, y, j) => acc - (y * (1 - s) + s / 3) * Math.log(P[i]![j]!), 0),
  );
  assertClose(losses.categoricalCrossentropy({ labelSmoothing: s }).call(yTrue, yPred), wantC);
});

test('extreme inputs stay finite: probabilities 0 and 1, logits ±100', () => {
  const t = sn.tensor([
    [1, 0],
    [0, 1],
  ]);
  const hard = sn.tensor([
    [0, 1],
    [0, 1],
  ]);
  const eps = 1e-7;
  // bce row 0: both elements are wrong: p = 0 for label 1 is clipped to 1e-7 (−log 1e-7 =
  // 16.118); p = 1 for label 0 is clipped to 1 − 1e-7, which float32 rounds to 1 − 1.19e-7, so
  // −log(1 − (1 − 1.19e-7)) = 15.942; mean 16.030. Row 1 is right: −log(1 − 1.19e-7) ≈ 1.2e-7.
  const top = Math.fround(1 - eps);
  assertClose(
    losses.binaryCrossentropy().call(t, hard),
    [(-Math.log(eps) - Math.log(1 - top)) / 2, -Math.log(top)],
    1e-5,
  );
  // cce row 0: the true class has p = 0 → clipped to 1e-7: −log(1e-7)
  assertClose(losses.categoricalCrossentropy().call(t, hard), [-Math.log(eps), 0], 1e-5);
  assertClose(losses.kld().call(t, hard), [-Math.log(eps), 0], 1e-4);
  const logits = sn.tensor([
    [100, -100],
    [-100, 100],
  ]);
  // binary from logits: softplus(x) − x·y: row 0: softplus(100) − 100 = 0 and softplus(−100) ≈ 0;
  // row 1: softplus(−100) − 0 ≈ 0, softplus(100) − 100 ≈ 0. Wrong-way logits cost 100 each.
  assertClose(losses.binaryCrossentropy({ fromLogits: true }).call(t, logits), [0, 0], 1e-6);
  assertClose(
    losses.binaryCrossentropy({ fromLogits: true }).call(sn.sub(1, t), logits),
    [100, 100],
    1e-4,
  );
  // categorical from logits: −logSoftmax: the wrong class costs 200
  assertClose(losses.categoricalCrossentropy({ fromLogits: true }).call(t, logits), [0, 0], 1e-6);
  assertClose(
    losses.sparseCategoricalCrossentropy({ fromLogits: true }).call(sn.tensor([1, 0]), logits),
    [200, 200],
    1e-4,
  );
  // gradients are finite too
  for (const loss of [
    losses.binaryCrossentropy({ fromLogits: true }),
    losses.categoricalCrossentropy({ fromLogits: true }),
  ]) {
    const g = sn.grad((x: sn.Tensor) => losses.computeLoss(loss, t, x))(logits);
    assert.ok(
      Array.from(g.dataSync()).every(Number.isFinite),
      `${loss.name}: gradient ${g.dataSync()}`,
    );
  }
  for (const loss of [
    losses.binaryCrossentropy(),
    losses.categoricalCrossentropy(),
    losses.kld(),
  ]) {
    const g = sn.grad((x: sn.Tensor) => losses.computeLoss(loss, t, x))(hard);
    assert.ok(
      Array.from(g.dataSync()).every(Number.isFinite),
      `${loss.name}: gradient ${g.dataSync()}`,
    );
  }
});

test('gradients of every loss w.r.t. yPred match finite differences', () => {
  const t = sn.tensor(T, undefined, 'float64');
  const p = sn.tensor(P, undefined, 'float64');
  const logits = sn.tensor(
    [
      [0.3, -1.2, 2],
      [1.1, 0.4, -0.7],
    ],
    undefined,
    'float64',
  );
  const cases: [losses.Loss, sn.Tensor, sn.Tensor][] = [
    [losses.meanSquaredError(), t, p],
    [losses.meanAbsoluteError(), t, p],
    [losses.binaryCrossentropy(), t, p],
    [losses.binaryCrossentropy({ labelSmoothing: 0.1 }), t, p],
    [losses.binaryCrossentropy({ fromLogits: true }), t, logits],
    [losses.categoricalCrossentropy(), t, p],
    [losses.categoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }), t, logits],
    [losses.sparseCategoricalCrossentropy(), sn.tensor([1, 2], undefined, 'int32'), p],
    [losses.sparseCategoricalCrossentropy({ fromLogits: true }), sn.tensor([1, 2]), logits],
    [losses.huber({ delta: 0.25 }), t, p],
    [losses.kld(), t, p],
    [losses.cosineSimilarity(), t, logits],
    [losses.hinge(), t, logits],
    [losses.meanAbsolutePercentageError(), sn.add(t, sn.tensor([0.5, 1.5, 2])), p],
    [losses.meanAbsolutePercentageError(), sn.neg(sn.add(t, 0.3)), logits],
    [losses.meanSquaredLogarithmicError(), t, p],
    [losses.meanSquaredLogarithmicError(), sn.mul(t, 3), sn.mul(p, 5)],
    [losses.logcosh(), t, logits],
    [losses.poisson(), t, p],
    [losses.poisson(), sn.mul(t, 4), sn.mul(p, 3)],
  ];
  for (const [loss, yt, yp] of cases) {
    assert.doesNotThrow(
      () => sn.testing.gradCheck((x) => loss.call(yt, x), [yp]),
      `${loss.name} ${JSON.stringify(loss.getConfig())}`,
    );
    assert.doesNotThrow(() =>
      sn.testing.gradCheck(
        (x, w) => losses.computeLoss(loss, yt, x, w),
        [yp, sn.tensor([0.7, 1.3])],
      ),
    );
  }
});
