import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../index.js';
import * as losses from '../losses/index.js';
import * as metrics from './index.js';

const close = (got: number, want: number, tol = 1e-6, msg = '') =>
  assert.ok(Math.abs(got - want) <= tol, `${msg} got ${got}, expected ${want} (tolerance ${tol})`);

const rng = new sn.Random(11);
const N = 40;
const probs = Array.from({ length: N }, () => rng.nextFloat());
const bits = probs.map((p) => (rng.nextFloat() < 0.3 + 0.4 * p ? 1 : 0));
// float32-exact, so the oracle below uses the very weights the metric reads
const weights = Array.from({ length: N }, () => Math.fround(0.2 + rng.nextFloat()));
const C = 3;
const scores = Array.from({ length: N }, () => Array.from({ length: C }, () => rng.nextFloat()));
const classes = Array.from({ length: N }, () => rng.nextInt(C));
const oneHot = classes.map((c) => Array.from({ length: C }, (_, j) => (j === c ? 1 : 0)));
const targets = Array.from({ length: N }, () => [rng.nextFloat(), rng.nextFloat()]);
const outputs = Array.from({ length: N }, () => [rng.nextFloat(), rng.nextFloat()]);

test('tfjs setup', async () => {
  await tf.setBackend('cpu');
});

test('two updates accumulate as one update on the concatenation, with and without weights', () => {
  const cases: [() => metrics.Metric, unknown[], unknown[]][] = [
    [() => metrics.binaryAccuracy(), bits.map((b) => [b]), probs.map((p) => [p])],
    [() => metrics.categoricalAccuracy(), oneHot, scores],
    [() => metrics.sparseCategoricalAccuracy(), classes, scores],
    [() => metrics.meanSquaredError(), targets, outputs],
    [() => metrics.meanAbsoluteError(), targets, outputs],
    [() => metrics.precision({ thresholds: 0.4 }), bits, probs],
    [() => metrics.recall(), bits, probs],
    [() => metrics.auc(), bits, probs],
    [() => metrics.auc({ curve: 'PR', numThresholds: 50 }), bits, probs],
    [() => metrics.getMetric((t, p) => sn.abs(sn.sub(t, p))), targets, outputs],
  ];
  const cut = 13;
  for (const [make, t, p] of cases) {
    for (const w of [undefined, weights]) {
      const whole = make();
      whole.update(sn.tensor(t as number[]), sn.tensor(p as number[]), w && sn.tensor(w));
      const parts = make();
      parts.update(
        sn.tensor(t.slice(0, cut) as number[]),
        sn.tensor(p.slice(0, cut) as number[]),
        w && sn.tensor(w.slice(0, cut)),
      );
      parts.update(
        sn.tensor(t.slice(cut) as number[]),
        sn.tensor(p.slice(cut) as number[]),
        w && sn.tensor(w.slice(cut)),
      );
      close(parts.result(), whole.result(), 1e-9, `${whole.name} weighted=${!!w}:`);
      // and reset starts again: one update after reset equals a fresh metric's
      parts.reset();
      assert.equal(parts.result(), 0, `${whole.name} after reset`);
      parts.update(sn.tensor(t as number[]), sn.tensor(p as number[]), w && sn.tensor(w));
      close(parts.result(), whole.result(), 1e-9, `${whole.name} after reset:`);
    }
  }
});

test('accuracies, mse and mae: weighted means computed here, and tfjs per-sample values', () => {
  const mean = (v: number[], w?: number[]) => {
    const ws = w ?? v.map(() => 1);
    return v.reduce((s, x, i) => s + x * ws[i]!, 0) / ws.reduce((a, b) => a + b, 0);
  };
  const argmax = (r: number[]) => r.indexOf(Math.max(...r));
  const bin = probs.map((p, i) => ((p > 0.5 ? 1 : 0) === bits[i] ? 1 : 0));
  const cat = scores.map((r, i) => (argmax(r) === classes[i] ? 1 : 0));
  const se = targets.map(
    (t, i) => ((t[0]! - outputs[i]![0]!) ** 2 + (t[1]! - outputs[i]![1]!) ** 2) / 2,
  );
  const ae = targets.map(
    (t, i) => (Math.abs(t[0]! - outputs[i]![0]!) + Math.abs(t[1]! - outputs[i]![1]!)) / 2,
  );
  const check = (m: metrics.Metric, t: unknown, p: unknown, per: number[], oracle?: tf.Tensor) => {
    for (const w of [undefined, weights]) {
      m.reset();
      m.update(sn.tensor(t as number[]), sn.tensor(p as number[]), w && sn.tensor(w));
      close(m.result(), mean(per, w), 1e-6, m.name);
    }
    if (oracle) close(mean(per), mean(Array.from(oracle.dataSync())), 1e-6, `tfjs ${m.name}`);
  };
  const col = (a: number[]) => a.map((v) => [v]);
  check(
    metrics.binaryAccuracy(),
    col(bits),
    col(probs),
    bin,
    tf.metrics.binaryAccuracy(tf.tensor(col(bits)), tf.tensor(col(probs))),
  );
  check(
    metrics.categoricalAccuracy(),
    oneHot,
    scores,
    cat,
    tf.metrics.categoricalAccuracy(tf.tensor(oneHot), tf.tensor(scores)),
  );
  check(
    metrics.sparseCategoricalAccuracy(),
    classes,
    scores,
    cat,
    tf.metrics.sparseCategoricalAccuracy(tf.tensor(classes), tf.tensor(scores)),
  );
  check(
    metrics.meanSquaredError(),
    targets,
    outputs,
    se,
    tf.metrics.meanSquaredError(tf.tensor(targets), tf.tensor(outputs)),
  );
  check(
    metrics.meanAbsoluteError(),
    targets,
    outputs,
    ae,
    tf.metrics.meanAbsoluteError(tf.tensor(targets), tf.tensor(outputs)),
  );
});

test('binary accuracy: threshold is strict, elements averaged per sample (hand values)', () => {
  // sample 0: preds [0.5, 0.7] → [0, 1] vs labels [0, 1]: 2/2; sample 1: [0.2, 0.9] → [0, 1]
  // vs [1, 1]: 1/2; mean 0.75. With weights [1, 3]: (1 + 3·0.5)/4 = 0.625
  const m = metrics.binaryAccuracy();
  const t = sn.tensor([
    [0, 1],
    [1, 1],
  ]);
  const p = sn.tensor([
    [0.5, 0.7],
    [0.2, 0.9],
  ]);
  m.update(t, p);
  close(m.result(), 0.75);
  m.reset();
  m.update(t, p, sn.tensor([1, 3]));
  close(m.result(), 0.625);
  // threshold 0.1: sample 1 becomes [1, 1]: all right
  const low = metrics.binaryAccuracy({ threshold: 0.1 });
  low.update(t, p);
  // sample 0: [1, 1] vs [0, 1] → 1/2; sample 1: 2/2 → 0.75
  close(low.result(), 0.75);
});

test('precision and recall: hand counts, weights, and no positives → 0', () => {
  // labels 1 1 0 0 1, preds 0.9 0.3 0.6 0.2 0.5 at threshold 0.5 (strict):
  // predicted positive: 0.9 (tp), 0.6 (fp); 0.5 is not above 0.5 → tp 1, fp 1, fn 2
  const t = sn.tensor([1, 1, 0, 0, 1]);
  const p = sn.tensor([0.9, 0.3, 0.6, 0.2, 0.5]);
  const prec = metrics.precision();
  const rec = metrics.recall();
  prec.update(t, p);
  rec.update(t, p);
  close(prec.result(), 1 / 2);
  close(rec.result(), 1 / 3);
  // weights 2 1 3 1 1: tp 2, fp 3, fn 1 + 1 = 2 → precision 2/5, recall 2/4
  const w = sn.tensor([2, 1, 3, 1, 1]);
  prec.reset();
  rec.reset();
  prec.update(t, p, w);
  rec.update(t, p, w);
  close(prec.result(), 2 / 5);
  close(rec.result(), 2 / 4);
  // threshold 0.25: positives 0.9 0.3 0.6 0.5 → tp 3, fp 1, fn 0
  const p25 = metrics.precision({ thresholds: 0.25 });
  const r25 = metrics.recall({ thresholds: 0.25 });
  p25.update(t, p);
  r25.update(t, p);
  close(p25.result(), 3 / 4);
  close(r25.result(), 1);
  // nothing predicted positive, no positive labels: 0, not NaN
  const empty = metrics.precision();
  empty.update(sn.tensor([0, 0]), sn.tensor([0.1, 0.2]));
  assert.equal(empty.result(), 0);
});

test('precision and recall agree with tf.metrics on thresholded predictions', () => {
  const hard = probs.map((p) => (p > 0.5 ? 1 : 0));
  const prec = metrics.precision();
  const rec = metrics.recall();
  prec.update(sn.tensor(bits), sn.tensor(probs));
  rec.update(sn.tensor(bits), sn.tensor(probs));
  close(prec.result(), tf.metrics.precision(tf.tensor(bits), tf.tensor(hard)).dataSync()[0]!, 1e-6);
  close(rec.result(), tf.metrics.recall(tf.tensor(bits), tf.tensor(hard)).dataSync()[0]!, 1e-6);
});

test("auc: Keras's worked example (3 thresholds) and sample weights", () => {
  // thresholds [−1e-7, 0.5, 1 + 1e-7]; labels 0 0 1 1, preds 0 0.5 0.3 0.9:
  // tp = [2, 1, 0], fp = [2, 0, 0], fn = [0, 1, 2], tn = [0, 2, 2]
  // tpr = [1, 0.5, 0], fpr = [1, 0, 0]: area = (1 − 0)·(1 + 0.5)/2 + 0 = 0.75
  const m = metrics.auc({ numThresholds: 3 });
  assert.deepEqual(m.thresholds, [-1e-7, 0.5, 1 + 1e-7]);
  m.update(sn.tensor([0, 0, 1, 1]), sn.tensor([0, 0.5, 0.3, 0.9]));
  close(m.result(), 0.75);
  // weights [1, 0, 0, 1] keep only (0, label 0) and (0.9, label 1): perfectly ranked → 1
  m.reset();
  m.update(sn.tensor([0, 0, 1, 1]), sn.tensor([0, 0.5, 0.3, 0.9]), sn.tensor([1, 0, 0, 1]));
  close(m.result(), 1);
});

test('auc PR: Keras interpolation by hand on the same example', () => {
  // tp = [2, 1, 0], fp = [2, 0, 0], fn = [0, 1, 2]; P = tp + fp = [4, 1, 0]
  // bucket 0: dtp 1, dP 3, slope 1/3, intercept 1 − 1/3 = 2/3, P ratio 4/1, positives 2:
  //   (1/3)·(1 + (2/3)·ln 4)/2
  // bucket 1: dtp 1, dP 1, slope 1, intercept 0, P[2] = 0 so ratio 1: 1·(1 + 0)/2 = 0.5
  const m = metrics.auc({ numThresholds: 3, curve: 'PR' });
  m.update(sn.tensor([0, 0, 1, 1]), sn.tensor([0, 0.5, 0.3, 0.9]));
  close(m.result(), ((1 / 3) * (1 + (2 / 3) * Math.log(4))) / 2 + 0.5);
});

test('auc ROC with 200 thresholds is within a few 1e-3 of the exact ROC AUC', () => {
  // exact AUC = P(score of a random positive > score of a random negative) + ½ P(tie)
  const r = new sn.Random(5);
  const n = 400;
  const labels = Array.from({ length: n }, () => (r.nextFloat() < 0.4 ? 1 : 0));
  const scoresN = labels.map((y) =>
    Math.min(1, Math.max(0, 0.5 + (y ? 0.15 : -0.05) + 0.25 * r.nextNormal())),
  );
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    if (!labels[i]) continue;
    for (let j = 0; j < n; j++) {
      if (labels[j]) continue;
      pairs++;
      wins += scoresN[i]! > scoresN[j]! ? 1 : scoresN[i] === scoresN[j] ? 0.5 : 0;
    }
  }
  const exact = wins / pairs;
  const m = metrics.auc();
  m.update(sn.tensor(labels), sn.tensor(scoresN));
  close(m.result(), exact, 3e-3, 'auc');
  assert.ok(exact > 0.6 && exact < 0.9, `exact ${exact}`);
  // fromLogits: the same scores as logits through a sigmoid give the same ranking
  const logit = scoresN.map((s) => Math.log((s + 1e-3) / (1 - s + 1e-3)));
  const ml = metrics.auc({ fromLogits: true, numThresholds: 1000 });
  ml.update(sn.tensor(labels), sn.tensor(logit));
  close(ml.result(), exact, 3e-3, 'auc fromLogits');
  // perfectly separated scores give 1 for both curves
  for (const curve of ['ROC', 'PR'] as const) {
    const perfect = metrics.auc({ curve });
    perfect.update(sn.tensor([0, 0, 1, 1]), sn.tensor([0.1, 0.2, 0.8, 0.9]));
    close(perfect.result(), 1, 1e-9, curve);
  }
});

test("'accuracy' resolves from the loss and output shape as Keras; its name stays as given", () => {
  const table: [metrics.MetricContext, unknown][] = [
    [{ loss: losses.binaryCrossentropy() }, metrics.BinaryAccuracy],
    [{ loss: losses.getLoss('binary_crossentropy') }, metrics.BinaryAccuracy],
    [{ loss: losses.meanSquaredError(), outputShape: [null, 1] }, metrics.BinaryAccuracy],
    [
      { loss: losses.sparseCategoricalCrossentropy({ fromLogits: true }), outputShape: [null, 10] },
      metrics.SparseCategoricalAccuracy,
    ],
    [
      { loss: losses.categoricalCrossentropy(), outputShape: [null, 10] },
      metrics.CategoricalAccuracy,
    ],
    [{ loss: losses.meanSquaredError(), outputShape: [null, 4] }, metrics.CategoricalAccuracy],
    [{ outputShape: [null, 4] }, metrics.CategoricalAccuracy],
    [{}, metrics.AutoAccuracy],
  ];
  for (const [context, cls] of table) {
    for (const id of ['accuracy', 'acc']) {
      const m = metrics.getMetric(id, context);
      assert.equal(
        m.constructor,
        cls,
        `${id} ${JSON.stringify(context.outputShape)} ${context.loss?.name}`,
      );
      assert.equal(m.name, id);
    }
  }
  // binary accuracy from 'accuracy' uses threshold 0.5
  const m = metrics.getMetric('accuracy', { loss: losses.binaryCrossentropy() });
  m.update(sn.tensor([[1], [0]]), sn.tensor([[0.6], [0.5]]));
  close(m.result(), 1);
});

test('accuracy without context decides from the first batch shapes (Keras 3 rules)', () => {
  const decide = (t: sn.Tensor, p: sn.Tensor) => {
    const m = metrics.getMetric('accuracy') as metrics.AutoAccuracy;
    assert.equal(m.result(), 0);
    m.update(t, p);
    return m;
  };
  const p3 = sn.tensor([
    [0.2, 0.7, 0.1],
    [0.5, 0.1, 0.4],
  ]);
  // sparse: labels of lower rank; argmax [1, 0] vs labels [1, 2] → 0.5
  const sparse = decide(sn.tensor([1, 2]), p3);
  assert.ok(sparse.resolved instanceof metrics.SparseCategoricalAccuracy);
  close(sparse.result(), 0.5);
  // sparse also for a label column [batch, 1] against several classes
  assert.ok(
    decide(sn.tensor([[1], [0]]), p3).resolved instanceof metrics.SparseCategoricalAccuracy,
  );
  // categorical: same shapes; argmax [1, 0] vs [1, 0] → 1
  const cat = decide(
    sn.tensor([
      [0, 1, 0],
      [1, 0, 0],
    ]),
    p3,
  );
  assert.ok(cat.resolved instanceof metrics.CategoricalAccuracy);
  close(cat.result(), 1);
  // binary: one output unit
  assert.ok(
    decide(sn.tensor([[1], [0]]), sn.tensor([[0.9], [0.2]])).resolved instanceof
      metrics.BinaryAccuracy,
  );
});

test('getMetric: names (kept for logs), loss names, functions, instances; unknown → ConfigError', () => {
  const table: [string, unknown][] = [
    ['mse', metrics.MeanSquaredError],
    ['mean_squared_error', metrics.MeanSquaredError],
    ['meanSquaredError', metrics.MeanSquaredError],
    ['mae', metrics.MeanAbsoluteError],
    ['mean_absolute_error', metrics.MeanAbsoluteError],
    ['binary_accuracy', metrics.BinaryAccuracy],
    ['categoricalAccuracy', metrics.CategoricalAccuracy],
    ['sparse_categorical_accuracy', metrics.SparseCategoricalAccuracy],
    ['precision', metrics.Precision],
    ['recall', metrics.Recall],
    ['auc', metrics.AUC],
  ];
  for (const [id, cls] of table) {
    const m = metrics.getMetric(id);
    assert.equal(m.constructor, cls, id);
    assert.equal(m.name, id);
  }
  // factories use Keras's default names
  assert.equal(metrics.meanSquaredError().name, 'mean_squared_error');
  assert.equal(metrics.auc().name, 'auc');
  assert.equal(metrics.binaryAccuracy({ name: 'acc_05' }).name, 'acc_05');
  // a loss name gives the mean of that loss: bce of [[1],[0]] vs [[0.8],[0.4]] = (−log 0.8 − log 0.6)/2
  const bce = metrics.getMetric('binary_crossentropy');
  assert.equal(bce.name, 'binary_crossentropy');
  bce.update(sn.tensor([[1], [0]]), sn.tensor([[0.8], [0.4]]));
  close(bce.result(), (-Math.log(0.8) - Math.log(0.6)) / 2, 1e-6);
  // a function: per-sample values averaged, named after the function
  function maxError(t: sn.Tensor, p: sn.Tensor): sn.Tensor {
    return sn.max(sn.abs(sn.sub(t, p)), -1);
  }
  const fm = metrics.getMetric(maxError);
  assert.equal(fm.name, 'maxError');
  // samples: max(|1−0.5|, |0−0.25|) = 0.5 and max(|2−0|, 0) = 2, weights 1 and 3: (0.5 + 6)/4
  fm.update(
    sn.tensor([
      [1, 0],
      [2, 0],
    ]),
    sn.tensor([
      [0.5, 0.25],
      [0, 0],
    ]),
    sn.tensor([1, 3]),
  );
  close(fm.result(), 6.5 / 4);
  const inst = metrics.recall();
  assert.equal(metrics.getMetric(inst), inst);
  assert.throws(
    () => metrics.getMetric('accuracy_top5'),
    (e: Error) =>
      e instanceof sn.ConfigError &&
      e.message.includes('"accuracy_top5"') &&
      e.message.includes('accuracy') &&
      e.message.includes('auc') &&
      e.message.includes('binary_crossentropy'),
  );
});

test('bad options and bad sample weights are typed errors', () => {
  assert.throws(
    () => metrics.precision({ thresholds: 1.5 }),
    (e: Error) =>
      e instanceof sn.ConfigError &&
      /precision: thresholds must be a number in \[0, 1\], received 1.5/.test(e.message),
  );
  assert.throws(
    () => metrics.auc({ numThresholds: 1 }),
    (e: Error) =>
      e instanceof sn.ConfigError && /numThresholds must be an integer >= 2/.test(e.message),
  );
  assert.throws(
    () => metrics.auc({ curve: 'roc' as 'ROC' }),
    (e: Error) =>
      e instanceof sn.ConfigError && /curve must be 'ROC' or 'PR', received "roc"/.test(e.message),
  );
  assert.throws(() => metrics.binaryAccuracy({ threshold: NaN }), sn.ConfigError);
  const m = metrics.meanSquaredError();
  assert.throws(
    () => m.update(sn.tensor([[1], [2]]), sn.tensor([[1], [2]]), sn.tensor([1, 2, 3])),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      e.message.includes('sampleWeight') &&
      e.message.includes('[3]') &&
      e.message.includes('[2]'),
  );
  assert.throws(
    () =>
      metrics.categoricalAccuracy().update(
        sn.tensor([1, 0]),
        sn.tensor([
          [0.1, 0.9],
          [0.8, 0.2],
        ]),
      ),
    (e: Error) => e instanceof sn.ShapeError && e.message.includes('[2, 2]'),
  );
  assert.throws(
    () => metrics.getMetric(() => 1 as unknown as sn.Tensor).update(sn.tensor([1]), sn.tensor([1])),
    (e: Error) => e instanceof sn.ConfigError && /must return a Tensor/.test(e.message),
  );
});

test('metrics never record gradients: updating inside valueAndGrads leaves the loss gradient unchanged', () => {
  const w = sn.variable(sn.tensor([[0.5], [-0.2]]));
  const xb = sn.tensor([
    [1, 2],
    [3, -1],
  ]);
  const yb = sn.tensor([[1], [0]]);
  const m = metrics.meanSquaredError();
  const plain = sn.valueAndGrads(() => sn.mean(sn.square(sn.sub(sn.matmul(xb, w), yb))), [w]);
  const withMetric = sn.valueAndGrads(() => {
    const p = sn.matmul(xb, w);
    m.update(yb, p);
    return sn.mean(sn.square(sn.sub(p, yb)));
  }, [w]);
  assert.deepEqual(
    Array.from(withMetric.grads.get(w)!.dataSync()),
    Array.from(plain.grads.get(w)!.dataSync()),
  );
  close(m.result(), plain.value.item(), 1e-6);
});
