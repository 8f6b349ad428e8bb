// Assigning layer.activityRegularizer after construction (issue 10.10) resolves a name, a
// function or a config as the constructor does, so the next call applies it (it used to
// fail with "regularizer.apply is not a function").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as sn from '../index.js';

const x = sn.tensor([
  [1, 2],
  [3, 4],
]);

function dense(options: { activityRegularizer?: sn.regularizers.RegularizerIdentifier } = {}) {
  return sn.layers.dense({
    units: 1,
    kernelInitializer: 'ones',
    biasInitializer: 'zeros',
    ...options,
  });
}

function penalty(layer: sn.Layer): number {
  layer.apply(x);
  assert.equal(layer.losses.length, 1);
  return layer.losses[0]!.item();
}

test("layer.activityRegularizer = 'l1' after construction applies at the next call", () => {
  const layer = dense();
  layer.activityRegularizer = 'l1';
  assert.ok(layer.activityRegularizer instanceof sn.regularizers.Regularizer);
  // y = [3, 7]; l1 (0.01) · Σ|y| / batch 2 = 0.01 · 10 / 2 (batchMean, docs/semantics.md).
  assert.ok(Math.abs(penalty(layer) - 0.05) < 1e-7);
});

test('a function or a config assigned later gives what the constructor gives', () => {
  const fn = (t: sn.Tensor): sn.Tensor => sn.sum(sn.square(t));
  const config = { className: 'L1L2', config: { l1: 0, l2: 0.5 } };
  for (const id of [fn, config] as sn.regularizers.RegularizerIdentifier[]) {
    const late = dense();
    late.activityRegularizer = id;
    assert.equal(penalty(late), penalty(dense({ activityRegularizer: id })));
  }
  // l2 0.5 · (9 + 49) / 2, by hand.
  const late = dense();
  late.activityRegularizer = config as sn.regularizers.RegularizerIdentifier;
  assert.ok(Math.abs(penalty(late) - 14.5) < 1e-5);
});

test('an unknown name assigned later is a ConfigError at once; undefined removes the penalty', () => {
  const layer = dense({ activityRegularizer: 'l2' });
  assert.throws(() => (layer.activityRegularizer = 'l3' as 'l2'), sn.ConfigError);
  layer.activityRegularizer = undefined;
  layer.apply(x);
  assert.equal(layer.losses.length, 0);
});
