// Optimizers against TensorFlow.js 4.22 (cpu backend) and against Keras 3's update rules
// implemented below in plain float64 JavaScript (keras/src/optimizers/*.py).
//
// Each run: the same starting weights and 20 steps on the quadratic
// f(w) = ½·Σ a_i (w_i − c_i)², whose gradient is a ⊙ (w − c), computed by each library from its
// own weights. Where tfjs's rule is Keras's, sinew (float32) must match tfjs within 1e-5
// relative. Where tfjs deviates from Keras 3, sinew must match the Keras reference, and the
// test shows that tfjs differs:
//  - adam: tfjs adds ε to √v̂ (bias-corrected), Keras to √v (uncorrected); equal when ε = 0.
//  - rmsprop centered: tfjs computes √(ms − (mg² + ε)), Keras √(ms − mg² + ε); equal when ε = 0.
//  - adagrad, adamax, sgd, momentum (constant rate), uncentered rmsprop: same rule.
//  - tfjs has no nadam and no amsgrad: Keras reference only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../index.js';
import * as opt from './index.js';

const W0 = [1, -2, 0.5, 3];
const A = [1, 2, 0.5, 3];
const C = [0.3, 0.1, -0.4, 1];
const STEPS = 20;

let tfReady: Promise<void> | undefined;
async function useTfCpu(): Promise<void> {
  tfReady ??= tf.setBackend('cpu').then(() => undefined);
  await tfReady;
}

let nameCounter = 0;
async function runTfjs(optimizer: tf.Optimizer): Promise<number[]> {
  await useTfCpu();
  const name = `parity_${nameCounter++}`;
  const w = tf.variable(tf.tensor1d(W0), true, name);
  const a = tf.tensor1d(A);
  const c = tf.tensor1d(C);
  for (let i = 0; i < STEPS; i++) {
    const g = tf.tidy(() => a.mul(w.sub(c)));
    optimizer.applyGradients({ [name]: g });
    g.dispose();
  }
  const out = Array.from(w.dataSync());
  w.dispose();
  return out;
}

function runSinew(optimizer: opt.Optimizer, dtype: 'float32' | 'float64' = 'float32'): number[] {
  const w = sn.variable(sn.tensor(W0, [4], dtype));
  const a = sn.tensor(A, [4], dtype);
  const c = sn.tensor(C, [4], dtype);
  for (let i = 0; i < STEPS; i++) optimizer.applyGradients(new Map([[w, sn.mul(a, sn.sub(w, c))]]));
  return Array.from(w.dataSync());
}

/** One element's Keras 3 update: state in, new weight out (state updated in place). */
type Rule = (w: number, g: number, s: Record<string, number>, lr: number, t: number) => number;

/** Runs a Keras rule elementwise in float64 for STEPS steps (t counts from 1). */
function runKeras(rule: Rule, lr: number, init: Record<string, number> = {}): number[] {
  return W0.map((w0, i) => {
    const s: Record<string, number> = { ...init };
    let w = w0;
    for (let t = 1; t <= STEPS; t++) w = rule(w, A[i]! * (w - C[i]!), s, lr, t);
    return w;
  });
}

const get = (s: Record<string, number>, k: string): number => s[k] ?? 0;

const keras = {
  adam:
    (b1: number, b2: number, eps: number, amsgrad = false): Rule =>
    (w, g, s, lr, t) => {
      s.m = get(s, 'm') + (g - get(s, 'm')) * (1 - b1);
      s.v = get(s, 'v') + (g * g - get(s, 'v')) * (1 - b2);
      let v = s.v;
      if (amsgrad) v = s.vhat = Math.max(get(s, 'vhat'), s.v);
      const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
      return w - (s.m * alpha) / (Math.sqrt(v) + eps);
    },
  rmsprop:
    (rho: number, momentum: number, eps: number, centered: boolean): Rule =>
    (w, g, s, lr) => {
      s.rms = rho * get(s, 'rms') + (1 - rho) * g * g;
      let denominator = s.rms + eps;
      if (centered) {
        s.mg = rho * get(s, 'mg') + (1 - rho) * g;
        denominator = s.rms - s.mg * s.mg + eps;
      }
      const increment = (lr * g) / Math.sqrt(denominator);
      if (momentum === 0) return w - increment;
      s.mom = momentum * get(s, 'mom') + increment;
      return w - s.mom;
    },
  nadam:
    (b1: number, b2: number, eps: number): Rule =>
    (w, g, s, lr, t) => {
      // u_product is optimizer-wide in Keras; with one variable per run it can live here.
      const u = (k: number): number => b1 * (1 - 0.5 * 0.96 ** k);
      s.up = (s.up ?? 1) * u(t);
      const up1 = s.up * u(t + 1);
      s.m = get(s, 'm') + (g - get(s, 'm')) * (1 - b1);
      s.v = get(s, 'v') + (g * g - get(s, 'v')) * (1 - b2);
      const mHat = (u(t + 1) * s.m) / (1 - up1) + ((1 - u(t)) * g) / (1 - s.up);
      const vHat = s.v / (1 - b2 ** t);
      return w - (mHat * lr) / (Math.sqrt(vHat) + eps);
    },
};

function assertRelClose(actual: number[], expected: number[], tol: number, what: string): void {
  actual.forEach((x, i) => {
    const want = expected[i]!;
    assert.ok(
      Math.abs(x - want) <= tol * Math.max(1, Math.abs(want)),
      `${what}, element ${i}: got ${x}, expected ${want} (tolerance ${tol})\n  all: ${actual}\n  expected: ${expected}`,
    );
  });
}

/** The largest relative difference between two runs. */
function maxRelDiff(x: number[], y: number[]): number {
  return Math.max(...x.map((v, i) => Math.abs(v - y[i]!) / Math.max(1, Math.abs(y[i]!))));
}

test('sgd matches tf.train.sgd', async () => {
  const ours = runSinew(opt.sgd({ learningRate: 0.05 }));
  assertRelClose(ours, await runTfjs(tf.train.sgd(0.05)), 1e-5, 'sgd');
  // The weights moved: the comparison is not trivially between two copies of W0.
  assert.ok(maxRelDiff(ours, W0) > 0.1);
});

test('sgd momentum and nesterov match tf.train.momentum', async () => {
  for (const nesterov of [false, true]) {
    const ours = runSinew(opt.sgd({ learningRate: 0.05, momentum: 0.9, nesterov }));
    const theirs = await runTfjs(tf.train.momentum(0.05, 0.9, nesterov));
    assertRelClose(ours, theirs, 1e-5, `momentum, nesterov ${nesterov}`);
  }
});

test('adam: matches tf.train.adam when ε = 0 and the Keras formula for any ε', async () => {
  const theirs0 = await runTfjs(tf.train.adam(0.05, 0.9, 0.999, 0));
  assertRelClose(runSinew(opt.adam({ learningRate: 0.05, epsilon: 0 })), theirs0, 1e-5, 'adam ε=0');

  const reference = runKeras(keras.adam(0.9, 0.999, 1e-7), 0.05);
  assertRelClose(runSinew(opt.adam({ learningRate: 0.05 })), reference, 1e-5, 'adam float32');
  assertRelClose(
    runSinew(opt.adam({ learningRate: 0.05 }), 'float64'),
    reference,
    1e-12,
    'adam float64',
  );

  // A large ε shows the difference in placement: sinew follows Keras, tfjs does not.
  const bigEps = runKeras(keras.adam(0.9, 0.999, 0.1), 0.05);
  assertRelClose(
    runSinew(opt.adam({ learningRate: 0.05, epsilon: 0.1 })),
    bigEps,
    1e-5,
    'adam ε=0.1',
  );
  const tfBigEps = await runTfjs(tf.train.adam(0.05, 0.9, 0.999, 0.1));
  assert.ok(maxRelDiff(tfBigEps, bigEps) > 1e-3, 'tfjs places ε differently');
});

test('amsgrad follows the Keras formula (tfjs has no amsgrad)', () => {
  const reference = runKeras(keras.adam(0.9, 0.99, 1e-7, true), 0.1);
  const ours = runSinew(opt.adam({ learningRate: 0.1, beta2: 0.99, amsgrad: true }), 'float64');
  assertRelClose(ours, reference, 1e-12, 'amsgrad');
  // On this problem the running maximum changes the result.
  assert.ok(maxRelDiff(reference, runKeras(keras.adam(0.9, 0.99, 1e-7), 0.1)) > 1e-4);
});

test('rmsprop (uncentered, with and without momentum) matches tf.train.rmsprop', async () => {
  for (const momentum of [0, 0.5]) {
    const ours = runSinew(opt.rmsprop({ learningRate: 0.01, momentum }));
    const theirs = await runTfjs(tf.train.rmsprop(0.01, 0.9, momentum, 1e-7, false));
    assertRelClose(ours, theirs, 1e-5, `rmsprop momentum ${momentum}`);
    const reference = runKeras(keras.rmsprop(0.9, momentum, 1e-7, false), 0.01);
    assertRelClose(ours, reference, 1e-5, `rmsprop momentum ${momentum} vs Keras`);
  }
});

test('rmsprop centered: matches tfjs when ε = 0 and the Keras formula for any ε', async () => {
  const theirs0 = await runTfjs(tf.train.rmsprop(0.01, 0.9, 0.5, 0, true));
  const ours0 = runSinew(
    opt.rmsprop({ learningRate: 0.01, momentum: 0.5, epsilon: 0, centered: true }),
  );
  assertRelClose(ours0, theirs0, 1e-5, 'centered ε=0');

  const reference = runKeras(keras.rmsprop(0.9, 0.5, 0.01, true), 0.01);
  const ours = runSinew(
    opt.rmsprop({ learningRate: 0.01, momentum: 0.5, epsilon: 0.01, centered: true }),
    'float64',
  );
  assertRelClose(ours, reference, 1e-12, 'centered ε=0.01');
  const tfjs = await runTfjs(tf.train.rmsprop(0.01, 0.9, 0.5, 0.01, true));
  assert.ok(maxRelDiff(tfjs, reference) > 1e-4, 'tfjs subtracts ε under the root');
});

test('adagrad matches tf.train.adagrad (same initial accumulator and ε)', async () => {
  const ours = runSinew(opt.adagrad({ learningRate: 0.1 }));
  const theirs = await runTfjs(tf.train.adagrad(0.1, 0.1));
  assertRelClose(ours, theirs, 1e-5, 'adagrad');
  assert.ok(maxRelDiff(ours, W0) > 0.05);
});

test('adamax matches tf.train.adamax', async () => {
  const ours = runSinew(opt.adamax({ learningRate: 0.05 }));
  const theirs = await runTfjs(tf.train.adamax(0.05, 0.9, 0.999, 1e-7, 0));
  assertRelClose(ours, theirs, 1e-5, 'adamax');
});

test('nadam follows the Keras formula (tfjs has no nadam)', () => {
  const reference = runKeras(keras.nadam(0.9, 0.999, 1e-7), 0.05);
  assertRelClose(runSinew(opt.nadam({ learningRate: 0.05 }), 'float64'), reference, 1e-12, 'nadam');
  assertRelClose(runSinew(opt.nadam({ learningRate: 0.05 })), reference, 1e-5, 'nadam float32');
});

test('adamw: the Keras formula with decay before the Adam step, over 20 steps', () => {
  const adam = keras.adam(0.9, 0.999, 1e-7);
  const rule: Rule = (w, g, s, lr, t) => adam(w - w * 0.1 * lr, g, s, lr, t);
  const reference = runKeras(rule, 0.05);
  const ours = runSinew(opt.adamw({ learningRate: 0.05, weightDecay: 0.1 }), 'float64');
  assertRelClose(ours, reference, 1e-12, 'adamw');
});
