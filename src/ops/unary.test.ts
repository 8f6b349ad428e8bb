import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { assertClose } from '../../test/helpers.js';

// Oracles: each op's formula written again here with Math.*, known constants (erf, SELU),
// and erf by Simpson's rule on its defining integral (2/√π ∫₀ˣ e^(−t²) dt).

function erfBySimpson(x: number): number {
  const n = 4000;
  const h = x / n;
  const g = (t: number): number => Math.exp(-t * t);
  let s = g(0) + g(x);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * g(i * h);
  return ((s * h) / 3) * (2 / Math.sqrt(Math.PI));
}

// SELU constants from Klambauer et al. (2017), "Self-Normalizing Neural Networks":
// alpha = 1.6732632423543772848170429916717, scale = 1.0507009873554804934193349852946,
// here rounded to float64.
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

const f64 = (values: number[], shape?: number[]): sn.Tensor => sn.tensor(values, shape, 'float64');
const values = (t: sn.Tensor): number[] => Array.from(t.dataSync());

interface Case {
  f: (x: sn.Tensor) => sn.Tensor;
  ref: (x: number) => number;
  /** Inputs for values (inside the op's domain). */
  points: number[];
  /** Inputs for gradCheck (away from kinks); undefined for ops without a gradient. */
  gradPoints?: number[];
}

const GENERAL = [-3, -1.5, -0.5, -0.1, 0, 0.3, 1, 2.5];
const AWAY = [-2.1, -0.7, -0.2, 0.4, 1.3, 2.6];
const POSITIVE = [0.01, 0.3, 1, 2.5, 4, 100];
const POSITIVE_GRAD = [0.3, 1.1, 2.7, 4.2];

const CASES: Record<string, Case> = {
  neg: { f: sn.neg, ref: (x) => -x, points: GENERAL, gradPoints: AWAY },
  abs: { f: sn.abs, ref: (x) => (x < 0 ? -x : x), points: GENERAL, gradPoints: AWAY },
  sign: { f: sn.sign, ref: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), points: GENERAL, gradPoints: AWAY },
  square: { f: sn.square, ref: (x) => x * x, points: GENERAL, gradPoints: AWAY },
  sqrt: { f: sn.sqrt, ref: (x) => x ** 0.5, points: POSITIVE, gradPoints: POSITIVE_GRAD },
  rsqrt: { f: sn.rsqrt, ref: (x) => x ** -0.5, points: POSITIVE, gradPoints: POSITIVE_GRAD },
  reciprocal: {
    f: sn.reciprocal,
    ref: (x) => 1 / x,
    points: [-3, -0.5, 0.3, 2.5],
    gradPoints: AWAY,
  },
  exp: { f: sn.exp, ref: (x) => Math.E ** x, points: GENERAL, gradPoints: AWAY },
  expm1: { f: sn.expm1, ref: (x) => Math.exp(x) - 1, points: GENERAL, gradPoints: AWAY },
  log: { f: sn.log, ref: (x) => Math.log(x), points: POSITIVE, gradPoints: POSITIVE_GRAD },
  log1p: {
    f: sn.log1p,
    ref: (x) => Math.log(1 + x),
    points: [-0.9, -0.5, 0, 0.3, 1, 2.5],
    gradPoints: [-0.7, -0.2, 0.4, 2.6],
  },
  erf: {
    f: sn.erf,
    ref: erfBySimpson,
    points: [-3, -2, -1.99, -0.5, 0, 0.3, 1, 1.5, 2.5, 4],
    gradPoints: AWAY,
  },
  floor: {
    f: sn.floor,
    ref: (x) => Math.floor(x),
    points: [-1.5, -0.5, -0.1, 0, 0.3, 1, 2.5],
    gradPoints: AWAY,
  },
  sigmoid: { f: sn.sigmoid, ref: (x) => 1 / (1 + Math.exp(-x)), points: GENERAL, gradPoints: AWAY },
  logSigmoid: {
    f: sn.logSigmoid,
    ref: (x) => Math.log(1 / (1 + Math.exp(-x))),
    points: GENERAL,
    gradPoints: AWAY,
  },
  tanh: {
    f: sn.tanh,
    ref: (x) => (Math.exp(2 * x) - 1) / (Math.exp(2 * x) + 1),
    points: GENERAL,
    gradPoints: AWAY,
  },
  relu: { f: sn.relu, ref: (x) => Math.max(x, 0), points: GENERAL, gradPoints: AWAY },
  relu6: {
    f: sn.relu6,
    ref: (x) => Math.min(Math.max(x, 0), 6),
    points: [-1, 0, 3, 6, 7.5],
    gradPoints: [-1, 0.5, 3, 5.5, 6.5, 9],
  },
  leakyRelu: {
    f: (x) => sn.leakyRelu(x),
    ref: (x) => (x > 0 ? x : 0.2 * x),
    points: GENERAL,
    gradPoints: AWAY,
  },
  leakyReluAlpha: {
    f: (x) => sn.leakyRelu(x, { alpha: 0.05 }),
    ref: (x) => (x > 0 ? x : 0.05 * x),
    points: GENERAL,
    gradPoints: AWAY,
  },
  elu: {
    f: (x) => sn.elu(x),
    ref: (x) => (x > 0 ? x : Math.exp(x) - 1),
    points: GENERAL,
    gradPoints: AWAY,
  },
  eluAlpha: {
    f: (x) => sn.elu(x, { alpha: 0.5 }),
    ref: (x) => (x > 0 ? x : 0.5 * (Math.exp(x) - 1)),
    points: GENERAL,
    gradPoints: AWAY,
  },
  selu: {
    f: sn.selu,
    ref: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1)),
    points: GENERAL,
    gradPoints: AWAY,
  },
  // Keras: gelu(x) = 0.5·x·(1 + erf(x/√2)); approximate: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
  gelu: {
    f: (x) => sn.gelu(x),
    ref: (x) => 0.5 * x * (1 + erfBySimpson(x / Math.SQRT2)),
    points: GENERAL,
    gradPoints: AWAY,
  },
  geluApproximate: {
    f: (x) => sn.gelu(x, { approximate: true }),
    ref: (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
    points: GENERAL,
    gradPoints: AWAY,
  },
  softplus: {
    f: sn.softplus,
    ref: (x) => Math.log(1 + Math.exp(x)),
    points: GENERAL,
    gradPoints: AWAY,
  },
  softsign: {
    f: sn.softsign,
    ref: (x) => x / (1 + Math.abs(x)),
    points: GENERAL,
    gradPoints: AWAY,
  },
  swish: { f: sn.swish, ref: (x) => x / (1 + Math.exp(-x)), points: GENERAL, gradPoints: AWAY },
  clip: {
    f: (x) => sn.clip(x, { min: -1, max: 2 }),
    ref: (x) => Math.min(Math.max(x, -1), 2),
    points: GENERAL,
    gradPoints: [-2.1, -0.7, 0.4, 1.3, 2.6],
  },
  clipMin: {
    f: (x) => sn.clip(x, { min: 0.5 }),
    ref: (x) => Math.max(x, 0.5),
    points: GENERAL,
    gradPoints: AWAY,
  },
  clipMax: {
    f: (x) => sn.clip(x, { max: -0.5 }),
    ref: (x) => Math.min(x, -0.5),
    points: GENERAL,
    gradPoints: AWAY,
  },
  logicalNot: { f: sn.logicalNot, ref: (x) => (x === 0 ? 1 : 0), points: GENERAL },
};

for (const [name, c] of Object.entries(CASES)) {
  test(`${name}: values in float64 match the formula`, () => {
    const y = c.f(f64(c.points, [c.points.length]));
    assertClose(y, c.points.map(c.ref), 1e-12, [c.points.length]);
  });

  test(`${name}: values in float32 match the formula (computed at the float32 inputs)`, () => {
    const n = c.points.length;
    const shape = n % 2 === 0 ? [2, n / 2] : [n];
    const x = sn.tensor(c.points, shape);
    const y = c.f(x);
    assert.equal(y.dtype, name === 'logicalNot' ? 'bool' : 'float32');
    assertClose(y, Array.from(x.dataSync(), c.ref), 1e-6, shape);
  });

  if (c.gradPoints) {
    const points = c.gradPoints;
    test(`${name}: gradient matches finite differences`, () => {
      sn.testing.gradCheck((x) => c.f(x!), [f64(points)]);
      // Rank 2 and rank 0 as well: elementwise ops do not care about shape.
      sn.testing.gradCheck((x) => c.f(x!), [f64(points.slice(0, 4), [2, 2])]);
      sn.testing.gradCheck((x) => c.f(x!), [sn.scalar(points[1]!, 'float64')]);
    });
  }
}

test('erf at known values', () => {
  // Constants from tables of the error function.
  assertClose(
    sn.erf(f64([1, 0.5, -1, -0.5, 0])),
    [0.8427007929497149, 0.5204998778130465, -0.8427007929497149, -0.5204998778130465, 0],
    1e-15,
  );
  assertClose(
    sn.erf(f64([2, 3, 6, Infinity, -Infinity])),
    [0.9953222650189527, 0.9999779095030014, 1, 1, -1],
    1e-15,
  );
  // Odd function on a grid spanning both branches of the implementation (|x| < 2 and >= 2).
  const grid = Array.from({ length: 61 }, (_, i) => -6 + i * 0.2);
  const pos = values(sn.erf(f64(grid)));
  const neg = values(sn.erf(f64(grid.map((x) => -x))));
  pos.forEach((v, i) => assert.ok(v === -neg[i]!, `erf(${grid[i]}) = ${v}, erf(-x) = ${neg[i]}`));
  grid.forEach((x, i) =>
    assert.ok(Math.abs(pos[i]! - erfBySimpson(x)) < 1e-12, `erf(${x}) = ${pos[i]}`),
  );
});

test('gelu: exact and approximate agree to within 1e-3 and Keras-style values at 1', () => {
  // gelu(1) = 0.5·(1 + erf(1/√2)) = Φ(1) = 0.8413447460685429.
  assertClose(sn.gelu(f64([1])), [0.8413447460685429], 1e-14);
  const xs = f64([-3, -1, -0.5, 0.5, 1, 3]);
  const exact = values(sn.gelu(xs));
  const approx = values(sn.gelu(xs, { approximate: true }));
  exact.forEach((e, i) => assert.ok(Math.abs(e - approx[i]!) < 1e-3));
});

test('sigmoid, softplus, logSigmoid: finite and correct at ±100 and ±1000', () => {
  const x = f64([-1000, -100, 100, 1000]);
  const e100 = Math.exp(-100); // 3.72e-44, representable in float64
  const relClose = (got: number[], want: number[]): void =>
    got.forEach((g, i) => {
      const w = want[i]!;
      assert.ok(Number.isFinite(g), `element ${i} is ${g}`);
      assert.ok(
        Math.abs(g - w) <= 1e-12 * Math.max(Math.abs(w), 1e-300) || g === w,
        `element ${i}: ${g} vs ${w}`,
      );
    });
  relClose(values(sn.sigmoid(x)), [0, e100 / (1 + e100), 1 / (1 + e100), 1]);
  relClose(values(sn.softplus(x)), [0, e100, 100, 1000]);
  relClose(values(sn.logSigmoid(x)), [-1000, -100, -e100, 0]);
  // The same in float32 (no overflow, no NaN).
  const x32 = sn.tensor([-1000, -100, 100, 1000]);
  assertClose(sn.sigmoid(x32), [0, 0, 1, 1], 1e-7);
  assertClose(sn.softplus(x32), [0, 0, 100, 1000], 1e-7);
  assertClose(sn.logSigmoid(x32), [-1000, -100, 0, 0], 1e-7);
  // And their gradients: σ'(x) → 0, softplus'(x) = σ(x), logSigmoid'(x) = σ(−x).
  const g = (f: (t: sn.Tensor) => sn.Tensor): number[] => values(sn.grad((t) => sn.sum(f(t)))(x));
  assert.deepEqual(
    g(sn.sigmoid).map((v) => Math.abs(v) < 1e-40),
    [true, true, true, true],
  );
  relClose(g(sn.softplus), [0, e100 / (1 + e100), 1 / (1 + e100), 1]);
  relClose(g(sn.logSigmoid), [1, 1 / (1 + e100), e100 / (1 + e100), 0]);
});

test('tanh, swish, gelu, selu, elu, softsign at large |x|: finite limits', () => {
  const x = f64([-1000, 1000]);
  assertClose(sn.tanh(x), [-1, 1], 0);
  assertClose(sn.swish(x), [0, 1000], 0);
  assertClose(sn.gelu(x), [0, 1000], 0);
  assertClose(sn.gelu(x, { approximate: true }), [0, 1000], 0);
  assertClose(sn.selu(x), [-SELU_SCALE * SELU_ALPHA, SELU_SCALE * 1000], 1e-15);
  assertClose(sn.elu(x), [-1, 1000], 0);
  assertClose(sn.softsign(f64([-Infinity, Infinity, -1e300])), [-1, 1, -1], 1e-15);
  assertClose(sn.sigmoid(f64([-Infinity, Infinity])), [0, 1], 0);
});

test('expm1 and log1p are accurate near 0', () => {
  // exp(x) − 1 = x + x²/2 + ...; log(1 + x) = x − x²/2 + ...: relative errors below 1e-15.
  const x = 1e-10;
  const [em] = values(sn.expm1(f64([x])));
  const [lp] = values(sn.log1p(f64([x])));
  assert.ok(Math.abs(em! - (x + (x * x) / 2)) <= 1e-15 * x, `expm1: ${em}`);
  assert.ok(Math.abs(lp! - (x - (x * x) / 2)) <= 1e-15 * x, `log1p: ${lp}`);
  // In float32 too: 1e-10 is a normal float32, and the answer keeps all its digits.
  const x32 = Math.fround(1e-10);
  const [em32] = values(sn.expm1(sn.tensor([1e-10])));
  const [lp32] = values(sn.log1p(sn.tensor([1e-10])));
  assert.ok(Math.abs(em32! - x32) <= 1e-7 * x32);
  assert.ok(Math.abs(lp32! - x32) <= 1e-7 * x32);
});

test('domain edges: sqrt, log, rsqrt, reciprocal', () => {
  assertClose(sn.sqrt(f64([-1, 0, 4])), [NaN, 0, 2]);
  assertClose(sn.log(f64([-1, 0, 1])), [NaN, -Infinity, 0]);
  assertClose(sn.log1p(f64([-2, -1])), [NaN, -Infinity]);
  assertClose(sn.rsqrt(f64([-1, 0, 4])), [NaN, Infinity, 0.5]);
  assertClose(sn.reciprocal(f64([0, -0, 4])), [Infinity, -Infinity, 0.25]);
});

test('NaN propagates through every math op and activation', () => {
  const nan = f64([NaN]);
  for (const [name, c] of Object.entries(CASES)) {
    if (name === 'logicalNot') continue;
    assert.ok(Number.isNaN(c.f(nan).item()), `${name}(NaN) should be NaN`);
  }
  // logicalNot reads NaN as non-zero (true), so its negation is false.
  assert.deepEqual(sn.logicalNot(nan).arraySync(), [false]);
});

test('gradients at kinks follow the documented side', () => {
  const g = (f: (t: sn.Tensor) => sn.Tensor, xs: number[]): number[] =>
    values(sn.grad((t) => sn.sum(f(t)))(f64(xs)));
  assert.deepEqual(g(sn.relu, [-1, 0, 1]), [0, 0, 1]);
  assert.deepEqual(g(sn.relu6, [0, 3, 6, 7]), [0, 1, 0, 0]);
  assert.deepEqual(g(sn.abs, [-2, 0, 2]), [-1, 0, 1]);
  assert.deepEqual(
    g((t) => sn.leakyRelu(t, { alpha: 0.1 }), [-1, 0, 1]),
    [0.1, 0.1, 1],
  );
  assert.deepEqual(g(sn.sign, [-1, 0, 1]), [0, 0, 0]);
  assert.deepEqual(g(sn.floor, [-1.5, 0, 1.5]), [0, 0, 0]);
  // clip: the gradient passes where min <= x <= max, bounds included.
  assert.deepEqual(
    g((t) => sn.clip(t, { min: 0, max: 1 }), [-1, 0, 0.5, 1, 2]),
    [0, 1, 1, 1, 0],
  );
});

test('gradient values by hand: sqrt, exp, log, sigmoid, tanh', () => {
  const g = (f: (t: sn.Tensor) => sn.Tensor, xs: number[]): sn.Tensor =>
    sn.grad((t) => sn.sum(f(t)))(f64(xs));
  assertClose(g(sn.sqrt, [4, 0.25]), [0.25, 1], 1e-14);
  assertClose(g(sn.exp, [0, 1]), [1, Math.E], 1e-14);
  assertClose(g(sn.log, [2, 0.5]), [0.5, 2], 1e-14);
  assertClose(g(sn.sigmoid, [0]), [0.25], 1e-14);
  assertClose(g(sn.tanh, [0]), [1], 1e-14);
  assertClose(g(sn.erf, [0]), [2 / Math.sqrt(Math.PI)], 1e-14);
  assertClose(
    g((t) => sn.gelu(t), [0]),
    [0.5],
    1e-14,
  );
  assertClose(
    g((t) => sn.selu(t), [1, -1e-300]),
    [SELU_SCALE, SELU_SCALE * SELU_ALPHA],
    1e-14,
  );
});

test('dtype rules: float keeps its dtype; math on int32/bool gives float32', () => {
  const i = sn.tensor([1, 4], undefined, 'int32');
  const b = sn.tensor([true, false]);
  for (const f of [
    sn.exp,
    sn.sqrt,
    sn.log,
    sn.sigmoid,
    sn.tanh,
    sn.erf,
    sn.reciprocal,
    sn.softplus,
    sn.gelu,
    sn.elu,
  ]) {
    assert.equal(f(i).dtype, 'float32', f.name);
    assert.equal(f(b).dtype, 'float32', f.name);
  }
  assertClose(sn.exp(i), [Math.E, Math.E ** 4], 1e-6);
  assertClose(sn.sqrt(i), [1, 2]);
  assertClose(sn.sigmoid(b), [1 / (1 + Math.exp(-1)), 0.5]);
  assertClose(sn.leakyRelu(sn.tensor([-5, 3], undefined, 'int32')), [-1, 3]);
  assert.equal(sn.leakyRelu(i).dtype, 'float32');
  for (const [name, c] of Object.entries(CASES)) {
    if (name === 'logicalNot') continue;
    assert.equal(c.f(f64([0.5])).dtype, 'float64', name);
  }
});

test('dtype rules: neg, abs, sign, square, floor, relu, relu6 keep int32; bool computes as int32', () => {
  const i = sn.tensor([-7, 0, 3, 9], undefined, 'int32');
  const cases: [(t: sn.Tensor) => sn.Tensor, number[]][] = [
    [sn.neg, [7, 0, -3, -9]],
    [sn.abs, [7, 0, 3, 9]],
    [sn.sign, [-1, 0, 1, 1]],
    [sn.square, [49, 0, 9, 81]],
    [sn.floor, [-7, 0, 3, 9]],
    [sn.relu, [0, 0, 3, 9]],
    [sn.relu6, [0, 0, 3, 6]],
  ];
  for (const [f, want] of cases) {
    const y = f(i);
    assert.equal(y.dtype, 'int32', f.name);
    assert.deepEqual(values(y), want, f.name);
  }
  const b = sn.tensor([true, false]);
  assert.equal(sn.abs(b).dtype, 'int32');
  assert.deepEqual(values(sn.abs(b)), [1, 0]);
  assert.deepEqual(values(sn.neg(b)), [-1, 0]);
  assert.equal(sn.relu(b).dtype, 'int32');
});

test('logicalNot reads any dtype as a mask and gives bool', () => {
  assert.deepEqual(sn.logicalNot(sn.tensor([true, false])).arraySync(), [false, true]);
  assert.deepEqual(sn.logicalNot(sn.tensor([0, 2, -1], undefined, 'int32')).arraySync(), [
    true,
    false,
    false,
  ]);
  assert.deepEqual(sn.logicalNot(sn.tensor([0, 0.5])).arraySync(), [true, false]);
  assert.equal(sn.logicalNot(sn.tensor([1])).dtype, 'bool');
});

test('clip dtype: int32 with integer bounds stays int32; a fractional bound gives float32', () => {
  const i = sn.tensor([-3, 1, 5], undefined, 'int32');
  const y = sn.clip(i, { min: 0, max: 2 });
  assert.equal(y.dtype, 'int32');
  assert.deepEqual(values(y), [0, 1, 2]);
  const z = sn.clip(i, { min: 0.5 });
  assert.equal(z.dtype, 'float32');
  assert.deepEqual(values(z), [0.5, 1, 5]);
  // No bounds: x itself.
  assert.equal(sn.clip(i), i);
});

test('shapes are kept, including zero-size and rank 0', () => {
  assert.deepEqual(sn.exp(sn.zeros([0, 3])).shape, [0, 3]);
  assert.deepEqual(sn.relu(sn.zeros([2, 0])).shape, [2, 0]);
  assertClose(sn.sigmoid(sn.scalar(0)), 0.5, 0, []);
  assertClose(
    sn.neg([
      [1, 2],
      [3, 4],
    ]),
    [-1, -2, -3, -4],
    0,
    [2, 2],
  );
  assertClose(sn.abs(-2), 2, 0, []);
});

test('method form agrees with function form', () => {
  const x = f64([-1.5, -0.2, 0.3, 2]);
  const names = [
    'neg',
    'abs',
    'sign',
    'square',
    'exp',
    'expm1',
    'erf',
    'floor',
    'sigmoid',
    'logSigmoid',
    'tanh',
    'relu',
    'relu6',
    'leakyRelu',
    'elu',
    'selu',
    'gelu',
    'softplus',
    'softsign',
    'swish',
    'logicalNot',
    'reciprocal',
  ] as const;
  for (const name of names) {
    const method = (x[name] as () => sn.Tensor).call(x);
    const fn = (sn[name] as (t: sn.Tensor) => sn.Tensor)(x);
    assert.deepEqual(method.dataSync(), fn.dataSync(), name);
    assert.equal(method.dtype, fn.dtype, name);
  }
  const p = f64([0.5, 2]);
  assert.deepEqual(p.sqrt().dataSync(), sn.sqrt(p).dataSync());
  assert.deepEqual(p.rsqrt().dataSync(), sn.rsqrt(p).dataSync());
  assert.deepEqual(p.log().dataSync(), sn.log(p).dataSync());
  assert.deepEqual(p.log1p().dataSync(), sn.log1p(p).dataSync());
  assert.deepEqual(
    x.leakyRelu({ alpha: 0.3 }).dataSync(),
    sn.leakyRelu(x, { alpha: 0.3 }).dataSync(),
  );
  assert.deepEqual(x.elu({ alpha: 2 }).dataSync(), sn.elu(x, { alpha: 2 }).dataSync());
  assert.deepEqual(
    x.gelu({ approximate: true }).dataSync(),
    sn.gelu(x, { approximate: true }).dataSync(),
  );
  assert.deepEqual(
    x.clip({ min: 0, max: 1 }).dataSync(),
    sn.clip(x, { min: 0, max: 1 }).dataSync(),
  );
});

test('bad options and inputs are typed errors', () => {
  const x = sn.tensor([1, -1]);
  const config = (re: RegExp) => (e: unknown) =>
    e instanceof sn.ConfigError && re.test((e as Error).message);
  // tfjs-style positional alpha.
  assert.throws(
    () => sn.leakyRelu(x, 0.1 as never),
    config(/leakyRelu: the last argument must be an options object.*\{ alpha/),
  );
  assert.throws(
    () => sn.leakyRelu(x, { alpha: Number.NaN }),
    config(/leakyRelu: alpha must be a finite number, received NaN/),
  );
  assert.throws(
    () => sn.elu(x, { alpha: '1' as never }),
    config(/elu: alpha must be a finite number, received "1"/),
  );
  assert.throws(
    () => sn.gelu(x, { approximate: 'tanh' as never }),
    config(/gelu: approximate must be true or false, received "tanh"/),
  );
  assert.throws(
    () => sn.gelu(x, true as never),
    config(/gelu: the last argument must be an options object/),
  );
  assert.throws(
    () => sn.clip(x, { min: 2, max: 1 }),
    config(/clip: min must be <= max, received min 2 and max 1/),
  );
  assert.throws(
    () => sn.clip(x, { min: Number.NaN }),
    config(/clip: min must be a number, received NaN/),
  );
  assert.throws(
    () => sn.clip(x, { max: '1' as never }),
    config(/clip: max must be a number, received "1"/),
  );
  assert.throws(
    () => sn.clip(x, 0 as never),
    config(/clip: the last argument must be an options object/),
  );
  assert.throws(
    () => sn.exp(undefined as never),
    config(/exp: argument 'x' is required, received undefined/),
  );
  assert.throws(
    () => sn.relu('a' as never),
    config(/relu: argument 'x' could not be made into a tensor/),
  );
});

test('the gradient of a float32 op is float32; int inputs get no gradient', () => {
  const x = sn.tensor([0.5, 1.5]);
  const gx = sn.grad((t) => sn.sum(sn.exp(t)))(x);
  assert.equal(gx.dtype, 'float32');
  assertClose(gx, [Math.exp(0.5), Math.exp(1.5)], 1e-6);
  const i = sn.tensor([1, 2], undefined, 'int32');
  const gi = sn.grad((t) => sn.sum(sn.exp(t)))(i);
  assert.deepEqual(values(gi), [0, 0]);
});
