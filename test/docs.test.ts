import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../src/index.js';

/** The numbers in docs/regularization.md's weight-decay table, recomputed. */
test('docs/regularization.md: weight decay vs L2, one step from w = 1 at learning rate 0.1', () => {
  const oneStep = (optimizer: sn.optimizers.Optimizer, l2?: number): number => {
    const w = sn.variable(sn.tensor([1]), { name: 'w' });
    const { grads } = sn.valueAndGrads(
      () => (l2 ? sn.regularizers.l2(l2).apply(w) : sn.mul(0, sn.sum(w))),
      [w],
    );
    optimizer.applyGradients(grads);
    return w.dataSync()[0]!;
  };
  const o = sn.optimizers;
  const rows: [number, number, number][] = [
    [oneStep(o.sgd({ learningRate: 0.1 }), 0.0005), 0.9999, 1e-6],
    [oneStep(o.sgd({ learningRate: 0.1, weightDecay: 0.001 })), 0.9999, 1e-6],
    [oneStep(o.adam({ learningRate: 0.1 }), 0.0005), 0.9003, 1e-4],
    [oneStep(o.adam({ learningRate: 0.1 }), 0.05), 0.9, 1e-4],
    [oneStep(o.adamw({ learningRate: 0.1, weightDecay: 0.0005 })), 0.99995, 1e-6],
    [oneStep(o.adamw({ learningRate: 0.1, weightDecay: 0.05 })), 0.995, 1e-6],
  ];
  rows.forEach(([got, doc, tol], i) =>
    assert.ok(Math.abs(got - doc) <= tol, `row ${i}: computed ${got}, the doc says ${doc}`),
  );
});
