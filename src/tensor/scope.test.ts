import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as sn from '../index.js';
import { withScope } from './scope.js';
import type { DataId, DataStore } from './store.js';

/** A store that counts what is given back (the cpu store's release does nothing). */
function countingRelease(store: DataStore): { given: DataId[]; restore: () => void } {
  const given: DataId[] = [];
  const original = store.release.bind(store);
  store.release = (id) => {
    given.push(id);
    original(id);
  };
  return { given, restore: () => (store.release = original) };
}

test('withScope releases tensors made inside it except kept ones and ones sharing their values', () => {
  const outside = sn.tensor([1, 2, 3, 4]);
  let a!: sn.Tensor, view!: sn.Tensor, kept!: sn.Tensor, alias!: sn.Tensor;
  let ids: DataId[] = [];
  const spy = countingRelease(outside.store);
  try {
    withScope(
      () => {
        a = sn.add(outside, 1);
        kept = sn.mul(a, 2);
        view = sn.reshape(kept, [2, 2]); // shares kept's handle
        alias = sn.reshape(outside, [2, 2]); // shares a handle made outside the scope
        ids = [a.dataId, kept.dataId, outside.dataId];
      },
      () => (t) => t === kept,
    );
  } finally {
    spy.restore();
  }
  assert.equal(a.released && view.released && alias.released, true);
  assert.equal(kept.released || outside.released, false);
  assert.deepEqual(Array.from(kept.dataSync()), [4, 6, 8, 10]);
  assert.deepEqual(Array.from(outside.dataSync()), [1, 2, 3, 4]);
  // a's values went back (and the scalars the ops made); kept's and outside's stay held.
  assert.deepEqual(
    ids.map((id) => spy.given.includes(id)),
    [true, false, false],
  );
  assert.throws(() => a.dataSync(), /released at the end of a training step/);
  assert.throws(() => sn.add(view, 1), /released at the end of a training step/);
});

test('a variable is never released, and its old values go back once nothing holds them', () => {
  const v = sn.variable(sn.tensor([1, 2]));
  const start = v.dataId;
  const spy = countingRelease(v.store);
  let next!: sn.Tensor;
  const ids: DataId[] = [];
  try {
    withScope(
      () => {
        next = sn.add(v, 1);
        ids.push(v.dataId);
        v.assign(next);
        const newer = sn.mul(v, 2);
        ids.push(v.dataId);
        v.assign(newer);
      },
      () => () => false,
    );
  } finally {
    spy.restore();
  }
  assert.equal(v.released, false);
  assert.equal(next.released, true);
  assert.deepEqual(Array.from(v.dataSync()), [4, 6]);
  // The first values are still held by the tensor the variable was made from (outside the
  // scope); the second ones (next's) went back, the current ones stay.
  assert.deepEqual(
    [start, ids[1]!, v.dataId].map((id) => spy.given.includes(id)),
    [false, true, false],
  );
  assert.equal(ids[0], start);
});

test('nothing is released when the scoped function throws', () => {
  let a!: sn.Tensor;
  assert.throws(() =>
    withScope(
      () => {
        a = sn.tensor([1]);
        throw new Error('boom');
      },
      () => () => false,
    ),
  );
  assert.equal(a.released, false);
  assert.equal(a.item(), 1);
});
