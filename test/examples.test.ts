import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  makeData,
  trainByHand,
  trainWithActivityRegularizer,
} from '../examples/sparse-autoencoder-loop.js';

test('the custom-loop example: the hand-written penalty and the declared activity regularizer train identically', () => {
  const x = makeData();
  const byHand = trainByHand(x, 20);
  const declared = trainWithActivityRegularizer(x, 20);
  // Same seeds, same loss formula (reduction 'sum' on the regularizer): the same run.
  byHand.forEach((l, i) =>
    assert.ok(
      Math.abs(l - declared[i]!) <= 1e-5 * Math.abs(l),
      `step ${i}: ${l} vs ${declared[i]}`,
    ),
  );
  assert.ok(byHand.at(-1)! < byHand[0]!, 'the loss goes down');
  // Forgetting model.losses drops the penalty: the reported loss is the mse alone.
  const forgotten = trainWithActivityRegularizer(x, 20, false);
  assert.ok(forgotten[0]! < declared[0]! - 1e-3, `${forgotten[0]} vs ${declared[0]}`);
});
