import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';

/** sn.data's datasets and methods against hand-computed elements. */

const values = (t: unknown) => Array.from((t as sn.Tensor).dataSync());

test('array, map, filter, take, skip: the elements and sizes worked out by hand', async () => {
  const ds = sn.data.array([1, 2, 3, 4, 5, 6, 7]);
  assert.equal(ds.size, 7);
  assert.deepEqual(await ds.map((x) => x * 10).toArray(), [10, 20, 30, 40, 50, 60, 70]);
  assert.deepEqual(await ds.map(async (x) => x + 1).toArray(), [2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(await ds.filter((x) => x % 2 === 1).toArray(), [1, 3, 5, 7]);
  assert.equal(ds.filter(() => true).size, undefined);
  assert.deepEqual(await ds.take(3).toArray(), [1, 2, 3]);
  assert.equal(ds.take(3).size, 3);
  assert.deepEqual(await ds.take(-1).toArray(), [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(await ds.skip(5).toArray(), [6, 7]);
  assert.equal(ds.skip(5).size, 2);
  assert.deepEqual(await ds.skip(-1).toArray(), []);
  assert.deepEqual(await ds.skip(9).toArray(), []);
  assert.equal(ds.skip(9).size, 0);
});

test('repeat: count passes, or forever (with take); each pass opens the source again', async () => {
  let opened = 0;
  const ds = sn.data.generator(function* () {
    opened++;
    yield 'a';
    yield 'b';
  });
  assert.deepEqual(await ds.repeat(3).toArray(), ['a', 'b', 'a', 'b', 'a', 'b']);
  assert.equal(opened, 3);
  assert.deepEqual(await ds.repeat().take(5).toArray(), ['a', 'b', 'a', 'b', 'a']);
  assert.deepEqual(await ds.repeat(0).toArray(), []);
  const arr = sn.data.array([1, 2]);
  assert.equal(arr.repeat(3).size, 6);
  assert.equal(arr.repeat().size, Infinity);
  await assert.rejects(arr.repeat().toArray(), sn.ConfigError);
});

test('batch: numbers, arrays, tensors and objects batched as TF.js; smallLastBatch', async () => {
  const five = sn.data.array([1, 2, 3, 4, 5]);
  const batches = await five.batch(2).toArray();
  assert.deepEqual(batches.map(values), [[1, 2], [3, 4], [5]]);
  assert.deepEqual((batches[0] as sn.Tensor).shape, [2]);
  assert.equal(five.batch(2).size, 3);
  assert.deepEqual((await five.batch(2, false).toArray()).map(values), [
    [1, 2],
    [3, 4],
  ]);
  assert.equal(five.batch(2, false).size, 2);

  const rows = sn.data.array([
    { xs: [1, 2], ys: 0, t: sn.tensor([[1], [2]]) },
    { xs: [3, 4], ys: 1, t: sn.tensor([[3], [4]]) },
    { xs: [5, 6], ys: 0, t: sn.tensor([[5], [6]]) },
  ]);
  const [b] = (await rows.batch(3).toArray()) as { xs: sn.Tensor; ys: sn.Tensor; t: sn.Tensor }[];
  assert.deepEqual(b!.xs.shape, [3, 2]);
  assert.deepEqual(values(b!.xs), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(values(b!.ys), [0, 1, 0]);
  assert.deepEqual(b!.t.shape, [3, 2, 1]);
  assert.deepEqual(values(b!.t), [1, 2, 3, 4, 5, 6]);
  // A list of tensors is batched position by position.
  const [pair] = (await sn.data
    .array([
      [sn.tensor([1]), sn.tensor([2])],
      [sn.tensor([3]), sn.tensor([4])],
    ])
    .batch(2)
    .toArray()) as sn.Tensor[][];
  assert.deepEqual(pair!.map(values), [
    [1, 3],
    [2, 4],
  ]);
});

test('batch: strings and missing values are ConfigErrors that say what to do', async () => {
  await assert.rejects(
    sn.data
      .array([{ a: 'x' }, { a: 'y' }])
      .batch(2)
      .toArray(),
    (e: Error) =>
      e instanceof sn.ConfigError && /at element\.a/.test(e.message) && /\.map\(\)/.test(e.message),
  );
  await assert.rejects(
    sn.data
      .array([{ a: 1 }, { a: undefined }])
      .batch(2)
      .toArray(),
    (e: Error) => e instanceof sn.ConfigError && /default/.test(e.message),
  );
  assert.throws(() => sn.data.array([1]).batch(0), sn.ConfigError);
  assert.throws(() => sn.data.array([1]).batch(1.5), sn.ConfigError);
});

test('shuffle: a permutation, the same for the same seed, drawn through its buffer', async () => {
  const n = 50;
  const items = Array.from({ length: n }, (_, i) => i);
  const orders = async (seed: number, buffer: number) =>
    sn.data.array(items).shuffle(buffer, { seed }).toArray();
  const a = await orders(1, 10);
  assert.deepEqual(
    [...a].sort((p, q) => p - q),
    items,
  );
  assert.notDeepEqual(a, items);
  assert.deepEqual(await orders(1, 10), a); // a dataset built again with the seed
  assert.notDeepEqual(await orders(2, 10), a);
  // A buffer of k: element i cannot come out before position i - (k - 1).
  a.forEach((value, position) => assert.ok(position >= value - 9, `${value} at ${position}`));
  assert.deepEqual(await orders(1, 1), items);

  // Each pass draws a new order, the same sequence of orders for the same seed; with
  // reshuffleEachIteration false every pass has the first order.
  const ds = sn.data.array(items).shuffle(n, { seed: 7 });
  const p1 = await ds.toArray();
  const p2 = await ds.toArray();
  assert.notDeepEqual(p1, p2);
  const again = sn.data.array(items).shuffle(n, { seed: 7 });
  assert.deepEqual([await again.toArray(), await again.toArray()], [p1, p2]);
  const fixed = sn.data.array(items).shuffle(n, { seed: 7, reshuffleEachIteration: false });
  assert.deepEqual(await fixed.toArray(), await fixed.toArray());

  // getState/setState: the state before a pass gives that pass again.
  const state = ds.getState();
  const p3 = await ds.toArray();
  ds.setState(state);
  assert.deepEqual(await ds.toArray(), p3);

  assert.throws(
    () => sn.data.array(items).shuffle(10, { sed: 1 } as never),
    /unknown option "sed"/,
  );
  assert.throws(() => sn.data.array(items).shuffle(10, { seed: 1.5 }), sn.ConfigError);
  assert.throws(() => sn.data.array(items).shuffle(0), sn.ConfigError);
});

test('generator: sync and async generator functions and iterators, called once per pass', async () => {
  const sync = sn.data.generator(function* () {
    yield 1;
    yield 2;
  });
  const asyncGen = sn.data.generator(async function* () {
    yield 1;
    await new Promise((r) => setTimeout(r, 1));
    yield 2;
  });
  let i = 0;
  const plain = sn.data.generator(() => ({
    next: () => (i < 2 ? { value: ++i, done: false } : { value: undefined, done: true }),
  }));
  for (const ds of [sync, asyncGen, plain]) assert.deepEqual(await ds.toArray(), [1, 2]);
  assert.equal(sync.size, undefined);
  assert.throws(() => sn.data.generator((function* () {})() as never), /generator function/);
  await assert.rejects(sn.data.generator(() => 3 as never).toArray(), sn.ConfigError);
});

test('zip: arrays and objects of datasets, ending with the shortest', async () => {
  const a = sn.data.array([1, 2, 3]);
  const b = sn.data.array(['x', 'y']);
  assert.deepEqual(await sn.data.zip([a, b]).toArray(), [
    [1, 'x'],
    [2, 'y'],
  ]);
  const z = sn.data.zip({ xs: a, ys: b });
  assert.equal(z.size, 2);
  assert.deepEqual(await z.toArray(), [
    { xs: 1, ys: 'x' },
    { xs: 2, ys: 'y' },
  ]);
  assert.throws(() => sn.data.zip([a, 3 as never]), /item 1/);
  assert.throws(() => sn.data.zip([]), sn.ConfigError);
});

test('prefetch: the same elements, read ahead of the consumer by bufferSize', async () => {
  let produced = 0;
  const ds = sn.data
    .generator(function* () {
      for (let k = 0; k < 10; k++) {
        produced++;
        yield k;
      }
    })
    .prefetch(3);
  const it = await ds.iterator();
  assert.deepEqual(await it.next(), { value: 0, done: false });
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(produced, 4); // the one consumed and three ahead
  await it.return();
  assert.deepEqual(await ds.toArray(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('iterator, for await and forEachAsync read the elements in order', async () => {
  const ds = sn.data.array(['a', 'b']);
  const it = await ds.iterator();
  assert.deepEqual(await it.next(), { value: 'a', done: false });
  assert.deepEqual(await it.next(), { value: 'b', done: false });
  assert.equal((await it.next()).done, true);
  const seen: string[] = [];
  for await (const v of ds) seen.push(v);
  await ds.forEachAsync(async (v) => void seen.push(v.toUpperCase()));
  assert.deepEqual(seen, ['a', 'b', 'A', 'B']);
});

test('shuffle without a seed draws it from the global generator: sn.setSeed makes it repeat', async () => {
  const ds = sn.data.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  sn.setSeed(11);
  const a = await ds.shuffle(10).toArray();
  sn.setSeed(11);
  const b = await ds.shuffle(10).toArray();
  assert.deepEqual(a, b);
  assert.deepEqual(
    [...a].sort((p, q) => p - q),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
});
