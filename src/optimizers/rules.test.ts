// Hand-computed optimizer steps. Every expected value is written as the arithmetic of the
// Keras 3 rule (keras/src/optimizers/*.py), never as output of the code under test.
// float64 variables are used where the arithmetic is long, so the tolerance can be tight.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { assertClose } from '../../test/helpers.js';
import * as opt from './index.js';

const f64 = (values: number[], name?: string): sn.Variable =>
  sn.variable(sn.tensor(values, [values.length], 'float64'), name === undefined ? {} : { name });
const grads = (...pairs: [sn.Variable, number[]][]): Map<sn.Variable, sn.Tensor> =>
  new Map(pairs.map(([v, g]) => [v, sn.tensor(g, [g.length], v.dtype)]));

test('sgd: w ← w − lr·g', () => {
  const w = sn.variable(sn.tensor([1, -2]));
  const o = opt.sgd({ learningRate: 0.1 });
  o.applyGradients(grads([w, [0.5, 1]]));
  // [1 − 0.1·0.5, −2 − 0.1·1] = [0.95, −2.1]
  assertClose(w, [0.95, -2.1]);
  assert.equal(o.iterations, 1);
});

test('sgd momentum: velocity ← μ·velocity − lr·g, w ← w + velocity', () => {
  const w = f64([1]);
  const o = opt.sgd({ learningRate: 0.1, momentum: 0.9 });
  o.applyGradients(grads([w, [1]]));
  // velocity = 0.9·0 − 0.1·1 = −0.1; w = 1 − 0.1 = 0.9
  assertClose(w, [0.9], 1e-12);
  o.applyGradients(grads([w, [1]]));
  // velocity = 0.9·(−0.1) − 0.1 = −0.19; w = 0.9 − 0.19 = 0.71
  assertClose(w, [0.71], 1e-12);
});

test('sgd nesterov: w ← w + μ·velocity − lr·g', () => {
  const w = f64([1]);
  const o = opt.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true });
  o.applyGradients(grads([w, [1]]));
  // velocity = −0.1; w = 1 + 0.9·(−0.1) − 0.1 = 0.81
  assertClose(w, [0.81], 1e-12);
  o.applyGradients(grads([w, [1]]));
  // velocity = 0.9·(−0.1) − 0.1 = −0.19; w = 0.81 + 0.9·(−0.19) − 0.1 = 0.539
  assertClose(w, [0.539], 1e-12);
});

test('adam: two steps with Keras 3 bias correction and epsilon on the uncorrected √v', () => {
  const w = f64([1]);
  const o = opt.adam({ learningRate: 0.1 }); // β1 0.9, β2 0.999, ε 1e-7
  o.applyGradients(grads([w, [2]]));
  // m = 0 + (2 − 0)·0.1 = 0.2; v = 0 + (4 − 0)·0.001 = 0.004
  // α = 0.1·√(1 − 0.999)/(1 − 0.9) = √0.001
  const w1 = 1 - (Math.sqrt(0.001) * 0.2) / (Math.sqrt(0.004) + 1e-7);
  assertClose(w, [w1], 1e-12);
  o.applyGradients(grads([w, [-1]]));
  // m = 0.2 + (−1 − 0.2)·0.1 = 0.08; v = 0.004 + (1 − 0.004)·0.001 = 0.004996
  // α = 0.1·√(1 − 0.999²)/(1 − 0.9²) = 0.1·√0.001999/0.19
  const alpha2 = (0.1 * Math.sqrt(1 - 0.999 ** 2)) / (1 - 0.9 ** 2);
  const w2 = w1 - (alpha2 * 0.08) / (Math.sqrt(0.004996) + 1e-7);
  assertClose(w, [w2], 1e-12);
  // The slots hold the uncorrected moments.
  const slots = new Map(o.getSlots().map((s) => [s.name, s.tensor]));
  assert.equal(slots.get('iterations')?.item(), 2);
});

test('amsgrad: the running maximum of v is used once v shrinks', () => {
  const run = (amsgrad: boolean): number => {
    const w = f64([1]);
    const o = opt.adam({ learningRate: 0.1, amsgrad });
    o.applyGradients(grads([w, [2]]));
    o.applyGradients(grads([w, [0.01]]));
    return w.item();
  };
  // Step 1 as above: m = 0.2, v = 0.004, w1 = 1 − √0.001·0.2/(√0.004 + ε).
  // Step 2, g = 0.01: m = 0.2 + (0.01 − 0.2)·0.1 = 0.181;
  // v = 0.004 + (0.0001 − 0.004)·0.001 = 0.0039961 < 0.004, so vhat = max(0.004, 0.0039961) = 0.004.
  const w1 = 1 - (Math.sqrt(0.001) * 0.2) / (Math.sqrt(0.004) + 1e-7);
  const alpha2 = (0.1 * Math.sqrt(1 - 0.999 ** 2)) / (1 - 0.9 ** 2);
  const withMax = w1 - (alpha2 * 0.181) / (Math.sqrt(0.004) + 1e-7);
  const plain = w1 - (alpha2 * 0.181) / (Math.sqrt(0.0039961) + 1e-7);
  assert.ok(Math.abs(withMax - plain) > 1e-5, 'the case must distinguish the two');
  assertClose(sn.scalar(run(true), 'float64'), withMax, 1e-12);
  assertClose(sn.scalar(run(false), 'float64'), plain, 1e-12);
});

test('adamw: decoupled decay w ← w − lr·wd·w before the Adam step, unlike an l2 penalty', () => {
  const w = f64([1]);
  opt.adamw({ learningRate: 0.1, weightDecay: 0.1 }).applyGradients(grads([w, [0.5]]));
  // decay: 1 − 0.1·0.1·1 = 0.99; Adam with the raw g = 0.5: m = 0.05, v = 0.00025, α = √0.001
  const adamw = 0.99 - (Math.sqrt(0.001) * 0.05) / (Math.sqrt(0.00025) + 1e-7);
  assertClose(w, [adamw], 1e-12);
  assert.ok(Math.abs(adamw - 0.89) < 1e-5); // ≈ 1 − 0.01 (decay) − 0.1 (normalised Adam step)

  // The same strength as an l2(c) penalty with 2c = 0.1 adds 0.1·w to the gradient, which
  // Adam's normalisation swallows: g = 0.5 + 0.1 = 0.6, m = 0.06, v = 0.00036, step ≈ 0.1.
  const l2 = f64([1]);
  opt.adam({ learningRate: 0.1 }).applyGradients(grads([l2, [0.6]]));
  const expectedL2 = 1 - (Math.sqrt(0.001) * 0.06) / (Math.sqrt(0.00036) + 1e-7);
  assertClose(l2, [expectedL2], 1e-12);
  assert.ok(l2.item() - w.item() > 0.0099, 'decoupled decay shrinks by lr·wd·w = 0.01 more');

  // Keras's AdamW default weight decay is 0.004.
  assert.equal(opt.adamw().weightDecay, 0.004);
});

test('weightDecay with sgd and excludeFromWeightDecay (name substrings and variables)', () => {
  const kernel = f64([1, 2], 'dense/kernel');
  const bias = f64([1, 2], 'dense/bias');
  const other = f64([1, 2], 'other');
  const o = opt.sgd({
    learningRate: 0.1,
    weightDecay: 0.5,
    excludeFromWeightDecay: ['bias', other],
  });
  o.applyGradients(grads([kernel, [1, 0]], [bias, [1, 0]], [other, [1, 0]]));
  // kernel: w − 0.1·0.5·w − 0.1·g = [1 − 0.05 − 0.1, 2 − 0.1] = [0.85, 1.9]
  assertClose(kernel, [0.85, 1.9], 1e-12);
  // bias and other: no decay, [1 − 0.1, 2] = [0.9, 2]
  assertClose(bias, [0.9, 2], 1e-12);
  assertClose(other, [0.9, 2], 1e-12);
});

test('clipnorm clips each gradient by its own norm: g·c / max(‖g‖, c)', () => {
  const a = f64([0, 0]);
  const b = f64([0, 0]);
  opt.sgd({ learningRate: 1, clipnorm: 1 }).applyGradients(grads([a, [3, 4]], [b, [0.3, 0.4]]));
  // ‖[3, 4]‖ = 5 > 1 → [3, 4]·1/5 = [0.6, 0.8]; ‖[0.3, 0.4]‖ = 0.5 ≤ 1 → unchanged
  assertClose(a, [-0.6, -0.8], 1e-12);
  assertClose(b, [-0.3, -0.4], 1e-12);
});

test('globalClipnorm scales all gradients by c / global norm', () => {
  const a = f64([0, 0]);
  const b = f64([0]);
  opt.sgd({ learningRate: 1, globalClipnorm: 6.5 }).applyGradients(grads([a, [3, 4]], [b, [12]]));
  // global norm √(9 + 16 + 144) = 13; scale 6.5/13 = 0.5 → [1.5, 2], [6]
  assertClose(a, [-1.5, -2], 1e-12);
  assertClose(b, [-6], 1e-12);
  // Below the threshold nothing changes.
  const c = f64([0]);
  opt.sgd({ learningRate: 1, globalClipnorm: 20 }).applyGradients(grads([c, [12]]));
  assertClose(c, [-12], 1e-12);
});

test('clipvalue clips each element to [−c, c]', () => {
  const w = f64([0, 0, 0]);
  opt.sgd({ learningRate: 1, clipvalue: 1 }).applyGradients(grads([w, [-3, 0.2, 5]]));
  assertClose(w, [1, -0.2, -1], 1e-12);
});

test('a schedule as learningRate is evaluated at the step count before each step', () => {
  const w = f64([1]);
  const o = opt.sgd({
    learningRate: opt.schedules.piecewiseConstant({ boundaries: [1], values: [0.1, 0.01] }),
  });
  // iterations 0 → lr 0.1 (0 ≤ 1), 1 → 0.1 (1 ≤ 1), 2 → 0.01
  const lrs: number[] = [];
  for (let i = 0; i < 3; i++) {
    lrs.push(o.currentLearningRate());
    o.applyGradients(grads([w, [1]]));
  }
  assert.deepEqual(lrs, [0.1, 0.1, 0.01]);
  // w: 1 − 0.1 − 0.1 − 0.01 = 0.79
  assertClose(w, [0.79], 1e-12);
  // Weight decay uses the same scheduled rate: lr(3) = 0.01, 0.79 − 0.01·0.5·0.79 − 0.01·1
  const d = opt.sgd({
    learningRate: opt.schedules.exponentialDecay({
      initialLearningRate: 0.1,
      decaySteps: 1,
      decayRate: 0.5,
    }),
    weightDecay: 0.5,
  });
  const u = f64([1]);
  d.applyGradients(grads([u, [1]])); // lr 0.1: 1 − 0.05 − 0.1 = 0.85
  d.applyGradients(grads([u, [1]])); // lr 0.05: 0.85 − 0.05·0.5·0.85 − 0.05 = 0.77875
  assertClose(u, [0.77875], 1e-12);
});

test('learningRate is settable (as a callback would) and validated', () => {
  const w = f64([1]);
  const o = opt.sgd({ learningRate: 0.1 });
  o.learningRate = 0.5;
  o.applyGradients(grads([w, [1]]));
  assertClose(w, [0.5], 1e-12); // 1 − 0.5·1
  assert.equal(o.currentLearningRate(), 0.5);
  assert.throws(
    () => {
      o.learningRate = -1;
    },
    (e: unknown) =>
      e instanceof sn.ConfigError && /sgd: learningRate must be .*received -1/.test(e.message),
  );
});

test('the constraint is applied after the step (and after weight decay)', () => {
  const w = sn.variable(sn.tensor([0.4, -0.4, 0.1]));
  w.constraint = { apply: (x) => sn.clip(x, { min: -0.5, max: 0.5 }) };
  const o = opt.sgd({ learningRate: 1, momentum: 0.5 });
  o.applyGradients(grads([w, [-1, 1, 0.2]]));
  // step: [0.4 + 1, −0.4 − 1, 0.1 − 0.2] = [1.4, −1.4, −0.1] → clip → [0.5, −0.5, −0.1]
  assertClose(w, [0.5, -0.5, -0.1]);
  // The velocity slot is not clipped: [1, −1, −0.2]·(−1)
  const velocity = o.getSlots().find((s) => s.name === `${w.name}/momentum`);
  assertClose(velocity!.tensor, [1, -1, -0.2]);
});

test('applyGradients accepts pairs, ignores an empty set, and is not recorded on a tape', () => {
  const w = f64([1]);
  const o = opt.sgd({ learningRate: 0.1 });
  o.applyGradients([]);
  assert.equal(o.iterations, 0);
  o.applyGradients([[w, sn.tensor([1], [1], 'float64')]]);
  assertClose(w, [0.9], 1e-12);
  // Inside valueAndGrads the update does not become part of the graph.
  const { grads: g } = sn.valueAndGrads(() => {
    o.applyGradients(grads([w, [1]]));
    return sn.sum(sn.mul(w, 3));
  });
  assertClose(g.get(w)!, [3], 1e-12);
});

test('gradients of another dtype are cast to the variable dtype', () => {
  const w = f64([1]);
  opt.sgd({ learningRate: 0.1 }).applyGradients(new Map([[w, sn.tensor([0.5])]]));
  assert.equal(w.dtype, 'float64');
  assertClose(w, [0.95], 1e-12);
});
