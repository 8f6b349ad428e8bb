import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { assertClose } from '../../test/helpers.js';

// Oracles: hand-computed values, and a plain-JS broadcast written index by index (below).

const f64 = (values: number[], shape?: number[]): sn.Tensor => sn.tensor(values, shape, 'float64');
const i32 = (values: number[], shape?: number[]): sn.Tensor => sn.tensor(values, shape, 'int32');
const values = (t: sn.Tensor): number[] => Array.from(t.dataSync());
const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Deterministic values in [lo, hi), all distinct for small counts (no ties in max/min). */
function uniform(n: number, lo: number, hi: number, seed: number): number[] {
  // mulberry32: a small, well-mixed 32-bit generator.
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return lo + (hi - lo) * u;
  });
}

/** out[idx] = f(a[idx mapped into a], b[idx mapped into b]) by NumPy's rules, one index at a time. */
function broadcastRef(
  a: readonly number[],
  aShape: readonly number[],
  b: readonly number[],
  bShape: readonly number[],
  f: (x: number, y: number) => number,
): { shape: number[]; values: number[] } {
  const rank = Math.max(aShape.length, bShape.length);
  const pa = [...Array(rank - aShape.length).fill(1), ...aShape];
  const pb = [...Array(rank - bShape.length).fill(1), ...bShape];
  const shape = pa.map((d, i) => (d === 1 ? pb[i]! : d));
  const flatIndex = (idx: number[], s: number[]): number =>
    idx.reduce((acc, v, d) => acc * s[d]! + (s[d] === 1 ? 0 : v), 0);
  const out: number[] = [];
  for (let o = 0; o < size(shape); o++) {
    const idx: number[] = [];
    let rest = o;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d] = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
    }
    out.push(f(a[flatIndex(idx, pa)]!, b[flatIndex(idx, pb)]!));
  }
  return { shape, values: out };
}

interface Arith {
  f: (a: sn.TensorLike, b: sn.TensorLike) => sn.Tensor;
  ref: (a: number, b: number) => number;
  /** Ranges for a and b in the gradient checks (positive bases for pow, b away from 0 for div). */
  a: [number, number];
  b: [number, number];
}

const ARITH: Record<string, Arith> = {
  add: { f: sn.add, ref: (a, b) => a + b, a: [-2, 2], b: [-2, 2] },
  sub: { f: sn.sub, ref: (a, b) => a - b, a: [-2, 2], b: [-2, 2] },
  mul: { f: sn.mul, ref: (a, b) => a * b, a: [-2, 2], b: [-2, 2] },
  div: { f: sn.div, ref: (a, b) => a / b, a: [-2, 2], b: [0.5, 2] },
  pow: { f: sn.pow, ref: (a, b) => a ** b, a: [0.5, 2], b: [-1.5, 2.5] },
  maximum: { f: sn.maximum, ref: (a, b) => (a >= b ? a : b), a: [-2, 2], b: [-2, 2] },
  minimum: { f: sn.minimum, ref: (a, b) => (a <= b ? a : b), a: [-2, 2], b: [-2, 2] },
};

const BROADCASTS: [number[], number[]][] = [
  [
    [2, 3],
    [2, 3],
  ],
  [[2, 3], [3]],
  [[3], [2, 3]],
  [
    [2, 1],
    [1, 3],
  ],
  [
    [4, 1, 3],
    [2, 1],
  ],
  [
    [2, 1],
    [4, 1, 3],
  ],
  [[], [2, 3]],
  [[2, 3], []],
  [[], []],
  [[1], [2, 2]],
  [[0, 3], [3]],
  [[3], [0, 3]],
  [
    [2, 1, 3],
    [1, 4, 1],
  ],
];

for (const [name, op] of Object.entries(ARITH)) {
  for (const [sa, sb] of BROADCASTS) {
    const label = `${name} ${JSON.stringify(sa)} with ${JSON.stringify(sb)}`;
    const av = uniform(size(sa), op.a[0], op.a[1], 7 + sa.length);
    const bv = uniform(size(sb), op.b[0], op.b[1], 101 + sb.length);

    test(`${label}: values match an index-by-index broadcast`, () => {
      const want = broadcastRef(av, sa, bv, sb, op.ref);
      assertClose(op.f(f64(av, sa), f64(bv, sb)), want.values, 1e-14, want.shape);
      // float32 too, against the formula at the float32-rounded inputs.
      const a32 = sn.tensor(av, sa);
      const b32 = sn.tensor(bv, sb);
      const want32 = broadcastRef(values(a32), sa, values(b32), sb, op.ref);
      const y32 = op.f(a32, b32);
      assert.equal(y32.dtype, 'float32');
      assertClose(y32, want32.values, 1e-6, want32.shape);
    });

    test(`${label}: gradient matches finite differences, reduced to each input's shape`, () => {
      const [ga, gb] = sn.grads((a, b) => sn.sum(op.f(a!, b!)))([f64(av, sa), f64(bv, sb)]);
      assert.deepEqual(ga!.shape, sa);
      assert.deepEqual(gb!.shape, sb);
      sn.testing.gradCheck((a, b) => op.f(a!, b!), [f64(av, sa), f64(bv, sb)]);
    });
  }
}

test('hand values: add, sub, mul, div, pow, maximum, minimum', () => {
  const a = f64([1, -2, 3, 0.5]);
  const b = f64([4, 5, -6, 2]);
  assertClose(sn.add(a, b), [5, 3, -3, 2.5], 0);
  assertClose(sn.sub(a, b), [-3, -7, 9, -1.5], 0);
  assertClose(sn.mul(a, b), [4, -10, -18, 1], 0);
  assertClose(sn.div(a, b), [0.25, -0.4, -0.5, 0.25], 1e-15);
  assertClose(sn.pow(a, b), [1, -32, 1 / 729, 0.25], 1e-15);
  assertClose(sn.maximum(a, b), [4, 5, 3, 2], 0);
  assertClose(sn.minimum(a, b), [1, -2, -6, 0.5], 0);
  // [2, 3] + [3]: the row is added to each row.
  assertClose(
    sn.add(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [10, 20, 30],
    ),
    [11, 22, 33, 14, 25, 36],
    0,
    [2, 3],
  );
  // [2, 1] * [1, 3]: an outer product.
  assertClose(sn.mul([[1], [2]], [[3, 4, 5]]), [3, 4, 5, 6, 8, 10], 0, [2, 3]);
  // NaN propagates through maximum and minimum, from either side.
  assertClose(sn.maximum(f64([NaN, 1]), f64([0, NaN])), [NaN, NaN]);
  assertClose(sn.minimum(f64([NaN, 1]), f64([0, NaN])), [NaN, NaN]);
  assertClose(sn.div(f64([1, -1, 0]), f64([0, 0, 0])), [Infinity, -Infinity, NaN]);
});

test('rank-0 with rank-0, rank-0 with a tensor, zero-size results', () => {
  const y = sn.add(sn.scalar(2), sn.scalar(3));
  assert.deepEqual(y.shape, []);
  assert.equal(y.item(), 5);
  assertClose(
    sn.mul(sn.scalar(2), [
      [1, 2],
      [3, 4],
    ]),
    [2, 4, 6, 8],
    0,
    [2, 2],
  );
  const z = sn.add(sn.zeros([0, 3]), sn.tensor([1, 2, 3]));
  assert.deepEqual(z.shape, [0, 3]);
  assert.equal(z.size, 0);
  assert.deepEqual(sn.greater(sn.zeros([0, 3]), sn.zeros([1, 3])).shape, [0, 3]);
  // The gradient of a zero-size broadcast is zeros of the input's shape.
  const [ga, gb] = sn.grads((a, b) => sn.sum(sn.mul(a!, b!)))([f64([], [0, 3]), f64([1, 2, 3])]);
  assert.deepEqual(ga!.shape, [0, 3]);
  assertClose(gb!, [0, 0, 0], 0, [3]);
});

test('plain numbers on either side: sn.mul(1e-3, x), x.mul(2), sn.sub(1, x), sn.div(1, x), sn.pow(2, x)', () => {
  const x = f64([1, 2, 4]);
  assertClose(sn.mul(1e-3, x), [1e-3, 2e-3, 4e-3], 1e-15);
  assertClose(x.mul(2), [2, 4, 8], 0);
  assertClose(sn.sub(1, x), [0, -1, -3], 0);
  assertClose(sn.sub(x, 1), [0, 1, 3], 0);
  assertClose(sn.div(1, x), [1, 0.5, 0.25], 0);
  assertClose(x.div(4), [0.25, 0.5, 1], 0);
  assertClose(sn.pow(2, x), [2, 4, 16], 0);
  assertClose(x.pow(2), [1, 4, 16], 0);
  assertClose(sn.maximum(2, x), [2, 2, 4], 0);
  assertClose(x.minimum(2), [1, 2, 2], 0);
  assert.deepEqual(sn.greater(2, x).arraySync(), [true, false, false]);
  assert.deepEqual(x.less(2).arraySync(), [true, false, false]);
  // A number keeps a float64 tensor's precision (0.1 is not rounded to float32).
  assert.equal(sn.mul(x, 0.1).dtype, 'float64');
  assert.equal(sn.mul(0.1, x).dataSync()[0], 0.1);
  // And adopts float32 for a float32 tensor: a float32 0.1 equals the number 0.1.
  assert.deepEqual(sn.tensor([0.1]).equal(0.1).arraySync(), [true]);
  // Two numbers: a float32 scalar.
  const s = sn.add(1, 2);
  assert.equal(s.dtype, 'float32');
  assert.deepEqual(s.shape, []);
  assert.equal(s.item(), 3);
  // Gradients with a number on either side.
  const g = (f: (t: sn.Tensor) => sn.Tensor): sn.Tensor => sn.grad((t) => sn.sum(f(t)))(x);
  assertClose(
    g((t) => sn.mul(1e-3, t)),
    [1e-3, 1e-3, 1e-3],
    1e-15,
  );
  assertClose(
    g((t) => t.mul(2)),
    [2, 2, 2],
    0,
  );
  assertClose(
    g((t) => sn.sub(1, t)),
    [-1, -1, -1],
    0,
  );
  assertClose(
    g((t) => sn.div(1, t)),
    [-1, -0.25, -1 / 16],
    1e-15,
  );
  assertClose(
    g((t) => sn.pow(2, t)),
    [2 * Math.LN2, 4 * Math.LN2, 16 * Math.LN2],
    1e-14,
  );
  assertClose(
    g((t) => t.pow(3)),
    [3, 12, 48],
    1e-14,
  );
});

test('dtype promotion between tensors', () => {
  const i = i32([7, -7, 2]);
  const f = sn.tensor([0.5, 0.5, 0.5]);
  const d = f64([1, 1, 1]);
  const b = sn.tensor([true, true, false]);
  assert.equal(sn.add(i, f).dtype, 'float32');
  assertClose(sn.add(i, f), [7.5, -6.5, 2.5], 0);
  assert.equal(sn.add(f, d).dtype, 'float64');
  assert.equal(sn.mul(i, d).dtype, 'float64');
  assert.equal(sn.add(i, i).dtype, 'int32');
  assert.deepEqual(values(sn.sub(i, i32([1, 1, 1]))), [6, -8, 1]);
  assert.equal(sn.add(b, i).dtype, 'int32');
  // int32 / int32 is true division in float32.
  const q = sn.div(i, i32([2, 2, 4]));
  assert.equal(q.dtype, 'float32');
  assertClose(q, [3.5, -3.5, 0.5], 0);
  assert.equal(sn.div(b, b).dtype, 'float32');
  // bool arithmetic is int32.
  const bb = sn.add(b, sn.tensor([true, false, false]));
  assert.equal(bb.dtype, 'int32');
  assert.deepEqual(values(bb), [2, 1, 0]);
  assert.equal(sn.mul(b, b).dtype, 'int32');
  // int32 stays int32 through pow, maximum, minimum; a negative exponent truncates.
  assert.equal(sn.pow(i32([2, 3]), i32([3, 2])).dtype, 'int32');
  assert.deepEqual(values(sn.pow(i32([2, 3]), i32([3, 2]))), [8, 9]);
  assert.deepEqual(values(sn.pow(i32([2, 4]), i32([-1, -1]))), [0, 0]);
  assert.deepEqual(values(sn.maximum(i, i32([0, 0, 5]))), [7, 0, 5]);
});

test('a plain number beside int32 or bool: kept when exact, float32 when fractional', () => {
  const i = i32([1, 2, 3]);
  // The truncation trap: 1.5 must not become int32 1.
  const y = i.add(1.5);
  assert.equal(y.dtype, 'float32');
  assertClose(y, [2.5, 3.5, 4.5], 0);
  assert.equal(sn.add(1.5, i).dtype, 'float32');
  assertClose(sn.mul(0.5, i), [0.5, 1, 1.5], 0);
  assertClose(sn.sub(i, 0.25), [0.75, 1.75, 2.75], 0);
  assert.deepEqual(sn.less(i, 1.5).arraySync(), [true, false, false]);
  assert.deepEqual(sn.greater(2.5, i).arraySync(), [true, true, false]);
  assert.deepEqual(sn.equal(i, 2.5).arraySync(), [false, false, false]);
  assertClose(sn.maximum(i, 1.5), [1.5, 2, 3], 0);
  // Integers keep int32.
  assert.equal(i.add(1).dtype, 'int32');
  assert.equal(sn.mul(-3, i).dtype, 'int32');
  assert.deepEqual(values(sn.mul(-3, i)), [-3, -6, -9]);
  assert.deepEqual(sn.equal(i, 2).arraySync(), [false, true, false]);
  // Numbers int32 cannot hold: float32 (no wrap-around), NaN and Infinity too.
  const big = i.add(3e9);
  assert.equal(big.dtype, 'float32');
  assertClose(big, [3e9 + 1, 3e9 + 2, 3e9 + 3], 1e-7);
  assert.deepEqual(sn.less(i, Infinity).arraySync(), [true, true, true]);
  assert.equal(i.add(NaN).dtype, 'float32');
  // Beside bool: 0 and 1 stay bool (compare as masks), other integers int32, fractions float32.
  const b = sn.tensor([true, false]);
  assert.deepEqual(sn.equal(b, 1).arraySync(), [true, false]);
  assert.equal(sn.add(b, 1).dtype, 'int32');
  assert.deepEqual(values(sn.add(b, 1)), [2, 1]);
  assert.deepEqual(values(sn.mul(b, 3)), [3, 0]);
  assert.equal(sn.mul(b, 3).dtype, 'int32');
  assert.equal(sn.mul(b, 0.5).dtype, 'float32');
  assertClose(sn.mul(b, 0.5), [0.5, 0], 0);
  // Logical ops read a fractional number as non-zero.
  assert.deepEqual(sn.logicalAnd(i32([0, 2]), 0.5).arraySync(), [false, true]);
  // where: a fractional branch beside an int32 branch gives float32.
  const w = sn.where(sn.tensor([true, false]), i32([1, 2]), 1.5);
  assert.equal(w.dtype, 'float32');
  assertClose(w, [1, 1.5], 0);
});

test('comparisons give bool, NaN compares unequal', () => {
  const a = f64([1, 2, 3, NaN]);
  const b = f64([2, 2, 2, NaN]);
  const cases: [(x: sn.TensorLike, y: sn.TensorLike) => sn.Tensor, boolean[]][] = [
    [sn.equal, [false, true, false, false]],
    [sn.notEqual, [true, false, true, true]],
    [sn.greater, [false, false, true, false]],
    [sn.greaterEqual, [false, true, true, false]],
    [sn.less, [true, false, false, false]],
    [sn.lessEqual, [true, true, false, false]],
  ];
  for (const [f, want] of cases) {
    const y = f(a, b);
    assert.equal(y.dtype, 'bool', f.name);
    assert.deepEqual(y.arraySync(), want, f.name);
  }
  // Broadcast [2, 1] against [3], and mixed dtypes (int32 vs float32).
  const g = sn.greater(i32([1, 3], [2, 1]), sn.tensor([0.5, 1.5, 2.5]));
  assert.deepEqual(g.shape, [2, 3]);
  assert.deepEqual(g.arraySync(), [
    [true, false, false],
    [true, true, true],
  ]);
  // Two bools compare as bools.
  assert.deepEqual(sn.equal(sn.tensor([true, false]), sn.tensor([true, true])).arraySync(), [
    true,
    false,
  ]);
});

test('logicalAnd and logicalOr read non-zero as true and give bool', () => {
  const a = sn.tensor([true, true, false, false]);
  const b = sn.tensor([true, false, true, false]);
  assert.deepEqual(sn.logicalAnd(a, b).arraySync(), [true, false, false, false]);
  assert.deepEqual(sn.logicalOr(a, b).arraySync(), [true, true, true, false]);
  const n = sn.logicalAnd(sn.tensor([0, 2, -1, 0.5]), i32([1, 1, 0, 3]));
  assert.equal(n.dtype, 'bool');
  assert.deepEqual(n.arraySync(), [false, true, false, true]);
  assert.deepEqual(sn.logicalOr([[true], [false]], [false, false]).arraySync(), [
    [true, true],
    [false, false],
  ]);
  assert.deepEqual(sn.logicalOr(a, false).arraySync(), [true, true, false, false]);
});

test('pow: gradient with respect to the exponent uses log(a) for a > 0 and 0 elsewhere', () => {
  // Positive bases: finite differences in both inputs, with broadcasting.
  sn.testing.gradCheck(
    (a, b) => sn.pow(a!, b!),
    [f64([0.5, 1.5, 3, 0.2, 2, 1.1], [2, 3]), f64([-1, 0.5, 2.5])],
  );
  // By hand: d/db a^b = a^b·log a; d/da = b·a^(b−1).
  const [da, db] = sn.grads((a, b) => sn.sum(sn.pow(a!, b!)))([f64([2, 0, -2]), f64([3, 2, 2])]);
  assertClose(da!, [12, 0, -4], 1e-14);
  assertClose(db!, [8 * Math.LN2, 0, 0], 1e-14);
});

test('maximum and minimum: ties send the gradient to a', () => {
  const a = f64([1, 2, 3]);
  const b = f64([1, 1, 4]);
  const [maxA, maxB] = sn.grads((x, y) => sn.sum(sn.maximum(x!, y!)))([a, b]);
  assert.deepEqual(values(maxA!), [1, 1, 0]);
  assert.deepEqual(values(maxB!), [0, 0, 1]);
  const [minA, minB] = sn.grads((x, y) => sn.sum(sn.minimum(x!, y!)))([a, b]);
  assert.deepEqual(values(minA!), [1, 0, 1]);
  assert.deepEqual(values(minB!), [0, 1, 0]);
  // A broadcast b collects the sum over the positions it wins (index 2; index 0 is a tie).
  const [ga, gb] = sn.grads((x, y) => sn.sum(sn.maximum(x!, y!)))([
    f64([1, 2, 0]),
    sn.scalar(1, 'float64'),
  ]);
  assert.deepEqual(values(ga!), [1, 1, 0]);
  assert.deepEqual(values(gb!), [1]);
});

test('where: values, broadcasting of all three, dtype of the branches', () => {
  const c = sn.tensor([true, false, true]);
  assertClose(sn.where(c, f64([1, 2, 3]), f64([-1, -2, -3])), [1, -2, 3], 0, [3]);
  // condition [2, 1], a [3], b rank 0 → [2, 3].
  const y = sn.where(sn.tensor([[true], [false]]), sn.tensor([1, 2, 3]), sn.scalar(0));
  assertClose(y, [1, 2, 3, 0, 0, 0], 0, [2, 3]);
  // condition [3], a [2, 1], b [1, 1, 1] → [1, 2, 3].
  const z = sn.where(c, sn.tensor([[10], [20]]), sn.tensor([[[-1]]]));
  assertClose(z, [10, -1, 10, 20, -1, 20], 0, [1, 2, 3]);
  // Numbers for both branches, and a JS boolean condition.
  assertClose(sn.where(c, 1, 0), [1, 0, 1], 0, [3]);
  assertClose(sn.where(true, sn.tensor([5]), 0), [5], 0, [1]);
  // Two bool branches give a mask; int32 with int32 stays int32.
  const m = sn.where(c, sn.tensor([true, true, true]), sn.tensor([false, false, false]));
  assert.equal(m.dtype, 'bool');
  assert.deepEqual(m.arraySync(), [true, false, true]);
  assert.equal(sn.where(c, i32([1, 2, 3]), 0).dtype, 'int32');
  // Zero-size.
  assert.deepEqual(sn.where(sn.zeros([0, 2], 'bool'), 1, 0).shape, [0, 2]);
});

test('where: the gradient flows only to the chosen branch, summed over broadcasting', () => {
  const c = sn.tensor([
    [true, false, true],
    [false, false, true],
  ]);
  const [ga, gb] = sn.grads((a, b) => sn.sum(sn.where(c, a!, b!)))([
    f64([1, 2, 3], [3]),
    sn.scalar(0, 'float64'),
  ]);
  assert.deepEqual(values(ga!), [1, 0, 2]);
  assert.deepEqual(ga!.shape, [3]);
  assert.deepEqual(values(gb!), [3]);
  assert.deepEqual(gb!.shape, []);
  // Finite differences, with the condition broadcast too (it is passed through, not differentiated).
  sn.testing.gradCheck(
    (cond, a, b) => sn.where(cond!, a!, b!),
    [
      sn.tensor([[true], [false]]),
      f64(uniform(3, -1, 1, 3), [3]),
      f64(uniform(8, -1, 1, 5), [4, 1, 2, 1]),
    ],
  );
  sn.testing.gradCheck(
    (a, b) => sn.where(sn.greater(a!, b!), a!, b!),
    [f64(uniform(6, -1, 1, 9), [2, 3]), f64([0.1, -0.2, 0.3])],
  );
});

test('where: the NaN trap is pinned (NaN gradient where sqrt is not picked) and the safe form works', () => {
  const x = f64([-1, 0, 4]);
  const trap = sn.grad((t) => sn.sum(sn.where(sn.greater(t, 0), sn.sqrt(t), 0)))(x);
  // Documented behaviour (as TensorFlow): NaN at x <= 0, the right value where sqrt is picked.
  assertClose(trap, [NaN, NaN, 0.25]);
  const safe = sn.grad((t) => {
    const c = sn.greater(t, 0);
    return sn.sum(sn.where(c, sn.sqrt(sn.where(c, t, 1)), 0));
  })(x);
  assertClose(safe, [0, 0, 0.25]);
});

test('where: the condition must be bool', () => {
  const x = sn.tensor([1, -1]);
  const dtypeError = (e: unknown): boolean =>
    e instanceof sn.DTypeError &&
    /where: condition must have dtype bool, received float32/.test(e.message) &&
    /sn\.greater\(x, 0\)/.test(e.message) &&
    /sn\.cast\(condition, "bool"\)/.test(e.message);
  assert.throws(() => sn.where(x, 1, 0), dtypeError);
  assert.throws(
    () => sn.where(i32([1, 0]), 1, 0),
    (e) => e instanceof sn.DTypeError && /received int32/.test((e as Error).message),
  );
  // A cast makes one.
  assertClose(sn.where(sn.cast(x, 'bool'), 1, 0), [1, 1], 0);
});

test('broadcast-incompatible shapes: ShapeError naming the op and both shapes', () => {
  const a = sn.zeros([2, 3]);
  const b = sn.zeros([2]);
  const ops = {
    add: sn.add,
    sub: sn.sub,
    mul: sn.mul,
    div: sn.div,
    pow: sn.pow,
    maximum: sn.maximum,
    minimum: sn.minimum,
    equal: sn.equal,
    notEqual: sn.notEqual,
    greater: sn.greater,
    greaterEqual: sn.greaterEqual,
    less: sn.less,
    lessEqual: sn.lessEqual,
    logicalAnd: sn.logicalAnd,
    logicalOr: sn.logicalOr,
  };
  for (const [name, f] of Object.entries(ops)) {
    const re = new RegExp(
      `^${name}: shapes \\[2, 3\\] and \\[2\\] cannot be broadcast together \\(dimension 3 vs 2`,
    );
    assert.throws(
      () => f(a, b),
      (e) => e instanceof sn.ShapeError && re.test((e as Error).message),
      name,
    );
    // Method form too.
    assert.throws(
      () => (a[name as keyof typeof ops] as (x: sn.Tensor) => sn.Tensor).call(a, b),
      (e) => e instanceof sn.ShapeError && re.test((e as Error).message),
    );
  }
  assert.throws(
    () => sn.add(sn.zeros([4, 1, 3]), sn.zeros([2, 2])),
    (e) => e instanceof sn.ShapeError && /\[4, 1, 3\] and \[2, 2\]/.test((e as Error).message),
  );
  assert.throws(
    () => sn.where(sn.zeros([4], 'bool'), sn.zeros([2, 3]), 0),
    (e) =>
      e instanceof sn.ShapeError &&
      /^where: condition \[4\], a \[2, 3\] and b \[\] cannot be broadcast together/.test(
        (e as Error).message,
      ),
  );
  assert.throws(
    () => sn.where(sn.zeros([3], 'bool'), sn.zeros([2]), sn.zeros([3])),
    (e) =>
      e instanceof sn.ShapeError &&
      /condition \[3\], a \[2\] and b \[3\]/.test((e as Error).message),
  );
});

test('bad inputs are typed errors', () => {
  assert.throws(
    () => sn.add(undefined as never, 1),
    (e) =>
      e instanceof sn.ConfigError && /add: argument 'a' is required/.test((e as Error).message),
  );
  assert.throws(
    () => sn.mul(sn.tensor([1]), 'x' as never),
    (e) =>
      e instanceof sn.ConfigError &&
      /mul: argument 'b' could not be made into a tensor/.test((e as Error).message),
  );
});

test('method form agrees with function form', () => {
  const a = f64(uniform(6, 0.5, 2, 1), [2, 3]);
  const b = f64(uniform(3, -1, 1, 2), [3]);
  const names = [
    'add',
    'sub',
    'mul',
    'div',
    'pow',
    'maximum',
    'minimum',
    'equal',
    'notEqual',
    'greater',
    'greaterEqual',
    'less',
    'lessEqual',
    'logicalAnd',
    'logicalOr',
  ] as const;
  for (const name of names) {
    const method = (a[name] as (y: sn.TensorLike) => sn.Tensor).call(a, b);
    const fn = (sn[name] as (x: sn.TensorLike, y: sn.TensorLike) => sn.Tensor)(a, b);
    assert.deepEqual(method.shape, fn.shape, name);
    assert.equal(method.dtype, fn.dtype, name);
    assert.deepEqual(method.dataSync(), fn.dataSync(), name);
    const withNumber = (a[name] as (y: sn.TensorLike) => sn.Tensor).call(a, 1.5);
    assert.deepEqual(
      withNumber.dataSync(),
      (sn[name] as (x: sn.TensorLike, y: sn.TensorLike) => sn.Tensor)(a, 1.5).dataSync(),
    );
  }
});

test('gradients keep the input dtype across promotion (float32 input, float64 partner)', () => {
  const a = sn.tensor([1, 2]);
  const b = f64([3, 4]);
  const [ga, gb] = sn.grads((x, y) => sn.sum(sn.mul(x!, y!)))([a, b]);
  assert.equal(ga!.dtype, 'float32');
  assert.equal(gb!.dtype, 'float64');
  assertClose(ga!, [3, 4], 0);
  assertClose(gb!, [1, 2], 0);
});
