// Creation functions against bad sizes and values (issue 10.8): a typed error naming the shape
// and the limit instead of "Invalid typed array length"; int32 refuses values it cannot hold
// instead of wrapping them; bool stores 0/1; a Uint8Array is int32 (as TensorFlow.js); range
// takes TensorFlow.js's positional step; random creators refuse a negative stddev.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as sn from '../index.js';

const huge = [1e12];

test('every creator refuses a shape beyond the element limit with a ShapeError naming it', () => {
  const creators: [string, () => unknown][] = [
    ['zeros()', () => sn.zeros(huge)],
    ['ones()', () => sn.ones([1e6, 1e6])],
    ['fill()', () => sn.fill([2 ** 31], 1)],
    ['eye()', () => sn.eye(1e6)],
    ['range()', () => sn.range(0, 1e12)],
    ['linspace()', () => sn.linspace(0, 1, 1e12)],
    ['randomNormal()', () => sn.randomNormal(huge)],
    ['truncatedNormal()', () => sn.truncatedNormal(huge)],
    ['randomUniform()', () => sn.randomUniform(huge)],
    ['randomBernoulli()', () => sn.randomBernoulli(huge)],
  ];
  for (const [where, make] of creators) {
    assert.throws(
      make,
      (e: unknown) =>
        e instanceof sn.ShapeError &&
        e.message.startsWith(where) &&
        e.message.includes('2147483647') &&
        /shape \[\d+(, \d+)?\]/.test(e.message),
      where,
    );
  }
});

test('ops whose output outgrows their input refuse a shape beyond the limit the same way', () => {
  const x = sn.tensor([1]);
  const ops: [string, () => unknown][] = [
    ['broadcastTo', () => sn.broadcastTo(x, huge)],
    ['tile', () => sn.tile(x, huge)],
    ['pad', () => sn.pad(x, [[0, 1e12]])],
    ['oneHot', () => sn.oneHot(sn.tensor([0], undefined, 'int32'), 1e12)],
  ];
  for (const [where, make] of ops) {
    assert.throws(
      make,
      (e: unknown) =>
        e instanceof sn.ShapeError &&
        e.message.startsWith(`${where}: shape [`) &&
        e.message.includes('2147483647'),
      where,
    );
  }
});

test('int32 refuses values outside its range (3e10, NaN, Infinity) instead of wrapping them', () => {
  for (const v of [3e10, -3e10, 2 ** 31, NaN, Infinity]) {
    assert.throws(
      () => sn.tensor([1, v], undefined, 'int32'),
      (e: unknown) =>
        e instanceof sn.DTypeError && e.message.includes('index 1') && e.message.includes('int32'),
      String(v),
    );
  }
  assert.throws(() => sn.scalar(3e10, 'int32'), sn.DTypeError);
  assert.throws(() => sn.fill([2], 3e10, 'int32'), sn.DTypeError);
  assert.throws(() => sn.variable([3e10], { dtype: 'int32' }), sn.DTypeError);
  // The ends of the range are kept exactly; fractions are dropped toward zero, as TensorFlow.js.
  const t = sn.tensor([-(2 ** 31), 2 ** 31 - 1, 1.7, -1.7], undefined, 'int32');
  assert.deepEqual(Array.from(t.dataSync()), [-2147483648, 2147483647, 1, -1]);
});

test('bool stores any nonzero value as 1 (true), as NumPy', () => {
  const t = sn.tensor([2, -1, 0, 0.25, NaN], undefined, 'bool');
  assert.deepEqual(Array.from(t.dataSync()), [1, 1, 0, 1, 1]);
  assert.deepEqual(t.arraySync(), [true, true, false, true, true]);
  assert.deepEqual(Array.from(sn.fill([2], 7, 'bool').dataSync()), [1, 1]);
  assert.deepEqual(Array.from(sn.range(0, 3, { dtype: 'bool' }).dataSync()), [0, 1, 1]);
});

test('a Uint8Array becomes an int32 tensor, as in TensorFlow.js', () => {
  const t = sn.tensor(new Uint8Array([1, 200, 0]));
  assert.equal(t.dtype, 'int32');
  assert.deepEqual(Array.from(t.dataSync()), [1, 200, 0]);
});

test("range takes TensorFlow.js's positional step and dtype, and an options object", () => {
  assert.deepEqual(sn.range(0, 10, 2).arraySync(), [0, 2, 4, 6, 8]);
  const i = sn.range(0, 10, 2, 'int32');
  assert.equal(i.dtype, 'int32');
  assert.deepEqual(Array.from(i.dataSync()), [0, 2, 4, 6, 8]);
  assert.deepEqual(sn.range(0, 10, { step: 3 }).arraySync(), [0, 3, 6, 9]);
  assert.deepEqual(sn.range(5, 0, -2).arraySync(), [5, 3, 1]);
  assert.throws(() => sn.range(0, 10, 'two' as unknown as number), sn.ConfigError);
  const range4 = sn.range as (...args: unknown[]) => sn.Tensor; // a JS caller mixing both forms
  assert.throws(() => range4(0, 10, { step: 2 }, 'int32'), sn.ConfigError);
});

test('random creators refuse a negative or non-finite stddev, mean or bound', () => {
  const bad: [string, () => unknown][] = [
    ['stddev -1', () => sn.randomNormal([2], { stddev: -1 })],
    ['stddev NaN', () => sn.randomNormal([2], { stddev: NaN })],
    ['mean Infinity', () => sn.randomNormal([2], { mean: Infinity })],
    ['truncated stddev -1', () => sn.truncatedNormal([2], { stddev: -1 })],
    ['int dtype', () => sn.randomNormal([2], { dtype: 'int32' as 'float32' })],
    ['minval NaN', () => sn.randomUniform([2], { minval: NaN })],
    ['maxval Infinity', () => sn.randomUniform([2], { maxval: Infinity })],
    ['int32 maxval 1e10', () => sn.randomUniform([2], { maxval: 1e10, dtype: 'int32' })],
  ];
  for (const [what, make] of bad) {
    assert.throws(make, (e: unknown) => e instanceof sn.SinewError, what);
  }
  // stddev 0 is a constant tensor (allowed, as TensorFlow.js).
  assert.deepEqual(Array.from(sn.randomNormal([2], { mean: 3, stddev: 0 }).dataSync()), [3, 3]);
});
