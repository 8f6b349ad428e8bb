import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { assertClose } from '../../test/helpers.js';

// Oracle: softmax of each line along `axis` of a row-major [d0, d1, d2] array, in plain JS
// (shifting by the line's max so that large inputs work in float64 too).
function referenceSoftmax(values: number[], shape: number[], axis: number, log: boolean): number[] {
  const strides = [shape[1]! * shape[2]!, shape[2]!, 1];
  const out = new Array<number>(values.length);
  const n = shape[axis]!;
  for (let flat = 0; flat < values.length; flat++) {
    const pos = Math.floor(flat / strides[axis]!) % n;
    if (pos !== 0) continue; // start of a line
    const line = Array.from({ length: n }, (_, j) => values[flat + j * strides[axis]!]!);
    const m = Math.max(...line);
    const lse = m + Math.log(line.reduce((s, v) => s + Math.exp(v - m), 0));
    line.forEach((v, j) => (out[flat + j * strides[axis]!] = log ? v - lse : Math.exp(v - lse)));
  }
  return out;
}

const SHAPE = [2, 3, 4];
const VALUES = Array.from({ length: 24 }, (_, k) => Math.sin(k * 1.7) * 3);
const X = sn.tensor(VALUES, SHAPE);

test('softmax and logSoftmax of a vector: hand values', () => {
  const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
  assertClose(
    sn.softmax([1, 2, 3]),
    [Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z],
    1e-6,
    [3],
  );
  assertClose(
    sn.logSoftmax([1, 2, 3]),
    [1 - Math.log(z), 2 - Math.log(z), 3 - Math.log(z)],
    1e-6,
    [3],
  );
  assertClose(sn.softmax([0, 0]), [0.5, 0.5], 0, [2]);
  assertClose(sn.logSoftmax([0, 0]), [-Math.LN2, -Math.LN2], 1e-7, [2]);
});

test('softmax and logSoftmax of a 3-D tensor along every axis match a JS oracle', () => {
  for (const axis of [0, 1, 2, -1, -2]) {
    const a = axis < 0 ? axis + 3 : axis;
    assertClose(sn.softmax(X, axis), referenceSoftmax(VALUES, SHAPE, a, false), 1e-6, SHAPE);
    assertClose(sn.logSoftmax(X, axis), referenceSoftmax(VALUES, SHAPE, a, true), 1e-5, SHAPE);
  }
  // Default axis is the last one.
  assertClose(sn.softmax(X), referenceSoftmax(VALUES, SHAPE, 2, false), 1e-6, SHAPE);
});

test('softmax along axis 1 of a 3-D tensor: every line sums to 1', () => {
  const sums = sn.sum(sn.softmax(X, 1), 1);
  assertClose(sums, new Array<number>(8).fill(1), 1e-6, [2, 4]);
});

test('softmax and logSoftmax are finite and correct for large magnitudes', () => {
  // Shift invariance: softmax([1000, 1001, 1002]) = softmax([0, 1, 2]).
  const z = 1 + Math.E + Math.E ** 2;
  const big = sn.softmax([1000, 1001, 1002]);
  assertClose(big, [1 / z, Math.E / z, Math.E ** 2 / z], 1e-6, [3]);
  assertClose(
    sn.logSoftmax([1000, 1001, 1002]),
    [-Math.log(z), 1 - Math.log(z), 2 - Math.log(z)],
    1e-5,
    [3],
  );
  assertClose(sn.softmax([-1000, 0]), [0, 1], 0, [2]);
  assertClose(sn.logSoftmax([-1000, 0]), [-1000, 0], 1e-7, [2]);
  assertClose(
    sn.softmax([-1000, -1001]),
    [1 / (1 + Math.exp(-1)), Math.exp(-1) / (1 + Math.exp(-1))],
    1e-6,
    [2],
  );
  assertClose(sn.logSoftmax([-Infinity, 0]), [-Infinity, 0], 0, [2]);
});

test('softmax and logSoftmax: gradCheck along every axis', () => {
  for (const axis of [0, 1, 2, -1]) {
    sn.testing.gradCheck((x) => sn.softmax(x, axis), [X]);
    sn.testing.gradCheck((x) => sn.logSoftmax(x, axis), [X]);
  }
  sn.testing.gradCheck(
    (x) => sn.softmax(x),
    [
      sn.tensor([
        [1000, 1001, 1002],
        [-1000, 0, 1],
      ]),
    ],
  );
  sn.testing.gradCheck(
    (x) => sn.logSoftmax(x),
    [
      sn.tensor([
        [1000, 1001, 1002],
        [-1000, 0, 1],
      ]),
    ],
  );
});

test('gradients by hand: Σ softmax is constant; d Σ logSoftmax = 1 − n·softmax', () => {
  const x = sn.variable(sn.tensor([0.5, -1, 2]));
  const { grads } = sn.valueAndGrads(() => sn.sum(sn.softmax(x)), [x]);
  assertClose(grads.get(x), [0, 0, 0], 1e-7, [3]);
  const z = Math.exp(0.5) + Math.exp(-1) + Math.exp(2);
  const { grads: g2 } = sn.valueAndGrads(() => sn.sum(sn.logSoftmax(x)), [x]);
  assertClose(
    g2.get(x),
    [1 - (3 * Math.exp(0.5)) / z, 1 - (3 * Math.exp(-1)) / z, 1 - (3 * Math.exp(2)) / z],
    1e-6,
    [3],
  );
});

test('softmax of int32 gives float32; float64 stays float64', () => {
  const y = sn.softmax(sn.tensor([0, 0], undefined, 'int32'));
  assert.equal(y.dtype, 'float32');
  assertClose(y, [0.5, 0.5], 0, [2]);
  assert.equal(sn.logSoftmax(sn.cast(X, 'float64'), 1).dtype, 'float64');
});

test('softmax and logSoftmax reject an axis out of range', () => {
  for (const f of [sn.softmax, sn.logSoftmax]) {
    assert.throws(
      () => f(sn.zeros([2, 3]), 2),
      (e) =>
        e instanceof sn.ShapeError &&
        /axis 2 is out of range/.test(e.message) &&
        /-2\.\.1/.test(e.message),
    );
    assert.throws(
      () => f(sn.scalar(1)),
      (e) => e instanceof sn.ShapeError && /rank-0 tensor has no axes/.test(e.message),
    );
  }
});

test('softmax is available as a Tensor method', () => {
  assertClose(sn.tensor([0, 0, 0, 0]).softmax(), [0.25, 0.25, 0.25, 0.25], 0, [4]);
});

test('masked logits: −Infinity entries give exactly 0 (−Infinity for log), no NaN', () => {
  // softmax([−∞, 0, −∞, ln 3]) = [0, 1/4, 0, 3/4]; logSoftmax = [−∞, −ln 4, −∞, ln 3 − ln 4].
  const row = [-Infinity, 0, -Infinity, Math.log(3)];
  assertClose(sn.softmax(row), [0, 0.25, 0, 0.75], 1e-6, [4]);
  assertClose(sn.logSoftmax(row), [-Infinity, -Math.log(4), -Infinity, Math.log(3 / 4)], 1e-6, [4]);
  // Long rows (vector path and remainder) and lines along axis 0 (four lines at a time).
  for (const n of [9, 33]) {
    const xs = Array.from({ length: n }, (_, j) => (j % 2 === 0 ? -Infinity : 0));
    const live = Math.floor(n / 2);
    const want = xs.map((v) => (v === 0 ? 1 / live : 0));
    assertClose(sn.softmax(xs), want, 1e-6, [n]);
    const cols = sn.transpose(sn.tensor([xs, xs, xs, xs, xs]));
    assertClose(
      sn.softmax(cols, 0),
      sn.transpose(sn.tensor([want, want, want, want, want])).arraySync() as number[][],
      1e-6,
      [n, 5],
    );
  }
  // The gradient of a masked entry is 0 for softmax and dy for logSoftmax (y = −∞ there).
  const x = sn.variable(sn.tensor(row));
  const dy = sn.tensor([1, 2, 3, 4]);
  const g = sn.valueAndGrads(() => sn.sum(sn.mul(sn.softmax(x), dy)), [x]).grads.get(x);
  // dx = y·(dy − Σ dy·y) with Σ dy·y = 2/4 + 4·3/4 = 3.5.
  assertClose(g, [0, 0.25 * (2 - 3.5), 0, 0.75 * (4 - 3.5)], 1e-6, [4]);
});

test('a line holding NaN or +Infinity, or only −Infinity, is NaN; other lines are unaffected', () => {
  const x = sn.tensor([
    [-Infinity, -Infinity, -Infinity],
    [NaN, 0, 1],
    [Infinity, 0, 1],
    [0, 0, 0],
  ]);
  const third = 1 / 3;
  for (const [f, v] of [
    [sn.softmax, third],
    [sn.logSoftmax, -Math.log(3)],
  ] as const) {
    assertClose(f(x), [NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, v, v, v], 1e-6, [4, 3]);
    assertClose(
      f(sn.transpose(x), 0),
      [NaN, NaN, NaN, v, NaN, NaN, NaN, v, NaN, NaN, NaN, v],
      1e-6,
      [3, 4],
    );
  }
});

test('softmax of lines of length 1 is 1 (logSoftmax 0); empty tensors give empty results', () => {
  assertClose(sn.softmax(sn.tensor([[5], [-1e4], [7]])), [1, 1, 1], 0, [3, 1]);
  assertClose(sn.logSoftmax(sn.tensor([[5], [-1e4], [7]])), [0, 0, 0], 0, [3, 1]);
  // A far-off entry (−1e4) gives 0; the other two split as 1 : e².
  const e2 = Math.exp(2);
  assertClose(sn.softmax(sn.tensor([5, -1e4, 7]), 0), [1 / (1 + e2), 0, e2 / (1 + e2)], 1e-6, [3]);
  assert.deepEqual(sn.softmax(sn.zeros([0, 4])).shape, [0, 4]);
  assert.deepEqual(sn.logSoftmax(sn.zeros([3, 0]), 1).shape, [3, 0]);
  assert.equal(sn.softmax(sn.zeros([2, 0, 3]), 1).size, 0);
});
