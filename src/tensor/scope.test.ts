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
      'a training step',
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
      'a training step',
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
      'a training step',
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

test('sn.keep exempts a tensor, and a variable made inside a scope stays', () => {
  let marked!: sn.Tensor, other!: sn.Tensor, v!: sn.Variable;
  withScope(
    'a test scope',
    () => {
      marked = sn.keep(sn.add(sn.tensor([1, 2]), 1));
      other = sn.mul(marked, 3);
      v = sn.variable(other);
    },
    () => () => false,
  );
  assert.deepEqual(Array.from(marked.dataSync()), [2, 3]);
  assert.deepEqual(Array.from(v.dataSync()), [6, 9]);
  assert.equal(other.released, true);
  assert.throws(() => other.dataSync(), /released at the end of a test scope.*sn\.keep/s);
});

test('valueAndGrads releases what its function made, keeps value, gradients and keep()', () => {
  const w = sn.variable(sn.tensor([0.5, -1, 2]));
  const x = sn.tensor([1, 2, 3]);
  let hidden!: sn.Tensor, shown!: sn.Tensor;
  const { value, grads } = sn.valueAndGrads(() => {
    hidden = sn.mul(w, x);
    shown = sn.keep(sn.square(hidden));
    return sn.sum(shown);
  });
  // f = Σ (w·x)², df/dw = 2·w·x² = [1, -8, 36]; value = 0.25 + 4 + 36.
  assert.equal(value.item(), 40.25);
  assert.deepEqual(Array.from(grads.get(w).dataSync()), [1, -8, 36]);
  assert.deepEqual(Array.from(shown.dataSync()), [0.25, 4, 36]);
  assert.equal(hidden.released, true);
  assert.throws(() => hidden.dataSync(), /released at the end of valueAndGrads/);
  // The inputs made outside are untouched.
  assert.deepEqual(Array.from(x.dataSync()), [1, 2, 3]);
  assert.equal(w.released, false);
});

test('grads releases its intermediates and keeps the gradients', () => {
  let inner!: sn.Tensor;
  const [ga, gb] = sn.grads((a, b) => {
    inner = sn.mul(a!, b!);
    return sn.sum(inner);
  })([sn.tensor([1, 2]), sn.tensor([3, 4])]);
  assert.deepEqual(Array.from(ga!.dataSync()), [3, 4]);
  assert.deepEqual(Array.from(gb!.dataSync()), [1, 2]);
  assert.equal(inner.released, true);
});

test("valueAndGrads keeps the layers' call losses: model.losses reads them after the step", () => {
  const layer = sn.layers.dense({
    units: 2,
    inputShape: [3],
    kernelInitializer: 'ones',
    activityRegularizer: sn.regularizers.l1(0.5),
  });
  const model = sn.sequential({ layers: [layer] });
  const x = sn.tensor([[1, 2, 3]]);
  sn.valueAndGrads(() => sn.sum(model.apply(x) as sn.Tensor));
  // Each output unit is 1 + 2 + 3 = 6: the L1 penalty is 0.5 · (6 + 6) / batch 1 = 6.
  assert.equal(sn.addN(model.losses).item(), 6);
});
