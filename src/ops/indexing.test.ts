import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { allIndices, assertClose, iota, offset, smooth } from '../../test/helpers.js';

// Oracles: hand-written values for small cases, and plain-JS index loops for 3-D cases;
// gradients by finite differences (sn.testing.gradCheck).

const { gradCheck } = sn.testing;

type Nested = number | Nested[];

const int32 = (values: Nested): sn.Tensor => sn.tensor(values as number[], undefined, 'int32');

const shapeError = (pattern: RegExp) => (e: unknown) =>
  e instanceof sn.ShapeError && pattern.test(e.message);
const configError = (pattern: RegExp) => (e: unknown) =>
  e instanceof sn.ConfigError && pattern.test(e.message);
const indexError = (pattern: RegExp) => (e: unknown) =>
  e instanceof sn.IndexError && pattern.test(e.message);
const dtypeError = (pattern: RegExp) => (e: unknown) =>
  e instanceof sn.DTypeError && pattern.test(e.message);

// ---------------------------------------------------------------------------------------
// gather

test('gather picks rows, columns, and repeated indices', () => {
  const x = iota([3, 2]); // [[1, 2], [3, 4], [5, 6]]
  assertClose(
    sn.gather(x, [2, 0]),
    [
      [5, 6],
      [1, 2],
    ],
    0,
    [2, 2],
  );
  assertClose(
    sn.gather(x, [1, 1, 1]),
    [
      [3, 4],
      [3, 4],
      [3, 4],
    ],
    0,
    [3, 2],
  );
  assertClose(
    sn.gather(x, [1, 0, 1], { axis: 1 }),
    [
      [2, 1, 2],
      [4, 3, 4],
      [6, 5, 6],
    ],
    0,
    [3, 3],
  );
  assertClose(sn.gather(x, [1], { axis: -1 }), [[2], [4], [6]], 0, [3, 1]);
  assertClose(
    sn.gather(x, [0, 2], { axis: -2 }),
    [
      [1, 2],
      [5, 6],
    ],
    0,
    [2, 2],
  );
  // a scalar index removes the axis; a 2-D index array adds two
  assertClose(sn.gather(x, 2), [5, 6], 0, [2]);
  assertClose(
    sn.gather(x, [
      [2, 0],
      [1, 2],
    ]),
    [
      [
        [5, 6],
        [1, 2],
      ],
      [
        [3, 4],
        [5, 6],
      ],
    ],
    0,
    [2, 2, 2],
  );
  assertClose(
    sn.gather(x, [[1], [0]], { axis: 1 }),
    [
      [[2], [1]],
      [[4], [3]],
      [[6], [5]],
    ],
    0,
    [3, 2, 1],
  );
  assert.deepEqual(sn.gather(x, []).shape, [0, 2]);
});

test('gather accepts int32 tensors, Int32Arrays and plain arrays as indices', () => {
  const x = iota([4]);
  assertClose(sn.gather(x, int32([3, 0])), [4, 1], 0, [2]);
  assertClose(sn.gather(x, new Int32Array([1, 2])), [2, 3], 0, [2]);
  assertClose(sn.gather(x, [3, 3]), [4, 4], 0, [2]);
});

test('gather of a 3-D tensor along every axis matches an index loop', () => {
  const shape = [2, 3, 4];
  const idx = [
    [2, 0],
    [1, 1],
    [0, 1],
  ];
  for (const axis of [0, 1, 2, -1, -2, -3]) {
    const a = (axis + 3) % 3;
    const n = shape[a]!;
    const indices = idx.map((row) => row.map((v) => v % n));
    const outShape = [...shape.slice(0, a), 3, 2, ...shape.slice(a + 1)];
    const expected = allIndices(outShape).map((o) => {
      const i = [...o.slice(0, a), indices[o[a]!]![o[a + 1]!]!, ...o.slice(a + 2)];
      return offset(shape, i) + 1;
    });
    assertClose(sn.gather(iota(shape), indices, { axis }), expected, 0, outShape);
  }
});

test('gather works for every dtype', () => {
  for (const dtype of ['float32', 'float64', 'int32'] as const) {
    const y = sn.gather(iota([2, 3], dtype), [2, 0], { axis: 1 });
    assert.equal(y.dtype, dtype);
    assertClose(
      y,
      [
        [3, 1],
        [6, 4],
      ],
      0,
    );
  }
  const b = sn.gather(sn.tensor([true, false, true]), [1, 2, 1]);
  assert.equal(b.dtype, 'bool');
  assert.deepEqual(b.arraySync(), [false, true, false]);
});

test('gather gradient is a scatterAdd (repeated indices accumulate)', () => {
  gradCheck((x) => sn.gather(x, [2, 0, 2, 2]), [smooth([3, 2])]);
  gradCheck(
    (x) =>
      sn.gather(
        x,
        [
          [1, 1],
          [0, 1],
        ],
        { axis: 1 },
      ),
    [smooth([2, 3])],
  );
  gradCheck((x) => sn.gather(x, [3, 0, 3], { axis: -1 }), [smooth([2, 3, 4])]);
  gradCheck((x) => sn.gather(x, [1, 1], { axis: 1 }), [smooth([2, 3, 2])]);
  // indices passed as an int32 input are not differentiated
  gradCheck((x, i) => sn.gather(x, i, { axis: 0 }), [smooth([3, 2]), int32([0, 0, 1])]);
  // with every weight 1 the gradient counts how often each row was taken
  const r = gradCheck((x) => sn.gather(x, [2, 0, 2, 2]), [smooth([3, 2])], {
    weights: sn.ones([4, 2]),
  });
  assert.deepEqual(Array.from(r.analytic[0]!), [1, 1, 0, 0, 3, 3]);
});

test('gather with an out-of-range index names the index, its position and the range', () => {
  const x = iota([3, 2]);
  assert.throws(
    () =>
      sn.gather(x, [
        [0, 1],
        [3, 0],
      ]),
    indexError(
      /gather: index 3 at indices\[1, 0\] is out of range for axis 0 of x with shape \[3, 2\]; valid indices are 0\.\.2/,
    ),
  );
  assert.throws(
    () => sn.gather(x, [0, 2], { axis: 1 }),
    indexError(/index 2 at indices\[1\] .* axis 1 .* valid indices are 0\.\.1/),
  );
  assert.throws(
    () => sn.gather(x, -1),
    indexError(/index -1 at indices \(a scalar\).*Negative indices are not supported/),
  );
  assert.throws(
    () => sn.gather(sn.zeros([0, 2]), [0]),
    indexError(/it has length 0, so no index is valid/),
  );
});

test('gather with bad indices or axis is a typed error', () => {
  const x = iota([3, 2]);
  assert.throws(
    () => sn.gather(x, sn.tensor([0, 1])),
    dtypeError(/indices must have dtype int32, received a float32 tensor.*sn\.cast/),
  );
  assert.throws(
    () => sn.gather(x, [0, 1.5]),
    dtypeError(/whole numbers, received 1\.5 at indices\[1\]/),
  );
  assert.throws(
    () => sn.gather(x, [0], { axis: 2 }),
    shapeError(/gather: axis 2 is out of range for a tensor of rank 2/),
  );
  assert.throws(() => sn.gather(x, [0], 1 as never), configError(/options object/));
});

// ---------------------------------------------------------------------------------------
// scatterAdd

test('scatterAdd adds updates at indices, accumulating repeats', () => {
  const x = sn.tensor([
    [1, 1],
    [1, 1],
    [1, 1],
  ]);
  // rows 2, 0, 2 get [10, 20], [1, 2], [100, 200]
  const y = sn.scatterAdd(
    x,
    [2, 0, 2],
    sn.tensor([
      [10, 20],
      [1, 2],
      [100, 200],
    ]),
  );
  assertClose(
    y,
    [
      [2, 3],
      [1, 1],
      [111, 221],
    ],
    0,
    [3, 2],
  );
  // along axis 1 (and -1): column j of row i gets updates[i, p] for indices[p] = j
  const u = sn.tensor([
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
  ]);
  assertClose(
    sn.scatterAdd(x, [1, 1, 0], u, { axis: 1 }),
    [
      [1 + 3, 1 + 1 + 2],
      [1 + 6, 1 + 4 + 5],
      [1 + 9, 1 + 7 + 8],
    ],
    0,
  );
  assertClose(
    sn.scatterAdd(x, [1, 1, 0], u, { axis: -1 }),
    [
      [4, 4],
      [7, 10],
      [10, 16],
    ],
    0,
  );
  // scalar index
  assertClose(sn.scatterAdd(sn.zeros([3]), 1, 5), [0, 5, 0], 0);
  // x itself is unchanged (tensors are immutable)
  assertClose(
    x,
    [
      [1, 1],
      [1, 1],
      [1, 1],
    ],
    0,
  );
});

test('scatterAdd of a 3-D tensor matches an index loop', () => {
  const shape = [2, 3, 2];
  const indices = [
    [2, 0],
    [2, 2],
  ];
  const updates = iota([2, 2, 2, 2]);
  const expected = new Array<number>(12).fill(0).map((_, i) => -i);
  const uv = Array.from(updates.dataSync());
  allIndices([2, 2, 2, 2]).forEach((o, k) => {
    const i = [o[0]!, indices[o[1]!]![o[2]!]!, o[3]!];
    expected[offset(shape, i)]! += uv[k]!;
  });
  const x = sn.tensor(
    Array.from({ length: 12 }, (_, i) => -i),
    shape,
  );
  assertClose(sn.scatterAdd(x, indices, updates, { axis: 1 }), expected, 0, shape);
});

test('scatterAdd keeps int32 and promotes mixed dtypes', () => {
  const y = sn.scatterAdd(sn.zeros([3], 'int32'), [0, 0, 2], int32([1, 2, 3]));
  assert.equal(y.dtype, 'int32');
  assertClose(y, [3, 0, 3], 0);
  const f = sn.scatterAdd(sn.zeros([2], 'int32'), [1], sn.tensor([0.5]));
  assert.equal(f.dtype, 'float32');
  assertClose(f, [0, 0.5], 0);
  const d = sn.scatterAdd(sn.zeros([2], 'float64'), [1], sn.tensor([0.5]));
  assert.equal(d.dtype, 'float64');
});

test('scatterAdd gradient: dy for x, gather(dy) for updates', () => {
  gradCheck((x, u) => sn.scatterAdd(x, [2, 0, 2], u), [smooth([3, 2]), smooth([3, 2])]);
  gradCheck(
    (x, u) =>
      sn.scatterAdd(
        x,
        [
          [1, 1],
          [0, 2],
        ],
        u,
        { axis: -1 },
      ),
    [smooth([2, 3]), smooth([2, 2, 2])],
  );
  gradCheck(
    (x, u) => sn.scatterAdd(x, [1, 1], u, { axis: 1 }),
    [smooth([2, 3, 2]), smooth([2, 2, 2])],
  );
});

test('scatterAdd with updates of the wrong shape or bad indices is a typed error', () => {
  const x = sn.zeros([3, 2]);
  assert.throws(
    () => sn.scatterAdd(x, [0, 1], sn.zeros([2, 3])),
    shapeError(
      /scatterAdd: updates have shape \[2, 3\], but indices of shape \[2\] along axis 0 of x with shape \[3, 2\] need updates of shape \[2, 2\]/,
    ),
  );
  assert.throws(
    () => sn.scatterAdd(x, [0, 3], sn.zeros([2, 2])),
    indexError(/scatterAdd: index 3 at indices\[1\].*0\.\.2/),
  );
  assert.throws(() => sn.scatterAdd(x, sn.tensor([0]), sn.zeros([1, 2])), dtypeError(/int32/));
});

// ---------------------------------------------------------------------------------------
// oneHot

test('oneHot puts onValue at each index along a new last axis', () => {
  assertClose(
    sn.oneHot([0, 2, 1], 3),
    [
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
    ],
    0,
    [3, 3],
  );
  assertClose(sn.oneHot([[1], [0]], 2), [[[0, 1]], [[1, 0]]], 0, [2, 1, 2]);
  assertClose(sn.oneHot(1, 4), [0, 1, 0, 0], 0, [4]);
  assertClose(
    sn.oneHot(int32([3, 0]), 4, { onValue: 5, offValue: -1 }),
    [
      [-1, -1, -1, 5],
      [5, -1, -1, -1],
    ],
    0,
  );
  assert.equal(sn.oneHot([0], 2).dtype, 'float32');
});

test('oneHot gives an all-off row for an index outside 0..depth-1 (as tf.oneHot)', () => {
  assertClose(
    sn.oneHot([3, -1, 1], 3, { offValue: 0.5 }),
    [
      [0.5, 0.5, 0.5],
      [0.5, 0.5, 0.5],
      [0.5, 1, 0.5],
    ],
    0,
    [3, 3],
  );
});

test('oneHot in every dtype', () => {
  for (const dtype of ['float32', 'float64', 'int32'] as const) {
    const y = sn.oneHot([1, 0], 2, { dtype, onValue: 7 });
    assert.equal(y.dtype, dtype);
    assertClose(
      y,
      [
        [0, 7],
        [7, 0],
      ],
      0,
    );
  }
  const b = sn.oneHot([1], 3, { dtype: 'bool' });
  assert.deepEqual(b.arraySync(), [[false, true, false]]);
});

test('oneHot with a bad depth, values or indices is a typed error', () => {
  assert.throws(
    () => sn.oneHot([0], 0),
    configError(/depth must be a positive integer.*received 0/),
  );
  assert.throws(() => sn.oneHot([0], 2.5), configError(/depth/));
  assert.throws(
    () => sn.oneHot([0], 2, { onValue: '1' as never }),
    configError(/onValue and offValue must be numbers/),
  );
  assert.throws(
    () => sn.oneHot([0], 2, { dtype: 'int8' as never }),
    configError(/unknown dtype "int8"/),
  );
  assert.throws(() => sn.oneHot(sn.tensor([0.5]), 2), dtypeError(/int32/));
});

test('indexing ops are Tensor methods', () => {
  const x = iota([3, 2]);
  assertClose(x.gather([2], { axis: 0 }), [[5, 6]], 0);
  assertClose(
    x.scatterAdd([0], sn.ones([1, 2])),
    [
      [2, 3],
      [3, 4],
      [5, 6],
    ],
    0,
  );
  assertClose(int32([1]).oneHot(2), [[0, 1]], 0);
});
