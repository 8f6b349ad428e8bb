import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { assertClose } from '../../test/helpers.js';

let seed = 500;
function rand(shape: number[]): sn.Tensor {
  seed += 1;
  return sn.randomUniform(shape, { minval: -1, maxval: 1, dtype: 'float64', seed });
}

const A = [
  [1, 2, 3],
  [4, 5, 6],
];
const B = [
  [7, 8],
  [9, 10],
  [11, 12],
];

test('matmul: hand-computed 2×3 · 3×2', () => {
  // [1·7 + 2·9 + 3·11, 1·8 + 2·10 + 3·12; 4·7 + 5·9 + 6·11, 4·8 + 5·10 + 6·12]
  assertClose(sn.matmul(A, B), [58, 64, 139, 154], 0, [2, 2]);
});

test('matmul: transposes read the stored operand transposed', () => {
  const at = [
    [1, 4],
    [2, 5],
    [3, 6],
  ];
  const bt = [
    [7, 9, 11],
    [8, 10, 12],
  ];
  const want = [58, 64, 139, 154];
  assertClose(sn.matmul(at, B, { transposeA: true }), want, 0, [2, 2]);
  assertClose(sn.matmul(A, bt, { transposeB: true }), want, 0, [2, 2]);
  assertClose(sn.matmul(at, bt, { transposeA: true, transposeB: true }), want, 0, [2, 2]);
  // a·aᵀ = [[1+4+9, 4+10+18], [.., 16+25+36]]
  assertClose(sn.matmul(A, A, { transposeB: true }), [14, 32, 32, 77], 0, [2, 2]);
});

test('matmul: batch dimensions broadcast (shapes and values per batch)', () => {
  const a = rand([2, 3, 4, 5]);
  const b = rand([5, 6]);
  const y = sn.matmul(a, b);
  assert.deepEqual(y.shape, [2, 3, 4, 6]);
  // Batch (1, 2) of the result is a[1, 2] · b, computed here by hand loops.
  const av = a.dataSync();
  const bv = b.dataSync();
  const yv = y.dataSync();
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 6; j++) {
      let s = 0;
      for (let p = 0; p < 5; p++) s += av[(1 * 3 + 2) * 20 + i * 5 + p]! * bv[p * 6 + j]!;
      assert.ok(Math.abs(yv[(1 * 3 + 2) * 24 + i * 6 + j]! - s) < 1e-12);
    }
  }
  assert.deepEqual(sn.matmul(rand([2, 1, 3, 4]), rand([1, 5, 4, 2])).shape, [2, 5, 3, 2]);
  assert.deepEqual(sn.matmul(rand([4, 3]), rand([7, 4, 2]), { transposeA: true }).shape, [7, 3, 2]);
});

test('matmul: dtypes promote as binary ops do', () => {
  const i = sn.tensor(
    [
      [1, 2],
      [3, 4],
    ],
    undefined,
    'int32',
  );
  const f = sn.tensor([
    [0.5, 0],
    [0, 0.5],
  ]);
  const ii = sn.matmul(i, i);
  assert.equal(ii.dtype, 'int32');
  assertClose(ii, [7, 10, 15, 22], 0, [2, 2]);
  const fi = sn.matmul(i, f);
  assert.equal(fi.dtype, 'float32');
  assertClose(fi, [0.5, 1, 1.5, 2], 0, [2, 2]);
  assert.equal(sn.matmul(f, sn.cast(i, 'float64')).dtype, 'float64');
});

test('matmul: k = 0 gives zeros of shape [m, n]', () => {
  assertClose(sn.matmul(sn.zeros([2, 0]), sn.zeros([0, 3])), [0, 0, 0, 0, 0, 0], 0, [2, 3]);
});

test('matmul gradient: all four transpose combinations (gradCheck)', () => {
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      const a = rand(transposeA ? [4, 3] : [3, 4]);
      const b = rand(transposeB ? [5, 4] : [4, 5]);
      sn.testing.gradCheck((x, y) => sn.matmul(x, y, { transposeA, transposeB }), [a, b]);
    }
  }
});

test('matmul gradient: broadcast batch dimensions are summed back (gradCheck)', () => {
  const f = (x: sn.Tensor, y: sn.Tensor): sn.Tensor => sn.matmul(x, y);
  sn.testing.gradCheck(f, [rand([2, 3, 4, 5]), rand([5, 3])]);
  sn.testing.gradCheck(f, [rand([4, 5]), rand([2, 5, 3])]);
  sn.testing.gradCheck(f, [rand([2, 1, 3, 4]), rand([1, 3, 4, 2])]);
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      const a = rand(transposeA ? [3, 1, 4, 2] : [3, 1, 2, 4]);
      const b = rand(transposeB ? [2, 3, 4] : [2, 4, 3]);
      sn.testing.gradCheck((x, y) => sn.matmul(x, y, { transposeA, transposeB }), [a, b]);
    }
  }
});

test('matmul gradient: the same tensor on both sides (x·xᵀ)', () => {
  sn.testing.gradCheck((x) => sn.matmul(x, x, { transposeB: true }), [rand([3, 4])]);
});

test('matmul: mismatched inner dimensions name both shapes, the flags and a fix', () => {
  assert.throws(
    () => sn.matmul(sn.zeros([2, 3]), sn.zeros([4, 5])),
    (e) =>
      e instanceof sn.ShapeError &&
      /inner dimensions differ/.test(e.message) &&
      e.message.includes('[2, 3]') &&
      e.message.includes('[4, 5]') &&
      /3 vs 4/.test(e.message) &&
      /transposeB: false/.test(e.message),
  );
  assert.throws(
    () => sn.matmul(sn.zeros([8, 3]), sn.zeros([5, 3])),
    (e) => e instanceof sn.ShapeError && e.message.includes('matmul(a, b, { transposeB: true })'),
  );
  assert.throws(
    () => sn.matmul(sn.zeros([3, 8]), sn.zeros([3, 5]), { transposeB: true }),
    (e) => e instanceof sn.ShapeError && e.message.includes('matmul(a, b, { transposeA: true })'),
  );
});

test('matmul: incompatible batch dimensions are a ShapeError', () => {
  assert.throws(
    () => sn.matmul(sn.zeros([2, 3, 4]), sn.zeros([5, 4, 2])),
    (e) => e instanceof sn.ShapeError && /batch/.test(e.message) && /2 vs 5/.test(e.message),
  );
});

test('matmul: rank-1 and rank-0 operands are rejected with a fix (expandDims)', () => {
  assert.throws(
    () => sn.matmul([1, 2, 3], sn.zeros([3, 2])),
    (e) =>
      e instanceof sn.ShapeError &&
      /rank >= 2/.test(e.message) &&
      /expandDims\(a, 0\)/.test(e.message),
  );
  assert.throws(
    () => sn.matmul(sn.zeros([2, 3]), [1, 2, 3]),
    (e) => e instanceof sn.ShapeError && /expandDims\(b, -1\)/.test(e.message),
  );
  assert.throws(
    () => sn.matmul(2, sn.zeros([2, 2])),
    (e) => e instanceof sn.ShapeError && /sn\.mul/.test(e.message),
  );
});

test('matmul: bool operands are a DTypeError', () => {
  const mask = sn.tensor([
    [true, false],
    [false, true],
  ]);
  assert.throws(
    () => sn.matmul(mask, sn.ones([2, 2])),
    (e) => e instanceof sn.DTypeError && /bool/.test(e.message),
  );
});

test('matmul: a positional flag instead of an options object is a ConfigError', () => {
  assert.throws(
    // @ts-expect-error: the tfjs signature matMul(a, b, transposeA, transposeB)
    () => sn.matmul(sn.zeros([2, 2]), sn.zeros([2, 2]), true),
    (e) => e instanceof sn.ConfigError && /transposeA: true/.test(e.message),
  );
});
