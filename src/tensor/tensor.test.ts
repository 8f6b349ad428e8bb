import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';

test('tensor() infers shape and dtype from nested arrays', () => {
  const t = sn.tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assert.deepEqual(t.shape, [2, 3]);
  assert.equal(t.rank, 2);
  assert.equal(t.size, 6);
  assert.equal(t.dtype, 'float32');
  assert.deepEqual(Array.from(t.dataSync()), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(t.arraySync(), [
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assert.equal(sn.tensor([true, false]).dtype, 'bool');
  assert.deepEqual(sn.tensor([true, false]).arraySync(), [true, false]);
  assert.equal(sn.tensor(new Int32Array([1, 2])).dtype, 'int32');
  assert.equal(sn.tensor(new Float64Array([1, 2])).dtype, 'float64');
  assert.deepEqual(sn.tensor(5).shape, []);
  assert.equal(sn.tensor(5).item(), 5);
});

test('tensor() with a flat typed array and a shape; values are copied both ways', () => {
  const values = new Float32Array([1, 2, 3, 4, 5, 6]);
  const t = sn.tensor(values, [3, 2]);
  values[0] = 100;
  assert.deepEqual(t.arraySync(), [
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  const out = t.dataSync();
  out[1] = 100;
  assert.equal(t.dataSync()[1], 2, 'mutating dataSync() output must not change the tensor');
});

test('tensor() converts to the requested dtype', () => {
  assert.deepEqual(
    Array.from(sn.tensor([1.7, -1.7, 3], undefined, 'int32').dataSync()),
    [1, -1, 3],
  );
  const f64 = sn.tensor([0.1], undefined, 'float64');
  assert.equal(f64.dataSync()[0], 0.1);
  assert.notEqual(sn.tensor([0.1]).dataSync()[0], 0.1, 'float32 rounds 0.1');
});

test('await data() and array() give the same values as the sync forms', async () => {
  const t = sn.tensor([
    [1, 2],
    [3, 4],
  ]);
  assert.deepEqual(Array.from(await t.data()), [1, 2, 3, 4]);
  assert.deepEqual(await t.array(), t.arraySync());
});

test('ragged nested arrays are a ShapeError naming the position', () => {
  assert.throws(
    () => sn.tensor([[1, 2], [3]]),
    (e: unknown) =>
      e instanceof sn.ShapeError && /ragged/.test(e.message) && /\[1\]/.test(e.message),
  );
  assert.throws(
    () => sn.tensor([[1, 2], 3] as never),
    (e: unknown) => e instanceof sn.ShapeError && /ragged/.test(e.message),
  );
  assert.throws(
    () => sn.tensor([1, 'a'] as never),
    (e: unknown) => e instanceof sn.ShapeError && /"a"/.test(e.message),
  );
});

test('values/shape size mismatch is a ShapeError naming both sizes', () => {
  assert.throws(
    () => sn.tensor([1, 2, 3, 4, 5], [2, 3]),
    (e: unknown) => e instanceof sn.ShapeError && /\[2, 3\] holds 6 values, but 5/.test(e.message),
  );
  assert.throws(() => sn.tensor(new Float32Array(4), [3]), sn.ShapeError);
  assert.throws(() => sn.zeros([2, -1]), sn.ShapeError);
  assert.throws(() => sn.zeros([2.5]), sn.ShapeError);
});

test('unknown dtype is a ConfigError listing the valid ones', () => {
  assert.throws(
    () => sn.tensor([1], undefined, 'float16' as never),
    (e: unknown) => e instanceof sn.ConfigError && /float32, float64, int32, bool/.test(e.message),
  );
});

test('zeros, ones, fill, zerosLike, onesLike, eye', () => {
  assert.deepEqual(sn.zeros([2, 2]).arraySync(), [
    [0, 0],
    [0, 0],
  ]);
  assert.deepEqual(Array.from(sn.ones([3], 'int32').dataSync()), [1, 1, 1]);
  assert.equal(sn.ones([3], 'int32').dtype, 'int32');
  assert.deepEqual(Array.from(sn.fill([2], 7.5).dataSync()), [7.5, 7.5]);
  const like = sn.zerosLike(sn.tensor([[1, 2, 3]], undefined, 'float64'));
  assert.deepEqual(like.shape, [1, 3]);
  assert.equal(like.dtype, 'float64');
  assert.deepEqual(Array.from(sn.onesLike(sn.tensor([5, 6])).dataSync()), [1, 1]);
  assert.deepEqual(sn.eye(2).arraySync(), [
    [1, 0],
    [0, 1],
  ]);
  assert.deepEqual(sn.eye(2, { numColumns: 3 }).arraySync(), [
    [1, 0, 0],
    [0, 1, 0],
  ]);
  assert.deepEqual(sn.zeros([0, 3]).shape, [0, 3]);
  assert.equal(sn.zeros([0, 3]).size, 0);
});

test('range and linspace', () => {
  assert.deepEqual(Array.from(sn.range(0, 5).dataSync()), [0, 1, 2, 3, 4]);
  assert.deepEqual(Array.from(sn.range(1, 2, { step: 0.25 }).dataSync()), [1, 1.25, 1.5, 1.75]);
  assert.deepEqual(Array.from(sn.range(5, 0, { step: -2 }).dataSync()), [5, 3, 1]);
  assert.deepEqual(Array.from(sn.range(3, 1).dataSync()), []);
  assert.equal(sn.range(0, 3, { dtype: 'int32' }).dtype, 'int32');
  assert.deepEqual(Array.from(sn.linspace(0, 1, 5).dataSync()), [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(Array.from(sn.linspace(2, 3, 1).dataSync()), [2]);
  assert.throws(() => sn.range(0, 1, { step: 0 }), sn.ConfigError);
  assert.throws(() => sn.linspace(0, 1, 0), sn.ConfigError);
});

test('item() on a tensor with more than one element explains how to reduce it', () => {
  assert.throws(
    () => sn.tensor([1, 2]).item(),
    (e: unknown) => e instanceof sn.SinewError && /sn.mean/.test(e.message),
  );
});

test('toString() renders nested brackets and truncates large tensors', () => {
  assert.equal(
    sn
      .tensor([
        [1, 2, 3],
        [4, 5, 6],
      ])
      .toString(),
    'Tensor float32 [2, 3]\n[[1, 2, 3],\n [4, 5, 6]]',
  );
  assert.equal(sn.tensor([true, false]).toString(), 'Tensor bool [2]\n[true, false]');
  assert.equal(sn.scalar(2.5).toString(), 'Tensor float32 []\n2.5');
  const big = sn.range(0, 10000).reshape([100, 100]).toString();
  assert.ok(big.includes('...'), 'large tensors are summarized');
  assert.ok(big.split('\n').length < 20, 'and stay short');
  assert.ok(big.includes('9999'), 'the last element is shown');
});

test('a variable can be assigned values of its own shape and dtype only', () => {
  const v = sn.variable(sn.tensor([1, 2]), { name: 'w' });
  assert.equal(v.name, 'w');
  assert.equal(v.trainable, true);
  v.assign(sn.tensor([3, 4]));
  assert.deepEqual(Array.from(v.dataSync()), [3, 4]);
  assert.throws(
    () => v.assign(sn.tensor([1, 2, 3])),
    (e: unknown) =>
      e instanceof sn.ShapeError &&
      /'w'/.test(e.message) &&
      /\[2\]/.test(e.message) &&
      /\[3\]/.test(e.message),
  );
  assert.throws(() => v.assign(sn.tensor([1, 2], undefined, 'int32')), sn.DTypeError);
  assert.equal(sn.variable([1], { trainable: false }).trainable, false);
});
