import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { allIndices, assertClose, iota, offset, smooth } from '../../test/helpers.js';

// Oracles: hand-written values for small cases, and plain-JS index loops (below) for 3-D
// cases; gradients by finite differences (sn.testing.gradCheck).

const { gradCheck } = sn.testing;

/** A plain-JS computation of an op: out[index] = value(index), over `shape`. */
function build(shape: readonly number[], value: (index: number[]) => number): number[] {
  return allIndices(shape).map(value);
}

const shapeError = (pattern: RegExp) => (e: unknown) =>
  e instanceof sn.ShapeError && pattern.test(e.message);
const configError = (pattern: RegExp) => (e: unknown) =>
  e instanceof sn.ConfigError && pattern.test(e.message);

// ---------------------------------------------------------------------------------------
// reshape, expandDims, squeeze, broadcastTo

test('reshape keeps row-major order and infers one -1', () => {
  const x = iota([2, 3]);
  assertClose(
    sn.reshape(x, [3, 2]),
    [
      [1, 2],
      [3, 4],
      [5, 6],
    ],
    0,
    [3, 2],
  );
  assertClose(sn.reshape(x, [-1]), [1, 2, 3, 4, 5, 6], 0, [6]);
  assertClose(sn.reshape(x, [1, -1, 2]), [1, 2, 3, 4, 5, 6], 0, [1, 3, 2]);
  assert.equal(sn.reshape(iota([2, 3], 'int32'), [6]).dtype, 'int32');
});

test('reshape to a different size is a ShapeError naming both shapes', () => {
  assert.throws(() => sn.reshape(iota([2, 3]), [4, 2]), shapeError(/\[2, 3\].*\[4, 2\]/));
  assert.throws(
    () => sn.reshape(iota([2, 3]), [4, -1]),
    shapeError(/\[2, 3\].*\[4, -1\].*not a multiple of 4/),
  );
  assert.throws(
    () => sn.reshape(iota([2, 3]), [-1, -1]),
    shapeError(/at most one dimension can be -1/),
  );
});

test('reshape gradient', () => {
  gradCheck((x) => sn.reshape(x, [3, -1]), [smooth([2, 3])]);
});

test('expandDims inserts an axis of length 1 at every position, negative included', () => {
  const x = iota([2, 3]);
  assert.deepEqual(sn.expandDims(x).shape, [1, 2, 3]);
  assert.deepEqual(sn.expandDims(x, 1).shape, [2, 1, 3]);
  assert.deepEqual(sn.expandDims(x, 2).shape, [2, 3, 1]);
  assert.deepEqual(sn.expandDims(x, -1).shape, [2, 3, 1]);
  assert.deepEqual(sn.expandDims(x, -3).shape, [1, 2, 3]);
  assertClose(sn.expandDims(x, 1), [1, 2, 3, 4, 5, 6], 0);
  assert.throws(
    () => sn.expandDims(x, 3),
    shapeError(/expandDims: axis 3 is out of range .* rank 3; valid axes are -3\.\.2/),
  );
});

test('squeeze removes all axes of length 1, or the listed ones', () => {
  const x = iota([1, 2, 1, 3]);
  assert.deepEqual(sn.squeeze(x).shape, [2, 3]);
  assert.deepEqual(sn.squeeze(x, 0).shape, [2, 1, 3]);
  assert.deepEqual(sn.squeeze(x, [-2, 0]).shape, [2, 3]);
  assertClose(
    sn.squeeze(x),
    [
      [1, 2, 3],
      [4, 5, 6],
    ],
    0,
  );
  assert.throws(
    () => sn.squeeze(x, 1),
    shapeError(/squeeze: axis 1 of shape \[1, 2, 1, 3\] has length 2, not 1/),
  );
  assert.throws(() => sn.squeeze(x, 4), shapeError(/out of range/));
});

test('broadcastTo repeats along broadcast axes, for every dtype', () => {
  assertClose(
    sn.broadcastTo(sn.tensor([1, 2, 3]), [2, 3]),
    [
      [1, 2, 3],
      [1, 2, 3],
    ],
    0,
    [2, 3],
  );
  assertClose(
    sn.broadcastTo(sn.tensor([[1], [2]]), [2, 3]),
    [
      [1, 1, 1],
      [2, 2, 2],
    ],
    0,
    [2, 3],
  );
  assertClose(sn.broadcastTo(sn.scalar(7), [2, 2]), [7, 7, 7, 7], 0, [2, 2]);
  // [2, 1] → [3, 2, 2]: out[i, j, k] = x[j]
  const x = sn.tensor([5, -6], [2, 1], 'int32');
  const y = sn.broadcastTo(x, [3, 2, 2]);
  assert.equal(y.dtype, 'int32');
  assertClose(
    y,
    build([3, 2, 2], ([, j]) => [5, -6][j!]!),
    0,
    [3, 2, 2],
  );
  const b = sn.broadcastTo(sn.tensor([true, false]), [2, 2]);
  assert.equal(b.dtype, 'bool');
  assert.deepEqual(b.arraySync(), [
    [true, false],
    [true, false],
  ]);
  assertClose(sn.broadcastTo(sn.tensor([1.5], [1], 'float64'), [3]), [1.5, 1.5, 1.5], 0, [3]);
});

test('broadcastTo gradient sums over the broadcast axes', () => {
  gradCheck((x) => sn.broadcastTo(x, [2, 3]), [smooth([3])]);
  gradCheck((x) => sn.broadcastTo(x, [4, 2, 3]), [smooth([2, 1])]);
  gradCheck((x) => sn.broadcastTo(x, [2, 3]), [smooth([])]);
});

test('broadcastTo to an incompatible shape is a ShapeError', () => {
  assert.throws(() => sn.broadcastTo(iota([2, 3]), [3, 3]), shapeError(/\[2, 3\].*\[3, 3\]/));
  assert.throws(
    () => sn.broadcastTo(iota([2, 3]), [1, 3]),
    shapeError(/cannot be broadcast to \[1, 3\]/),
  );
});

// ---------------------------------------------------------------------------------------
// transpose

test('transpose reverses the axes by default', () => {
  assertClose(
    sn.transpose(iota([2, 3])),
    [
      [1, 4],
      [2, 5],
      [3, 6],
    ],
    0,
    [3, 2],
  );
  const x = iota([2, 3, 4]);
  // default on 3-D: out[k, j, i] = x[i, j, k]
  assertClose(
    sn.transpose(x),
    build([4, 3, 2], ([k, j, i]) => offset([2, 3, 4], [i!, j!, k!]) + 1),
    0,
    [4, 3, 2],
  );
  assertClose(sn.transpose(iota([4])), [1, 2, 3, 4], 0, [4]);
});

test('transpose with a 3-D perm: output axis i is input axis perm[i]', () => {
  const shape = [2, 3, 4];
  for (const perm of [
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
  ]) {
    const outShape = perm.map((p) => shape[p]!);
    const expected = build(outShape, (j) => {
      const i = new Array<number>(3);
      perm.forEach((p, k) => (i[p] = j[k]!));
      return offset(shape, i) + 1;
    });
    assertClose(sn.transpose(iota(shape), perm), expected, 0, outShape);
  }
});

test('transpose works for every dtype', () => {
  for (const dtype of ['float32', 'float64', 'int32'] as const) {
    const y = sn.transpose(iota([2, 3], dtype), [1, 0]);
    assert.equal(y.dtype, dtype);
    assertClose(
      y,
      [
        [1, 4],
        [2, 5],
        [3, 6],
      ],
      0,
    );
  }
  const b = sn.transpose(
    sn.tensor([
      [true, false, false],
      [true, true, false],
    ]),
  );
  assert.equal(b.dtype, 'bool');
  assert.deepEqual(b.arraySync(), [
    [true, true],
    [false, true],
    [false, false],
  ]);
  // identity perm keeps the tensor
  const x = iota([2, 3]);
  assert.equal(sn.transpose(x, [0, 1]), x);
});

test('transpose gradient (inverse permutation)', () => {
  gradCheck((x) => sn.transpose(x), [smooth([2, 3])]);
  gradCheck((x) => sn.transpose(x, [1, 2, 0]), [smooth([2, 3, 4])]);
  gradCheck((x) => sn.transpose(x, [2, 0, 1]), [smooth([2, 3, 4])]);
  gradCheck((x) => sn.transpose(x, [3, 1, 0, 2]), [smooth([2, 1, 3, 2])]);
});

test('transpose with an invalid perm is an error naming the perm and the shape', () => {
  const x = iota([2, 3, 4]);
  assert.throws(
    () => sn.transpose(x, [0, 1]),
    shapeError(
      /perm \[0, 1\] is not a permutation of the axes 0\.\.2 .*\[2, 3, 4\].*2 entries, not 3/,
    ),
  );
  assert.throws(() => sn.transpose(x, [0, 1, 1]), shapeError(/axis 1 appears twice/));
  assert.throws(() => sn.transpose(x, [0, 1, 3]), shapeError(/3 is not an axis/));
  assert.throws(() => sn.transpose(x, [0, 1, -1]), shapeError(/-1 is not an axis/));
  assert.throws(
    () => sn.transpose(x, [0, 1, 1.5]),
    configError(/transpose: perm must be an array of integers/),
  );
});

// ---------------------------------------------------------------------------------------
// concat and stack

test('concat along every axis of a 2-D tensor, negative included', () => {
  const a = iota([2, 2]);
  const b = sn.tensor([
    [5, 6, 7],
    [8, 9, 10],
  ]);
  assertClose(
    sn.concat([a, b], 1),
    [
      [1, 2, 5, 6, 7],
      [3, 4, 8, 9, 10],
    ],
    0,
    [2, 5],
  );
  assertClose(
    sn.concat([a, b], -1),
    [
      [1, 2, 5, 6, 7],
      [3, 4, 8, 9, 10],
    ],
    0,
    [2, 5],
  );
  const c = sn.tensor([[9, 8]]);
  assertClose(
    sn.concat([a, c]),
    [
      [1, 2],
      [3, 4],
      [9, 8],
    ],
    0,
    [3, 2],
  );
  assertClose(
    sn.concat([c, a, c], -2),
    [
      [9, 8],
      [1, 2],
      [3, 4],
      [9, 8],
    ],
    0,
    [4, 2],
  );
  // a single tensor is itself
  assert.equal(sn.concat([a]), a);
});

test('concat along every axis of 3-D tensors matches an index loop', () => {
  for (const axis of [0, 1, 2, -1, -2, -3]) {
    const a = ((axis % 3) + 3) % 3;
    const s1 = [2, 3, 4];
    const s2 = [2, 3, 4];
    s2[a] = 1;
    const x1 = iota(s1);
    const x2 = sn.mul(iota(s2), -1);
    const outShape = s1.slice();
    outShape[a] = s1[a]! + 1;
    const expected = build(outShape, (i) => {
      if (i[a]! < s1[a]!) return offset(s1, i) + 1;
      const j = i.slice();
      j[a] = i[a]! - s1[a]!;
      return -(offset(s2, j) + 1);
    });
    assertClose(sn.concat([x1, x2], axis), expected, 0, outShape);
  }
});

test('concat promotes dtypes as binary ops do', () => {
  const i = sn.tensor([1, 2], [2], 'int32');
  const f = sn.tensor([0.5]);
  const y = sn.concat([i, f]);
  assert.equal(y.dtype, 'float32');
  assertClose(y, [1, 2, 0.5], 0);
  const d = sn.concat([f, sn.tensor([0.25], [1], 'float64')]);
  assert.equal(d.dtype, 'float64');
  const b = sn.concat([sn.tensor([true]), sn.tensor([false, true])]);
  assert.equal(b.dtype, 'bool');
  assert.deepEqual(b.arraySync(), [true, false, true]);
  const bi = sn.concat([sn.tensor([true]), sn.tensor([3], [1], 'int32')]);
  assert.equal(bi.dtype, 'int32');
  assertClose(bi, [1, 3], 0);
});

test('concat gradient is slices of dy', () => {
  gradCheck((a, b) => sn.concat([a, b], 0), [smooth([2, 3]), smooth([1, 3])]);
  gradCheck(
    (a, b, c) => sn.concat([a, b, c], 1),
    [smooth([2, 1, 3]), smooth([2, 2, 3]), smooth([2, 3, 3])],
  );
  gradCheck((a, b) => sn.concat([a, b], -1), [smooth([2, 3, 2]), smooth([2, 3, 1])]);
  // the same tensor twice: the gradients add up
  gradCheck((a) => sn.concat([a, a], 1), [smooth([2, 2])]);
});

test('concat of mismatched shapes names the shapes and the axis', () => {
  assert.throws(
    () => sn.concat([iota([2, 3]), iota([3, 2])], 0),
    shapeError(
      /concat: cannot join along axis 0: xs\[1\] has shape \[3, 2\] and xs\[0\] has shape \[2, 3\].*axis 1 \(2 vs 3\)/,
    ),
  );
  assert.throws(
    () => sn.concat([iota([2, 3]), iota([2, 3, 1])], 1),
    shapeError(/xs\[1\] has shape \[2, 3, 1\] \(rank 3\).*rank 2/),
  );
  assert.throws(
    () => sn.concat([iota([2]), iota([2])], 1),
    shapeError(/concat: axis 1 is out of range/),
  );
  assert.throws(() => sn.concat([sn.scalar(1), sn.scalar(2)]), shapeError(/scalars.*stack/));
  assert.throws(() => sn.concat([]), configError(/non-empty array/));
});

test('stack joins along a new axis, negative included', () => {
  const a = sn.tensor([1, 2, 3]);
  const b = sn.tensor([4, 5, 6]);
  assertClose(
    sn.stack([a, b]),
    [
      [1, 2, 3],
      [4, 5, 6],
    ],
    0,
    [2, 3],
  );
  assertClose(
    sn.stack([a, b], 1),
    [
      [1, 4],
      [2, 5],
      [3, 6],
    ],
    0,
    [3, 2],
  );
  assertClose(
    sn.stack([a, b], -1),
    [
      [1, 4],
      [2, 5],
      [3, 6],
    ],
    0,
    [3, 2],
  );
  assertClose(sn.stack([1, 2, 3]), [1, 2, 3], 0, [3]);
  // three [2, 2] on axis 1: out[i, k, j] = xs[k][i, j]
  const xs = [iota([2, 2]), sn.mul(iota([2, 2]), 10), sn.mul(iota([2, 2]), 100)];
  const scale = [1, 10, 100];
  assertClose(
    sn.stack(xs, 1),
    build([2, 3, 2], ([i, k, j]) => scale[k!]! * (offset([2, 2], [i!, j!]) + 1)),
    0,
    [2, 3, 2],
  );
  const s = sn.stack([sn.tensor([1], [1], 'int32'), sn.tensor([2], [1], 'int32')]);
  assert.equal(s.dtype, 'int32');
});

test('stack gradient', () => {
  gradCheck((a, b) => sn.stack([a, b], 1), [smooth([2, 3]), smooth([2, 3])]);
  gradCheck((a, b, c) => sn.stack([a, b, c], -1), [smooth([2, 2]), smooth([2, 2]), smooth([2, 2])]);
  gradCheck((a, b) => sn.stack([a, b]), [smooth([3]), smooth([3])]);
});

test('stack of different shapes or a bad axis is a ShapeError', () => {
  assert.throws(
    () => sn.stack([iota([2]), iota([3])]),
    shapeError(/stack: xs\[1\] has shape \[3\] but xs\[0\] has shape \[2\]/),
  );
  assert.throws(
    () => sn.stack([iota([2]), iota([2])], 2),
    shapeError(/stack: axis 2 is out of range for a tensor of rank 2/),
  );
});

// ---------------------------------------------------------------------------------------
// split

test('split into equal parts along every axis', () => {
  const x = iota([2, 4]);
  const [a, b] = sn.split(x, 2);
  assertClose(a!, [[1, 2, 3, 4]], 0, [1, 4]);
  assertClose(b!, [[5, 6, 7, 8]], 0, [1, 4]);
  const parts = sn.split(x, 2, { axis: 1 });
  assert.equal(parts.length, 2);
  assertClose(
    parts[0]!,
    [
      [1, 2],
      [5, 6],
    ],
    0,
    [2, 2],
  );
  assertClose(
    parts[1]!,
    [
      [3, 4],
      [7, 8],
    ],
    0,
    [2, 2],
  );
  const last = sn.split(x, 4, { axis: -1 });
  assert.equal(last.length, 4);
  last.forEach((p, k) => assertClose(p, [k + 1, k + 5], 0, [2, 1]));
});

test('split into sizes, with -1 inferred, on a 3-D tensor', () => {
  const x = iota([2, 5, 2], 'int32');
  const parts = sn.split(x, [1, -1, 2], { axis: 1 });
  assert.deepEqual(
    parts.map((p) => p.shape),
    [
      [2, 1, 2],
      [2, 2, 2],
      [2, 2, 2],
    ],
  );
  const starts = [0, 1, 3];
  parts.forEach((p, k) => {
    assert.equal(p.dtype, 'int32');
    assertClose(
      p,
      build(p.shape, ([i, j, l]) => offset([2, 5, 2], [i!, j! + starts[k]!, l!]) + 1),
      0,
    );
  });
  const zero = sn.split(iota([3]), [0, 3]);
  assert.deepEqual(zero[0]!.shape, [0]);
  assertClose(zero[1]!, [1, 2, 3], 0);
});

test('split gradient is the concatenation of the dys (zeros where unused)', () => {
  gradCheck(
    (x) => {
      const [a, b, c] = sn.split(x, [1, 2, 1], { axis: 1 });
      return sn.concat([sn.mul(a!, 3), sn.mul(c!, c!), sn.mul(b!, -2)], 1);
    },
    [smooth([2, 4])],
  );
  gradCheck(
    (x) => {
      const [a, b] = sn.split(x, [-1, 2], { axis: -1 });
      return sn.add(sn.sum(sn.mul(a!, a!)), sn.sum(b!));
    },
    [smooth([2, 3, 5])],
  );
  // only the middle part is used: the tape fills the others with zeros
  gradCheck((x) => sn.mul(sn.split(x, 3)[1]!, 2), [smooth([3, 2])]);
});

test('split that does not fit the axis is a ShapeError', () => {
  const x = iota([2, 5]);
  assert.throws(
    () => sn.split(x, [2, 2], { axis: 1 }),
    shapeError(/sizes \[2, 2\] add up to 4, but axis 1 of x with shape \[2, 5\] \(length 5\)/),
  );
  assert.throws(
    () => sn.split(x, [4, -1, 2], { axis: 1 }),
    shapeError(/add up to 6.*leaving nothing for the -1/),
  );
  assert.throws(
    () => sn.split(x, 2, { axis: 1 }),
    shapeError(/into 2 equal parts, as 2 does not divide 5/),
  );
  assert.throws(() => sn.split(x, [-1, -1], { axis: 1 }), configError(/at most one -1/));
  assert.throws(() => sn.split(x, 0), configError(/positive integer/));
  assert.throws(() => sn.split(x, 2, { axis: 2 }), shapeError(/split: axis 2 is out of range/));
  // tfjs-style positional axis
  assert.throws(() => sn.split(x, 2, 1 as never), configError(/options object.*axis/));
});

// ---------------------------------------------------------------------------------------
// slice

test('slice takes a block; -1 and missing entries run to the end', () => {
  const x = iota([3, 4]);
  assertClose(
    sn.slice(x, [1, 1], { size: [2, 2] }),
    [
      [6, 7],
      [10, 11],
    ],
    0,
    [2, 2],
  );
  assertClose(sn.slice(x, [0, 2], { size: [-1, 1] }), [[3], [7], [11]], 0, [3, 1]);
  assertClose(sn.slice(x, 2), [[9, 10, 11, 12]], 0, [1, 4]);
  assertClose(sn.slice(x, [1], { size: [1] }), [[5, 6, 7, 8]], 0, [1, 4]);
  assertClose(sn.slice(x, [0, 3]), [[4], [8], [12]], 0, [3, 1]);
  assert.deepEqual(sn.slice(x, [3, 0]).shape, [0, 4]);
  assert.equal(sn.slice(x, [0, 0]), x);
});

test('slice of a 3-D tensor matches an index loop, for every dtype', () => {
  const shape = [3, 4, 5];
  const begin = [1, 0, 2];
  const size = [2, 3, -1];
  const outShape = [2, 3, 3];
  const expected = build(
    outShape,
    (i) =>
      offset(
        shape,
        i.map((v, d) => v + begin[d]!),
      ) + 1,
  );
  for (const dtype of ['float32', 'float64', 'int32'] as const) {
    const y = sn.slice(iota(shape, dtype), begin, { size });
    assert.equal(y.dtype, dtype);
    assertClose(y, expected, 0, outShape);
  }
  const b = sn.slice(
    sn.tensor([
      [true, false, true],
      [false, false, true],
    ]),
    [0, 1],
    { size: [2, 2] },
  );
  assert.deepEqual(b.arraySync(), [
    [false, true],
    [false, true],
  ]);
});

test('slice gradient pads dy with zeros', () => {
  gradCheck((x) => sn.slice(x, [1, 1], { size: [2, 2] }), [smooth([3, 4])]);
  gradCheck((x) => sn.slice(x, [1, 0, 2], { size: [1, -1, 2] }), [smooth([2, 3, 4])]);
  gradCheck((x) => sn.slice(x, 1), [smooth([3, 2])]);
});

test('slice out of range is a ShapeError', () => {
  const x = iota([3, 4]);
  assert.throws(
    () => sn.slice(x, [1, 2], { size: [1, 3] }),
    shapeError(/on axis 1 of x with shape \[3, 4\], begin 2 with size 3 does not fit in 0\.\.4/),
  );
  assert.throws(() => sn.slice(x, [-1, 0]), shapeError(/Negative starts are not supported/));
  assert.throws(() => sn.slice(x, [4]), shapeError(/axis 0 .* begin 4/));
  assert.throws(
    () => sn.slice(x, [0, 0, 0]),
    shapeError(/at most one entry per axis of x with shape \[3, 4\]/),
  );
  assert.throws(() => sn.slice(x, [0, 0], { size: [-2, 1] }), shapeError(/size -2/));
  assert.throws(() => sn.slice(x, [0.5]), configError(/begin must be an array of integers/));
});

// ---------------------------------------------------------------------------------------
// pad

test('pad adds [before, after] entries of constantValue', () => {
  const x = iota([2, 2]);
  assertClose(
    sn.pad(x, [
      [1, 0],
      [0, 2],
    ]),
    [
      [0, 0, 0, 0],
      [1, 2, 0, 0],
      [3, 4, 0, 0],
    ],
    0,
    [3, 4],
  );
  assertClose(
    sn.pad(
      x,
      [
        [0, 1],
        [1, 1],
      ],
      { constantValue: -1 },
    ),
    [
      [-1, 1, 2, -1],
      [-1, 3, 4, -1],
      [-1, -1, -1, -1],
    ],
    0,
    [3, 4],
  );
  assertClose(sn.pad(iota([2]), [[2, 1]]), [0, 0, 1, 2, 0], 0, [5]);
  assert.equal(
    sn.pad(x, [
      [0, 0],
      [0, 0],
    ]),
    x,
  );
});

test('pad of a 3-D tensor matches an index loop, for every dtype', () => {
  const shape = [2, 3, 2];
  const paddings: [number, number][] = [
    [1, 0],
    [0, 2],
    [1, 1],
  ];
  const outShape = [3, 5, 4];
  const expected = build(outShape, (i) => {
    const j = i.map((v, d) => v - paddings[d]![0]);
    return j.every((v, d) => v >= 0 && v < shape[d]!) ? offset(shape, j) + 1 : 9;
  });
  for (const dtype of ['float32', 'float64', 'int32'] as const) {
    const y = sn.pad(iota(shape, dtype), paddings, { constantValue: 9 });
    assert.equal(y.dtype, dtype);
    assertClose(y, expected, 0, outShape);
  }
  assert.deepEqual(sn.pad(sn.tensor([true]), [[1, 1]]).arraySync(), [false, true, false]);
});

test('pad gradient slices dy', () => {
  gradCheck(
    (x) =>
      sn.pad(
        x,
        [
          [1, 2],
          [0, 1],
        ],
        { constantValue: 3 },
      ),
    [smooth([2, 3])],
  );
  gradCheck(
    (x) =>
      sn.pad(x, [
        [0, 1],
        [2, 0],
        [1, 1],
      ]),
    [smooth([2, 2, 3])],
  );
});

test('pad with bad paddings is an error', () => {
  const x = iota([2, 2]);
  assert.throws(
    () => sn.pad(x, [[1, 1]]),
    shapeError(/paddings has 1 pairs but x has shape \[2, 2\] \(rank 2\)/),
  );
  assert.throws(
    () =>
      sn.pad(x, [
        [1, 1],
        [-1, 0],
      ]),
    configError(/non-negative integers/),
  );
  assert.throws(() => sn.pad(x, [[1, 1], [1]] as never), configError(/\[before, after\] pairs/));
});

// ---------------------------------------------------------------------------------------
// tile

test('tile repeats along each axis', () => {
  assertClose(
    sn.tile(iota([2, 2]), [1, 2]),
    [
      [1, 2, 1, 2],
      [3, 4, 3, 4],
    ],
    0,
    [2, 4],
  );
  assertClose(
    sn.tile(iota([2, 2]), [2, 1]),
    [
      [1, 2],
      [3, 4],
      [1, 2],
      [3, 4],
    ],
    0,
    [4, 2],
  );
  assertClose(sn.tile(iota([3]), [2]), [1, 2, 3, 1, 2, 3], 0, [6]);
  assert.deepEqual(sn.tile(iota([2, 2]), [0, 3]).shape, [0, 6]);
});

test('tile of a 3-D tensor matches an index loop, for every dtype', () => {
  const shape = [2, 1, 3];
  const reps = [2, 3, 2];
  const outShape = [4, 3, 6];
  const expected = build(
    outShape,
    (i) =>
      offset(
        shape,
        i.map((v, d) => v % shape[d]!),
      ) + 1,
  );
  for (const dtype of ['float32', 'float64', 'int32'] as const) {
    const y = sn.tile(iota(shape, dtype), reps);
    assert.equal(y.dtype, dtype);
    assertClose(y, expected, 0, outShape);
  }
  assert.deepEqual(sn.tile(sn.tensor([[true, false]]), [2, 1]).arraySync(), [
    [true, false],
    [true, false],
  ]);
});

test('tile gradient sums over the repeats', () => {
  gradCheck((x) => sn.tile(x, [2, 3]), [smooth([2, 2])]);
  gradCheck((x) => sn.tile(x, [2, 1, 3]), [smooth([2, 3, 2])]);
  gradCheck((x) => sn.tile(x, [3, 2, 2]), [smooth([1, 2, 1])]);
});

test('tile with bad reps is an error', () => {
  assert.throws(
    () => sn.tile(iota([2, 2]), [2]),
    shapeError(/reps \[2\] has 1 entries but x has shape \[2, 2\]/),
  );
  assert.throws(() => sn.tile(iota([2, 2]), [2, -1]), configError(/non-negative/));
});

test('layout ops are Tensor methods', () => {
  const x = iota([2, 3]);
  assertClose(
    x.transpose(),
    [
      [1, 4],
      [2, 5],
      [3, 6],
    ],
    0,
  );
  assertClose(x.slice([0, 1], { size: [1, 2] }), [[2, 3]], 0);
  assertClose(x.split(3, { axis: 1 })[2]!, [3, 6], 0, [2, 1]);
  assertClose(
    x.tile([1, 2]),
    [
      [1, 2, 3, 1, 2, 3],
      [4, 5, 6, 4, 5, 6],
    ],
    0,
  );
  assertClose(
    x.pad([
      [0, 1],
      [0, 0],
    ]),
    [
      [1, 2, 3],
      [4, 5, 6],
      [0, 0, 0],
    ],
    0,
  );
});
