// klSparsity on an empty batch (issue 10.10): 0, as l1 and l2 give (a sum over no values), and
// a zero gradient of the input's (empty) shape; never NaN.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as sn from '../index.js';

test('klSparsity of an empty batch is 0 with an empty zero gradient, as l1 and l2', () => {
  const empty = sn.zeros([0, 3]);
  for (const r of [
    sn.regularizers.klSparsity({ rho: 0.1, beta: 2 }),
    sn.regularizers.l1(0.01),
    sn.regularizers.l2(0.01),
  ]) {
    assert.equal(r.apply(empty).item(), 0, r.constructor.name);
    const [g] = sn.grads((x) => r.apply(x))([empty]);
    assert.deepEqual(g!.shape, [0, 3], r.constructor.name);
  }
});

test('a layer with a klSparsity activity penalty called on an empty batch reports 0', () => {
  const layer = sn.layers.dense({
    units: 2,
    activation: 'sigmoid',
    activityRegularizer: sn.regularizers.klSparsity({ rho: 0.05 }),
  });
  layer.apply(sn.zeros([0, 4]));
  const terms = layer.losses;
  assert.equal(terms.length, 1);
  assert.equal(terms[0]!.item(), 0);
});
