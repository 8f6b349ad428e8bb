import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../index.js';
import { assertClose } from '../../test/helpers.js';
import * as regularizers from './index.js';
import type { ConfigDict } from '../serialization.js';

const X = sn.tensor([
  [1, -2],
  [3, -4],
]); // Σ|x| = 10, Σx² = 1 + 4 + 9 + 16 = 30

test('l1: a·Σ|x|; l1(0.01) on ones([5, 5]) = 0.01·25 = 0.25', () => {
  assertClose(regularizers.l1(0.01).apply(sn.ones([5, 5])), 0.25, 1e-6, []);
  assertClose(regularizers.l1({ l1: 0.5 }).apply(X), 5); // 0.5·10
  assertClose(regularizers.l1().apply(X), 0.1); // default 0.01·10
});

test('l2: a·Σx² with no ½; l2(0.01) on a [5, 5] tensor of 10s = 0.01·25·100 = 25', () => {
  assertClose(regularizers.l2(0.01).apply(sn.fill([5, 5], 10)), 25, 1e-6, []);
  assertClose(regularizers.l2({ l2: 0.1 }).apply(X), 3); // 0.1·30
  assertClose(regularizers.l2().apply(X), 0.3); // default 0.01·30
});

test('l1l2: both terms; a key left out is 0; l1l2() means 0.01 and 0.01', () => {
  assertClose(regularizers.l1l2({ l1: 0.01, l2: 0.02 }).apply(X), 0.7); // 0.01·10 + 0.02·30
  assertClose(regularizers.l1l2({ l1: 0.5 }).apply(X), 5); // 0.5·10 + 0
  assertClose(regularizers.l1l2({ l2: 0.5 }).apply(X), 15); // 0 + 0.5·30
  assertClose(regularizers.l1l2({}).apply(X), 0); // both left out
  assertClose(regularizers.l1l2().apply(X), 0.4); // 0.01·10 + 0.01·30
  assert.deepEqual(regularizers.l1l2().getConfig(), { l1: 0.01, l2: 0.01 });
  assert.deepEqual(new regularizers.L1L2().getConfig(), { l1: 0, l2: 0 }); // Keras's class default
});

test('l2 gradient is 2a·x (no ½)', () => {
  const w = sn.variable(X);
  const { grads } = sn.valueAndGrads(() => regularizers.l2(0.01).apply(w), [w]);
  assertClose(grads.get(w)!, [0.02, -0.04, 0.06, -0.08]); // 2·0.01·x
});

test('penalties keep float64 and integer input is computed in float32', () => {
  assert.equal(regularizers.l2(0.01).apply(sn.cast(X, 'float64')).dtype, 'float64');
  const ints = sn.tensor([1, -2, 3], undefined, 'int32');
  const p = regularizers.l1(0.5).apply(ints);
  assert.equal(p.dtype, 'float32');
  assertClose(p, 3); // 0.5·6
});

test('orthogonal, rows vs columns on [[3, 4], [0, 5]]', () => {
  const w = sn.tensor([
    [3, 4],
    [0, 5],
  ]);
  // rows: (3,4)/5 = (0.6, 0.8) and (0, 1): cos = 0.8; one pair; 0.5·Σ|P_ij| = 0.8.
  assertClose(regularizers.orthogonal({ factor: 0.01 }).apply(w), 0.01 * 0.8, 1e-6, []);
  // columns: (3,0)/3 = (1,0) and (4,5)/√41: cos = 4/√41.
  assertClose(
    regularizers.orthogonal({ factor: 0.01, mode: 'columns' }).apply(w),
    (0.01 * 4) / Math.sqrt(41),
  );
});

test('orthogonal: mean |cosine| over n(n−1)/2 pairs; default factor 0.01 and rows', () => {
  const w = sn.tensor([
    [1, 0],
    [0, 1],
    [1, -1],
  ]);
  // rows: cos(r1,r2) = 0, |cos(r1,r3)| = |cos(r2,r3)| = 1/√2; mean over 3 pairs = √2/3.
  assertClose(regularizers.orthogonal().apply(w), (0.01 * Math.SQRT2) / 3);
  // columns (1,0,1) and (0,1,−1): |cos| = 1/2, one pair.
  assertClose(regularizers.orthogonal({ factor: 2, mode: 'columns' }).apply(w), 1);
  // a number is the factor
  assertClose(regularizers.orthogonal(1).apply(w), Math.SQRT2 / 3);
  // a zero row normalises to zero (norm clamped at sqrt(1e-14)), no NaN: only r2·r3 counts.
  const z = sn.tensor([
    [0, 0],
    [1, 0],
    [1, 1],
  ]);
  assertClose(regularizers.orthogonal(3).apply(z), Math.SQRT1_2); // 3·(1/√2)/3
  // a single row has no pairs: 0 (Keras divides 0 by 0)
  assertClose(regularizers.orthogonal().apply(sn.tensor([[1, 2]])), 0);
});

test('orthogonal: rank other than 2 is a ShapeError naming the shape and the fix', () => {
  for (const shape of [[2, 3, 4], [4]]) {
    assert.throws(
      () => regularizers.orthogonal().apply(sn.ones(shape)),
      (e: Error) =>
        e instanceof sn.ShapeError &&
        e.message.includes(`[${shape.join(', ')}]`) &&
        e.message.includes('rank-2') &&
        e.message.includes('reshape'),
    );
  }
  assert.throws(
    () => regularizers.orthogonal({ mode: 'diagonal' as 'rows' }),
    (e: Error) =>
      e instanceof sn.ConfigError && /mode.*'rows' or 'columns'.*"diagonal"/.test(e.message),
  );
});

/** KL(ρ‖q) summed over units, computed independently in plain numbers. */
function klRef(rho: number, rhoHat: number[]): number {
  return rhoHat.reduce(
    (s, q) => s + rho * Math.log(rho / q) + (1 - rho) * Math.log((1 - rho) / (1 - q)),
    0,
  );
}

test('klSparsity on a 2×2 batch, by hand', () => {
  const x = sn.tensor([
    [0.1, 0.2],
    [0.3, 0.4],
  ]);
  // ρ̂ = batch means = [0.2, 0.3]; ρ = 0.05:
  // KL_1 = 0.05·ln(0.05/0.2) + 0.95·ln(0.95/0.8) = −0.0693147 + 0.1632578 = 0.0939431
  // KL_2 = 0.05·ln(0.05/0.3) + 0.95·ln(0.95/0.7) = −0.0895880 + 0.2901125 = 0.2005245
  // sum = 0.2944676
  assertClose(regularizers.klSparsity().apply(x), 0.2944676, 1e-5, []);
  assertClose(regularizers.klSparsity({ beta: 3 }).apply(x), 3 * 0.2944676, 1e-5);
  assertClose(
    regularizers.klSparsity({ rho: 0.1, beta: 2 }).apply(x),
    2 * klRef(0.1, [0.2, 0.3]),
    1e-5,
  );
  assertClose(regularizers.klSparsity(0.1).apply(x), klRef(0.1, [0.2, 0.3]), 1e-5); // number = rho
  assert.equal(regularizers.klSparsity().reduction, 'batchMean');
  assert.equal(regularizers.l1().reduction, 'sum');
});

test('klSparsity: rank 3 averages over all but the last axis; ρ̂ is clipped to [1e-7, 1−1e-7]', () => {
  // shape [2, 2, 2]: unit 0 sees 0.1, 0.3, 0.5, 0.7 (mean 0.4); unit 1 sees 0.2, 0.2, 0.2, 0.6 (0.3)
  const x = sn.tensor([
    [
      [0.1, 0.2],
      [0.3, 0.2],
    ],
    [
      [0.5, 0.2],
      [0.7, 0.6],
    ],
  ]);
  assertClose(regularizers.klSparsity().apply(x), klRef(0.05, [0.4, 0.3]), 1e-5);
  const zeros = sn.zeros([4, 3], 'float64');
  assertClose(regularizers.klSparsity().apply(zeros), klRef(0.05, [1e-7, 1e-7, 1e-7]), 1e-9);
  const ones = sn.ones([4, 1], 'float64');
  assertClose(regularizers.klSparsity().apply(ones), klRef(0.05, [1 - 1e-7]), 1e-9);
});

test('gradients match finite differences', () => {
  const w = sn.tensor([
    [0.3, -0.7, 1.1],
    [0.9, 0.4, -0.2],
    [-0.5, 0.8, 0.6],
  ]);
  const codes = sn.tensor([
    [0.1, 0.2, 0.7],
    [0.3, 0.05, 0.6],
  ]);
  const cases: [string, regularizers.Regularizer, sn.Tensor][] = [
    ['l1', regularizers.l1(0.3), w],
    ['l2', regularizers.l2(0.3), w],
    ['l1l2', regularizers.l1l2({ l1: 0.2, l2: 0.7 }), w],
    ['orthogonal rows', regularizers.orthogonal(0.5), w],
    ['orthogonal columns', regularizers.orthogonal({ factor: 0.5, mode: 'columns' }), w],
    ['klSparsity', regularizers.klSparsity({ rho: 0.1, beta: 2 }), codes],
  ];
  for (const [name, r, x] of cases) {
    assert.doesNotThrow(() => sn.testing.gradCheck((t) => r.apply(t), [x]), name);
  }
});

test('a plain function is a regularizer (reduction sum); its result must be a scalar', () => {
  const fn = (x: sn.Tensor): sn.Tensor => sn.mul(0.5, sn.sum(sn.abs(x)));
  const r = regularizers.getRegularizer(fn);
  assert.ok(r instanceof regularizers.FunctionRegularizer);
  assert.equal(r.reduction, 'sum');
  assertClose(r.apply(X), 5); // 0.5·10
  const one = regularizers.getRegularizer((x) => sn.reshape(sn.sum(x), [1]));
  assertClose(one.apply(X), -2, 1e-6, []); // 1 − 2 + 3 − 4 reshaped to a scalar
  const bad = regularizers.getRegularizer(function perRow(x) {
    return sn.sum(x, 1);
  });
  assert.throws(
    () => bad.apply(X),
    (e: Error) => e instanceof sn.ShapeError && /perRow.*scalar.*\[2\]/.test(e.message),
  );
});

test('a function regularizer cannot be serialized: clear ConfigError', () => {
  const r = new regularizers.FunctionRegularizer((x) => sn.sum(x));
  assert.equal(regularizers.FunctionRegularizer.className, 'Function');
  const check = (e: Error): boolean =>
    e instanceof sn.ConfigError &&
    e.message.includes('cannot be serialized') &&
    e.message.includes('register');
  assert.throws(() => r.getConfig(), check);
  assert.throws(() => regularizers.regularizerRegistry.serialize(r), check);
  assert.throws(() => regularizers.getRegularizer({ className: 'Function', config: {} }), check);
});

test('both call styles give the same regularizer', () => {
  assert.deepEqual(regularizers.l1(0.3).getConfig(), regularizers.l1({ l1: 0.3 }).getConfig());
  assert.deepEqual(regularizers.l2(0.3).getConfig(), regularizers.l2({ l2: 0.3 }).getConfig());
  assert.deepEqual(regularizers.l1({}).getConfig(), { l1: 0.01 });
  assert.deepEqual(regularizers.orthogonal(0.2).getConfig(), { factor: 0.2, mode: 'rows' });
  assert.deepEqual(regularizers.klSparsity(0.1).getConfig(), { rho: 0.1, beta: 1 });
  assert.deepEqual(regularizers.klSparsity({ beta: 3 }).getConfig(), { rho: 0.05, beta: 3 });
});

test('every bad coefficient throws a ConfigError naming regularizer, argument and value', () => {
  const bad: [unknown, string][] = [
    ['0.01', '"0.01" (a string)'],
    [Number.NaN, 'NaN'],
    [-1, '-1'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
  ];
  type Make = (v: unknown) => unknown;
  const makers: [string, string, Make][] = [
    ['l1', 'l1', (v) => regularizers.l1(v as number)],
    ['l1', 'l1', (v) => regularizers.l1({ l1: v as number })],
    ['l2', 'l2', (v) => regularizers.l2(v as number)],
    ['l2', 'l2', (v) => regularizers.l2({ l2: v as number })],
    ['l1l2', 'l1', (v) => regularizers.l1l2({ l1: v as number })],
    ['l1l2', 'l2', (v) => regularizers.l1l2({ l1: 0.1, l2: v as number })],
    ['orthogonal', 'factor', (v) => regularizers.orthogonal(v as number)],
    ['orthogonal', 'factor', (v) => regularizers.orthogonal({ factor: v as number })],
    ['klSparsity', 'beta', (v) => regularizers.klSparsity({ beta: v as number })],
    ['l2', 'l2', (v) => regularizers.L2.fromConfig({ l2: v as string })],
  ];
  for (const [name, arg, make] of makers) {
    for (const [value, shown] of bad) {
      assert.throws(
        () => make(value),
        (e: Error) =>
          e instanceof sn.ConfigError &&
          e.message.startsWith(`${name}:`) &&
          e.message.includes(`${arg} must be a finite number >= 0`) &&
          e.message.includes(`received ${shown}`),
        `${name} ${arg} ${String(value)}`,
      );
    }
  }
  assert.throws(() => regularizers.l2('0.01' as unknown as number), {
    name: 'ConfigError',
    message:
      'l2: coefficient l2 must be a finite number >= 0, received "0.01" (a string); pass a number, e.g. sn.regularizers.l2(0.01)',
  });
});

test('klSparsity: rho must be in (0, 1); unknown options and a number for l1l2 are rejected', () => {
  for (const rho of [0, 1, -0.5, 1.5, Number.NaN, '0.05']) {
    assert.throws(
      () => regularizers.klSparsity({ rho: rho as number }),
      (e: Error) => e instanceof sn.ConfigError && /klSparsity: rho .* in \(0, 1\)/.test(e.message),
      String(rho),
    );
  }
  assert.throws(
    () => regularizers.l2({ l1: 0.01 } as unknown as number),
    (e: Error) =>
      e instanceof sn.ConfigError &&
      /l2: unknown option "l1"; accepted options: l2/.test(e.message),
  );
  assert.throws(
    () => regularizers.l1l2(0.01 as unknown as regularizers.L1L2Options),
    (e: Error) =>
      e instanceof sn.ConfigError &&
      /l1l2: expected an options object \{ l1, l2 \}, received 0.01/.test(e.message),
  );
});

test('every string alias resolves with its defaults (rule 4)', () => {
  const expected: [string, string, object][] = [
    ['l1', 'L1', { l1: 0.01 }],
    ['l2', 'L2', { l2: 0.01 }],
    ['l1l2', 'L1L2', { l1: 0.01, l2: 0.01 }],
    ['l1_l2', 'L1L2', { l1: 0.01, l2: 0.01 }],
    ['orthogonal', 'OrthogonalRegularizer', { factor: 0.01, mode: 'rows' }],
    ['orthogonal_regularizer', 'OrthogonalRegularizer', { factor: 0.01, mode: 'rows' }],
    ['kl_sparsity', 'KLSparsity', { rho: 0.05, beta: 1 }],
  ];
  for (const [name, className, config] of expected) {
    const r = regularizers.getRegularizer(name as regularizers.RegularizerName);
    assert.deepEqual(regularizers.regularizerRegistry.serialize(r), { className, config }, name);
  }
});

test('an unknown name throws listing the accepted names; other bad identifiers too', () => {
  for (const name of ['L2', 'l3', 'toString', '']) {
    assert.throws(
      () => regularizers.getRegularizer(name as regularizers.RegularizerName),
      (e: Error) =>
        e instanceof sn.ConfigError &&
        e.message.includes(`Unknown regularizer ${JSON.stringify(name)}`) &&
        e.message.includes(
          "'l1', 'l2', 'l1l2', 'l1_l2', 'orthogonal', 'orthogonal_regularizer', 'kl_sparsity'",
        ),
      name,
    );
  }
  assert.throws(
    () => regularizers.getRegularizer({ className: 'L3', config: {} }),
    (e: Error) => e instanceof sn.ConfigError && /L3.*KLSparsity, L1, L1L2, L2/.test(e.message),
  );
  assert.throws(
    () =>
      regularizers.getRegularizer(regularizers.L2 as unknown as regularizers.RegularizerFunction),
    (e: Error) => e instanceof sn.ConfigError && /class L2, not an instance/.test(e.message),
  );
  assert.throws(
    () => regularizers.getRegularizer(42 as unknown as regularizers.RegularizerName),
    (e: Error) => e instanceof sn.ConfigError && /received 42/.test(e.message),
  );
});

test('getRegularizer: undefined/null → undefined, an instance → itself', () => {
  assert.equal(regularizers.getRegularizer(undefined), undefined);
  assert.equal(regularizers.getRegularizer(null), undefined);
  const r = regularizers.l2(0.5);
  assert.equal(regularizers.getRegularizer(r), r);
});

test('configs round trip through JSON and give the same penalty', () => {
  const w = sn.tensor([
    [0.3, -0.7, 1.1],
    [0.9, 0.4, -0.2],
  ]);
  const all = [
    regularizers.l1(0.3),
    regularizers.l2(1e-4),
    regularizers.l1l2({ l1: 0.2 }),
    regularizers.orthogonal({ factor: 0.5, mode: 'columns' }),
    regularizers.klSparsity({ rho: 0.1, beta: 3 }),
  ];
  for (const r of all) {
    const written = JSON.parse(JSON.stringify(regularizers.regularizerRegistry.serialize(r))) as {
      className: string;
      config: ConfigDict;
    };
    const back = regularizers.getRegularizer(written as regularizers.RegularizerIdentifier);
    assert.equal(back.constructor, r.constructor);
    assert.deepEqual(back.getConfig(), r.getConfig());
    const input = r instanceof regularizers.KLSparsity ? sn.sigmoid(w) : w;
    assert.equal(back.apply(input).item(), r.apply(input).item());
    assert.equal(back.reduction, r.reduction);
  }
  // coefficients are written exactly as given
  assert.deepEqual(regularizers.l2(0.01).getConfig(), { l2: 0.01 });
});

test('Keras and TensorFlow.js written forms: class_name, float32-rounded coefficients', () => {
  const keras = regularizers.getRegularizer({
    module: 'keras.regularizers',
    class_name: 'L2',
    config: { l2: 0.009999999776482582 },
    registered_name: null,
  });
  assert.ok(keras instanceof regularizers.L2);
  assert.equal(keras.getConfig().l2, 0.009999999776482582);
  const tfjsL1L2 = regularizers.getRegularizer({
    class_name: 'L1L2',
    config: { l1: 0, l2: 0.0010000000474974513 },
  });
  assertClose(tfjsL1L2.apply(X), 0.03, 1e-6); // 0.001·30
  const ortho = regularizers.getRegularizer({
    class_name: 'OrthogonalRegularizer',
    config: { factor: 0.009999999776482582, mode: 'columns' },
  });
  assert.ok(ortho instanceof regularizers.OrthogonalRegularizer);
  const kl = regularizers.getRegularizer({ className: 'sinew>KLSparsity', config: { beta: 2 } });
  assert.deepEqual(kl.getConfig(), { rho: 0.05, beta: 2 });
});

test('TensorFlow.js parity: l1, l2, l1l2 penalties on the same weights', async () => {
  await tf.setBackend('cpu');
  const values = Array.from({ length: 24 }, (_, i) => Math.sin(i * 1.7) * (i % 5));
  const ours = sn.tensor(values, [4, 6]);
  const theirs = tf.tensor(values, [4, 6]);
  const pairs: [regularizers.Regularizer, { apply(x: tf.Tensor): tf.Scalar }][] = [
    [regularizers.l1(0.03), tf.regularizers.l1({ l1: 0.03 })],
    [regularizers.l2(0.02), tf.regularizers.l2({ l2: 0.02 })],
    [regularizers.l1l2({ l1: 0.01, l2: 0.05 }), tf.regularizers.l1l2({ l1: 0.01, l2: 0.05 })],
    [regularizers.l1l2({ l2: 0.05 }), tf.regularizers.l1l2({ l1: 0, l2: 0.05 })],
  ];
  for (const [mine, ref] of pairs) {
    assertClose(mine.apply(ours), ref.apply(theirs).dataSync()[0]!, 1e-6);
  }
});
