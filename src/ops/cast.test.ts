import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { assertClose } from '../../test/helpers.js';

// Oracles: hand values (Math.trunc semantics, "non-zero is true", Math.fround rounding) and
// finite differences for the float-to-float gradient.

const values = (t: sn.Tensor): number[] => Array.from(t.dataSync());

test('float to int32 truncates toward zero', () => {
  const x = sn.tensor([-2.7, -1, -0.5, 0, 0.5, 1.9, 2, 123456.75]);
  const y = sn.cast(x, 'int32');
  assert.equal(y.dtype, 'int32');
  assert.ok(y.dataSync() instanceof Int32Array);
  assert.deepEqual(values(y), [-2, -1, 0, 0, 0, 1, 2, 123456]);
  assert.deepEqual(values(sn.cast(sn.tensor([-2.5, 2.5], undefined, 'float64'), 'int32')), [-2, 2]);
});

test('float to int32: NaN becomes 0 and out-of-range values wrap, as documented', () => {
  const y = sn.cast(sn.tensor([NaN, 2 ** 31, -(2 ** 31) - 1], undefined, 'float64'), 'int32');
  assert.deepEqual(values(y), [0, -(2 ** 31), 2 ** 31 - 1]);
});

test('to bool is non-zero (NaN is true); bool to numbers is 0 and 1', () => {
  const b = sn.cast(sn.tensor([0, -0, 0.1, -3, NaN, Infinity]), 'bool');
  assert.equal(b.dtype, 'bool');
  assert.deepEqual(b.arraySync(), [false, false, true, true, true, true]);
  assert.deepEqual(sn.cast(sn.tensor([0, 5, -1], undefined, 'int32'), 'bool').arraySync(), [
    false,
    true,
    true,
  ]);
  const mask = sn.tensor([true, false, true]);
  for (const dtype of ['float32', 'float64', 'int32'] as const) {
    const y = sn.cast(mask, dtype);
    assert.equal(y.dtype, dtype);
    assert.deepEqual(values(y), [1, 0, 1]);
  }
});

test('int32 to float is exact in range; float64 to float32 rounds to nearest', () => {
  assert.deepEqual(
    values(sn.cast(sn.tensor([-7, 0, 16777216], undefined, 'int32'), 'float32')),
    [-7, 0, 16777216],
  );
  assert.deepEqual(values(sn.cast(sn.tensor([-7, 2 ** 31 - 1], undefined, 'int32'), 'float64')), [
    -7,
    2 ** 31 - 1,
  ]);
  const y = sn.cast(sn.tensor([0.1, 1 / 3, 1e40], undefined, 'float64'), 'float32');
  assert.equal(y.dtype, 'float32');
  assert.deepEqual(values(y), [Math.fround(0.1), Math.fround(1 / 3), Infinity]);
  assert.deepEqual(values(sn.cast(sn.tensor([0.1]), 'float64')), [Math.fround(0.1)]);
});

test('the same dtype returns x itself; shapes are kept', () => {
  const x = sn.tensor([[1, 2]]);
  assert.equal(sn.cast(x, 'float32'), x);
  const y = sn.cast(x, 'int32');
  assert.deepEqual(y.shape, [1, 2]);
  assert.deepEqual(sn.cast(sn.zeros([0, 4]), 'bool').shape, [0, 4]);
  const s = sn.cast(sn.scalar(-1.5), 'int32');
  assert.deepEqual(s.shape, []);
  assert.equal(s.item(), -1);
  // A plain number is made a float32 scalar first.
  assert.equal(sn.cast(1.7, 'int32').item(), 1);
});

test('method form agrees with function form', () => {
  const x = sn.tensor([-1.5, 0, 2.5]);
  for (const dtype of ['float64', 'int32', 'bool'] as const) {
    const m = x.cast(dtype);
    const f = sn.cast(x, dtype);
    assert.equal(m.dtype, f.dtype);
    assert.deepEqual(m.dataSync(), f.dataSync());
  }
});

test('an unknown dtype is a ConfigError listing the dtypes', () => {
  assert.throws(
    () => sn.cast(sn.tensor([1]), 'float16' as never),
    (e) =>
      e instanceof sn.ConfigError &&
      /cast: unknown dtype "float16"; expected one of float32, float64, int32, bool/.test(
        (e as Error).message,
      ),
  );
  assert.throws(
    () => sn.cast(undefined as never, 'int32'),
    (e) =>
      e instanceof sn.ConfigError && /cast: argument 'x' is required/.test((e as Error).message),
  );
});

test('gradient passes between float dtypes, cast back to the input dtype', () => {
  // float64 → float32 → float64 is the identity up to rounding: finite differences with a
  // step large enough that float32 rounding does not matter.
  sn.testing.gradCheck(
    (x) => sn.cast(sn.mul(sn.cast(x!, 'float32'), 3), 'float64'),
    [sn.tensor([0.3, -1.2, 2.5])],
    {
      eps: 1e-2,
      atol: 1e-4,
      rtol: 1e-4,
    },
  );
  const x = sn.tensor([1, 2], undefined, 'float64');
  const w = sn.tensor([0.5, -4]);
  const g = sn.grad((t) => sn.sum(sn.mul(sn.cast(t, 'float32'), w)))(x);
  assert.equal(g.dtype, 'float64');
  assertClose(g, [0.5, -4], 0);
  const x32 = sn.tensor([1, 2]);
  const g32 = sn.grad((t) =>
    sn.sum(sn.mul(sn.cast(t, 'float64'), sn.tensor([3, 4], undefined, 'float64'))),
  )(x32);
  assert.equal(g32.dtype, 'float32');
  assertClose(g32, [3, 4], 0);
});

test('a cast to or from int32 or bool stops the gradient', () => {
  const x = sn.tensor([1.5, -2.5], undefined, 'float64');
  const viaInt = sn.grad((t) => sn.sum(sn.mul(sn.cast(sn.cast(t, 'int32'), 'float64'), t)))(x);
  // d/dt [trunc(t)·t] with trunc treated as a constant: trunc(t).
  assertClose(viaInt, [1, -2], 0);
  const viaBool = sn.grad((t) => sn.sum(sn.cast(sn.cast(t, 'bool'), 'float64')))(x);
  assertClose(viaBool, [0, 0], 0);
});
