import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { assertClose } from '../../test/helpers.js';

// Oracle: a plain-JS reduction that groups the elements of a flat row-major array by their
// index on the kept axes and applies `f` to each group.
function reference(
  values: readonly number[],
  shape: readonly number[],
  axes: readonly number[],
  f: (group: number[]) => number,
): number[] {
  const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const groups: number[][] = Array.from({ length: outShape.reduce((a, b) => a * b, 1) }, () => []);
  for (let flat = 0; flat < values.length; flat++) {
    let rest = flat;
    let out = 0;
    let outStride = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      const i = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
      if (!axes.includes(d)) out += i * outStride;
      outStride *= outShape[d]!;
    }
    groups[out]!.push(values[flat]!);
  }
  return groups.map(f);
}

const SHAPE = [2, 3, 4];
// Distinct values, distinct absolute values, no zeros: no ties for max/min/norm gradients.
const VALUES = Array.from({ length: 24 }, (_, k) => (((k * 7) % 24) - 11.3) / 5);
const X = sn.tensor(VALUES, SHAPE);

const total = (g: number[]): number => g.reduce((a, b) => a + b, 0);
const meanOf = (g: number[]): number => total(g) / g.length;
const varianceOf = (g: number[]): number => meanOf(g.map((v) => (v - meanOf(g)) ** 2));

type Reduction = (
  x: sn.Tensor,
  axis: number | number[] | undefined,
  keepDims: boolean,
) => sn.Tensor;

const OPS: { name: string; op: Reduction; oracle: (g: number[]) => number }[] = [
  { name: 'sum', op: (x, a, k) => sn.sum(x, a, { keepDims: k }), oracle: total },
  { name: 'mean', op: (x, a, k) => sn.mean(x, a, { keepDims: k }), oracle: meanOf },
  { name: 'max', op: (x, a, k) => sn.max(x, a, { keepDims: k }), oracle: (g) => Math.max(...g) },
  { name: 'min', op: (x, a, k) => sn.min(x, a, { keepDims: k }), oracle: (g) => Math.min(...g) },
  {
    name: 'prod',
    op: (x, a, k) => sn.prod(x, a, { keepDims: k }),
    oracle: (g) => g.reduce((a, b) => a * b, 1),
  },
  { name: 'variance', op: (x, a, k) => sn.variance(x, a, { keepDims: k }), oracle: varianceOf },
  {
    name: 'std',
    op: (x, a, k) => sn.std(x, a, { keepDims: k }),
    oracle: (g) => Math.sqrt(varianceOf(g)),
  },
  {
    name: 'logSumExp',
    op: (x, a, k) => sn.logSumExp(x, a, { keepDims: k }),
    oracle: (g) => Math.log(total(g.map(Math.exp))),
  },
  {
    name: 'norm (default)',
    op: (x, a, k) => sn.norm(x, a, { keepDims: k }),
    oracle: (g) => Math.sqrt(total(g.map((v) => v * v))),
  },
  {
    name: 'norm ord 2',
    op: (x, a, k) => sn.norm(x, a, { ord: 2, keepDims: k }),
    oracle: (g) => Math.sqrt(total(g.map((v) => v * v))),
  },
  {
    name: "norm ord 'fro'",
    op: (x, a, k) => sn.norm(x, a, { ord: 'fro', keepDims: k }),
    oracle: (g) => Math.sqrt(total(g.map((v) => v * v))),
  },
  {
    name: 'norm ord 1',
    op: (x, a, k) => sn.norm(x, a, { ord: 1, keepDims: k }),
    oracle: (g) => total(g.map(Math.abs)),
  },
  {
    name: 'norm ord Infinity',
    op: (x, a, k) => sn.norm(x, a, { ord: Infinity, keepDims: k }),
    oracle: (g) => Math.max(...g.map(Math.abs)),
  },
];

// Every axis form: all (undefined), single, negative, several (in any order), all listed, none.
const AXES: { axis: number | number[] | undefined; resolved: number[] }[] = [
  { axis: undefined, resolved: [0, 1, 2] },
  { axis: 0, resolved: [0] },
  { axis: 1, resolved: [1] },
  { axis: -1, resolved: [2] },
  { axis: [0, 2], resolved: [0, 2] },
  { axis: [-1, 0], resolved: [0, 2] },
  { axis: [0, 1, 2], resolved: [0, 1, 2] },
  { axis: [], resolved: [] },
];

function expectedShape(resolved: number[], keepDims: boolean): number[] {
  return keepDims
    ? SHAPE.map((d, i) => (resolved.includes(i) ? 1 : d))
    : SHAPE.filter((_, i) => !resolved.includes(i));
}

for (const { name, op, oracle } of OPS) {
  test(`${name}: values and shapes for every axis form, with and without keepDims`, () => {
    for (const { axis, resolved } of AXES) {
      for (const keepDims of [false, true]) {
        const y = op(X, axis, keepDims);
        const want = reference(VALUES, SHAPE, resolved, oracle);
        assert.equal(y.dtype, 'float32', `${name} axis ${String(axis)}`);
        assertClose(y, want, 1e-5, expectedShape(resolved, keepDims));
      }
    }
  });

  test(`${name}: gradCheck for every axis form, with and without keepDims`, () => {
    for (const { axis } of AXES) {
      for (const keepDims of [false, true]) {
        sn.testing.gradCheck((x) => op(x, axis, keepDims), [X]);
      }
    }
  });

  test(`${name}: keeps float64`, () => {
    assert.equal(op(sn.cast(X, 'float64'), 1, false).dtype, 'float64');
  });
}

test('hand values: sum, mean, max, min, prod of a small matrix', () => {
  const x = sn.tensor([
    [1, 5, 3],
    [4, 2, 6],
  ]);
  assertClose(sn.sum(x), 21, 0, []);
  assertClose(sn.sum(x, 0), [5, 7, 9], 0, [3]);
  assertClose(sn.sum(x, 1, { keepDims: true }), [9, 12], 0, [2, 1]);
  assertClose(sn.mean(x, -1), [3, 4], 1e-7, [2]);
  assertClose(sn.max(x, 1), [5, 6], 0, [2]);
  assertClose(sn.min(x, 0), [1, 2, 3], 0, [3]);
  assertClose(sn.max(x), 6, 0, []);
  assertClose(sn.prod(x, 0), [4, 10, 18], 0, [3]);
  assertClose(sn.prod(x), 720, 0, []);
});

test('hand values: variance, std, logSumExp, norm', () => {
  assertClose(sn.variance([1, 2, 3, 4]), 1.25, 1e-7, []);
  assertClose(sn.std([1, 2, 3, 4]), Math.sqrt(1.25), 1e-7, []);
  // Rows [1, 3] and [2, 6]: variances 1 and 4.
  assertClose(
    sn.variance(
      [
        [1, 3],
        [2, 6],
      ],
      1,
    ),
    [1, 4],
    1e-7,
    [2],
  );
  assertClose(
    sn.std(
      [
        [1, 3],
        [2, 6],
      ],
      1,
      { keepDims: true },
    ),
    [1, 2],
    1e-7,
    [2, 1],
  );
  assertClose(sn.variance([5, 5, 5]), 0, 0, []);
  assertClose(sn.logSumExp([0, 0]), Math.LN2, 1e-7, []);
  assertClose(sn.logSumExp([0, Math.log(3)]), Math.log(4), 1e-6, []);
  assertClose(sn.norm([3, -4]), 5, 1e-7, []);
  assertClose(sn.norm([3, -4], undefined, { ord: 'euclidean' }), 5, 1e-7, []);
  assertClose(sn.norm([3, -4], undefined, { ord: 1 }), 7, 0, []);
  assertClose(sn.norm([3, -4], undefined, { ord: Infinity }), 4, 0, []);
  // All axes of a matrix: the Frobenius norm, sqrt(1 + 4 + 4 + 16) = 5.
  assertClose(
    sn.norm([
      [1, 2],
      [-2, 4],
    ]),
    5,
    1e-7,
    [],
  );
});

test('logSumExp is stable for large magnitudes', () => {
  assertClose(sn.logSumExp([1000, 1000]), 1000 + Math.LN2, 1e-7, []);
  assertClose(sn.logSumExp([-1000, -1000]), -1000 + Math.LN2, 1e-7, []);
  assertClose(sn.logSumExp([1000, 0]), 1000, 1e-7, []);
  assertClose(sn.logSumExp([-Infinity, 0]), 0, 0, []);
  assertClose(sn.logSumExp([-Infinity, -Infinity]), -Infinity, 0, []);
  assertClose(sn.logSumExp([Infinity, 1]), Infinity, 0, []);
  sn.testing.gradCheck((x) => sn.logSumExp(x), [sn.tensor([500, 501, 499.5])]);
});

test('logSumExp gradient is the softmax over the reduced axes (hand values)', () => {
  // d/dx log(e^0 + e^{log 3}) = [1, 3] / 4
  const x = sn.variable(sn.tensor([0, Math.log(3)]));
  assertClose(sn.valueAndGrads(() => sn.logSumExp(x), [x]).grads.get(x), [0.25, 0.75], 1e-6, [2]);
  // Axes 0 and 2 of a [2, 1, 2] tensor (axis 1 lies between them, so they are moved to the
  // end): one line, [0, log 3, log 2, log 2], e^x = [1, 3, 2, 2] over a total of 8; dy = 2.
  const y = sn.variable(sn.tensor([0, Math.log(3), Math.log(2), Math.log(2)], [2, 1, 2]));
  const { grads } = sn.valueAndGrads(() => sn.mul(sn.logSumExp(y, [0, 2]), 2), [y]);
  assertClose(grads.get(y), [2 / 8, 6 / 8, 4 / 8, 4 / 8], 1e-6, [2, 1, 2]);
  // Two lines over axes [0, 2] of a [2, 2, 2] tensor: line j holds x[i][j][k] for all i, k.
  const v = [0, 1, 2, 3, 4, 5, 6, 7];
  const z = sn.variable(sn.tensor(v, [2, 2, 2]));
  const g = sn.valueAndGrads(() => sn.sum(sn.logSumExp(z, [0, 2])), [z]).grads.get(z);
  const line = (j: number) => [0, 1].flatMap((i) => [0, 1].map((k) => v[i * 4 + j * 2 + k]!));
  const soft = (j: number, value: number) =>
    Math.exp(value) / line(j).reduce((a, b) => a + Math.exp(b), 0);
  const want = v.map((value, flat) => soft(Math.floor(flat / 2) % 2, value));
  assertClose(g, want, 1e-6, [2, 2, 2]);
});

test('max and min split the gradient equally among ties', () => {
  const x = sn.variable(sn.tensor([1, 3, 3, 2]));
  const { grads } = sn.valueAndGrads(() => sn.max(x), [x]);
  assertClose(grads.get(x), [0, 0.5, 0.5, 0], 0, [4]);
  const y = sn.variable(
    sn.tensor([
      [2, 2, 5],
      [1, 7, 4],
    ]),
  );
  // min along axis 1 with weights [1, 10]: row 0 ties at 2 (split), row 1 picks 1.
  const { grads: g2 } = sn.valueAndGrads(() => sn.sum(sn.mul(sn.min(y, 1), [1, 10])), [y]);
  assertClose(
    g2.get(y),
    [
      [0.5, 0.5, 0],
      [10, 0, 0],
    ].flat(),
    0,
    [2, 3],
  );
});

test('prod gradient is the product of the other elements, also with zeros', () => {
  const x = sn.variable(
    sn.tensor([
      [2, 0, 3],
      [0, 0, 5],
      [2, 3, 4],
    ]),
  );
  const { grads } = sn.valueAndGrads(() => sn.sum(sn.prod(x, 1)), [x]);
  assertClose(
    grads.get(x),
    [
      [0, 6, 0],
      [0, 0, 0],
      [12, 8, 6],
    ].flat(),
    0,
    [3, 3],
  );
  // prod is multilinear, so finite differences are exact even at zeros.
  sn.testing.gradCheck(
    (t) => sn.prod(t, 0),
    [
      sn.tensor([
        [1, 0, 3],
        [0, 2, 0],
        [1, 2, 3],
      ]),
    ],
  );
  sn.testing.gradCheck(
    (t) => sn.prod(t),
    [
      sn.tensor([
        [1, 0.5],
        [-2, 3],
      ]),
    ],
  );
});

test('std and the euclidean norm give a zero gradient (not NaN) where they are 0', () => {
  const x = sn.variable(
    sn.tensor([
      [4, 4, 4],
      [1, 2, 3],
    ]),
  );
  const { grads } = sn.valueAndGrads(() => sn.sum(sn.std(x, 1)), [x]);
  // Row 1: d std/dx = (x − mean)/(n·std) with std = sqrt(2/3).
  const s = Math.sqrt(2 / 3);
  assertClose(
    grads.get(x),
    [
      [0, 0, 0],
      [-1 / (3 * s), 0, 1 / (3 * s)],
    ].flat(),
    1e-6,
    [2, 3],
  );
  const z = sn.variable(
    sn.tensor([
      [0, 0],
      [3, 4],
    ]),
  );
  const { grads: g2 } = sn.valueAndGrads(() => sn.sum(sn.norm(z, 1)), [z]);
  assertClose(
    g2.get(z),
    [
      [0, 0],
      [0.6, 0.8],
    ].flat(),
    1e-7,
    [2, 2],
  );
});

test('sum of bool counts as int32; prod of bool is int32; max/min of bool are any/all', () => {
  const b = sn.tensor([
    [true, false, true],
    [false, false, true],
  ]);
  const count = sn.sum(b);
  assert.equal(count.dtype, 'int32');
  assertClose(count, 3, 0, []);
  assertClose(sn.sum(b, 0), [1, 0, 2], 0, [3]);
  assert.equal(sn.prod(b, 1).dtype, 'int32');
  assertClose(sn.prod(b, 0), [0, 0, 1], 0, [3]);
  assert.equal(sn.max(b, 1).dtype, 'bool');
  assertClose(sn.max(b, 1), [1, 1], 0, [2]);
  assertClose(sn.min(b, 0), [0, 0, 1], 0, [3]);
  assert.equal(sn.mean(b).dtype, 'float32');
  assertClose(sn.mean(b), 0.5, 1e-7, []);
});

test('int32 inputs: sum, max, min, prod stay int32; mean, variance, std, logSumExp, norm give float32', () => {
  const x = sn.tensor(
    [
      [1, 2],
      [3, 5],
    ],
    undefined,
    'int32',
  );
  for (const [y, dtype, want] of [
    [sn.sum(x, 0), 'int32', [4, 7]],
    [sn.max(x, 0), 'int32', [3, 5]],
    [sn.min(x, 1), 'int32', [1, 3]],
    [sn.prod(x, 1), 'int32', [2, 15]],
    [sn.mean(x, 1), 'float32', [1.5, 4]],
    [sn.variance(x, 1), 'float32', [0.25, 1]],
    [sn.std(x, 1), 'float32', [0.5, 1]],
    [
      sn.logSumExp(x, 1),
      'float32',
      [Math.log(Math.exp(1) + Math.exp(2)), Math.log(Math.exp(3) + Math.exp(5))],
    ],
    [sn.norm(x, 0), 'float32', [Math.sqrt(10), Math.sqrt(29)]],
    [sn.norm(x, 0, { ord: 1 }), 'float32', [4, 7]],
  ] as const) {
    assert.equal(y.dtype, dtype);
    assertClose(y, [...want], 1e-6, [2]);
  }
});

test('mean of an int32 tensor is a fractional float32', () => {
  const y = sn.mean(sn.tensor([1, 2], undefined, 'int32'));
  assert.equal(y.dtype, 'float32');
  assertClose(y, 1.5, 0, []);
});

test('reducing over no axes returns x unchanged (variance: zeros)', () => {
  const x = sn.tensor([
    [1, -2],
    [3, 4],
  ]);
  for (const f of [sn.sum, sn.mean, sn.max, sn.min, sn.prod, sn.logSumExp]) {
    assertClose(
      f(x, []),
      [
        [1, -2],
        [3, 4],
      ].flat(),
      1e-7,
      [2, 2],
    );
  }
  assertClose(
    sn.norm(x, []),
    [
      [1, 2],
      [3, 4],
    ].flat(),
    0,
    [2, 2],
  );
  assertClose(
    sn.norm(x, [], { ord: 1 }),
    [
      [1, 2],
      [3, 4],
    ].flat(),
    0,
    [2, 2],
  );
  assertClose(
    sn.variance(x, []),
    [
      [0, 0],
      [0, 0],
    ].flat(),
    0,
    [2, 2],
  );
  assertClose(
    sn.std(x, [], { keepDims: true }),
    [
      [0, 0],
      [0, 0],
    ].flat(),
    0,
    [2, 2],
  );
  sn.testing.gradCheck((t) => sn.sum(t, []), [x]);
});

test('rank-0 input: every reduction is over no axes, and axis 0 does not exist', () => {
  const s = sn.scalar(3);
  for (const f of [sn.sum, sn.mean, sn.max, sn.min, sn.prod, sn.logSumExp, sn.norm]) {
    assertClose(f(s), 3, 0, []);
    assert.throws(
      () => f(s, 0),
      (e: unknown) => e instanceof sn.ShapeError && /rank-0 tensor has no axes/.test(e.message),
    );
  }
  assertClose(sn.variance(s), 0, 0, []);
  assertClose(sn.std(s), 0, 0, []);
  assertClose(sn.norm(sn.scalar(-3)), 3, 0, []);
  sn.testing.gradCheck((t) => sn.max(t), [sn.scalar(2)]);
});

test('an empty axis: sum 0, prod 1, mean NaN', () => {
  const e = sn.zeros([2, 0]);
  assertClose(sn.sum(e, 1), [0, 0], 0, [2]);
  assertClose(sn.prod(e, 1), [1, 1], 0, [2]);
  assertClose(sn.mean(e, 1), [NaN, NaN], 0, [2]);
  assertClose(sn.sum(e, 0), [], 0, [0]);
});

test('max and min propagate NaN', () => {
  assertClose(sn.max([1, NaN, 3]), NaN, 0, []);
  assertClose(
    sn.min(
      [
        [1, 2],
        [NaN, 0],
      ],
      1,
    ),
    [1, NaN],
    0,
    [2],
  );
});

test('bad axes are ShapeErrors naming the valid range or the repeat', () => {
  const x = sn.zeros([2, 3, 4]);
  for (const f of [
    sn.sum,
    sn.mean,
    sn.max,
    sn.min,
    sn.prod,
    sn.variance,
    sn.std,
    sn.logSumExp,
    sn.norm,
  ]) {
    assert.throws(
      () => f(x, 3),
      (e) =>
        e instanceof sn.ShapeError &&
        /axis 3 is out of range/.test(e.message) &&
        /-3\.\.2/.test(e.message),
    );
    assert.throws(
      () => f(x, [0, -4]),
      (e) => e instanceof sn.ShapeError && /-3\.\.2/.test(e.message),
    );
    assert.throws(
      () => f(x, [1, -2]),
      (e) => e instanceof sn.ShapeError && /same axis twice/.test(e.message),
    );
    assert.throws(
      () => f(x, 1.5),
      (e) => e instanceof sn.ShapeError && /1\.5/.test(e.message),
    );
  }
});

test('a non-object options argument is a ConfigError showing the right form', () => {
  const x = sn.zeros([2, 3]);
  // tfjs passes keepDims positionally; sinew takes an options object.
  const loose = (f: typeof sn.max): unknown => f(x, 1, true as unknown as sn.ReduceOptions);
  for (const f of [sn.sum, sn.mean, sn.max, sn.min, sn.prod, sn.variance, sn.std, sn.logSumExp]) {
    assert.throws(
      () => loose(f),
      (e) => e instanceof sn.ConfigError && /keepDims: true/.test(e.message),
    );
  }
});

test('norm rejects an unsupported ord', () => {
  for (const ord of [3, 0, -Infinity, 'nuc']) {
    assert.throws(
      () => sn.norm([1, 2], undefined, { ord: ord as 2 }),
      (e) => e instanceof sn.ConfigError && /ord must be 1, 2, Infinity/.test(e.message),
    );
  }
});

// ---- argMax, argMin ----

test('argMax and argMin along every axis match a JS oracle', () => {
  const argOf = (better: (a: number, b: number) => boolean) => (g: number[]) =>
    g.reduce((best, v, i) => (better(v, g[best]!) ? i : best), 0);
  for (const axis of [0, 1, 2, -1, -3]) {
    const a = axis < 0 ? axis + 3 : axis;
    const shape = SHAPE.filter((_, i) => i !== a);
    const maxIdx = sn.argMax(X, axis);
    assert.equal(maxIdx.dtype, 'int32');
    assertClose(
      maxIdx,
      reference(
        VALUES,
        SHAPE,
        [a],
        argOf((v, b) => v > b),
      ),
      0,
      shape,
    );
    assertClose(
      sn.argMin(X, axis),
      reference(
        VALUES,
        SHAPE,
        [a],
        argOf((v, b) => v < b),
      ),
      0,
      shape,
    );
  }
});

test('argMax and argMin: default last axis, first index on ties, NaN wins', () => {
  const x = sn.tensor([
    [1, 7, 7, 0],
    [3, 3, 1, 1],
  ]);
  assertClose(sn.argMax(x), [1, 0], 0, [2]);
  assertClose(sn.argMin(x), [3, 2], 0, [2]);
  assertClose(sn.argMax(x, 0), [1, 0, 0, 1], 0, [4]);
  assertClose(sn.argMax([1, NaN, 5, NaN]), 1, 0, []);
  assertClose(sn.argMin([1, -2, NaN]), 2, 0, []);
  assertClose(sn.argMax([NaN, 9]), 0, 0, []);
  assertClose(sn.argMax([-Infinity, -Infinity]), 0, 0, []);
});

test('argMax and argMin accept int32 and bool', () => {
  assertClose(sn.argMax(sn.tensor([[2, 9, -1]], undefined, 'int32')), [1], 0, [1]);
  assertClose(sn.argMin(sn.tensor([[2, 9, -1]], undefined, 'int32')), [2], 0, [1]);
  assertClose(sn.argMax(sn.tensor([false, true, true])), 1, 0, []);
  assertClose(sn.argMin(sn.tensor([true, true, false])), 2, 0, []);
});

test('argMax and argMin reject scalars, empty axes and bad axes', () => {
  assert.throws(
    () => sn.argMax(sn.scalar(1)),
    (e) => e instanceof sn.ShapeError && /rank >= 1/.test(e.message),
  );
  assert.throws(
    () => sn.argMin(sn.zeros([3, 0])),
    (e) => e instanceof sn.ShapeError && /is empty/.test(e.message),
  );
  assert.throws(
    () => sn.argMax(sn.zeros([2, 3]), 2),
    (e) => e instanceof sn.ShapeError && /argMax/.test(e.message) && /-2\.\.1/.test(e.message),
  );
});

// ---- topK ----

test('topK: hand values, largest first, with indices', () => {
  const { values, indices } = sn.topK(
    sn.tensor([
      [1, 5, 3, 4],
      [4, 2, 6, -1],
    ]),
    2,
  );
  assertClose(
    values,
    [
      [5, 4],
      [6, 4],
    ].flat(),
    0,
    [2, 2],
  );
  assert.equal(indices.dtype, 'int32');
  assertClose(
    indices,
    [
      [1, 3],
      [2, 0],
    ].flat(),
    0,
    [2, 2],
  );
  const one = sn.topK([0.5, -3, 2]);
  assertClose(one.values, [2], 0, [1]);
  assertClose(one.indices, [2], 0, [1]);
});

test('topK is stable on ties (lower index first) and treats NaN as largest', () => {
  const { values, indices } = sn.topK([1, 3, 2, 3, 2], 4);
  assertClose(values, [3, 3, 2, 2], 0, [4]);
  assertClose(indices, [1, 3, 2, 4], 0, [4]);
  const nan = sn.topK([1, NaN, 3], 2);
  assertClose(nan.values, [NaN, 3], 0, [2]);
  assertClose(nan.indices, [1, 2], 0, [2]);
});

test('topK with k = n sorts every row (JS oracle on a 3-D tensor)', () => {
  const { values, indices } = sn.topK(X, 4);
  const want: number[] = [];
  const wantIdx: number[] = [];
  for (let r = 0; r < 6; r++) {
    const row = VALUES.slice(r * 4, r * 4 + 4);
    const order = [0, 1, 2, 3].sort((a, b) => row[b]! - row[a]!);
    want.push(...order.map((j) => row[j]!));
    wantIdx.push(...order);
  }
  assertClose(values, want, 1e-6, [2, 3, 4]);
  assertClose(indices, wantIdx, 0, [2, 3, 4]);
});

test('topK keeps int32 values', () => {
  const { values, indices } = sn.topK(sn.tensor([4, 9, 1], undefined, 'int32'), 2);
  assert.equal(values.dtype, 'int32');
  assertClose(values, [9, 4], 0, [2]);
  assertClose(indices, [1, 0], 0, [2]);
});

test('topK values: gradCheck (gradient scattered to the chosen positions)', () => {
  for (const k of [1, 2, 4]) sn.testing.gradCheck((x) => sn.topK(x, k).values, [X]);
  const x = sn.variable(
    sn.tensor([
      [1, 5, 3],
      [4, 2, 6],
    ]),
  );
  const { grads } = sn.valueAndGrads(() => sn.sum(sn.mul(sn.topK(x, 2).values, [1, 10])), [x]);
  assertClose(
    grads.get(x),
    [
      [0, 1, 10],
      [10, 0, 1],
    ].flat(),
    0,
    [2, 3],
  );
});

test('topK rejects a k outside 1..n and scalars', () => {
  const x = sn.zeros([2, 3]);
  for (const k of [0, 4, 1.5, -1, NaN]) {
    assert.throws(
      () => sn.topK(x, k),
      (e) =>
        e instanceof sn.ConfigError &&
        /k must be an integer from 1 to n = 3/.test(e.message) &&
        /\[2, 3\]/.test(e.message),
    );
  }
  assert.throws(
    () => sn.topK(sn.scalar(1)),
    (e) => e instanceof sn.ShapeError && /rank >= 1/.test(e.message),
  );
});

test('reductions are available as Tensor methods', () => {
  const x = sn.tensor([
    [1, 5],
    [4, 2],
  ]);
  assertClose(x.max(1), [5, 4], 0, [2]);
  assertClose(x.argMin(), [0, 1], 0, [2]);
  assertClose(x.variance(), 2.5, 1e-7, []);
});
